"""Scores sentences with the `kenlm` Python module (the reference for Winnow's ARPA scorer).

usage: python3 kenlm_reference.py MODEL SENTENCES OUT
SENTENCES: one sentence per line (UTF-8). OUT: one line per sentence, KenLM's `model.score(line)`
(log10, with <s> and </s>) printed with repr(). Used by KenLMParityTests; needs `pip install kenlm`.
"""
import sys

import kenlm

model = kenlm.Model(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f, open(sys.argv[3], "w") as out:
    for line in f:
        out.write(repr(model.score(line.rstrip("\n"), bos=True, eos=True)) + "\n")
