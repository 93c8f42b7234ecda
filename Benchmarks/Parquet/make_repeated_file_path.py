#!/usr/bin/env python3
"""Rewrites a benchmark Parquet file's `file_path` column so it repeats over runs of 400 rows, as in FineWeb
(every document of one WARC file has the same path), and writes it zstd-compressed with pyarrow's defaults.

    python3 make_repeated_file_path.py IN.parquet OUT.parquet
"""
import sys

import pyarrow as pa
import pyarrow.parquet as pq

table = pq.read_table(sys.argv[1])
paths = pa.array(["s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/1707947474360.%d/warc/"
                  "CC-MAIN-20240223021632-20240223051632-%05d.warc.gz" % (i // 4000, i // 400)
                  for i in range(table.num_rows)])
table = table.set_column(table.schema.get_field_index("file_path"), "file_path", paths)
pq.write_table(table, sys.argv[2], compression="zstd")
print(table.num_rows)
