#!/usr/bin/env python3
"""PII benchmark: Winnow's scanner, datatrove's PIIFormatter and Presidio's pattern recognizers on the same
texts, with speed (MB of UTF-8 text per CPU-second, one core) and recall / precision on the planted truth.

    python3 Benchmarks/PII/pii_bench.py CORPUS.jsonl.zst TRUTH.jsonl.zst \
        --winnow .build/release/winnow --datatrove-python VENV/bin/python --presidio-python VENV2/bin/python \
        [--limit-mb 50] [--presidio-limit-mb 5]

Each tool runs in its own process on the first --limit-mb MB of text (Presidio, ~100x slower, on the first
--presidio-limit-mb MB). Only the scan is timed (process CPU time around the loop), not reading.
Recall counts a planted span (IP, e-mail, phone, card, IBAN) as found when a reported span of the same type
has the same offsets; precision is reported spans that match a planted one over all reported spans of the
planted types, *on documents with planted PII only* (other documents have no truth: their hits are counted
as `hits_elsewhere`).
"""
import argparse, json, subprocess, sys, tempfile, os

TYPE = {"EMAIL": "EMAIL", "EMAIL_ADDRESS": "EMAIL", "IP_ADDRESS": "IP", "PHONE": "PHONE", "PHONE_NUMBER": "PHONE",
        "CREDIT_CARD": "CARD", "IBAN": "IBAN", "IBAN_CODE": "IBAN", "US_SSN": "SSN", "CRYPTO": "CRYPTO"}

LOAD = r'''
import json, sys, zstandard
def load(path, limit):
    out, total = [], 0
    r = zstandard.ZstdDecompressor().stream_reader(open(path, 'rb'))
    import io
    for line in io.TextIOWrapper(r, encoding='utf-8'):
        d = json.loads(line)
        t = d['text']; n = len(t.encode('utf-8'))
        if total + n > limit: break
        out.append((d['id'], t)); total += n
    return out, total
'''

DATATROVE = LOAD + r'''
import resource, re
from datatrove.pipeline.formatters.pii import PIIFormatter
docs, total = load(sys.argv[1], int(sys.argv[2]))
f = PIIFormatter()
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
t0 = cpu()
for _, t in docs: f.format(t)
sec = cpu() - t0
# Spans: the same regexes and validator the formatter applies (finditer instead of sub).
spans = []
for i, t in docs:
    for m in f.emails_replacer.regex.finditer(t): spans.append([i, 'EMAIL', m.start(), m.end()])
    for m in f.ip_replacer.regex.finditer(t):
        if f.ip_replacer.validator(m.group(0)): spans.append([i, 'IP', m.start(), m.end()])
print(json.dumps({'bytes': total, 'docs': len(docs), 'cpu_seconds': sec, 'spans': spans}))
'''

PRESIDIO = LOAD + r'''
import resource
from presidio_analyzer.predefined_recognizers import (EmailRecognizer, IpRecognizer, PhoneRecognizer, CreditCardRecognizer,
    IbanRecognizer, UsSsnRecognizer, CryptoRecognizer)
docs, total = load(sys.argv[1], int(sys.argv[2]))
recs = [EmailRecognizer(), IpRecognizer(), PhoneRecognizer(), CreditCardRecognizer(), IbanRecognizer(), UsSsnRecognizer(), CryptoRecognizer()]
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF); return r.ru_utime + r.ru_stime
spans = []
t0 = cpu()
for i, t in docs:
    for r in recs:
        for x in r.analyze(t, r.supported_entities, None) or []:
            spans.append([i, x.entity_type, x.start, x.end])
sec = cpu() - t0
print(json.dumps({'bytes': total, 'docs': len(docs), 'cpu_seconds': sec, 'spans': spans}))
'''

def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])

def winnow(args, limit):
    bench = run_json([args.winnow, "pii", "bench", args.corpus, "--limit-mb", str(limit / 1e6), "--reps", "3"])
    scan = subprocess.run([args.winnow, "pii", "scan", args.corpus], check=True, capture_output=True, text=True).stdout
    ids = None
    spans = [[d["id"], d["type"], d["start"], d["end"]] for d in map(json.loads, scan.splitlines())]
    return {"bytes": bench["bytes"], "docs": bench["documents"], "cpu_seconds": bench["cpu_seconds"], "spans": spans}

def score(result, truth, doc_ids):
    planted = {}
    for (i, t, a, b) in truth:
        if i in doc_ids: planted.setdefault(t, set()).add((i, a, b))
    pii_docs = {x[0] for x in truth}
    got = {}
    elsewhere = {}
    for (i, t, a, b) in result["spans"]:
        if i not in doc_ids: continue
        t = TYPE.get(t, t)
        if i in pii_docs: got.setdefault(t, set()).add((i, a, b))
        else: elsewhere[t] = elsewhere.get(t, 0) + 1
    rows = {}
    for t in sorted(set(planted) | set(got)):
        p, g = planted.get(t, set()), got.get(t, set())
        rows[t] = {"planted": len(p), "reported": len(g), "recall": len(p & g) / len(p) if p else None,
                   "precision": len(p & g) / len(g) if g and p else None, "hits_elsewhere": elsewhere.get(t, 0)}
    return rows

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus"); ap.add_argument("truth")
    ap.add_argument("--winnow", required=True); ap.add_argument("--datatrove-python", required=True)
    ap.add_argument("--presidio-python", required=True)
    ap.add_argument("--limit-mb", type=float, default=50); ap.add_argument("--presidio-limit-mb", type=float, default=5)
    args = ap.parse_args()
    import zstandard, io
    truth = []
    for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(open(args.truth, "rb")), encoding="utf-8"):
        d = json.loads(line)
        if d.get("kind") == "pii":
            for s in d.get("spans", []):
                if s["type"] in TYPE: truth.append((d["id"], TYPE[s["type"]], s["start"], s["end"]))
    limit = int(args.limit_mb * 1e6); plimit = int(args.presidio_limit_mb * 1e6)
    results = {}
    results["winnow"] = winnow(args, limit)
    results["datatrove"] = run_json([args.datatrove_python, "-c", DATATROVE, args.corpus, str(limit)])
    results["presidio"] = run_json([args.presidio_python, "-c", PRESIDIO, args.corpus, str(plimit)])
    # Doc ids each tool saw (prefix of the corpus).
    order = []
    for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(open(args.corpus, "rb")), encoding="utf-8"):
        d = json.loads(line); order.append((d["id"], len(d["text"].encode("utf-8"))))
    report = {}
    for name, r in results.items():
        ids, total = set(), 0
        for i, n in order:
            if total + n > r["bytes"] and name != "winnow_full": 
                if len(ids) >= r["docs"]: break
            ids.add(i); total += n
            if len(ids) >= r["docs"]: break
        mbps = r["bytes"] / 1e6 / r["cpu_seconds"]
        report[name] = {"mb": r["bytes"] / 1e6, "docs": r["docs"], "cpu_seconds": r["cpu_seconds"], "mb_per_s": mbps,
                        "types": score(r, truth, ids)}
    w = report["winnow"]["mb_per_s"]
    for name in report: report[name]["winnow_speedup"] = w / report[name]["mb_per_s"]
    print(json.dumps(report, indent=1))

if __name__ == "__main__":
    main()
