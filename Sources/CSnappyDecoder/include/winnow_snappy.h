#ifndef WINNOW_SNAPPY_H
#define WINNOW_SNAPPY_H
#include <stddef.h>
#include <stdint.h>

#define WINNOW_SNAPPY_OK 0
#define WINNOW_SNAPPY_TRUNCATED (-1)   ///< the input ends inside the length preamble
#define WINNOW_SNAPPY_BAD_LENGTH (-2)  ///< the preamble's length is malformed or differs from `dst_len`
#define WINNOW_SNAPPY_CORRUPT (-3)     ///< an element runs past the input or output, or copies from before the start

/// Reads the uncompressed length from the preamble of the snappy block `src`. Returns the preamble's size
/// in bytes (1-5), or a negative WINNOW_SNAPPY_ error.
int winnow_snappy_uncompressed_length(const uint8_t *src, size_t src_len, size_t *length);

/// Decompresses the raw snappy block `src` (not the framing format) into `dst`, which must be exactly the
/// declared uncompressed length. Never reads outside `src` or writes outside `dst`. Returns WINNOW_SNAPPY_OK
/// or a negative error; on error `dst` holds unspecified bytes.
int winnow_snappy_decompress(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len);

#endif
