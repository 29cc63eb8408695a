"""Two instances behind nginx (Debian's), round robin on one PostgreSQL database, as production runs:
a session made through nginx works whichever instance answers, both instances serve, and when one is
killed (SIGKILL) in the middle of a filer's saves nothing acknowledged is lost — the last acknowledged
value is the stored one, and the stored version counts every acknowledged save.

Run: DRS_MULTI_DATABASE=postgres://… pytest system-tests/api/test_behind_nginx.py
"""
import os
import shutil
import subprocess

import pytest
import requests

from test_two_instances import DATABASE, free_port, login, start, wait_healthy

# On the one PostgreSQL database CI gives (DRS_MULTI_DATABASE): with pytest-xdist, on the same worker
# as the other modules that use it.
pytestmark = pytest.mark.xdist_group("postgres")

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CONFIG = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
  log_format upstream '$request_method $uri $status $upstream_addr';
  access_log {tmp}/access.log upstream;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  upstream drs {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 200m;
    location = /metrics {{ return 403; }}
    location / {{
      proxy_pass http://drs;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""


@pytest.fixture()
def behind_nginx(tmp_path):
    if not DATABASE:
        pytest.skip("DRS_MULTI_DATABASE not set")
    if not os.path.exists(NGINX):
        pytest.skip("nginx not installed (Debian: apt-get install nginx)")
    a_port, b_port, port = free_port(), free_port(), free_port()
    a = start(a_port, demo=True, extra=["--trusted-proxy", "127.0.0.1"])
    b = start(b_port, demo=False, extra=["--trusted-proxy", "127.0.0.1"])
    for name in ["body", "proxy", "fastcgi", "uwsgi", "scgi"]:
        (tmp_path / name).mkdir()
        os.chmod(tmp_path / name, 0o777)
    (tmp_path / "nginx.conf").write_text(CONFIG.format(tmp=tmp_path, a=a_port, b=b_port, port=port))
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, nginx, lambda: (tmp_path / "error.log").read_text(errors="replace"), seconds=30)
    yield {"base": base, "a": a, "b": b, "log": tmp_path / "access.log"}
    for proc in (nginx, a, b):
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)


def test_nothing_acknowledged_is_lost_when_an_instance_dies(behind_nginx):
    base = behind_nginx["base"]
    filer, unit = login(base)
    for _ in range(6):   # round robin: the session is in the database, every instance knows it
        assert filer.get(f"{base}/api/v1/me").json()["username"] == "beijing-data"
    path = f"{base}/api/v1/units/{unit}/submissions/2026/P2"
    version = filer.get(path).json()["submission"]["version"]
    start_version, acknowledged = version, []
    for i in range(80):
        if i == 40:
            behind_nginx["b"].kill()   # SIGKILL in the middle of the saves
            behind_nginx["b"].wait(timeout=20)
        value = str(70_000 + i)
        reply = filer.put(path, json={"version": version, "values": {"01": {"cum": value}}})
        if reply.status_code == 200:
            acknowledged.append(value)
            version = reply.json()["version"]
        else:   # not acknowledged (a 502 while nginx finds the instance gone, or a 409): read where it stands
            assert reply.status_code in (409, 502, 503), reply.text
            version = filer.get(path).json()["submission"]["version"]
    stored = filer.get(path).json()["submission"]
    assert stored["values"]["01"]["cum"] == acknowledged[-1]
    assert stored["version"] >= start_version + len(acknowledged)
    assert len(acknowledged) >= 70, f"only {len(acknowledged)} of 80 saves acknowledged"
    served = {line.split()[-1] for line in behind_nginx["log"].read_text().splitlines() if "/api/v1/me" in line}
    assert len(served) == 2, f"both instances answered: {served}"
    assert requests.get(f"{base}/metrics", timeout=5).status_code == 403
