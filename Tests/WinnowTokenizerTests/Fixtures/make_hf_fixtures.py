"""Writes hf_fixtures.json: vocab and merges trained by HF `tokenizers` (the reference), so that
WinnowTokenizerTests can check exactness without Python. Run from this directory:

    python3 make_hf_fixtures.py     # needs `pip install tokenizers` and the zstd command

Cases: the texts in TIES (ties, overlapping runs, a special token that is also a byte, Unicode spaces), and the
first SAMPLE_DOCS documents of Samples/sample-00000.jsonl.zst (whole texts).
"""
import json
import subprocess

import tokenizers
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

TIES = [
    "aaaa aaaa aaa ab ab ba ba abab baba", "aaaaaaa bbbbbb ab ba", "<s> <s> x<s>y", "l'll 's 't 're",
    "日本語 日本語 テキスト 123 4567 ١٢٣", "  \t\n\n  spaces  ", "éé ée eé", "\u00a0a\u3000b\u2028c",
]
SAMPLE_DOCS = 120


def train(texts, vocab_size, min_frequency, specials, max_token_length=None):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    kwargs = dict(vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=specials,
                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    if max_token_length is not None:
        kwargs["max_token_length"] = max_token_length
    tok.train_from_iterator(texts, trainers.BpeTrainer(**kwargs))
    model = json.loads(tok.to_str())["model"]
    vocab = [None] * len(model["vocab"])
    for token, i in model["vocab"].items():
        vocab[i] = token
    merges = [m.split(" ", 1) if isinstance(m, str) else m for m in model["merges"]]
    return {"vocab_size": vocab_size, "min_frequency": min_frequency, "special_tokens": specials,
            "max_token_length": max_token_length, "vocab": vocab, "merges": merges}


def main():
    lines = subprocess.run(["zstd", "-dc", "../../../Samples/sample-00000.jsonl.zst"], check=True,
                           capture_output=True).stdout.decode("utf-8").splitlines()
    samples = [json.loads(line)["text"] for line in lines if line.strip()][:SAMPLE_DOCS]
    cases = []
    case = train(TIES, 400, 0, ["<s>", "a"])
    case.update(name="ties", texts=TIES)
    cases.append(case)
    case = train(samples, 900, 2, ["<|endoftext|>"])
    case.update(name="samples", sample_documents=SAMPLE_DOCS)
    cases.append(case)
    case = train(samples, 700, 0, [], max_token_length=5)
    case.update(name="samples-max-length", sample_documents=SAMPLE_DOCS)
    cases.append(case)
    with open("hf_fixtures.json", "w", encoding="utf-8") as f:
        json.dump({"tokenizers_version": tokenizers.__version__, "cases": cases}, f, ensure_ascii=False, indent=0)


if __name__ == "__main__":
    main()
