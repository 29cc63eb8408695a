// Why a C shim: SwiftPM links executables with `--defsym main=<module>_main`, so a Swift fuzz target
// cannot simply export LLVMFuzzerTestOneInput and let libFuzzer's own `main` run. Instead each target
// has an ordinary `@main` that hands its callback to libFuzzer's LLVMFuzzerRunDriver. The reference is
// weak so the same targets also link (as plain replayers) in builds without `-sanitize=fuzzer`.
#include "FuzzDriver.h"
#include <stdio.h>
#include <stdlib.h>

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t))
    __attribute__((weak));

static int replay(const char *path, FuzzCallback callback) {
    FILE *file = fopen(path, "rb");
    if (!file) { fprintf(stderr, "cannot open %s\n", path); return 1; }
    size_t capacity = 1 << 16, size = 0;
    uint8_t *data = malloc(capacity);
    size_t got;
    while (data && (got = fread(data + size, 1, capacity - size, file)) > 0) {
        size += got;
        if (size == capacity) { capacity *= 2; data = realloc(data, capacity); }
    }
    fclose(file);
    if (!data) { fprintf(stderr, "out of memory reading %s\n", path); return 1; }
    callback(data, size);
    free(data);
    fprintf(stderr, "replayed %s (%zu bytes)\n", path, size);
    return 0;
}

int fuzz_driver_run(int argc, char **argv, FuzzCallback callback) {
    if (LLVMFuzzerRunDriver) return LLVMFuzzerRunDriver(&argc, &argv, callback);
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;   // libFuzzer flags, meaningless here
        failures += replay(argv[i], callback);
    }
    return failures ? 1 : 0;
}
