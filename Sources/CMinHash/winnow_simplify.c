// The ASCII part of simplify_text's one-pass path (see include/winnow_simplify.h).
#include "winnow_simplify.h"
#include "winnow_minhash.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#define WINNOW_ASCII_BLOCKS 1
#endif

/// Blocks of 16 ASCII letters and single spaces after a letter just written: copied lowercased (a lone space
/// between letters stays one space). Stops before a block with any other byte, after a block whose last byte is
/// a space (that space is consumed but not counted: it is left to the caller by returning 15), and before fewer
/// than 16 bytes remain. Returns the bytes consumed, as many written.
static inline size_t letter_blocks(const uint8_t *text, size_t count, uint8_t *out) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i caseBit = _mm_set1_epi8(0x20), space = _mm_set1_epi8(0x20);
    // Unsigned range check with a signed compare: c - 'a' + 0x80 < -128 + 26.
    const __m128i shift = _mm_set1_epi8((char)(0x80 - 'a')), limit = _mm_set1_epi8((char)(-128 + 26));
    while (i + 16 <= count) {
        __m128i x = _mm_loadu_si128((const __m128i *)(text + i));
        __m128i lowered = _mm_or_si128(x, caseBit);
        unsigned letters = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(lowered, shift), limit));
        unsigned spaces = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, space));
        // Every byte a letter or a space, no space next to another (the byte before the block is a letter).
        if ((letters | spaces) != 0xFFFF || (spaces & (spaces >> 1)) != 0) break;
        _mm_storeu_si128((__m128i *)(out + i), lowered);  // letters lowercased, spaces stay spaces
        if (spaces & 0x8000) return i + 15;  // the trailing space is the caller's
        i += 16;
    }
#else
    (void)text; (void)count; (void)out;
#endif
    return i;
}

static inline int is_digit(uint8_t b) { return (unsigned)(b - '0') < 10u; }

#ifdef WINNOW_ASCII_BLOCKS
/// Whether the 64-byte block path may run: the AVX-512 kernel path is in use (not forced off) and the CPU
/// compresses bytes (VBMI2).
static int blocks_available(void) {
    static int available = -1;
    int a = __atomic_load_n(&available, __ATOMIC_RELAXED);
    if (a < 0) {
        __builtin_cpu_init();
        a = __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2");
        __atomic_store_n(&available, a, __ATOMIC_RELAXED);
    }
    return a && winnow_minhash_path() == WINNOW_MINHASH_AVX512;
}

/// The 64 bytes at `text` up to the first digit or byte >= 0x80 (its length is returned; 0 when the first byte
/// is one): letters lowercased, each run of other bytes (all separators) one space at its start, written with
/// one byte compression to `out + *n` (64 bytes of room). A run that reaches the end of that prefix is left
/// pending (it may join what follows); a space pending from before is written before a first letter. Leading
/// spaces (nothing written yet) are harmless: the caller strips the output's ends.
__attribute__((target("avx512f,avx512bw,avx512vbmi2")))
static size_t block64(const uint8_t *text, uint8_t *out, size_t *n, int *pending, int *emitted) {
    __m512i x = _mm512_loadu_si512(text);
    __mmask64 high = _mm512_movepi8_mask(x);
    __mmask64 digits = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
    __mmask64 stop = high | digits;
    size_t k = stop ? (size_t)__builtin_ctzll(stop) : 64;
    if (k == 0) return 0;
    __mmask64 prefix = k == 64 ? ~0ULL : ((1ULL << k) - 1);
    __m512i lowered = _mm512_or_si512(x, _mm512_set1_epi8(0x20));
    __mmask64 letters = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lowered, _mm512_set1_epi8('a')), _mm512_set1_epi8(26)) & prefix;
    __mmask64 separators = ~letters & prefix;
    __mmask64 starts = separators & ~(separators << 1);
    int endsInRun = (separators >> (k - 1)) & 1;
    if (endsInRun && starts) starts &= ~(1ULL << (63 - __builtin_clzll(starts)));  // the last run stays pending
    if (*pending && (letters & 1)) out[(*n)++] = 0x20;  // the pending run ends at the block's first letter
    __mmask64 keep = letters | starts;
    __m512i values = _mm512_mask_blend_epi8(letters, _mm512_set1_epi8(0x20), lowered);
    _mm512_storeu_si512(out + *n, _mm512_maskz_compress_epi8(keep, values));
    *n += (size_t)__builtin_popcountll(keep);
    if (letters) *emitted = 1;
    if (endsInRun) *pending = 1;
    else if (letters) *pending = 0;
    return k;
}
#endif

size_t winnow_simplify_ascii(const uint8_t *text, size_t count, size_t i, const uint8_t *separators, uint8_t *out,
                             size_t *written, int *pending_space, int *emitted) {
    size_t n = *written;
    int pending = *pending_space, any = *emitted;
#ifdef WINNOW_ASCII_BLOCKS
    int blocks = blocks_available();
#endif
    while (i < count) {
#ifdef WINNOW_ASCII_BLOCKS
        if (blocks && i + 64 <= count) {
            size_t k = block64(text + i, out, &n, &pending, &any);
            if (k != 0) { i += k; continue; }
        }
#endif
        uint8_t b = text[i];
        if (b >= 0x80) break;
        if (is_digit(b)) {
            // A number: digits, optionally one separator and more digits. Any byte >= 0x80 where it could go on
            // (a digit or separator of another script) leaves the whole number to the caller.
            size_t j = i + 1;
            while (j < count && is_digit(text[j])) j++;
            if (j < count && text[j] >= 0x80) break;
            if (j + 1 < count && (text[j] == '.' || text[j] == ',')) {
                if (text[j + 1] >= 0x80) break;
                if (is_digit(text[j + 1])) {
                    j += 2;
                    while (j < count && is_digit(text[j])) j++;
                    if (j < count && text[j] >= 0x80) break;
                }
            }
            if (pending && any) out[n++] = 0x20;
            pending = 0; any = 1;
            out[n++] = '0';
            i = j;
            continue;
        }
        if (separators[b]) { pending = 1; i++; continue; }
        // A run of letters (what is left of ASCII), lowercased.
        if (pending && any) out[n++] = 0x20;
        pending = 0; any = 1;
        out[n++] = (b >= 'A' && b <= 'Z') ? (uint8_t)(b | 0x20) : b;
        i++;
        size_t copied = letter_blocks(text + i, count - i, out + n);
        i += copied; n += copied;
        while (i < count) {
            uint8_t c = text[i] | 0x20;
            if ((unsigned)(c - 'a') >= 26u) break;
            out[n++] = c; i++;
        }
    }
    *written = n;
    *pending_space = pending;
    *emitted = any;
    return i;
}
