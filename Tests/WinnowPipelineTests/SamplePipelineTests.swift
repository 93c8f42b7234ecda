import Foundation
import Testing
import WinnowTestSupport

/// The README's main job, `winnow run Pipelines/sample.yaml`, checked against Python's own reading of
/// `Samples/` (json + zstandard for the JSONL, warcio for the WET and WARC files).
@Suite struct SamplePipelineTests {
    @Test func samplePipelineMatchesPython() throws {
        let out = try temporaryDirectory()
        let result = try run(try winnowExecutable(), ["run", "Pipelines/sample.yaml", "--output", out], cwd: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("step clean") && result.stdout.contains("step crawl") && result.stdout.contains("step sampled"))

        let check = try python("""
        import glob, json, sys, unicodedata, zstandard
        from warcio.archiveiterator import ArchiveIterator
        root, out = sys.argv[1], sys.argv[2]
        def read(pattern):
            docs = {}
            for p in sorted(glob.glob(pattern)):
                for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).splitlines():
                    d = json.loads(line); docs[d['id']] = d
            return docs
        # clean: JSONL + WET, NFC, CRLF/CR -> LF, at least 200 characters.
        source = []
        for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(root + '/Samples/sample-00000.jsonl.zst', 'rb').read()).splitlines():
            d = json.loads(line); source.append((d['id'], d['text']))
        with open(root + '/Samples/sample-00000.warc.wet.gz', 'rb') as f:
            for r in ArchiveIterator(f):
                if r.rec_type == 'conversion':
                    source.append((r.rec_headers.get_header('WARC-Record-ID'), r.content_stream().read().decode('utf-8', 'replace')))
        def clean(t):
            return unicodedata.normalize('NFC', t).replace('\\r\\n', '\\n').replace('\\r', '\\n')
        expected = {i: clean(t) for i, t in source if len(clean(t)) >= 200}
        got = read(out + '/clean/documents/*.jsonl.zst')
        # The pii stage (last in the step) replaced spans with <TYPE> tags and listed them in pii_spans,
        # with offsets into its output: undo the tags with the values taken from the expected text.
        def unredact(d, want):
            text, pieces, pos, src = d['text'], [], 0, 0
            for span in d.get('pii_spans', []):
                tag = text[span['start']:span['end']]
                if not (tag.startswith('<') and tag.endswith('>')): return None
                pieces.append(text[pos:span['start']])
                pos = span['end']
            pieces.append(text[pos:])
            # Every untouched piece must appear in the expected text, in order, with something between.
            for piece in pieces:
                k = want.find(piece, src)
                if k < 0: return None
                src = k + len(piece)
            return want
        got = {k: dict(v, text=unredact(v, expected.get(k, ''))) for k, v in got.items()}
        redacted = sum(1 for v in read(out + '/clean/documents/*.jsonl.zst').values() if v.get('pii_spans'))
        excluded = read(out + '/clean/excluded/length/*.jsonl.zst')
        # crawl: one document per response record with a text payload, through html_extract: what the truth file
        # planted as redirects, other statuses, non-HTML payloads and truncated records is excluded with its reason.
        responses = set()
        with open(root + '/Samples/sample-00000.warc.gz', 'rb') as f:
            for r in ArchiveIterator(f):
                if r.rec_type == 'response': responses.add(r.rec_headers.get_header('WARC-Record-ID'))
        crawl = read(out + '/crawl/documents/*.jsonl.zst')
        sampled = read(out + '/sampled/documents/*.jsonl.zst')
        skipped = {}
        for p in sorted(glob.glob(out + '/crawl/excluded/html_extract/*.jsonl.zst')):  # by line: two records share an id
            for line in zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).splitlines():
                reason = json.loads(line)['filter_reason']; skipped[reason] = skipped.get(reason, 0) + 1
        planted = {'http_redirect': 0, 'http_status': 0, 'not_html': 0, 'warc_truncated': 0}
        for line in open(root + '/Samples/truth/warc.truth.jsonl'):
            t = json.loads(line)
            if 300 <= t['status'] < 400: planted['http_redirect'] += 1
            elif t['status'] != 200: planted['http_status'] += 1
            elif not t['content_type'].startswith('text/html'): planted['not_html'] += 1
            elif t['kind'] == 'truncated': planted['warc_truncated'] += 1
        quality = read(out + '/quality/documents/*.jsonl.zst')
        deduped = read(out + '/dedup/documents/*.jsonl.zst')
        duplicates = read(out + '/dedup/excluded/minhash/*.jsonl.zst')
        print(json.dumps({
            'source': len(source),
            'clean_match': {k: v['text'] for k, v in got.items()} == expected,
            'clean': len(got), 'expected': len(expected), 'excluded': len(excluded),
            'crawl_subset': set(crawl) <= responses, 'crawl': len(crawl), 'responses': len(responses),
            'crawl_has_url_and_status': all('url' in d and 'http_status' in d for d in crawl.values()),
            'crawl_skips_planted': all(skipped.get(k, 0) == v for k, v in planted.items()), 'planted': planted, 'skipped': skipped,
            'crawl_text_without_markup': not any('</p>' in d['text'] or '<body' in d['text'].lower() or '<div' in d['text'] for d in crawl.values()),
            'sampled_subset': set(sampled) <= set(got),
            'redacted': redacted,
            'sampled': len(sampled),
            'dedup_partition': set(deduped) | set(duplicates) == set(quality) and not (set(deduped) & set(duplicates)),
            'dedup_names_kept': all(d['filter_reason'].split()[-1] in deduped for d in duplicates.values()),
        }))
        """, [repositoryRoot, out])
        let r = try JSONSerialization.jsonObject(with: Data(check.utf8)) as! [String: Any]
        #expect(r["source"] as? Int == 449 + 331)
        #expect(r["clean_match"] as? Bool == true, "\(r)")
        #expect((r["clean"] as! Int) + (r["excluded"] as! Int) == r["source"] as! Int)
        #expect(r["crawl_subset"] as? Bool == true)
        #expect((r["crawl"] as! Int) > 300 && (r["crawl"] as! Int) <= (r["responses"] as! Int))
        #expect(r["crawl_has_url_and_status"] as? Bool == true)
        #expect(r["crawl_skips_planted"] as? Bool == true, "\(r["planted"]!) planted, \(r["skipped"]!) skipped")
        #expect(r["crawl_text_without_markup"] as? Bool == true)
        #expect(r["sampled_subset"] as? Bool == true)
        #expect((r["redacted"] as! Int) > 20, "the sample has planted PII in many documents")
        // dedup splits what quality kept into kept and removed documents; each removed one names a kept one.
        #expect(r["dedup_partition"] as? Bool == true)
        #expect(r["dedup_names_kept"] as? Bool == true)
        let sampled = r["sampled"] as! Int, clean = r["clean"] as! Int
        #expect(sampled > clean / 3 && sampled < clean * 2 / 3, "rate 0.5 keeps about half")

        // The last step: verified Megatron shards of every document the dedup step kept.
        let verified = try run(try winnowExecutable(), ["shards", "verify", out + "/shards/output/manifest.json"])
        #expect(verified.status == 0, "\(verified.stderr)")
        let counts = try python("""
        import glob, json, sys, zstandard
        kept = sum(len(zstandard.ZstdDecompressor().decompressobj().decompress(open(p, 'rb').read()).splitlines())
                   for p in glob.glob(sys.argv[1] + '/dedup/documents/*.jsonl.zst'))
        m = json.load(open(sys.argv[1] + '/shards/output/manifest.json'))
        print(kept, m['documents'], m['format'], len(m['shards']))
        """, [out])
        let fields = counts.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(fields[0] == fields[1] && fields[2] == "megatron" && Int(fields[3])! > 1, "\(counts)")
    }
}
