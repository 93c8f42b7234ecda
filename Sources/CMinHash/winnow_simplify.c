// The ASCII words fast path of simplify_text (see include/winnow_simplify.h).
#include "winnow_simplify.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

size_t winnow_simplify_ascii_words(const uint8_t *text, size_t count, uint8_t *out) {
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
