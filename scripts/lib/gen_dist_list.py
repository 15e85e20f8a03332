#!/usr/bin/env python3
"""A large account's `aws cloudfront list-distributions` answer, for `just bench`: the six test
distributions of tests/fixtures/config/list-distributions.json repeated N times, each copy with
its own id, domain name and aliases (site-<i>.example.com). Usage: gen_dist_list.py N OUT."""
import copy
import json
import sys

n, out = int(sys.argv[1]), sys.argv[2]
base = json.load(open("tests/fixtures/config/list-distributions.json"))["DistributionList"]["Items"]
items = []
for i in range(n):
    d = copy.deepcopy(base[i % len(base)])
    d["Id"] = f"E{i:013d}"
    d["DomainName"] = f"d{i:013d}.cloudfront.net"
    d["Aliases"] = {"Quantity": 2, "Items": [f"site-{i}.example.com", f"www.site-{i}.example.com"]}
    items.append(d)
json.dump({"DistributionList": {"Marker": "", "MaxItems": n, "IsTruncated": False,
                                "Quantity": n, "Items": items}}, open(out, "w"), indent=4)
