#ifndef WINNOW_SIMPLIFY_H
#define WINNOW_SIMPLIFY_H

#include <stddef.h>
#include <stdint.h>

/// The ASCII part of `simplify_text`'s one-pass path (`DedupTextSimplifier` in WinnowDedup), from byte `i` of
/// `text` (`count` bytes): ASCII letters lowercased, bytes marked in `separators` (128 entries: whitespace,
/// punctuation and controls) folded into one pending space, a number (ASCII digits, optionally `.` or `,` and
/// more digits) written as `0`; a space is written before an item when one is pending and something was
/// written before (`*pending_space`, `*emitted` carry that state in and out). Writes to `out + *written`,
/// advancing `*written`; `out` needs room for `count - i + 65` more bytes. Returns where it stopped: at the end,
/// at a byte >= 0x80, or at the start of a number whose end it cannot decide in ASCII (a byte >= 0x80 right
/// after its digits or separator: a digit or separator of another script may continue it), which the caller
/// then takes whole. With AVX-512 (VBMI2, and the MinHash kernel path not forced below AVX-512) 64-byte blocks
/// up to their first digit or non-ASCII byte go in one step (letters lowercased, a space at each separator run
/// that a letter of the block ends, the bytes compressed); it may then write a space where nothing was written
/// before, which the caller strips. Otherwise blocks of 16 letters and single spaces inside a word run are
/// copied in one SSE2 step.
size_t winnow_simplify_ascii(const uint8_t *text, size_t count, size_t i, const uint8_t *separators, uint8_t *out,
                             size_t *written, int *pending_space, int *emitted);

#endif
