#ifndef WINNOW_SIMPLIFY_H
#define WINNOW_SIMPLIFY_H

#include <stddef.h>
#include <stdint.h>

/// The fast path of `simplify_text` (`DedupTextSimplifier` in WinnowDedup) inside a run of ASCII letters: the
/// byte before `text` is a letter just copied. Copies, lowercased, 16-byte blocks made only of ASCII letters and
/// single spaces (no two spaces in a row) to `out`: that is exactly
/// what `simplify_text` makes of them, since a lone space between letters stays one space. Stops before a block
/// with any other byte, after a block whose last letter is not its last byte (its trailing space is left to the
/// caller, which may fold it with what follows), and before fewer than 16 bytes remain. Returns the bytes
/// consumed (as many written; `out` needs room for that many plus up to 15 more). 0 without SSE2.
size_t winnow_simplify_ascii_words(const uint8_t *text, size_t count, uint8_t *out);

#endif
