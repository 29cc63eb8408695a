#ifndef DRS_FUZZ_DRIVER_H
#define DRS_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// One fuzz input: bytes in, 0 out (libFuzzer's LLVMFuzzerTestOneInput signature).
typedef int (*FuzzCallback)(const uint8_t *data, size_t size);

/// Runs libFuzzer with `callback` when the binary is built with `-sanitize=fuzzer`; otherwise replays
/// each file named on the command line through `callback` once (to reproduce a crash without libFuzzer).
int fuzz_driver_run(int argc, char **argv, FuzzCallback callback);

#endif
