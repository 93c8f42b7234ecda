#!/usr/bin/env python3
"""Builds the committed seed corpus Fuzz/Corpus/<target>/ from Samples/ and the test fixtures.

Run from the repository root: python3 Fuzz/make_corpus.py [--winnow PATH]
Needs pyarrow, tokenizers, zstandard (as the tests do), the `fasttext` CLI for the model seeds, and a built
`winnow` for the binary n-gram seed (`--winnow`, default .build/debug/winnow). Seeds are small (a few KB
each): libFuzzer's -max_len defaults to the largest seed. The output is deterministic apart from the
third-party model writers. Run it only to change the seeds; the corpus it writes is committed.
"""
import argparse, base64, gzip, hashlib, io, json, os, shutil, subprocess, sys, tempfile

import zstandard

ROOT = os.getcwd()
OUT = os.path.join(ROOT, "Fuzz", "Corpus")
FIXTURES = os.path.join(ROOT, "Tests", "WinnowIOTests", "Fixtures", "streams")
MAX_SEED = 16 << 10


def put(target, data, name=None):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    data = data[:MAX_SEED] if len(data) > MAX_SEED and target not in ("fasttext", "lm_binary", "parquet") else data
    name = name or hashlib.sha1(data).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def warc_records(raw, count):
    """The first `count` records of an uncompressed WARC file, each as bytes."""
    records, pos = [], 0
    while len(records) < count and pos < len(raw):
        end = raw.find(b"\r\n\r\n", pos)
        header = raw[pos:end].decode("latin-1")
        length = 0
        for line in header.split("\r\n"):
            if line.lower().startswith("content-length:"):
                length = int(line.split(":", 1)[1])
        stop = end + 4 + length + 4
        records.append(raw[pos:stop])
        pos = stop
    return records


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--winnow", default=os.path.join(ROOT, ".build", "debug", "winnow"))
    args = parser.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    tmp = tempfile.mkdtemp()

    # JSON lines: the JSON test cases and the first documents of the sample (cut short).
    with open(os.path.join(ROOT, "Tests", "WinnowIOTests", "Fixtures", "json_cases.jsonl")) as f:
        for line in f:
            case = base64.b64decode(json.loads(line)["input"])
            if len(case) > 2 and len(os.listdir(os.path.join(OUT, "json_line")) if os.path.isdir(os.path.join(OUT, "json_line")) else []) < 80:
                put("json_line", case)
    with open(os.path.join(ROOT, "Samples", "sample-00000.jsonl.zst"), "rb") as f:
        sample_lines = zstandard.ZstdDecompressor().stream_reader(f).read(4 << 20).split(b"\n")[:40]
    short_lines = []
    for line in sample_lines[:40]:
        doc = json.loads(line)
        doc["text"] = doc["text"][:300]
        short_lines.append(json.dumps(doc, ensure_ascii=False).encode())
    for line in short_lines[:12]:
        put("json_line", line)
    put("json_line", b'{"text":"a\\ud83d\\ude00\\u00e9\\n","id":7,"meta":{"x":[1.5e300,-0,true,null]}}')

    # JSONL files: first byte 0 = as is, 1 = gzip, 2 = zstd (see ReaderTargets.swift).
    jsonl = b"\n".join(short_lines[:6]) + b"\n"
    for mode in (0, 1, 2):
        put("jsonl_reader", bytes([mode]) + jsonl)
    put("jsonl_reader", b"\x00" + b"\xef\xbb\xbf" + short_lines[0] + b"\n\n   \n{bad json}\n[1]\n{\"id\":1}\n")
    for name in ("lines-corrupt.txt.gz", "lines-truncated.txt.zst", "lines-multi-frame.txt.zst", "lines-multi-member.txt.gz"):
        put("jsonl_reader", b"\x00" + fixture(name))

    # WARC: the small fixtures, and the first records of the sample (first byte: text only or not).
    with open(os.path.join(ROOT, "Samples", "sample-00000.warc.gz"), "rb") as f:
        warc = gzip.decompress(f.read())
    records = warc_records(warc, 30)
    for name in ("lf-only.warc", "missing-header.warc", "garbage.warc", "bad-content-length.warc",
                 "pages-one-member.warc.gz", "truncated.warc.gz", "corrupt-member.warc.gz", "pages.warc.zst"):
        put("warc", b"\x00" + fixture(name))
    put("warc", b"\x01" + b"".join(records[:3]))
    put("warc", b"\x00" + gzip.compress(records[1], mtime=0) + gzip.compress(records[2], mtime=0))

    # HTTP responses: the payloads of the sample's response records (bodies cut short), and hand-made ones.
    responses = [r for r in records if b"WARC-Type: response" in r]
    for record in responses[:10]:
        block = record[record.find(b"\r\n\r\n") + 4:-4]
        split = block.find(b"\r\n\r\n")
        head, body = block[:split + 4], block[split + 4:]
        put("http", head + body[:2000])
        put("html", body[:MAX_SEED])
    page = "<html><head><meta charset=\"windows-1251\"><title>Привет</title></head><body><p>Текст страницы</p></body></html>"
    put("http", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    put("http", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n" + gzip.compress(b"<p>zipped</p>", mtime=0))
    put("http", b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page.encode("windows-1251"))
    put("http", b"HTTP/1.1 301 Moved\nLocation: /x\nContent-Type: text/plain; charset=shift_jis\n\n" + "日本語".encode("shift_jis"))

    # WET.
    put("wet", fixture("sample.wet"))
    put("wet", fixture("sample.wet.gz"))
    with open(os.path.join(ROOT, "Samples", "sample-00000.warc.wet.gz"), "rb") as f:
        wet = gzip.decompress(f.read())
    put("wet", b"".join(r[:3000] for r in warc_records(wet, 4)))

    # Charsets: first line the Content-Type (or a label), then the body.
    text = "Grüße, naïve café — Привет мир — 日本語のテキスト — 中文文本"
    for label, encoding in (("text/html; charset=utf-8", "utf-8"), ("text/html; charset=windows-1251", "cp1251"),
                            ("shift_jis", "shift_jis"), ("gbk", "gbk"), ("text/plain", "utf-16"),
                            ("iso-8859-1", "latin-1"), ("euc-kr", "euc-kr"), ("", "utf-8-sig")):
        put("charset", label.encode() + b"\n" + text.encode(encoding, errors="replace"))
    put("charset", b"text/html\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\"></head>"
        + "<body>Текст в KOI8-R достаточно длинный для определения кодировки</body></html>".encode("koi8-r"))
    put("charset", b"\n" + "Длинный текст без объявленной кодировки, который нужно угадать. ".encode("cp1251") * 8)

    # PII and pre-token text.
    put("pii", b"Mail john.doe@example.com or call +1 (415) 555-0132, 020 7946 0958. IP 8.8.8.8, 10.0.0.1, "
        b"2001:db8::1. Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1120. "
        b"https://user:pw@example.org/path?q=1")
    put("pii", "Téléphone : 01 23 45 67 89, courriel marie@exemple.fr, 東京 03-1234-5678".encode())
    for line in short_lines[12:20]:
        put("pii", json.loads(line)["text"].encode())
    # MinHash text: first byte the configuration (n-gram size, precision, word or character shingles).
    for k, line in enumerate(short_lines[28:34]):
        put("minhash", bytes([k * 5 % 32]) + json.loads(line)["text"].encode())
    put("minhash", bytes([4]) + "Ça coûte 12,50 € — naïve CAFÉ, 東京タワー 2024年; ÀÉÎ ǅungla!!! x\u00a0y".encode() * 4)
    put("pretoken", b"Hello world! It's 'll 've I'M  \t\n\n  12345 a1b2  \r\n ")
    put("pretoken", "naïve café 東京タワー ÀÉÎ̃ ǅungla 😀👍🏽 ١٢٣ x\u00a0y\u2028z".encode())
    for line in short_lines[20:28]:
        put("pretoken", json.loads(line)["text"].encode())

    # YAML pipelines.
    for name in sorted(os.listdir(os.path.join(ROOT, "Pipelines"))):
        with open(os.path.join(ROOT, "Pipelines", name), "rb") as f:
            put("yaml", f.read())

    # Tokenizers: a small byte-level BPE trained by HF tokenizers, as tokenizer.json and .tiktoken.
    from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator([json.loads(l)["text"] for l in sample_lines[:40]], trainer)
    put("tokenizer_json", tok.to_str().encode())
    byte_decoder = {c: b for b, c in zip(*_bytes_to_unicode())}
    vocab = sorted(tok.get_vocab().items(), key=lambda kv: kv[1])
    lines = []
    rank = 0
    for token, _ in vocab:
        if token == "<|endoftext|>":
            continue
        lines.append(base64.b64encode(bytes(byte_decoder[c] for c in token)) + b" " + str(rank).encode())
        rank += 1
    for pattern in (0, 1, 3):
        put("tiktoken", bytes([pattern]) + b"\n".join(lines) + b"\n")

    # fastText: tiny supervised models (.bin and quantized .ftz) on the language-ID fixture.
    train = os.path.join(ROOT, "Tests", "WinnowLangIDTests", "Fixtures", "train.txt")
    small = os.path.join(tmp, "train.txt")
    with open(train, "rb") as f, open(small, "wb") as g:
        g.write(b"".join(f.readlines()[:200]))
    # (quantization needs at least 256 matrix rows: the softmax model gets more buckets)
    for loss, extra in (("softmax", ["-bucket", "300"]), ("hs", []), ("ova", ["-wordNgrams", "2"])):
        model = os.path.join(tmp, f"m-{loss}")
        subprocess.run(["fasttext", "supervised", "-input", small, "-output", model, "-dim", "4",
                        "-minn", "1", "-maxn", "2", "-epoch", "1", "-thread", "1", "-loss", loss, "-minCount", "3"] + (extra if "-bucket" in extra else ["-bucket", "64"] + extra),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(model + ".bin", "rb") as f:
            put("fasttext", f.read(), name=f"{loss}.bin")
    subprocess.run(["fasttext", "quantize", "-input", small, "-output", os.path.join(tmp, "m-softmax"), "-dsub", "2"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(tmp, "m-softmax.ftz"), "rb") as f:
        put("fasttext", f.read(), name="softmax.ftz")

    # n-gram models: the toy ARPA model, and its binary form.
    toy = os.path.join(ROOT, "Tests", "WinnowLMTests", "Fixtures", "toy.arpa")
    with open(toy, "rb") as f:
        put("arpa", f.read())
    subprocess.run([args.winnow, "lm", "build", toy, "-o", os.path.join(tmp, "toy.wlm")], check=True)
    with open(os.path.join(tmp, "toy.wlm"), "rb") as f:
        put("lm_binary", f.read(), name="toy.wlm")

    # Parquet: small files in each compression and encoding the reader supports.
    import pyarrow as pa, pyarrow.parquet as pq
    table = pa.table({"id": [f"doc-{i}" for i in range(8)],
                      "text": [json.loads(l)["text"][:200] for l in sample_lines[:8]],
                      "score": [i / 3 for i in range(8)],
                      "tags": [["a", "b"][: i % 3] for i in range(8)]})
    for compression, dictionary in (("NONE", False), ("SNAPPY", True), ("GZIP", False), ("ZSTD", True)):
        sink = io.BytesIO()
        pq.write_table(table, sink, compression=compression, use_dictionary=dictionary, row_group_size=4)
        put("parquet", sink.getvalue(), name=f"{compression.lower()}.parquet")
    shutil.rmtree(tmp)


def _bytes_to_unicode():
    """GPT-2's byte-to-character table (bytes, characters)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return bs, [chr(c) for c in cs]


if __name__ == "__main__":
    main()
