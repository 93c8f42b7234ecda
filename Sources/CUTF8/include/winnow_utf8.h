#ifndef WINNOW_UTF8_H
#define WINNOW_UTF8_H
#include <stddef.h>
#include <stdbool.h>

/// True if `data[0..<length]` is well-formed UTF-8 (Unicode Table 3-7: no overlongs, surrogates or
/// values above U+10FFFF, no truncated sequences). Uses AVX2 32 bytes at a time or SSSE3 16 bytes at a
/// time where the CPU has them (the "lookup" algorithm of Keiser and Lemire, 2021), a scalar loop otherwise.
bool winnow_utf8_is_valid(const unsigned char *data, size_t length);

#define WINNOW_UTF8_SCALAR 0
#define WINNOW_UTF8_SSSE3 1
#define WINNOW_UTF8_AVX2 2

/// The fastest kernel this CPU runs (a WINNOW_UTF8_ constant).
int winnow_utf8_best_kernel(void);

/// `winnow_utf8_is_valid` with a chosen kernel (lowered to the best this CPU runs): for tests and benchmarks.
bool winnow_utf8_is_valid_with(const unsigned char *data, size_t length, int kernel);

#endif
