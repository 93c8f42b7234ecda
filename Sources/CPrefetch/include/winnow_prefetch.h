#ifndef WINNOW_PREFETCH_H
#define WINNOW_PREFETCH_H

/// Asks the CPU to bring the cache line at `address` in ahead of a load (a hint: it never faults and
/// does not hold up the instructions after it, unlike a plain load whose value is not needed yet).
static inline void winnow_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
