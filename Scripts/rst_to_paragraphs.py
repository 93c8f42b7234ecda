"""Prose paragraphs of reStructuredText files, one per line, for training the default n-gram model.

usage: python3 rst_to_paragraphs.py FILE.rst... > paragraphs.txt
Keeps paragraphs of running text (joined onto one line, inline markup reduced to its text); drops titles,
directives and comments, literal and doctest blocks (after a line ending in '::', or starting with '>>>'),
tables, and paragraphs of fewer than six words.
"""
import re
import sys

ROLE = re.compile(r":[\w:.-]+:`!?~?([^`<]*?)(?:\s*<[^>]*>)?`")
LINK = re.compile(r"`([^`<]*?)\s*<[^>]*>`_+")
LITERAL = re.compile(r"``([^`]*)``")
INTERPRETED = re.compile(r"`([^`]*)`_*")
EMPHASIS = re.compile(r"\*\*?([^*\s][^*]*?)\*\*?")
SUBSTITUTION = re.compile(r"\|([^|\s]+)\|")
TITLE_LINE = re.compile(r"^([=\-~^\"'`#*+:.]){3,}\s*$")


def inline(text):
    for pattern in (ROLE, LINK, LITERAL, INTERPRETED, EMPHASIS, SUBSTITUTION):
        text = pattern.sub(r"\1", text)
    return " ".join(text.split())


def paragraphs(lines):
    block, code_next = [], False
    for line in lines + [""]:
        if line.strip():
            block.append(line.rstrip())
            continue
        if not block:
            continue
        indented = block[0].startswith((" ", "\t"))
        first = block[0].strip()
        skip = (
            (code_next and indented)
            or first.startswith(("..", ">>>", "+-", "==", "|"))
            or any(TITLE_LINE.match(l) for l in block)
        )
        if not (code_next and indented):
            code_next = block[-1].rstrip().endswith("::")
        if not skip:
            text = " ".join(l.strip() for l in block)
            if text.endswith("::"):
                text = text[:-1]
            text = re.sub(r"^[*\-+] ", "", text)
            text = inline(text)
            if len(text.split()) >= 6:
                yield text
        block = []


for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for paragraph in paragraphs(f.read().split("\n")):
            print(paragraph)
