#!/usr/bin/env python3
"""Writes the compressed data pages of a snappy Parquet file to one file, for snappy_decode_bench.c.

    python3 dump_snappy_pages.py FILE.parquet OUT.bin

Output: per page, a little-endian u32 compressed size, a u32 uncompressed size, then the snappy block
(for data pages v2, the compressed part after the levels). Page headers are read with a minimal Thrift
compact-protocol walker (only the fields needed: type, sizes and the v2 level lengths); column chunk
positions come from pyarrow's footer metadata.
"""
import struct
import sys

import pyarrow.parquet as pq


def varint(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return result, i


def zigzag(n):
    return (n >> 1) ^ -(n & 1)


def skip(b, i, kind):
    if kind in (1, 2):  # booleans live in the field header
        return i
    if kind in (3, 4, 5, 6):  # byte, i16, i32, i64: varints (a byte is one byte, which is a short varint)
        return varint(b, i)[1]
    if kind == 7:  # double
        return i + 8
    if kind == 8:  # binary
        n, i = varint(b, i)
        return i + n
    if kind in (9, 10):  # list, set
        head = b[i]
        i += 1
        n, element = head >> 4, head & 15
        if n == 15:
            n, i = varint(b, i)
        for _ in range(n):
            i = skip(b, i, element)
        return i
    if kind == 12:
        return read_struct(b, i)[1]
    raise ValueError("unsupported Thrift type %d" % kind)


def read_struct(b, i):
    """The struct at i as {field id: int or nested dict} (i32 fields 1-3, structs 5 and 8), and its end."""
    fields, last = {}, 0
    while True:
        head = b[i]
        i += 1
        if head == 0:
            return fields, i
        kind, delta = head & 15, head >> 4
        if delta:
            field = last + delta
        else:
            field, i = varint(b, i)
            field = zigzag(field)
        last = field
        if kind in (5, 6) and field in (1, 2, 3, 4, 5, 6):
            value, i = varint(b, i)
            fields[field] = zigzag(value)
        elif kind == 12 and field in (5, 8):
            fields[field], i = read_struct(b, i)
        else:
            i = skip(b, i, kind)


def main():
    path, out_path = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    metadata = pq.ParquetFile(path).metadata
    pages = 0
    with open(out_path, "wb") as out:
        for g in range(metadata.num_row_groups):
            for c in range(metadata.num_columns):
                column = metadata.row_group(g).column(c)
                if column.compression != "SNAPPY":
                    continue
                start = column.data_page_offset
                if column.dictionary_page_offset is not None and column.dictionary_page_offset < start:
                    start = column.dictionary_page_offset
                i, end = start, start + column.total_compressed_size
                while i < end:
                    header, j = read_struct(data, i)
                    kind, size, compressed = header[1], header[2], header[3]
                    body = data[j:j + compressed]
                    if kind == 3:  # DATA_PAGE_V2: the levels are not compressed
                        v2 = header.get(8, {})
                        levels = v2.get(5, 0) + v2.get(6, 0)
                        body, size = body[levels:], size - levels
                    out.write(struct.pack("<II", len(body), size))
                    out.write(body)
                    pages += 1
                    i = j + compressed
    print("%d pages" % pages)


if __name__ == "__main__":
    main()
