#!/usr/bin/env python3
"""Runs cf503's generated SQL with real engines: the DuckDB by-cause query over log files (prints
per-cause counts as JSON, for the CLI test to compare with `cf503 logs --json`), or checks that the
Athena SQL parses (sqlglot, Trino/Athena dialects).

    sql_check.py duckdb SQL_FILE      -> {"origin_dns": 30, ...}
    sql_check.py athena SQL_FILE      -> "ok" or a parse error (exit 1)
    sql_check.py duckdb-seconds SQL_FILE -> the query's own wall time (no interpreter start-up),
                                          for `just bench`
"""
import json
import sys


def main() -> int:
    mode, path = sys.argv[1], sys.argv[2]
    sql = open(path, encoding="utf-8").read()
    if mode == "duckdb":
        import duckdb  # installed by scripts/setup.sh; a missing module fails the test loudly

        rows = duckdb.sql(sql.rstrip().rstrip(";")).fetchall()
        counts: dict[str, int] = {}
        for cause, _date, _minute, _pop, errors, _sample in rows:
            counts[cause] = counts.get(cause, 0) + errors
        print(json.dumps(counts, sort_keys=True))
        return 0
    if mode == "duckdb-seconds":
        import time

        import duckdb

        started = time.perf_counter()
        duckdb.sql(sql.rstrip().rstrip(";")).fetchall()
        print(f"{time.perf_counter() - started:.3f}")
        return 0
    if mode == "athena":
        import sqlglot

        statements = [s.strip() for s in sql.split(";") if s.strip() and not s.strip().startswith("--")]
        # The DDL is Athena's (Hive) dialect; the query runs on Athena's engine, Trino.
        for s in statements:
            body = "\n".join(l for l in s.splitlines() if not l.strip().startswith("--"))
            dialect = "athena" if body.lstrip().upper().startswith("CREATE") else "trino"
            sqlglot.parse_one(body, read=dialect)
        print("ok")
        return 0
    print(f"unknown mode {mode}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
