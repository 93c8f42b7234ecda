"""Reference splits for WinnowTokenizerTests: Python `regex` findall of each preset's pattern.

usage: split_reference.py REQUEST.json RESULT.json
REQUEST: {"patterns": {name: regex}, "texts": [base64 bytes...], "hf_patterns": {name: regex} (optional)}
RESULT:  {"regex_version": ..., "pieces": {name: [[piece length in bytes...] per text]},
          "hf_pieces": {name: [[piece length...] or null (text not UTF-8) per text]}}
With "hf_patterns", HF `tokenizers` also splits each UTF-8 text with Split(Regex(pattern), "isolated").

Bytes that are not well-formed UTF-8 are decoded with `surrogateescape`: each such byte becomes one lone
surrogate, a character that is neither a letter, a number nor whitespace, which is how Winnow's scanners treat
an ill-formed byte. Piece lengths are counted in the original bytes.
"""
import base64
import json
import sys

import regex


def split_lengths(pattern, data):
    text = data.decode("utf-8", "surrogateescape")
    pieces = pattern.findall(text)
    assert "".join(pieces) == text, "pattern does not tile the text"
    return [len(p.encode("utf-8", "surrogateescape")) for p in pieces]


def hf_lengths(split, data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return [len(p.encode("utf-8")) for p, _ in split.pre_tokenize_str(text)]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        req = json.load(f)
    texts = [base64.b64decode(t) for t in req["texts"]]
    result = {"regex_version": regex.__version__, "pieces": {}}
    for name, source in req["patterns"].items():
        pattern = regex.compile(source)
        result["pieces"][name] = [split_lengths(pattern, t) for t in texts]
    if req.get("hf_patterns"):
        from tokenizers import Regex, pre_tokenizers
        result["hf_pieces"] = {}
        for name, source in req["hf_patterns"].items():
            split = pre_tokenizers.Split(Regex(source), behavior="isolated")
            result["hf_pieces"][name] = [hf_lengths(split, t) for t in texts]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
