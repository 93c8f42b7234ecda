// Snappy decompression alone, libsnappy against Winnow's decoder (Sources/CSnappyDecoder), on the pages
// that dump_snappy_pages.py wrote: first every page is decoded by both and compared byte for byte, then
// each decoder decodes all pages REPS times (interleaved) into one reused, already-touched buffer; the
// process CPU time of each pass is printed. Build and run (repository root; docs/benchmarks.md):
//
//   clang -O2 -ISources/CSnappyDecoder/include -o /tmp/snappy_decode_bench \
//       Benchmarks/Parquet/snappy_decode_bench.c Sources/CSnappyDecoder/winnow_snappy.c -lsnappy
//   /tmp/snappy_decode_bench PAGES.bin [REPS]
#include <snappy-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "winnow_snappy.h"

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s PAGES.bin [REPS]\n", argv[0]); return 2; }
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *file = malloc((size_t)size);
    if (fread(file, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "short read\n"); return 2; }
    fclose(f);
    size_t count = 0, capacity = 1024, largest = 0, total = 0;
    size_t *offsets = malloc(capacity * sizeof *offsets), *compressed = malloc(capacity * sizeof *compressed),
           *uncompressed = malloc(capacity * sizeof *uncompressed);
    for (size_t at = 0; at + 8 <= (size_t)size;) {
        uint32_t c, u;
        memcpy(&c, file + at, 4);
        memcpy(&u, file + at + 4, 4);
        if (count == capacity) {
            capacity *= 2;
            offsets = realloc(offsets, capacity * sizeof *offsets);
            compressed = realloc(compressed, capacity * sizeof *compressed);
            uncompressed = realloc(uncompressed, capacity * sizeof *uncompressed);
        }
        offsets[count] = at + 8; compressed[count] = c; uncompressed[count] = u;
        count++;
        at += 8 + c;
        if (u > largest) largest = u;
        total += u;
    }
    char *a = malloc(largest + 1), *b = malloc(largest + 1);
    memset(a, 1, largest + 1);
    memset(b, 2, largest + 1);
    for (size_t p = 0; p < count; p++) {
        size_t n = uncompressed[p];
        int lib = snappy_uncompress((const char *)file + offsets[p], compressed[p], a, &n);
        int own = winnow_snappy_decompress(file + offsets[p], compressed[p], (uint8_t *)b, uncompressed[p]);
        if (lib != SNAPPY_OK || own != WINNOW_SNAPPY_OK || memcmp(a, b, uncompressed[p]) != 0) {
            fprintf(stderr, "page %zu: libsnappy %d, Winnow %d, or different bytes\n", p, lib, own);
            return 1;
        }
    }
    printf("%zu pages, %.1f MB decompressed: identical\n", count, (double)total / 1e6);
    for (int r = 0; r < reps; r++) {
        double t0 = cpu_seconds();
        for (size_t p = 0; p < count; p++) {
            size_t n = uncompressed[p];
            if (snappy_uncompress((const char *)file + offsets[p], compressed[p], a, &n) != SNAPPY_OK) return 1;
        }
        double t1 = cpu_seconds();
        for (size_t p = 0; p < count; p++) {
            if (winnow_snappy_decompress(file + offsets[p], compressed[p], (uint8_t *)a, uncompressed[p]) != WINNOW_SNAPPY_OK) return 1;
        }
        double t2 = cpu_seconds();
        printf("libsnappy %.3f CPU-s, Winnow %.3f CPU-s\n", t1 - t0, t2 - t1);
    }
    return 0;
}
