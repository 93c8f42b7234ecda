#ifndef WINNOW_SHINGLES_H
#define WINNOW_SHINGLES_H

#include <stddef.h>
#include <stdint.h>

/// The word splitting fast path on `simplify_text` output (`SimplifiedTextWordSplitter` in WinnowDedup): from
/// `*position`, each space-separated chunk whose bytes are all `a-z` (kind 1) or all `0-9` (kind 2) by `kind`
/// (256 entries), and whose (first symbol, last symbol) entry of `special_lengths` (36 x 36, symbols by
/// `symbol`) lacks bit min(length, 63), is one word: its start and end go to `bounds` as a pair. Stops at the
/// first other chunk (one the full tokenizer must split), setting `*position` to its start and `*chunk_end`
/// to its end, or at the end of the text (both `count`). Returns the number of words written; `bounds` must
/// have room for 2 x (count - *position + 1) / 2 values. `kind` must map `a-z` to 1, `0-9` to 2 and every other
/// byte to 4: with SSE2, chunks that end within 16 bytes are classified 16 bytes at a time instead of through it.
/// With `classes` (the tokenizer's classes of every BMP scalar), a chunk of `a-z` and non-ASCII scalars of 2 or
/// 3 bytes none of which has a class in `relevant` (the classes the affix and infix rules test), whose first
/// byte is not marked in `special_first` (256 entries: first bytes of special cases made of such characters),
/// is one word too.
size_t winnow_split_simplified_words(const uint8_t *text, size_t count, size_t *position, const uint8_t *kind,
                                     const uint8_t *symbol, const uint64_t *special_lengths, const uint16_t *classes,
                                     uint16_t relevant, const uint8_t *special_first, int64_t *bounds,
                                     size_t *chunk_end);

/// The hashes of the word n-grams of `text`: word i is `[bounds[2i], bounds[2i+1])`; shingle k is words
/// k..k+n-1 joined by one space, hashed with xxh64 (seed 0), or xxh32 when `bits` is 32. Writes
/// `words - n + 1` hashes to `hashes` (none when words < n) and returns that count. A shingle whose words are
/// one space apart in `text` is hashed in place; any other is joined in `scratch`, which needs room for the
/// longest such shingle (at most `count + n` bytes for a text of `count` bytes).
size_t winnow_word_shingle_hashes(const uint8_t *text, const int64_t *bounds, size_t words, size_t n, int bits,
                                  uint8_t *scratch, uint64_t *hashes);

#endif
