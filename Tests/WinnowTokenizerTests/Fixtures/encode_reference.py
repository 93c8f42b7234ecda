"""Reference encodings for WinnowTokenizerTests: HF `tokenizers` and tiktoken encode the texts with the tokenizer
files Winnow wrote, and HF trains a tokenizer for Winnow to load.

usage: encode_reference.py REQUEST.json RESULT.json
REQUEST: {"texts": [text...],
          "hf": [tokenizer.json path...]            HF Tokenizer.from_file(path).encode(text, add_special_tokens=False)
                                                    with encode_special_tokens=True (special-token text is ordinary),
          "tiktoken": [tiktoken.json path...]       tiktoken.Encoding(name, pat_str, ranks, special_tokens).encode_ordinary
          "train_hf": {"regex": pattern, "vocab_size": N, "special_tokens": [...], "texts": [...], "out": path,
                       "normalizer": null|"NFC"}}
                                                    HF BpeTrainer with Split(Regex(pattern), isolated) + ByteLevel(no regex),
                                                    or with "regex": null ByteLevel with its GPT-2 regex;
                                                    saves to `out` and encodes "texts" with it
RESULT:  {"versions": {...}, "hf": [[[id...] per text] per path], "tiktoken": [...], "trained_ids": [[id...] per text]}
"""
import base64
import json
import os
import sys


def hf_ids(path, texts):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    tok.encode_special_tokens = True
    return [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]


def tiktoken_ids(config_path, texts):
    import tiktoken
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    ranks = {}
    with open(os.path.join(os.path.dirname(config_path), config["ranks_file"]), "rb") as f:
        for line in f:
            if line.strip():
                token, rank = line.split()
                ranks[base64.b64decode(token)] = int(rank)
    enc = tiktoken.Encoding(name="winnow", pat_str=config["pat_str"], mergeable_ranks=ranks,
                            special_tokens=config["special_tokens"])
    return [enc.encode_ordinary(t) for t in texts]


def train_hf(req, texts):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    tok = Tokenizer(models.BPE())
    if req.get("normalizer") == "NFC":
        tok.normalizer = normalizers.NFC()
    if req["regex"] is None:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(req["regex"]), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(req["texts"], trainers.BpeTrainer(
        vocab_size=req["vocab_size"], special_tokens=req.get("special_tokens", []),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    tok.save(req["out"])
    return hf_ids(req["out"], texts)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        req = json.load(f)
    texts = req["texts"]
    versions = {}
    result = {"versions": versions}
    if req.get("train_hf"):
        result["trained_ids"] = train_hf(req["train_hf"], texts)
    if req.get("hf"):
        import tokenizers
        versions["tokenizers"] = tokenizers.__version__
        result["hf"] = [hf_ids(p, texts) for p in req["hf"]]
    if req.get("tiktoken"):
        import tiktoken
        versions["tiktoken"] = tiktoken.__version__
        result["tiktoken"] = [tiktoken_ids(p, texts) for p in req["tiktoken"]]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
