"""Writes the log shapes of the 2026-12b audit (its section 1 and 2) into a folder, for
`just bench`: variety, not volume (20k edge locations and paths of 60 KB, a million minutes, five
million edge locations, lines of repeated `#Fields:`). Usage: gen_hostile_logs.py DIR"""
import datetime
import gzip
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, header, lines):
    path = os.path.join(out, name)
    if os.path.exists(path):
        return
    with gzip.open(path + ".tmp", "wt", compresslevel=1) as f:
        f.write(header)
        for line in lines:
            f.write(line)
    os.replace(path + ".tmp", path)


H6 = "#Fields: date time x-edge-location sc-status cs-uri-stem x-edge-result-type\n"
H4 = "#Fields: date time x-edge-location sc-status\n"
write("pops-long.gz", H6, ("2026-11-26\t05:01:17\t%06d%s\t503\t/\tError\n" % (i, "P" * 60000) for i in range(20000)))
write("paths-long.gz", H6, ("2026-11-26\t05:01:17\tIAD89-C1\t503\t/%06d%s\tError\n" % (i, "a" * 60000) for i in range(20000)))
start = datetime.datetime(2000, 1, 1)
write("minutes-1m.gz", H4, ((start + datetime.timedelta(minutes=i)).strftime("%Y-%m-%d\t%H:%M:00") + "\tIAD89-C1\t503\n" for i in range(1_000_000)))
write("pops-5m.gz", H4, ("2026-11-26\t05:01:17\tX%07d\t503\n" % i for i in range(5_000_000)))
write("fields-1m.gz", "", (("#Fields:" * 125000 + "\n") for _ in range(20)))
