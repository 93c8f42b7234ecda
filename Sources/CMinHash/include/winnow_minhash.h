#ifndef WINNOW_MINHASH_H
#define WINNOW_MINHASH_H

#include <stddef.h>
#include <stdint.h>

/// The MinHash permutation kernel: for each permutation i < `permutations` and each shingle hash h of
/// `hashes[0..<count]`, v = ((h * a[i] + b[i]) mod 2^64) mod (2^61 - 1), then v & `mask`, and
/// `minima[i] = min(minima[i], v)` (unsigned). The multiply-add wraps at 64 bits as numpy's uint64 does in
/// datatrove. `minima` must hold UINT64_MAX or values this function wrote (below 2^61). Every path gives the
/// same minima; the fastest the CPU supports is chosen once, or the one the environment variable
/// WINNOW_MINHASH_KERNEL names (`scalar`, `avx2`, `avx512`; for measuring), if the CPU supports it.
void winnow_minhash_update(const uint64_t *hashes, size_t count, const uint64_t *a, const uint64_t *b,
                           uint64_t *minima, size_t permutations, uint64_t mask);

/// The paths of `winnow_minhash_update`.
enum winnow_minhash_kernel { WINNOW_MINHASH_AUTO = 0, WINNOW_MINHASH_SCALAR = 1, WINNOW_MINHASH_AVX2 = 2, WINNOW_MINHASH_AVX512 = 3 };

/// The path `winnow_minhash_update` uses (never AUTO).
int winnow_minhash_path(void);

/// For tests: forces `path` (AUTO restores the CPU's best). Returns 0, or -1 when this CPU lacks it.
/// Not thread-safe against concurrent updates; set it before hashing.
int winnow_minhash_force_path(int path);

#endif
