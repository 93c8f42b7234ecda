// UTF-8 validation, 32 bytes at a time (AVX2) or 16 (SSSE3), a scalar loop otherwise.
//
// Algorithm: John Keiser and Daniel Lemire, "Validating UTF-8 in less than one instruction per byte",
// Software: Practice and Experience 51(5), 2021. Each byte is classified by three 16-entry tables (high
// nibble of the previous byte, low nibble of the previous byte, high nibble of this byte) whose AND
// flags every two-byte error; three- and four-byte sequences are checked by requiring continuation bytes
// exactly where a lead two or three positions back demands them. Written here from the paper's
// description.
#include "winnow_utf8.h"
#include <stdint.h>
#include <string.h>

static bool scalar_is_valid(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char b = s[i];
        if (b < 0x80) { i++; continue; }
        if (b < 0xC2) return false;
        if (b < 0xE0) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return false;
            i += 2;
        } else if (b < 0xF0) {
            if (i + 2 >= n) return false;
            unsigned char lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
            if (s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xC0) != 0x80) return false;
            i += 3;
        } else {
            if (b > 0xF4 || i + 3 >= n) return false;
            unsigned char lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
            if (s[i + 1] < lo || s[i + 1] > hi || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80) return false;
            i += 4;
        }
    }
    return true;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Error classes (one bit each).
#define TOO_SHORT (1 << 0)   // a lead byte not followed by enough continuations
#define TOO_LONG (1 << 1)    // a continuation byte after ASCII
#define OVERLONG_3 (1 << 2)  // E0 followed by 80..9F
#define TOO_LARGE (1 << 3)   // F4 followed by 90..BF, or F5..FF
#define SURROGATE (1 << 4)   // ED followed by A0..BF
#define OVERLONG_2 (1 << 5)  // C0 or C1
#define TOO_LARGE_1000 (1 << 6)
#define OVERLONG_4 (1 << 6)  // F0 followed by 80..8F
#define TWO_CONTS (1 << 7)   // two continuation bytes in a row (allowed only inside 3/4-byte sequences)
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)
#define E(x) ((char)(unsigned char)(x))  // a table entry as the signed char the intrinsics take

__attribute__((target("ssse3")))
static inline __m128i prev_bytes(__m128i input, __m128i previous, int n) {
    switch (n) {
    case 1: return _mm_alignr_epi8(input, previous, 16 - 1);
    case 2: return _mm_alignr_epi8(input, previous, 16 - 2);
    default: return _mm_alignr_epi8(input, previous, 16 - 3);
    }
}

// The three lookup tables of the paper (index: a nibble; value: the error classes it allows).
__attribute__((target("ssse3")))
static inline __m128i byte_1_high_table_128(void) {
    return _mm_setr_epi8(
        E(TOO_LONG), E(TOO_LONG), E(TOO_LONG), E(TOO_LONG), E(TOO_LONG), E(TOO_LONG), E(TOO_LONG), E(TOO_LONG),
        E(TWO_CONTS), E(TWO_CONTS), E(TWO_CONTS), E(TWO_CONTS),
        E(TOO_SHORT | OVERLONG_2),
        E(TOO_SHORT),
        E(TOO_SHORT | OVERLONG_3 | SURROGATE),
        E(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
}

__attribute__((target("ssse3")))
static inline __m128i byte_1_low_table_128(void) {
    return _mm_setr_epi8(
        E(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4),
        E(CARRY | OVERLONG_2),
        E(CARRY),
        E(CARRY),
        E(CARRY | TOO_LARGE),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000),
        E(CARRY | TOO_LARGE | TOO_LARGE_1000));
}

__attribute__((target("ssse3")))
static inline __m128i byte_2_high_table_128(void) {
    return _mm_setr_epi8(
        E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT),
        E(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
        E(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
        E(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        E(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
        E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT), E(TOO_SHORT));
}

__attribute__((target("ssse3")))
static inline __m128i check_special_cases(__m128i input, __m128i prev1) {
    const __m128i byte_1_high_table = byte_1_high_table_128();
    const __m128i byte_1_low_table = byte_1_low_table_128();
    const __m128i byte_2_high_table = byte_2_high_table_128();
    const __m128i nibble = _mm_set1_epi8(0x0F);
    __m128i byte_1_high = _mm_shuffle_epi8(byte_1_high_table, _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble));
    __m128i byte_1_low = _mm_shuffle_epi8(byte_1_low_table, _mm_and_si128(prev1, nibble));
    __m128i byte_2_high = _mm_shuffle_epi8(byte_2_high_table, _mm_and_si128(_mm_srli_epi16(input, 4), nibble));
    return _mm_and_si128(_mm_and_si128(byte_1_high, byte_1_low), byte_2_high);
}

__attribute__((target("ssse3")))
static inline __m128i check_multibyte_lengths(__m128i input, __m128i previous, __m128i special_cases) {
    __m128i prev2 = prev_bytes(input, previous, 2);
    __m128i prev3 = prev_bytes(input, previous, 3);
    // Third bytes of 3-byte sequences and third/fourth bytes of 4-byte sequences: a lead of E0..FF two
    // back, or F0..FF three back, requires a continuation here.
    __m128i is_third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i is_fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must23 = _mm_or_si128(is_third, is_fourth);
    __m128i must23_80 = _mm_and_si128(must23, _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must23_80, special_cases);
}

__attribute__((target("ssse3")))
static bool ssse3_is_valid(const unsigned char *s, size_t n) {
    __m128i error = _mm_setzero_si128();
    __m128i previous = _mm_setzero_si128();
    __m128i previous_incomplete = _mm_setzero_si128();
    // Bytes that, in the last three positions of a block, start a sequence needing more bytes.
    const __m128i max_value = _mm_setr_epi8(
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    size_t i = 0;
    unsigned char tail[16];
    while (i < n) {
        __m128i input;
        if (i + 16 <= n) {
            input = _mm_loadu_si128((const __m128i *)(s + i));
        } else {
            memset(tail, 0, sizeof tail);  // ASCII padding: a sequence cut by the end is TOO_SHORT
            memcpy(tail, s + i, n - i);
            input = _mm_loadu_si128((const __m128i *)tail);
        }
        i += 16;
        if (_mm_movemask_epi8(input) == 0) {
            // All ASCII: only a sequence left open by the previous block can be wrong.
            error = _mm_or_si128(error, previous_incomplete);
            previous = input;
            previous_incomplete = _mm_setzero_si128();
            continue;
        }
        __m128i prev1 = prev_bytes(input, previous, 1);
        __m128i special_cases = check_special_cases(input, prev1);
        error = _mm_or_si128(error, check_multibyte_lengths(input, previous, special_cases));
        previous_incomplete = _mm_subs_epu8(input, max_value);
        previous = input;
        if ((i & 1023) == 0 && _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) != 0xFFFF) return false;
    }
    error = _mm_or_si128(error, previous_incomplete);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}

// The same checks 32 bytes at a time (AVX2). The tables are the 16-entry ones above, repeated in both
// 128-bit lanes (vpshufb looks up within a lane); "previous bytes" cross the lane boundary through
// vperm2i128, which brings the previous block's upper lane next to this block's lower lane.
__attribute__((target("avx2")))
static inline __m256i prev_bytes_256(__m256i input, __m256i previous, int n) {
    __m256i shifted = _mm256_permute2x128_si256(previous, input, 0x21);
    switch (n) {
    case 1: return _mm256_alignr_epi8(input, shifted, 16 - 1);
    case 2: return _mm256_alignr_epi8(input, shifted, 16 - 2);
    default: return _mm256_alignr_epi8(input, shifted, 16 - 3);
    }
}

// The error bits of one 32-byte block, given the block before it.
__attribute__((target("avx2")))
static inline __m256i avx2_block_errors(__m256i input, __m256i previous, __m256i byte_1_high_table,
                                        __m256i byte_1_low_table, __m256i byte_2_high_table) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    __m256i prev1 = prev_bytes_256(input, previous, 1);
    __m256i byte_1_high = _mm256_shuffle_epi8(byte_1_high_table, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), nibble));
    __m256i byte_1_low = _mm256_shuffle_epi8(byte_1_low_table, _mm256_and_si256(prev1, nibble));
    __m256i byte_2_high = _mm256_shuffle_epi8(byte_2_high_table, _mm256_and_si256(_mm256_srli_epi16(input, 4), nibble));
    __m256i special_cases = _mm256_and_si256(_mm256_and_si256(byte_1_high, byte_1_low), byte_2_high);
    __m256i prev2 = prev_bytes_256(input, previous, 2);
    __m256i prev3 = prev_bytes_256(input, previous, 3);
    __m256i is_third = _mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i is_fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must23_80 = _mm256_and_si256(_mm256_or_si256(is_third, is_fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must23_80, special_cases);
}

// 64 bytes (two blocks) a step, every block fully checked: no all-ASCII shortcut. On mixed-script web text
// (44 % of 32-byte blocks hold a non-ASCII byte in the Parquet benchmark's text) that branch mispredicts so
// often that skipping it is 2.2x faster (12.5 against 27.7 ms for the benchmark's 200 MB of text); on pure
// ASCII text it costs 35 % (10.7 against 7.9 ms for 170 MB). Errors are checked once, at the end.
__attribute__((target("avx2")))
static bool avx2_is_valid(const unsigned char *s, size_t n) {
    const __m256i byte_1_high_table = _mm256_broadcastsi128_si256(byte_1_high_table_128());
    const __m256i byte_1_low_table = _mm256_broadcastsi128_si256(byte_1_low_table_128());
    const __m256i byte_2_high_table = _mm256_broadcastsi128_si256(byte_2_high_table_128());
    // Bytes that, in the last three positions of a block, start a sequence needing more bytes.
    const __m256i max_value = _mm256_setr_epi8(
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
        (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    __m256i error = _mm256_setzero_si256();
    __m256i previous = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m256i first = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i second = _mm256_loadu_si256((const __m256i *)(s + i + 32));
        error = _mm256_or_si256(error, avx2_block_errors(first, previous, byte_1_high_table, byte_1_low_table, byte_2_high_table));
        error = _mm256_or_si256(error, avx2_block_errors(second, first, byte_1_high_table, byte_1_low_table, byte_2_high_table));
        previous = second;
    }
    if (i < n) {
        unsigned char tail[64];
        memset(tail, 0, sizeof tail);  // ASCII padding: a sequence cut by the end is TOO_SHORT
        memcpy(tail, s + i, n - i);
        __m256i first = _mm256_loadu_si256((const __m256i *)tail);
        __m256i second = _mm256_loadu_si256((const __m256i *)(tail + 32));
        error = _mm256_or_si256(error, avx2_block_errors(first, previous, byte_1_high_table, byte_1_low_table, byte_2_high_table));
        error = _mm256_or_si256(error, avx2_block_errors(second, first, byte_1_high_table, byte_1_low_table, byte_2_high_table));
        previous = second;
    }
    // A sequence left open by the last block is too short.
    error = _mm256_or_si256(error, _mm256_subs_epu8(previous, max_value));
    return _mm256_testz_si256(error, error);
}

int winnow_utf8_best_kernel(void) {
    if (__builtin_cpu_supports("avx2")) return WINNOW_UTF8_AVX2;
    return __builtin_cpu_supports("ssse3") ? WINNOW_UTF8_SSSE3 : WINNOW_UTF8_SCALAR;
}

bool winnow_utf8_is_valid_with(const unsigned char *data, size_t length, int kernel) {
    int best = winnow_utf8_best_kernel();
    switch (kernel < best ? kernel : best) {
    case WINNOW_UTF8_AVX2: return avx2_is_valid(data, length);
    case WINNOW_UTF8_SSSE3: return ssse3_is_valid(data, length);
    default: return scalar_is_valid(data, length);
    }
}

bool winnow_utf8_is_valid(const unsigned char *data, size_t length) {
    // Short values (ids, URLs, dates: most metadata) are usually ASCII: eight bytes at a time, without the
    // SIMD kernels' padded tail block.
    if (length < 64) {
        uint64_t high = 0;
        size_t i = 0;
        for (; i + 8 <= length; i += 8) {
            uint64_t word;
            memcpy(&word, data + i, 8);
            high |= word;
        }
        for (; i < length; i++) high |= data[i];
        if ((high & 0x8080808080808080ull) == 0) return true;
    }
    return __builtin_cpu_supports("avx2") ? avx2_is_valid(data, length)
        : __builtin_cpu_supports("ssse3") ? ssse3_is_valid(data, length) : scalar_is_valid(data, length);
}
#else
int winnow_utf8_best_kernel(void) { return WINNOW_UTF8_SCALAR; }

bool winnow_utf8_is_valid_with(const unsigned char *data, size_t length, int kernel) {
    (void)kernel;
    return scalar_is_valid(data, length);
}

bool winnow_utf8_is_valid(const unsigned char *data, size_t length) {
    return scalar_is_valid(data, length);
}
#endif
