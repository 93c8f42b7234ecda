"""Reference side of WinnowTokenizerTests: trains HF `tokenizers`' BpeTrainer on the texts Winnow trained on,
and encodes held-out texts with HF's own model and with Winnow's exported tokenizer.json.

usage: hf_reference.py REQUEST.json RESULT.json
A request {"pretokenize": [text...]} instead returns {"pieces": [[byte-level piece...] per text]} from HF's
ByteLevel(add_prefix_space=False) pre-tokenizer.
REQUEST: {"train": [text...], "heldout": [text...], "vocab_size": N, "min_frequency": F,
          "special_tokens": [...], "max_token_length": null|N, "winnow_tokenizer": path|null,
          "winnow_tokenizer_legacy": path|null (merges as "a b"), "winnow_vocab"/"winnow_merges": paths|null,
          "pattern_regex": null|regex (then the pre-tokenizer is Split(Regex, isolated) + ByteLevel(use_regex=False),
          as in Llama 3's tokenizer.json, instead of ByteLevel with its GPT-2 regex)}
RESULT:  {"version": ..., "vocab": [token by id], "merges": [[left, right]...],
          "hf_ids": [[id...] per held-out text], "winnow_ids", "winnow_legacy_ids", "winnow_files_ids": [[id...]] (for the Winnow files given)}
"""
import json
import sys

import tokenizers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers, normalizers


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        req = json.load(f)
    if "pretokenize" in req:
        # Pre-tokenization only: HF ByteLevel's split pieces (byte-level strings) per text.
        pre = pre_tokenizers.ByteLevel(add_prefix_space=False)
        result = {"pieces": [[p for p, _ in pre.pre_tokenize_str(t)] for t in req["pretokenize"]]}
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False)
        return
    if "batch" in req:
        # Several training requests in one run: {"batch": [request...]} -> {"batch": [result...]}.
        result = {"batch": [train_one(r) for r in req["batch"]]}
    else:
        result = train_one(req)
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False)


def pre_tokenizer(req):
    if req.get("pattern_regex"):
        return pre_tokenizers.Sequence([
            pre_tokenizers.Split(tokenizers.Regex(req["pattern_regex"]), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    return pre_tokenizers.ByteLevel(add_prefix_space=False)


def train_one(req):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizer(req)
    tok.decoder = decoders.ByteLevel()
    if req.get("normalizer") == "nfkc":
        tok.normalizer = normalizers.NFKC()
    elif req.get("normalizer") == "nfc":
        tok.normalizer = normalizers.NFC()
    kwargs = dict(
        vocab_size=req["vocab_size"],
        min_frequency=req["min_frequency"],
        special_tokens=req["special_tokens"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    if req.get("max_token_length") is not None:
        kwargs["max_token_length"] = req["max_token_length"]
    tok.train_from_iterator(req["train"], trainers.BpeTrainer(**kwargs))

    saved = json.loads(tok.to_str())
    vocab = saved["model"]["vocab"]
    by_id = [None] * len(vocab)
    for token, i in vocab.items():
        by_id[i] = token
    merges = [m.split(" ", 1) if isinstance(m, str) else m for m in saved["model"]["merges"]]
    result = {"version": tokenizers.__version__, "vocab": by_id, "merges": merges}
    result["hf_ids"] = [tok.encode(t).ids for t in req["heldout"]]
    if req.get("winnow_tokenizer"):
        ours = Tokenizer.from_file(req["winnow_tokenizer"])
        result["winnow_ids"] = [ours.encode(t).ids for t in req["heldout"]]
        result["winnow_decoded_equal"] = all(
            ours.decode(ours.encode(t).ids, skip_special_tokens=False) == t for t in req["heldout"])
    if req.get("winnow_tokenizer_legacy"):
        legacy = Tokenizer.from_file(req["winnow_tokenizer_legacy"])
        result["winnow_legacy_ids"] = [legacy.encode(t).ids for t in req["heldout"]]
    if req.get("winnow_vocab"):
        files = Tokenizer(models.BPE.from_file(req["winnow_vocab"], req["winnow_merges"]))
        files.pre_tokenizer = pre_tokenizer(req)
        files.add_special_tokens(req["special_tokens"])
        result["winnow_files_ids"] = [files.encode(t).ids for t in req["heldout"]]
    return result


if __name__ == "__main__":
    main()
