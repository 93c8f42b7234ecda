// Word splitting fast path and word n-gram hashing for MinHash signatures (see include/winnow_shingles.h).
// xxHash is compiled in (XXH_INLINE_ALL) so each shingle's hash is an inlined call.
#include "winnow_shingles.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#if defined(__SSE2__)
/// The chunk starting at `text` when it ends (at a space) within 16 bytes: its length in `*length` and its
/// kind (1: `a-z` only, 2: `0-9` only, 4: anything else, as the `kind` table gives them); 0 when no space is
/// in the 16 bytes (the caller scans byte by byte). Needs 16 readable bytes.
static inline uint8_t chunk_kind16(const uint8_t *text, size_t *length) {
    __m128i x = _mm_loadu_si128((const __m128i *)text);
    unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(0x20)));
    if (spaces == 0) return 0;
    unsigned n = (unsigned)__builtin_ctz(spaces);
    unsigned within = (1u << n) - 1;
    // Unsigned range checks with signed compares: c - lo + 0x80 < -128 + width.
    unsigned letters = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - 'a'))),
                                                                  _mm_set1_epi8((char)(-128 + 26))));
    unsigned digits = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '0'))),
                                                                 _mm_set1_epi8((char)(-128 + 10))));
    *length = n;
    return (letters & within) == within ? 1 : (digits & within) == within ? 2 : 4;
}
#endif

size_t winnow_split_simplified_words(const uint8_t *text, size_t count, size_t *position, const uint8_t *kind,
                                     const uint8_t *symbol, const uint64_t *special_lengths, int64_t *bounds,
                                     size_t *chunk_end) {
    size_t i = *position, words = 0;
    while (i < count) {
        if (text[i] == 0x20) { i++; continue; }
        size_t start = i;
        uint8_t kinds = 0;
#if defined(__SSE2__)
        // Most chunks are short: classified 16 bytes at a time (`kind` maps a-z to 1, 0-9 to 2, others to 4).
        size_t length;
        if (i + 16 <= count && (kinds = chunk_kind16(text + i, &length)) != 0) {
            i += length;
        } else
#endif
        while (i < count && text[i] != 0x20) { kinds |= kind[text[i]]; i++; }
        if (kinds == 1 || kinds == 2) {
            size_t length = i - start;
            size_t shape = (size_t)symbol[text[start]] * 36 + symbol[text[i - 1]];
            if ((special_lengths[shape] & (1ULL << (length < 63 ? length : 63))) == 0) {
                bounds[2 * words] = (int64_t)start;
                bounds[2 * words + 1] = (int64_t)i;
                words++;
                continue;
            }
        }
        *position = start;
        *chunk_end = i;
        return words;
    }
    *position = count;
    *chunk_end = count;
    return words;
}

size_t winnow_word_shingle_hashes(const uint8_t *text, const int64_t *bounds, size_t words, size_t n, int bits,
                                  uint8_t *scratch, uint64_t *hashes) {
    if (n == 0 || words < n) return 0;
// Words k and k + 1 are one space apart in the text.
#define ONE_SPACE_APART(k) (bounds[2 * (k) + 2] == bounds[2 * (k) + 1] + 1)
    // Gaps other than one space inside the current window.
    size_t split = 0;
    for (size_t k = 0; k + 1 < n; k++) split += !ONE_SPACE_APART(k);
    size_t shingles = words - n + 1;
    for (size_t first = 0; first < shingles; first++) {
        if (first > 0 && n > 1) {
            split -= !ONE_SPACE_APART(first - 1);
            split += !ONE_SPACE_APART(first + n - 2);
        }
        const uint8_t *bytes;
        size_t length;
        if (split == 0) {
            bytes = text + bounds[2 * first];
            length = (size_t)(bounds[2 * (first + n - 1) + 1] - bounds[2 * first]);
        } else {
            length = 0;
            for (size_t k = first; k < first + n; k++) {
                if (k > first) scratch[length++] = 0x20;
                size_t w = (size_t)(bounds[2 * k + 1] - bounds[2 * k]);
                for (size_t j = 0; j < w; j++) scratch[length + j] = text[bounds[2 * k] + j];
                length += w;
            }
            bytes = scratch;
        }
        hashes[first] = bits == 32 ? (uint64_t)XXH32(bytes, length, 0) : XXH64(bytes, length, 0);
    }
#undef ONE_SPACE_APART
    return shingles;
}
