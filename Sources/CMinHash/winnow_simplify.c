// The ASCII part of simplify_text's one-pass path (see include/winnow_simplify.h).
#include "winnow_simplify.h"

#if defined(__SSE2__)
#include <emmintrin.h>
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

size_t winnow_simplify_ascii(const uint8_t *text, size_t count, size_t i, const uint8_t *separators, uint8_t *out,
                             size_t *written, int *pending_space, int *emitted) {
    size_t n = *written;
    int pending = *pending_space, any = *emitted;
    while (i < count) {
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
