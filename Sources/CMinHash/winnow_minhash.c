// The MinHash permutation kernel (see include/winnow_minhash.h): scalar, AVX2 and AVX-512 paths, chosen once
// at run time. Each path walks the permutations in blocks and, per block, every shingle hash, so the running
// minima of a block stay in registers; all give bit-identical minima.
#include "winnow_minhash.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define WINNOW_X86 1
#endif

static const uint64_t prime = (1ULL << 61) - 1;

/// x mod (2^61 - 1) without a division: 2^61 = 1 (mod p), so x = hi * 2^61 + lo = hi + lo (mod p), and
/// hi + lo < 2p, so one conditional subtraction finishes it.
static inline uint64_t mersenne(uint64_t x) {
    uint64_t v = (x & prime) + (x >> 61);
    return v >= prime ? v - prime : v;
}

static void scalar_update(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                          uint64_t *minima, size_t permutations, uint64_t mask) {
    size_t i = 0;
    for (; i + 4 <= permutations; i += 4) {
        uint64_t a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
        uint64_t b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
        uint64_t m0 = minima[i], m1 = minima[i + 1], m2 = minima[i + 2], m3 = minima[i + 3];
        for (size_t s = 0; s < count; s++) {
            uint64_t h = hashes[s], v;
            v = mersenne(h * a0 + b0) & mask; m0 = v < m0 ? v : m0;
            v = mersenne(h * a1 + b1) & mask; m1 = v < m1 ? v : m1;
            v = mersenne(h * a2 + b2) & mask; m2 = v < m2 ? v : m2;
            v = mersenne(h * a3 + b3) & mask; m3 = v < m3 ? v : m3;
        }
        minima[i] = m0; minima[i + 1] = m1; minima[i + 2] = m2; minima[i + 3] = m3;
    }
    for (; i < permutations; i++) {
        uint64_t m = minima[i];
        for (size_t s = 0; s < count; s++) {
            uint64_t v = mersenne(hashes[s] * a[i] + b[i]) & mask;
            m = v < m ? v : m;
        }
        minima[i] = m;
    }
}

#ifdef WINNOW_X86

// AVX-512: 8 permutations per vector, 4 vectors (32 permutations) per block; vpmullq is the 64-bit multiply.
// The conditional subtraction is min(v, v - p): when v < p, v - p wraps above v.
#define WINNOW_EXACT_LANE(A, B, M) do { \
        __m512i x = _mm512_add_epi64(_mm512_mullo_epi64(h, A), B); \
        __m512i v = _mm512_add_epi64(_mm512_and_si512(x, p), _mm512_srli_epi64(x, 61)); \
        v = _mm512_and_si512(_mm512_min_epu64(v, _mm512_sub_epi64(v, p)), m); \
        M = _mm512_min_epu64(M, v); } while (0)

/// The exact lanes for the 8 permutations at `a`, `b`, `minima` (masked values, or the rare fallback below).
__attribute__((target("avx512f,avx512dq")))
static void avx512_update8(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                           uint64_t *minima, uint64_t mask) {
    const __m512i p = _mm512_set1_epi64((long long)prime), m = _mm512_set1_epi64((long long)mask);
    __m512i a0 = _mm512_loadu_si512(a), b0 = _mm512_loadu_si512(b), m0 = _mm512_loadu_si512(minima);
    for (size_t s = 0; s < count; s++) {
        __m512i h = _mm512_set1_epi64((long long)hashes[s]);
        WINNOW_EXACT_LANE(a0, b0, m0);
    }
    _mm512_storeu_si512(minima, m0);
}

// 64-bit values (no mask), 32 permutations at a time, two operations fewer per lane: v = (x & p) + (x >> 61) is
// in [0, p + 7]; the lanes keep the minimum of u = v - p (mod 2^64) instead of the reduced value. For v < p,
// u = v + 2^64 - p >= 2^64 - p, in the order of v; v >= p (reduced value v - p < 8) gives u = v - p < 8, out of
// that order, and so shows itself: a block whose minimum u is below 8 is computed again with the exact lanes
// (x = h * a + b must have its low 61 bits almost all ones: about 8 chances in 2^61 per value). The minima come
// in with UINT64_MAX (none yet) kept as it is (above every u but p - 1's, which is UINT64_MAX itself, the same
// minimum) and real values v as u; they go out as u + p = v.
__attribute__((target("avx512f,avx512dq")))
static void avx512_update64_block32(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                                    uint64_t *minima) {
    const __m512i p = _mm512_set1_epi64((long long)prime), none = _mm512_set1_epi64(-1), small = _mm512_set1_epi64(8);
    __m512i a0 = _mm512_loadu_si512(a), a1 = _mm512_loadu_si512(a + 8);
    __m512i a2 = _mm512_loadu_si512(a + 16), a3 = _mm512_loadu_si512(a + 24);
    __m512i b0 = _mm512_loadu_si512(b), b1 = _mm512_loadu_si512(b + 8);
    __m512i b2 = _mm512_loadu_si512(b + 16), b3 = _mm512_loadu_si512(b + 24);
    __m512i in0 = _mm512_loadu_si512(minima), in1 = _mm512_loadu_si512(minima + 8);
    __m512i in2 = _mm512_loadu_si512(minima + 16), in3 = _mm512_loadu_si512(minima + 24);
#define WINNOW_TO_U(M) _mm512_mask_sub_epi64(M, _mm512_cmpneq_epu64_mask(M, none), M, p)
    __m512i m0 = WINNOW_TO_U(in0), m1 = WINNOW_TO_U(in1), m2 = WINNOW_TO_U(in2), m3 = WINNOW_TO_U(in3);
#undef WINNOW_TO_U
    for (size_t s = 0; s < count; s++) {
        __m512i h = _mm512_set1_epi64((long long)hashes[s]);
#define WINNOW_U_LANE(A, B, M) do { \
            __m512i x = _mm512_add_epi64(_mm512_mullo_epi64(h, A), B); \
            __m512i u = _mm512_sub_epi64(_mm512_add_epi64(_mm512_and_si512(x, p), _mm512_srli_epi64(x, 61)), p); \
            M = _mm512_min_epu64(M, u); } while (0)
        WINNOW_U_LANE(a0, b0, m0); WINNOW_U_LANE(a1, b1, m1); WINNOW_U_LANE(a2, b2, m2); WINNOW_U_LANE(a3, b3, m3);
#undef WINNOW_U_LANE
    }
    __m512i lowest = _mm512_min_epu64(_mm512_min_epu64(m0, m1), _mm512_min_epu64(m2, m3));
    if (_mm512_cmplt_epu64_mask(lowest, small) != 0) {
        // A reduced value below 8 (v >= p) somewhere in the block: the exact lanes, from the minima as they came in.
        for (size_t i = 0; i < 32; i += 8) avx512_update8(hashes, count, a + i, b + i, minima + i, UINT64_MAX);
        return;
    }
    _mm512_storeu_si512(minima, _mm512_add_epi64(m0, p)); _mm512_storeu_si512(minima + 8, _mm512_add_epi64(m1, p));
    _mm512_storeu_si512(minima + 16, _mm512_add_epi64(m2, p)); _mm512_storeu_si512(minima + 24, _mm512_add_epi64(m3, p));
}

/// `avx512_update64_block32` for 8 permutations (the blocks after the last 32).
__attribute__((target("avx512f,avx512dq")))
static void avx512_update64_block8(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                                   uint64_t *minima) {
    const __m512i p = _mm512_set1_epi64((long long)prime), none = _mm512_set1_epi64(-1), small = _mm512_set1_epi64(8);
    __m512i a0 = _mm512_loadu_si512(a), b0 = _mm512_loadu_si512(b), in0 = _mm512_loadu_si512(minima);
    __m512i m0 = _mm512_mask_sub_epi64(in0, _mm512_cmpneq_epu64_mask(in0, none), in0, p);
    for (size_t s = 0; s < count; s++) {
        __m512i h = _mm512_set1_epi64((long long)hashes[s]);
        __m512i x = _mm512_add_epi64(_mm512_mullo_epi64(h, a0), b0);
        m0 = _mm512_min_epu64(m0, _mm512_sub_epi64(_mm512_add_epi64(_mm512_and_si512(x, p), _mm512_srli_epi64(x, 61)), p));
    }
    if (_mm512_cmplt_epu64_mask(m0, small) != 0) { avx512_update8(hashes, count, a, b, minima, UINT64_MAX); return; }
    _mm512_storeu_si512(minima, _mm512_add_epi64(m0, p));
}

__attribute__((target("avx512f,avx512dq")))
static void avx512_update(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                          uint64_t *minima, size_t permutations, uint64_t mask) {
    if (count == 0) return;
    const __m512i p = _mm512_set1_epi64((long long)prime), m = _mm512_set1_epi64((long long)mask);
    size_t i = 0;
    for (; i + 32 <= permutations; i += 32) {
        if (mask == UINT64_MAX) { avx512_update64_block32(hashes, count, a + i, b + i, minima + i); continue; }
        __m512i a0 = _mm512_loadu_si512(a + i), a1 = _mm512_loadu_si512(a + i + 8);
        __m512i a2 = _mm512_loadu_si512(a + i + 16), a3 = _mm512_loadu_si512(a + i + 24);
        __m512i b0 = _mm512_loadu_si512(b + i), b1 = _mm512_loadu_si512(b + i + 8);
        __m512i b2 = _mm512_loadu_si512(b + i + 16), b3 = _mm512_loadu_si512(b + i + 24);
        __m512i m0 = _mm512_loadu_si512(minima + i), m1 = _mm512_loadu_si512(minima + i + 8);
        __m512i m2 = _mm512_loadu_si512(minima + i + 16), m3 = _mm512_loadu_si512(minima + i + 24);
        for (size_t s = 0; s < count; s++) {
            __m512i h = _mm512_set1_epi64((long long)hashes[s]);
            WINNOW_EXACT_LANE(a0, b0, m0); WINNOW_EXACT_LANE(a1, b1, m1);
            WINNOW_EXACT_LANE(a2, b2, m2); WINNOW_EXACT_LANE(a3, b3, m3);
        }
        _mm512_storeu_si512(minima + i, m0); _mm512_storeu_si512(minima + i + 8, m1);
        _mm512_storeu_si512(minima + i + 16, m2); _mm512_storeu_si512(minima + i + 24, m3);
    }
    for (; i + 8 <= permutations; i += 8) {
        if (mask == UINT64_MAX) avx512_update64_block8(hashes, count, a + i, b + i, minima + i);
        else avx512_update8(hashes, count, a + i, b + i, minima + i, mask);
    }
    if (i < permutations) scalar_update(hashes, count, a + i, b + i, minima + i, permutations - i, mask);
}
#undef WINNOW_EXACT_LANE

// AVX2 has no 64-bit multiply: the low 64 bits of h * a are lo(h)lo(a) + ((lo(h)hi(a) + hi(h)lo(a)) << 32).
// It has no unsigned 64-bit compare either, but every reduced value is below 2^61, so the signed compare
// orders them; the minima come in with UINT64_MAX (no shingle yet) mapped to INT64_MAX and go back out.
__attribute__((target("avx2")))
static inline __m256i avx2_mullo64(__m256i x, __m256i y, __m256i xhi) {
    __m256i lo = _mm256_mul_epu32(x, y);
    __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(xhi, y), _mm256_mul_epu32(x, _mm256_srli_epi64(y, 32)));
    return _mm256_add_epi64(lo, _mm256_slli_epi64(cross, 32));
}

__attribute__((target("avx2")))
static inline __m256i avx2_min(__m256i x, __m256i y) { return _mm256_blendv_epi8(x, y, _mm256_cmpgt_epi64(x, y)); }

__attribute__((target("avx2")))
static void avx2_update(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                        uint64_t *minima, size_t permutations, uint64_t mask) {
    const __m256i p = _mm256_set1_epi64x((long long)prime), pm1 = _mm256_set1_epi64x((long long)(prime - 1));
    const __m256i m = _mm256_set1_epi64x((long long)mask);
    const __m256i none = _mm256_set1_epi64x(-1), signedMax = _mm256_set1_epi64x(INT64_MAX);
    size_t i = 0;
    for (; i + 8 <= permutations; i += 8) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(a + i)), a1 = _mm256_loadu_si256((const __m256i *)(a + i + 4));
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(b + i)), b1 = _mm256_loadu_si256((const __m256i *)(b + i + 4));
        __m256i m0 = _mm256_loadu_si256((const __m256i *)(minima + i)), m1 = _mm256_loadu_si256((const __m256i *)(minima + i + 4));
        m0 = _mm256_blendv_epi8(m0, signedMax, _mm256_cmpeq_epi64(m0, none));
        m1 = _mm256_blendv_epi8(m1, signedMax, _mm256_cmpeq_epi64(m1, none));
        for (size_t s = 0; s < count; s++) {
            __m256i h = _mm256_set1_epi64x((long long)hashes[s]), hhi = _mm256_srli_epi64(h, 32);
#define WINNOW_LANE(A, B, M) do { \
                __m256i x = _mm256_add_epi64(avx2_mullo64(h, A, hhi), B); \
                __m256i v = _mm256_add_epi64(_mm256_and_si256(x, p), _mm256_srli_epi64(x, 61)); \
                v = _mm256_sub_epi64(v, _mm256_and_si256(_mm256_cmpgt_epi64(v, pm1), p)); \
                M = avx2_min(M, _mm256_and_si256(v, m)); } while (0)
            WINNOW_LANE(a0, b0, m0); WINNOW_LANE(a1, b1, m1);
#undef WINNOW_LANE
        }
        m0 = _mm256_blendv_epi8(m0, none, _mm256_cmpeq_epi64(m0, signedMax));
        m1 = _mm256_blendv_epi8(m1, none, _mm256_cmpeq_epi64(m1, signedMax));
        _mm256_storeu_si256((__m256i *)(minima + i), m0); _mm256_storeu_si256((__m256i *)(minima + i + 4), m1);
    }
    if (i < permutations) scalar_update(hashes, count, a + i, b + i, minima + i, permutations - i, mask);
}

#endif

static int best_path(void) {
#ifdef WINNOW_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return WINNOW_MINHASH_AVX512;
    if (__builtin_cpu_supports("avx2")) return WINNOW_MINHASH_AVX2;
#endif
    return WINNOW_MINHASH_SCALAR;
}

// 0 until first use; then the chosen path. A benign race: every thread computes the same value.
static int chosen_path = 0;

/// The best path, or the one WINNOW_MINHASH_KERNEL (scalar, avx2, avx512) names if the CPU has it.
static int initial_path(void) {
    int best = best_path();
    const char *name = getenv("WINNOW_MINHASH_KERNEL");
    if (name == NULL) return best;
    int wanted = strcmp(name, "scalar") == 0 ? WINNOW_MINHASH_SCALAR
               : strcmp(name, "avx2") == 0 ? WINNOW_MINHASH_AVX2
               : strcmp(name, "avx512") == 0 ? WINNOW_MINHASH_AVX512 : best;
    return wanted <= best ? wanted : best;
}

int winnow_minhash_path(void) {
    int path = __atomic_load_n(&chosen_path, __ATOMIC_RELAXED);
    if (path == 0) { path = initial_path(); __atomic_store_n(&chosen_path, path, __ATOMIC_RELAXED); }
    return path;
}

int winnow_minhash_force_path(int path) {
    int best = best_path();
    if (path == WINNOW_MINHASH_AUTO) path = best;
    if (path < WINNOW_MINHASH_SCALAR || path > WINNOW_MINHASH_AVX512) return -1;
#ifdef WINNOW_X86
    if (path == WINNOW_MINHASH_AVX512 && best != WINNOW_MINHASH_AVX512) return -1;
    if (path == WINNOW_MINHASH_AVX2 && best == WINNOW_MINHASH_SCALAR) return -1;
#else
    if (path != WINNOW_MINHASH_SCALAR) return -1;
#endif
    __atomic_store_n(&chosen_path, path, __ATOMIC_RELAXED);
    return 0;
}

void winnow_minhash_update(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                           uint64_t *minima, size_t permutations, uint64_t mask) {
    switch (winnow_minhash_path()) {
#ifdef WINNOW_X86
    case WINNOW_MINHASH_AVX512: avx512_update(hashes, count, a, b, minima, permutations, mask); return;
    case WINNOW_MINHASH_AVX2: avx2_update(hashes, count, a, b, minima, permutations, mask); return;
#endif
    default: scalar_update(hashes, count, a, b, minima, permutations, mask); return;
    }
}
