#!/usr/bin/env python3
"""Extraction throughput, one core, side by side: Winnow, trafilatura, resiliparse on the same WARC.

    python3 Benchmarks/Extraction/bench.py BENCH.warc.gz --winnow .build/release/winnow [--reps 3]

- Winnow: `winnow extract --mode M BENCH.warc.gz` (single-threaded), end to end: gunzip, WARC parsing, charset
  decoding, extraction and JSON output; CPU seconds (user + system) of the child process.
- trafilatura (`extract(html)`, default and `favor_precision=True`) and resiliparse
  (`extract_plain_text(html, main_content=True)`): extraction only. The HTML 200 responses are read and decoded
  to `str` first (untimed), then each page is extracted; CPU seconds of this process (time.process_time).
Each figure is the median of --reps runs. Pages/s and MB/s use the pages and HTML bytes of the WARC's HTML
responses.

Needs: warcio, trafilatura, lxml_html_clean, resiliparse.
"""
import argparse, json, resource, statistics, subprocess, sys, time
from warcio.archiveiterator import ArchiveIterator


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("warc")
    ap.add_argument("--winnow", default=".build/release/winnow")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()

    pages = []
    with open(args.warc, "rb") as f:
        for r in ArchiveIterator(f):
            if r.rec_type == "response" and (r.http_headers.get_header("Content-Type") or "").startswith("text/html"):
                body = r.content_stream().read()
                ctype = r.http_headers.get_header("Content-Type")
                charset = ctype.split("charset=")[-1].strip() if "charset=" in ctype else "utf-8"
                try:
                    pages.append((body, body.decode(charset, errors="replace")))
                except LookupError:
                    pages.append((body, body.decode("utf-8", errors="replace")))
    nbytes = sum(len(b) for b, _ in pages)
    print(f"{len(pages)} HTML pages, {nbytes / 1e6:.1f} MB", file=sys.stderr)

    import trafilatura
    from resiliparse.extract.html2text import extract_plain_text

    def python_tool(fn):
        start = time.process_time()
        for _, html in pages:
            fn(html)
        return time.process_time() - start

    def winnow(mode):
        before = child_cpu()
        subprocess.run([args.winnow, "extract", "--mode", mode, args.warc], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return child_cpu() - before

    tools = {
        "winnow balanced (end to end)": lambda: winnow("balanced"),
        "winnow precision (end to end)": lambda: winnow("precision"),
        "winnow whole_page (end to end)": lambda: winnow("whole_page"),
        "resiliparse main_content": lambda: python_tool(lambda h: extract_plain_text(h, main_content=True)),
        "trafilatura": lambda: python_tool(lambda h: trafilatura.extract(h)),
        "trafilatura favor_precision": lambda: python_tool(lambda h: trafilatura.extract(h, favor_precision=True)),
    }
    results = {}
    for name, run in tools.items():
        times = [run() for _ in range(args.reps)]
        cpu = statistics.median(times)
        results[name] = {"cpu_seconds": round(cpu, 3), "runs": [round(t, 3) for t in times],
                         "pages_per_s": round(len(pages) / cpu, 1), "mb_per_s": round(nbytes / 1e6 / cpu, 2)}
        print(f"{name:32} {cpu:9.2f} CPU s  {len(pages) / cpu:9.1f} pages/s  {nbytes / 1e6 / cpu:8.2f} MB/s", flush=True)
    if args.json:
        json.dump({"pages": len(pages), "bytes": nbytes, "results": results}, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
