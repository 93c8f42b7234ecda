// Word splitting fast path and word n-gram hashing for MinHash signatures (see include/winnow_shingles.h).
// xxHash is compiled in (XXH_INLINE_ALL) so each shingle's hash is an inlined call.
#include "winnow_shingles.h"
#include "winnow_minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#define WINNOW_XXH64_LANES 1
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

/// Whether bytes [s, e) are `a-z` and non-ASCII scalars of 2 or 3 bytes (BMP) with no class in `relevant`
/// (`classes` per BMP scalar), with at least one such scalar expected by the caller (kind 4 seen).
static int plain_letters(const uint8_t *p, size_t s, size_t e, const uint16_t *classes, uint16_t relevant) {
    size_t i = s;
    while (i < e) {
        uint8_t b = p[i];
        if (b < 0x80) { if ((unsigned)(b - 'a') >= 26u) return 0; i++; continue; }
        uint32_t cp;
        if ((b & 0xE0) == 0xC0 && i + 1 < e && (p[i + 1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(b & 0x1F) << 6) | (p[i + 1] & 0x3F);
            if (cp < 0x80) return 0;
            i += 2;
        } else if ((b & 0xF0) == 0xE0 && i + 2 < e && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
            cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            if (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000)) return 0;
            i += 3;
        } else {
            return 0;
        }
        if (classes[cp] & relevant) return 0;
    }
    return 1;
}

size_t winnow_split_simplified_words(const uint8_t *text, size_t count, size_t *position, const uint8_t *kind,
                                     const uint8_t *symbol, const uint64_t *special_lengths, const uint16_t *classes,
                                     uint16_t relevant, const uint8_t *special_first, int64_t *bounds,
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
        } else if (classes != NULL && (kinds & 2) == 0 && !special_first[text[start]] &&
                   plain_letters(text, start, i, classes, relevant)) {
            // Letters of any script that no affix, infix or URL rule tests: one word, as the full tokenizer's
            // own fast path makes it (no digit: units after digits are suffixes).
            bounds[2 * words] = (int64_t)start;
            bounds[2 * words + 1] = (int64_t)i;
            words++;
            continue;
        }
        *position = start;
        *chunk_end = i;
        return words;
    }
    *position = count;
    *chunk_end = count;
    return words;
}

#ifdef WINNOW_XXH64_LANES
#define XXP1 0x9E3779B185EBCA87ULL
#define XXP2 0xC2B2AE3D27D4EB4FULL
#define XXP3 0x165667B19E3779F9ULL
#define XXP4 0x85EBCA77C2B2AE63ULL
#define XXP5 0x27D4EB2F165667C5ULL

/// XXH64 (seed 0) of 8 byte strings at once, one per 64-bit lane: `text + starts[j]`, `lengths[j]` bytes, each
/// at least 8 (the tail is read as the 8 bytes that end the string, so nothing past it is read). The same steps
/// as xxHash's scalar code, lanes masked where their lengths differ: 32-byte stripes, their merge (or P5 for
/// strings under 32 bytes), then 8-byte words, a 4-byte word and single bytes, then the avalanche.
__attribute__((target("avx512f,avx512dq")))
static void xxh64_lanes8(const uint8_t *text, const uint64_t *starts, const uint64_t *lengths, uint64_t *out) {
    const __m512i p1 = _mm512_set1_epi64((long long)XXP1), p2 = _mm512_set1_epi64((long long)XXP2);
    const __m512i p3 = _mm512_set1_epi64((long long)XXP3), p4 = _mm512_set1_epi64((long long)XXP4);
    const __m512i p5 = _mm512_set1_epi64((long long)XXP5), zero = _mm512_setzero_si512();
    const __m512i start = _mm512_loadu_si512(starts), len = _mm512_loadu_si512(lengths);
#define ROUND(ACC, INPUT) _mm512_mullo_epi64(_mm512_rol_epi64(_mm512_add_epi64(ACC, _mm512_mullo_epi64(INPUT, p2)), 31), p1)
#define GATHER(M, OFFSET) _mm512_mask_i64gather_epi64(zero, M, OFFSET, (const void *)text, 1)
    const __m512i stripes = _mm512_srli_epi64(len, 5);
    const uint64_t most = _mm512_reduce_max_epu64(stripes);
    __m512i v1 = _mm512_set1_epi64((long long)(XXP1 + XXP2)), v2 = p2, v3 = zero, v4 = _mm512_set1_epi64((long long)(0 - XXP1));
    for (uint64_t s = 0; s < most; s++) {
        __mmask8 m = _mm512_cmpgt_epu64_mask(stripes, _mm512_set1_epi64((long long)s));
        __m512i at = _mm512_add_epi64(start, _mm512_set1_epi64((long long)(32 * s)));
        v1 = _mm512_mask_mov_epi64(v1, m, ROUND(v1, GATHER(m, at)));
        v2 = _mm512_mask_mov_epi64(v2, m, ROUND(v2, GATHER(m, _mm512_add_epi64(at, _mm512_set1_epi64(8)))));
        v3 = _mm512_mask_mov_epi64(v3, m, ROUND(v3, GATHER(m, _mm512_add_epi64(at, _mm512_set1_epi64(16)))));
        v4 = _mm512_mask_mov_epi64(v4, m, ROUND(v4, GATHER(m, _mm512_add_epi64(at, _mm512_set1_epi64(24)))));
    }
    __m512i h = zero;
    __mmask8 longer = _mm512_cmpgt_epu64_mask(stripes, zero);
    if (longer) {
        h = _mm512_add_epi64(_mm512_add_epi64(_mm512_rol_epi64(v1, 1), _mm512_rol_epi64(v2, 7)),
                             _mm512_add_epi64(_mm512_rol_epi64(v3, 12), _mm512_rol_epi64(v4, 18)));
#define MERGE(V) h = _mm512_add_epi64(_mm512_mullo_epi64(_mm512_xor_si512(h, ROUND(zero, V)), p1), p4)
        MERGE(v1); MERGE(v2); MERGE(v3); MERGE(v4);
#undef MERGE
    }
    h = _mm512_add_epi64(_mm512_mask_blend_epi64(longer, p5, h), len);
    // The 8-byte words after the stripes (0 to 3).
    const __m512i words = _mm512_srli_epi64(_mm512_and_si512(len, _mm512_set1_epi64(31)), 3);
    const __m512i after = _mm512_add_epi64(start, _mm512_and_si512(len, _mm512_set1_epi64(~31LL)));
    for (int t = 0; t < 3; t++) {
        __mmask8 m = _mm512_cmpgt_epu64_mask(words, _mm512_set1_epi64(t));
        if (m == 0) break;
        __m512i k = ROUND(zero, GATHER(m, _mm512_add_epi64(after, _mm512_set1_epi64(8 * t))));
        __m512i next = _mm512_add_epi64(_mm512_mullo_epi64(_mm512_rol_epi64(_mm512_xor_si512(h, k), 27), p1), p4);
        h = _mm512_mask_mov_epi64(h, m, next);
    }
    // The last len % 8 bytes: the top bytes of the 8 bytes that end the string (a shift by 64 gives 0).
    const __m512i rest = _mm512_and_si512(len, _mm512_set1_epi64(7));
    __m512i last = GATHER((__mmask8)0xFF, _mm512_sub_epi64(_mm512_add_epi64(start, len), _mm512_set1_epi64(8)));
    __m512i tail = _mm512_srlv_epi64(last, _mm512_sub_epi64(_mm512_set1_epi64(64), _mm512_slli_epi64(rest, 3)));
    __mmask8 four = _mm512_test_epi64_mask(rest, _mm512_set1_epi64(4));
    __m512i word = _mm512_and_si512(tail, _mm512_set1_epi64(0xFFFFFFFFLL));
    __m512i next = _mm512_add_epi64(_mm512_mullo_epi64(_mm512_rol_epi64(_mm512_xor_si512(h, _mm512_mullo_epi64(word, p1)), 23), p2), p3);
    h = _mm512_mask_mov_epi64(h, four, next);
    tail = _mm512_mask_mov_epi64(tail, four, _mm512_srli_epi64(tail, 32));
    const __m512i bytes = _mm512_and_si512(rest, _mm512_set1_epi64(3));
    for (int b = 0; b < 3; b++) {
        __mmask8 m = _mm512_cmpgt_epu64_mask(bytes, _mm512_set1_epi64(b));
        if (m == 0) break;
        __m512i byte = _mm512_and_si512(tail, _mm512_set1_epi64(0xFF));
        next = _mm512_mullo_epi64(_mm512_rol_epi64(_mm512_xor_si512(h, _mm512_mullo_epi64(byte, p5)), 11), p1);
        h = _mm512_mask_mov_epi64(h, m, next);
        tail = _mm512_srli_epi64(tail, 8);
    }
#undef ROUND
#undef GATHER
    h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_srli_epi64(h, 33)), p2);
    h = _mm512_mullo_epi64(_mm512_xor_si512(h, _mm512_srli_epi64(h, 29)), p3);
    h = _mm512_xor_si512(h, _mm512_srli_epi64(h, 32));
    _mm512_storeu_si512(out, h);
}
#endif

size_t winnow_word_shingle_hashes(const uint8_t *text, const int64_t *bounds, size_t words, size_t n, int bits,
                                  uint8_t *scratch, uint64_t *hashes) {
    if (n == 0 || words < n) return 0;
// Words k and k + 1 are one space apart in the text.
#define ONE_SPACE_APART(k) (bounds[2 * (k) + 2] == bounds[2 * (k) + 1] + 1)
    // Gaps other than one space inside the current window.
    size_t split = 0;
    for (size_t k = 0; k + 1 < n; k++) split += !ONE_SPACE_APART(k);
    size_t shingles = words - n + 1;
#ifdef WINNOW_XXH64_LANES
    // With AVX-512, 64-bit hashes of in-place shingles of 8 bytes or more go 8 at a time through xxh64_lanes8.
    int lanes = bits == 64 && winnow_minhash_path() == WINNOW_MINHASH_AVX512;
    uint64_t starts[8], lengths[8], batched[8], results[8];
    size_t pending = 0;
#endif
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
#ifdef WINNOW_XXH64_LANES
            if (lanes && length >= 8) {
                starts[pending] = (uint64_t)bounds[2 * first];
                lengths[pending] = length;
                batched[pending] = first;
                if (++pending == 8) {
                    xxh64_lanes8(text, starts, lengths, results);
                    for (size_t j = 0; j < 8; j++) hashes[batched[j]] = results[j];
                    pending = 0;
                }
                continue;
            }
#endif
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
#ifdef WINNOW_XXH64_LANES
    for (size_t j = 0; j < pending; j++) hashes[batched[j]] = XXH64(text + starts[j], (size_t)lengths[j], 0);
#endif
#undef ONE_SPACE_APART
    return shingles;
}
