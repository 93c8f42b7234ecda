// UTF-8 validation alone (Sources/CUTF8): every value that dump_text_values.py wrote is validated on its own,
// as the Parquet reader validates a document's text, by each kernel in turn (scalar, SSSE3, AVX2; interleaved,
// REPS passes); the process CPU time of each pass is printed. To compare two versions of the kernels, build
// this at both commits. Build and run (repository root; docs/benchmarks.md):
//
//   clang -O2 -ISources/CUTF8/include -o /tmp/utf8_validate_bench Benchmarks/Parquet/utf8_validate_bench.c \
//       Sources/CUTF8/winnow_utf8.c
//   /tmp/utf8_validate_bench VALUES.bin [REPS]
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "winnow_utf8.h"

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s VALUES.bin [REPS]\n", argv[0]); return 2; }
    int reps = argc > 2 ? atoi(argv[2]) : 7;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) { fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
    fclose(f);
    static const char *names[] = {"scalar", "ssse3", "avx2"};
    int best = winnow_utf8_best_kernel();
    printf("%ld bytes; kernels up to %s\n", size, names[best]);
    for (int rep = 0; rep < reps; rep++) {
        for (int kernel = 0; kernel <= best; kernel++) {
            double start = cpu_seconds();
            long valid = 0, values = 0;
            for (long p = 0; p + 4 <= size;) {
                uint32_t length;
                memcpy(&length, data + p, 4);
                p += 4;
                if (length > (uint64_t)(size - p)) { fprintf(stderr, "truncated value at %ld\n", p); return 2; }
                valid += winnow_utf8_is_valid_with(data + p, length, kernel);
                values++;
                p += length;
            }
            printf("%s %.4f s (%ld of %ld values valid)%s", names[kernel], cpu_seconds() - start, valid, values,
                   kernel == best ? "\n" : "   ");
        }
    }
    return 0;
}
