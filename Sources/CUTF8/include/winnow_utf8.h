#ifndef WINNOW_UTF8_H
#define WINNOW_UTF8_H
#include <stddef.h>
#include <stdbool.h>

/// True if `data[0..<length]` is well-formed UTF-8 (Unicode Table 3-7: no overlongs, surrogates or
/// values above U+10FFFF, no truncated sequences). Uses SSSE3 16 bytes at a time where the CPU has it
/// (the "lookup" algorithm of Keiser and Lemire, 2021), a scalar loop otherwise.
bool winnow_utf8_is_valid(const unsigned char *data, size_t length);

#endif
