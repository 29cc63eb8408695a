/*
 * saveload: draft saves at a fixed rate from one thread, for tools/bench/http-rate.sh.
 *
 * wrk needs a thread per connection to carry each connection's version (its Lua callbacks do not
 * say which connection answered), and 64 client threads on a 2-core machine take the server's CPU
 * and add their own scheduling delays to every latency. This client drives all connections from one
 * epoll loop instead: connection i saves its own unit's 公共2表 every N/rate seconds on a fixed
 * schedule, sends the version the server returned, and counts each latency from when the save was
 * due (not from when it went out), so a stalled server cannot hide its stall ("coordinated omission").
 *
 *   cc -O2 -o saveload saveload.c -lm
 *   saveload SESSIONS_FILE PORT RATE SECONDS      (RATE 0: closed loop, the most saves per second)
 * SESSIONS_FILE: one line per connection: cookie \t csrf \t path \t version (drs bench http --hold).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 256
#define BUF 65536

typedef struct {
    int fd;
    char cookie[256], csrf[128], path[256];
    long version;
    long n;            /* saves sent */
    double due;        /* when the save in flight (or the next one) is due */
    int busy;          /* a save is in flight */
    char out[4096];
    int out_len, out_sent;
    char in[BUF];
    int in_len;
} conn_t;

static conn_t conns[MAX_CONN];
static int nconn;
static double *lat;
static long nlat, caplat, failures;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); exit(2); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static void prepare(conn_t *c) {
    long v = 1000 + c->n;
    char body[512];
    int blen = snprintf(body, sizeof body,
        "{\"version\":%ld,\"values\":{\"01\":{\"cum\":\"%ld\",\"cur\":\"%ld\"},\"02\":{\"cum\":\"%ld\"},\"03\":{\"cum\":\"300\"},\"05\":{\"cum\":\"%ld\"}}}",
        c->version, v + 300, v, v, v);
    c->out_len = snprintf(c->out, sizeof c->out,
        "PUT %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nCookie: %s\r\nX-CSRF-Token: %s\r\n"
        "Content-Length: %d\r\n\r\n%s", c->path, c->cookie, c->csrf, blen, body);
    c->out_sent = 0;
}

static void flush_out(conn_t *c) {
    while (c->out_sent < c->out_len) {
        ssize_t w = write(c->fd, c->out + c->out_sent, c->out_len - c->out_sent);
        if (w < 0) { if (errno == EAGAIN) return; perror("write"); exit(2); }
        c->out_sent += (int)w;
    }
}

/* A complete response in c->in: returns its length, or 0 if more bytes are needed. */
static int complete(conn_t *c, int *status) {
    c->in[c->in_len] = 0;
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end) return 0;
    int head = (int)(end - c->in) + 4;
    char *cl = strcasestr(c->in, "content-length:");
    int len = cl && cl < end ? atoi(cl + 15) : 0;
    if (c->in_len < head + len) return 0;
    *status = atoi(c->in + 9);
    char *ver = strstr(c->in + head, "\"version\":");
    if (*status == 200 && ver && ver < c->in + head + len) c->version = atol(ver + 10);
    return head + len;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: saveload SESSIONS PORT RATE SECONDS\n"); return 2; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 2; }
    int port = atoi(argv[2]);
    double rate = atof(argv[3]), seconds = atof(argv[4]);
    char line[1024];
    while (nconn < MAX_CONN && fgets(line, sizeof line, f)) {
        conn_t *c = &conns[nconn];
        if (sscanf(line, "%255[^\t]\t%127[^\t]\t%255[^\t]\t%ld", c->cookie, c->csrf, c->path, &c->version) == 4) nconn++;
    }
    fclose(f);
    if (!nconn) { fprintf(stderr, "no sessions\n"); return 2; }
    caplat = (long)((rate > 0 ? rate : 50000) * seconds * 1.2) + 1024;
    lat = malloc(sizeof(double) * caplat);
    int ep = epoll_create1(0);
    int closed = rate <= 0;                  /* rate 0: closed loop, each connection as fast as answered */
    double period = closed ? 0 : nconn / rate, start = now() + 0.1, end = start + seconds;
    for (int i = 0; i < nconn; i++) {
        conn_t *c = &conns[i];
        c->fd = connect_to(port);
        c->due = start + period * i / nconn;   /* spread over one period */
        struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.u32 = (uint32_t)i};
        epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e);
    }
    struct epoll_event events[MAX_CONN];
    for (;;) {
        double t = now(), next = 1e18;
        int active = 0;
        for (int i = 0; i < nconn; i++) {
            conn_t *c = &conns[i];
            if (c->busy) { active = 1; continue; }
            if (c->due >= end) continue;
            active = 1;
            if (c->due <= t) {               /* due: send (late sends count their lateness) */
                c->n++;
                prepare(c);
                c->busy = 1;
                c->in_len = 0;
                flush_out(c);
            } else if (c->due < next) next = c->due;
        }
        if (!active) break;
        /* Sleep until the next save is due or an answer arrives (nanosecond timeout: no spinning). */
        double wait = next < 1e17 ? next - now() : 0.1;
        if (wait < 0) wait = 0;
        struct timespec ts = {.tv_sec = (time_t)wait, .tv_nsec = (long)((wait - (time_t)wait) * 1e9)};
        int n = epoll_pwait2(ep, events, MAX_CONN, &ts, NULL);
        for (int k = 0; k < n; k++) {
            conn_t *c = &conns[events[k].data.u32];
            if (events[k].events & EPOLLOUT) flush_out(c);
            if (!(events[k].events & EPOLLIN)) continue;
            for (;;) {
                ssize_t r = read(c->fd, c->in + c->in_len, BUF - 1 - c->in_len);
                if (r < 0 && errno == EAGAIN) break;
                if (r <= 0) { fprintf(stderr, "connection closed\n"); return 2; }
                c->in_len += (int)r;
                int status, used;
                if (c->busy && (used = complete(c, &status))) {
                    double l = (now() - c->due) * 1000;
                    if (status == 200) { if (nlat < caplat) lat[nlat++] = l; } else failures++;
                    c->busy = 0;
                    c->in_len = 0;
                    c->due = closed ? now() : c->due + period;
                    (void)used;
                }
            }
        }
    }
    qsort(lat, nlat, sizeof(double), cmp);
    #define PCT(p) (nlat ? lat[(long)((nlat - 1) * (p))] : 0)
    if (closed) printf("closed loop");
    else printf("fixed rate %.0f saves/s", rate);
    printf(" over %d connections for %.0f s: %ld saved (%.0f/s), %ld refused; "
           "latency from when due: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
           nconn, seconds, nlat, nlat / seconds, failures, PCT(0.5), PCT(0.9), PCT(0.99), PCT(0.999), nlat ? lat[nlat - 1] : 0);
    return failures ? 1 : 0;
}
