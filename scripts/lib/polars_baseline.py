"""The 5xx of CloudFront standard logs by detailed result type and minute, the way a polars
user would write it (lazy scan of the tab-separated file, the two header lines skipped, no type
inference), for `just bench`. Prints the number of 5xx. Usage: polars_baseline.py FILE"""
import sys

import polars as pl

path = sys.argv[1]
# Standard logs (columns numbered from 0): date 0, time 1, sc-status 8,
# x-edge-detailed-result-type 28.
source = pl.scan_csv(path, separator="\t", skip_rows=2, has_header=False, infer_schema=False, quote_char=None)
by = (
    source.filter(pl.col("column_8").cast(pl.Int32, strict=False) >= 500)
    .group_by(pl.col("column_28"), (pl.col("column_0") + " " + pl.col("column_1").str.slice(0, 5)).alias("minute"))
    .agg(pl.len().alias("errors"))
    .collect()
)
print(by["errors"].sum())
