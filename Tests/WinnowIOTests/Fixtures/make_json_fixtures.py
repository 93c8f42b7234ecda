#!/usr/bin/env python3
"""Writes json_cases.jsonl: JSON texts and what Python's json module makes of them.

Each output line: {"input": base64 of the bytes, "expected": canonical JSON or null when Python rejects}.
Canonical form: numbers as {"$num": "<literal>"} (so literals are compared exactly), compact separators,
non-ASCII unescaped, lone surrogates as U+FFFD. Invalid UTF-8 is decoded with 'replace' first, since
Winnow repairs text rather than rejecting the line. Deterministic (fixed seed).
"""
import base64, json, random

rng = random.Random(20261123)
HAND = [
    b'{}', b'[]', b'""', b'0', b'-0', b'1.5e10', b'-12.250E-3', b'true', b'false', b'null',
    b'{"a":1,"b":[1,2,{"c":null}],"d":"x"}', b' \t\r\n{"a" : 1 }\n ',
    b'"\\u00e9\\u4e2d\\ud83d\\ude00"', b'"\\ud83d"', b'"\\ude00x"', b'"\\ud83d\\u0041"',
    b'"a\\/b\\\\c\\"d\\b\\f\\n\\r\\t"', b'"\\u0000\\u001f"', '"h\u00e9llo \u4e16\u754c \U0001F600"'.encode(),
    b'"\xff\xfe bad \xc3\x28 \xe2\x82 \xf0\x9f\x98"', b'"\xed\xa0\x80 surrogate bytes"', b'"\xc0\xaf overlong"',
    b'{"a":1,"a":2,"b":3}', b'12345678901234567890123', b'1e400', b'-',
    b'01', b'1.', b'.5', b'1e', b'+1', b'0x10', b'NaN', b'Infinity', b'[1,]', b'{"a":1,}', b'{"a"}',
    b'{a:1}', b"{'a':1}", b'"unterminated', b'"bad \\x escape"', b'"\\u12g4"', b'"tab\there"',
    b'[1 2]', b'{"a":1}{"b":2}', b'tru', b'nul', b'', b'   ', b'[' * 100 + b']' * 100,
    b'{"text":"x","id":7,"meta":{"k":[true,false,null,1.0,-2e-3]}}',
]

ALPHABET = ['a', 'Z', ' ', '"', '\\', '/', '\n', '\t', '\x01', '\x7f', '\u00e9', '\u00a0', '\u4e2d', '\u3000',
            '\U0001F600', '\u2028', '\ufeff']


def rand_string():
    return ''.join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def rand_value(depth=0):
    r = rng.random()
    if depth > 3 or r < 0.3:
        return rng.choice([rand_string(), rng.randint(-10**20, 10**20), rng.uniform(-1e6, 1e6), True, False, None,
                           rng.randint(0, 9), 1e-7, 123456.789e30])
    if r < 0.65:
        return [rand_value(depth + 1) for _ in range(rng.randint(0, 4))]
    return {rand_string(): rand_value(depth + 1) for _ in range(rng.randint(0, 4))}


def canonical(data: bytes):
    text = data.decode('utf-8', 'replace')
    num = lambda s: {"$num": s}
    try:
        value = json.loads(text, parse_int=num, parse_float=num,
                           parse_constant=lambda s: (_ for _ in ()).throw(ValueError(s)))
    except (ValueError, RecursionError):
        return None
    out = json.dumps(value, ensure_ascii=False, separators=(',', ':'))
    return out.encode('utf-16', 'surrogatepass').decode('utf-16', 'replace')


cases = list(HAND)
for _ in range(400):
    v = rand_value()
    s = json.dumps(v, ensure_ascii=rng.random() < 0.5)
    b = s.encode('utf-8', 'surrogatepass')
    cases.append(b)
    if rng.random() < 0.3 and len(b) > 1:
        cases.append(b[:rng.randint(0, len(b) - 1)])  # truncated
    if rng.random() < 0.2 and len(b) > 1:
        i = rng.randint(0, len(b) - 1)
        cases.append(b[:i] + bytes([rng.choice(b'{}[],:"\\x\x00\xff')]) + b[i + 1:])  # mutated

with open('json_cases.jsonl', 'w') as f:
    for b in cases:
        f.write(json.dumps({"input": base64.b64encode(b).decode(), "expected": canonical(b)}) + '\n')
print(len(cases), 'cases')
