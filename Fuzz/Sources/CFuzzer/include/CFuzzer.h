#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (linked by -sanitize=fuzzer). `winnow-fuzz` has a Swift entry point (SwiftPM names an
/// executable's main itself), which hands the command line and the target function to libFuzzer here.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
