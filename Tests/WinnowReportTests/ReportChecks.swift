import Foundation
import WinnowTestSupport

/// Checks the report tests share, each computed independently of the report's code (Python's json and
/// html.parser read stats.json and the page).
enum ReportChecks {
    /// Compares every funnel table of `page` (the HTML file, or Chromium's dumped DOM) with the run's
    /// stats.json files: each step with stats, each stage, documents and bytes in and out, the sum of exclusions.
    /// Returns "ok" or what differs.
    static func funnelMatchesStats(page: String, run: String) throws -> String {
        try python("""
        import glob, json, os, sys
        from html.parser import HTMLParser
        page, run = sys.argv[1], sys.argv[2]
        expected = {}
        for path in glob.glob(run + '/*/stats.json'):
            stats = json.load(open(path))
            for s in stats['stages']:
                for field in ('documents_in', 'documents_out', 'bytes_in', 'bytes_out'):
                    expected[(stats['step'], s['name'], field)] = s[field]
                expected[(stats['step'], s['name'], 'excluded')] = sum(s['excluded'].values())
        class Funnel(HTMLParser):
            def __init__(self):
                super().__init__(); self.step = None; self.stage = None; self.found = {}
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == 'table' and 'funnel' in (a.get('class') or '').split(): self.step = a['data-step']
                elif tag == 'tr' and 'data-stage' in a: self.stage = a['data-stage']
                elif tag == 'td' and 'data-field' in a: self.found[(self.step, self.stage, a['data-field'])] = int(a['data-value'])
        parser = Funnel(); parser.feed(open(page, encoding='utf-8').read())
        if not expected: print('no stats.json under', run); sys.exit()
        if parser.found != expected:
            missing = sorted(set(expected) - set(parser.found)); extra = sorted(set(parser.found) - set(expected))
            wrong = sorted(k for k in expected if k in parser.found and parser.found[k] != expected[k])
            print('missing', missing[:5], 'extra', extra[:5], 'wrong', [(k, parser.found[k], expected[k]) for k in wrong[:5]])
        else:
            print('ok')
        """, [page, run]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Compares the bar charts of `page` with the run: each step's exclusions (`stage: reason` -> count) with its
    /// stats.json, and the dedup step's cluster sizes with the `minhash_cluster_size` its kept documents carry
    /// (`annotate: true`; one kept document per cluster). Returns "ok" or what differs.
    static func chartsMatchRun(page: String, run: String, dedupStep: String) throws -> String {
        try python("""
        import collections, glob, json, sys, zstandard
        from html.parser import HTMLParser
        page, run, dedup = sys.argv[1], sys.argv[2], sys.argv[3]
        class Charts(HTMLParser):
            def __init__(self):
                super().__init__(); self.step = None; self.chart = None; self.found = collections.defaultdict(dict)
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == 'section' and (a.get('id') or '').startswith('step-'): self.step = a['id'][5:]
                elif tag == 'svg': self.chart = a.get('data-chart')
                elif tag == 'g' and self.chart and 'data-label' in a:
                    self.found[(self.step, self.chart)][a['data-label']] = int(a['data-value'])
        p = Charts(); p.feed(open(page, encoding='utf-8').read())
        errors = []
        for path in sorted(glob.glob(run + '/*/stats.json')):
            stats = json.load(open(path))
            want = {f"{s['name']}: {r}": n for s in stats['stages'] for r, n in s['excluded'].items()}
            got = p.found.get((stats['step'], 'exclusions'), {})
            if got != want: errors.append(f"exclusions of {stats['step']}: page {got} stats {want}")
        sizes = collections.Counter()
        for f in sorted(glob.glob(f'{run}/{dedup}/documents/*.jsonl.zst')):
            for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(f, 'rb').read()).splitlines():
                d = json.loads(line)
                if 'minhash_cluster_size' in d: sizes[f"{d['minhash_cluster_size']} documents"] += 1
        got = p.found.get((dedup, 'cluster-sizes'), {})
        if not sizes or got != dict(sizes): errors.append(f'cluster sizes: page {got} documents {dict(sizes)}')
        print('; '.join(errors) or 'ok')
        """, [page, run, dedupStep]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What in `html` could load something from outside the file: a `src`, `href`, `action`, `poster` or
    /// `xlink:href` with a scheme or `//`, CSS `url(` or `@import`, `<link>`, `<iframe>`, `<object>`, `<embed>`,
    /// `<base>`, a `<script>` element. Empty when there is none.
    static func externalReferences(in html: String) -> [String] {
        let patterns = [#"(?i)\b(src|href|action|poster|xlink:href|srcset)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:|//)"#,
                        #"(?i)url\s*\("#, #"(?i)@import"#, #"(?i)<\s*(link|iframe|object|embed|base|script)\b"#]
        return patterns.flatMap { pattern -> [String] in
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
                String(html[Range($0.range, in: html)!])
            }
        }
    }
}
