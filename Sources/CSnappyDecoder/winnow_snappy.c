// Snappy decompression, written from the format description (google/snappy's format_description.txt):
// a varint of the uncompressed length, then elements whose tag byte's two low bits say literal (00), copy
// with a 1-byte (01), 2-byte (10) or 4-byte (11) offset.
#include "winnow_snappy.h"
#include <stdint.h>
#include <string.h>

// Four bytes as a little-endian number (the hosts Swift runs on are little-endian).
static inline uint32_t load32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

int winnow_snappy_uncompressed_length(const uint8_t *src, size_t src_len, size_t *length) {
    uint32_t value = 0;
    for (size_t i = 0; i < 5; i++) {
        if (i >= src_len) return WINNOW_SNAPPY_TRUNCATED;
        uint8_t b = src[i];
        if (i == 4 && b > 0x0F) return WINNOW_SNAPPY_BAD_LENGTH;
        value |= (uint32_t)(b & 0x7F) << (7 * i);
        if (b < 0x80) { *length = value; return (int)(i + 1); }
    }
    return WINNOW_SNAPPY_BAD_LENGTH;
}

// Per element kind (a tag's two low bits): the bytes of a copy's offset that count, and the bytes the element
// takes besides a literal's own (the tag, and 1, 2 or 4 offset bytes).
static const size_t offset_mask[4] = {0, 0xFF, 0xFFFF, 0xFFFFFFFF};
static const size_t element_bytes[4] = {1, 2, 3, 5};

// Copies `len` bytes from `op - offset` to `op` the slow, exact way (overlaps repeat the pattern).
static inline void copy_bytewise(uint8_t *op, size_t offset, size_t len) {
    const uint8_t *from = op - offset;
    for (size_t i = 0; i < len; i++) op[i] = from[i];
}

// Decodes the element at *ipp into *opp with every read and write checked, and moves both past it.
static int decode_one(const uint8_t **ipp, const uint8_t *ip_end, uint8_t **opp, uint8_t *dst, uint8_t *op_end) {
    const uint8_t *ip = *ipp;
    uint8_t *op = *opp;
    uint32_t tag = *ip++;
    if ((tag & 3) == 0) {
        size_t len = (tag >> 2) + 1;
        if (len > 60) {
            size_t extra = len - 60;
            if ((size_t)(ip_end - ip) < extra) return WINNOW_SNAPPY_CORRUPT;
            len = 0;
            for (size_t i = 0; i < extra; i++) len |= (size_t)ip[i] << (8 * i);
            len += 1;
            ip += extra;
        }
        if ((size_t)(ip_end - ip) < len || (size_t)(op_end - op) < len) return WINNOW_SNAPPY_CORRUPT;
        memcpy(op, ip, len);
        *ipp = ip + len;
        *opp = op + len;
        return WINNOW_SNAPPY_OK;
    }
    size_t len, offset;
    switch (tag & 3) {
    case 1:
        if (ip_end - ip < 1) return WINNOW_SNAPPY_CORRUPT;
        len = 4 + ((tag >> 2) & 7); offset = ((tag >> 5) << 8) | ip[0]; ip += 1; break;
    case 2:
        if (ip_end - ip < 2) return WINNOW_SNAPPY_CORRUPT;
        len = (tag >> 2) + 1; offset = (size_t)ip[0] | ((size_t)ip[1] << 8); ip += 2; break;
    default:
        if (ip_end - ip < 4) return WINNOW_SNAPPY_CORRUPT;
        len = (tag >> 2) + 1; offset = load32(ip); ip += 4; break;
    }
    if (offset == 0 || offset > (size_t)(op - dst) || (size_t)(op_end - op) < len) return WINNOW_SNAPPY_CORRUPT;
    copy_bytewise(op, offset, len);
    *ipp = ip;
    *opp = op + len;
    return WINNOW_SNAPPY_OK;
}

int winnow_snappy_decompress(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len) {
    size_t declared;
    int header = winnow_snappy_uncompressed_length(src, src_len, &declared);
    if (header < 0) return header;
    if (declared != dst_len) return WINNOW_SNAPPY_BAD_LENGTH;
    const uint8_t *ip = src + header, *const ip_end = src + src_len;
    uint8_t *op = dst, *const op_end = dst + dst_len;
    // Fast loop: at least 72 input and 64 output bytes left, so the fixed-size 16- and 64-byte loads and stores
    // below stay inside both buffers; each element is still checked against what it declares.
    while (ip_end - ip >= 72 && op_end - op >= 64) {
        uint32_t tag = *ip;
        uint32_t kind = tag & 3;
        // The common elements (a literal or a non-overlapping copy of at most 16 bytes: 98 % of those in
        // Parquet text pages) without a branch on their kind, which is as random as the text: the length,
        // the input taken and the source are selected, then 16 bytes are copied (bytes past `len` are
        // overwritten by the next element).
        size_t len = kind == 1 ? 4 + ((tag >> 2) & 7) : (tag >> 2) + 1;
        size_t word = load32(ip + 1);
        size_t offset = (word & offset_mask[kind]) | (kind == 1 ? (size_t)(tag >> 5) << 8 : 0);
        size_t written = (size_t)(op - dst);
        int fast = (len <= 16) & ((kind == 0) | ((offset >= len) & (offset <= written)));
        if (__builtin_expect(fast, 1)) {
            const uint8_t *from = kind == 0 ? ip + 1 : op - (offset <= written ? offset : 0);
            uint8_t chunk[16];
            memcpy(chunk, from, 16);
            memcpy(op, chunk, 16);
            ip += element_bytes[kind] + (kind == 0 ? len : 0);
            op += len;
            continue;
        }
        if (kind == 0) {
            if (len <= 60) {  // 17..60 bytes, the length in the tag
                uint8_t chunk[64];
                memcpy(chunk, ip + 1, 64);
                memcpy(op, chunk, 64);
                ip += 1 + len;
                op += len;
                continue;
            }
            int status = decode_one(&ip, ip_end, &op, dst, op_end);  // 1..4 bytes of length follow the tag
            if (status != WINNOW_SNAPPY_OK) return status;
            continue;
        }
        ip += element_bytes[kind];
        if (__builtin_expect(offset - 1 >= (size_t)(op - dst), 0)) return WINNOW_SNAPPY_CORRUPT;
        if (__builtin_expect(offset >= len, 1)) {
            const uint8_t *from = op - offset;
            if (__builtin_expect(len <= 16, 1)) {
                uint8_t chunk[16];
                memcpy(chunk, from, 16);  // from + 16 <= op + 16 - len + ... stays inside dst (op + 64 <= op_end)
                memcpy(op, chunk, 16);
            } else {
                uint8_t chunk[64];
                memcpy(chunk, from, 64);
                memcpy(op, chunk, 64);
            }
        } else if (offset >= 8) {
            for (size_t i = 0; i < len; i += 8) { uint8_t c[8]; memcpy(c, op - offset + i, 8); memcpy(op + i, c, 8); }
        } else {
            copy_bytewise(op, offset, len);
        }
        op += len;
    }
    // The last elements (and long literals), every read and write checked.
    while (ip < ip_end) {
        int status = decode_one(&ip, ip_end, &op, dst, op_end);
        if (status != WINNOW_SNAPPY_OK) return status;
    }
    return op == op_end ? WINNOW_SNAPPY_OK : WINNOW_SNAPPY_CORRUPT;
}
