#!/usr/bin/env python3
"""Regenerates Sources/WinnowPII/Generated/PhoneRegionData.swift from libphonenumber's metadata.

    pip install phonenumbers==9.0.43 && python3 Scripts/generate_phone_regions.py

The metadata comes from the `phonenumbers` PyPI package (Google's libphonenumber data, Apache License 2.0);
its version and a SHA-256 of the region files read are written into the generated file. Needs the `regex`
package too (for partial matching). Nothing is read at run time.

For each region (the 40 most populous countries, the EU members and a few more that Faker has locales
for) the table records:
- the country calling code and the national (trunk) prefix, e.g. `44` and `0` for GB;
- which national significant number (NSN) lengths each two-digit start allows: for every number type
  (fixed line, mobile, toll free, ...) whose pattern can begin with those two digits (a partial match
  of the type's pattern), that type's possible lengths;
- the digit groupings of the region's national formats with the trunk prefix in front, as the
  region's own formatting rules write them: GB `(\\d{5})(\\d{4,5})` with rule `0$1` gives `6 4` and `6 5`.
"""
import hashlib, importlib, os, re, sys

import phonenumbers
import regex
from phonenumbers import PhoneMetadata

# The 40 most populous countries (UN World Population Prospects 2024), the EU members, and other regions
# with a Faker locale.
POPULOUS = ("IN CN US ID PK NG BR BD RU ET MX JP EG PH CD VN IR TR DE TH TZ GB FR ZA IT KE MM CO KR UG SD ES DZ IQ "
            "AR AF YE CA PL UA").split()
EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
EXTRA = "AU NZ CH NO IL TW HK SG MY SA AE IS".split()
REGIONS = sorted(set(POPULOUS + EU + EXTRA))
assert len(set(POPULOUS)) == 40

TYPES = ["fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number", "voip", "pager", "uan",
         "voicemail"]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "WinnowPII", "Generated",
                   "PhoneRegionData.swift")

digest = hashlib.sha256()
data_dir = os.path.join(os.path.dirname(phonenumbers.__file__), "data")
for region in REGIONS:
    with open(os.path.join(data_dir, f"region_{region}.py"), "rb") as f:
        digest.update(f.read())


def prefix_lengths(md):
    """For each two-digit start 00-99, a bit mask of the NSN lengths some number type allows."""
    masks = [0] * 100
    for t in TYPES:
        desc = getattr(md, t, None)
        if desc is None or not desc.national_number_pattern:
            continue
        lengths = desc.possible_length or md.general_desc.possible_length
        if lengths == (-1,):
            continue
        pattern = regex.compile(r"(?:" + desc.national_number_pattern + r")")
        for p in range(100):
            start = f"{p:02d}"
            if pattern.fullmatch(start, partial=True):
                for length in lengths:
                    if length >= 2:
                        masks[p] |= 1 << length
    return masks


GROUP = re.compile(r"\((?:\\d|\[[^\]]+\]|\d)(?:\{(\d+)(?:,(\d+))?\})?\)")


def group_lengths(pattern):
    """[(min, max)] for a format pattern made of capturing groups like `(\\d{3})(\\d{4,5})`, or None."""
    groups = []
    pos = 0
    for m in GROUP.finditer(pattern):
        if m.start() != pos:
            return None
        lo = int(m.group(1)) if m.group(1) else 1
        hi = int(m.group(2)) if m.group(2) else lo
        groups.append((lo, hi))
        pos = m.end()
    return groups if pos == len(pattern) and groups else None


def layouts(md):
    """The digit groupings of the national formats, trunk prefix included in the group that carries it."""
    found = set()
    trunk = md.national_prefix or ""
    for nf in md.number_format:
        groups = group_lengths(nf.pattern)
        if groups is None:
            continue
        rule = nf.national_prefix_formatting_rule or getattr(md, "national_prefix_formatting_rule", None) or ""
        rule = rule.replace("\\", "$").replace("$NP", trunk).replace("$FG", "$1")
        # The format string joins groups: `\1 \2-\3`; adjacent groups (`\2\3`) are one written group.
        fmt = nf.format.replace("\\", "$")
        if "$1" in rule and "$1" in fmt:
            fmt = fmt.replace("$1", rule, 1)
        written = []  # lists of group indices written together
        current = []
        extra = 0  # literal digits (the trunk) in the current written group
        extras = []
        k = 0
        while k < len(fmt):
            ch = fmt[k]
            if ch == "$" and k + 1 < len(fmt) and fmt[k + 1].isdigit():
                current.append(int(fmt[k + 1]) - 1)
                k += 2
                continue
            if ch.isdigit():
                extra += 1
            elif ch in " -./":
                if current or extra:
                    written.append(current); extras.append(extra)
                current, extra = [], 0
            k += 1
        if current or extra:
            written.append(current); extras.append(extra)
        if any(g >= len(groups) for w in written for g in w):
            continue
        # Expand the length ranges (they are small) into concrete layouts.
        combos = [[]]
        for w, x in zip(written, extras):
            lo = x + sum(groups[g][0] for g in w)
            hi = x + sum(groups[g][1] for g in w)
            combos = [c + [L] for c in combos for L in range(lo, hi + 1)]
        for c in combos:
            if len(c) >= 2 and all(1 <= L <= 35 for L in c):
                found.add(tuple(c))
    return sorted(found)


ROWS_DECL = ("    static let rows: [(region: StaticString, code: Int, trunk: StaticString, lengths: StaticString, "
             "layouts: StaticString)] = [\n")


def layout_code(layout):
    return "".join("0123456789abcdefghijklmnopqrstuvwxyz"[L] for L in layout)


rows = []
for region in REGIONS:
    md = PhoneMetadata.metadata_for_region(region)
    assert md is not None, region
    masks = prefix_lengths(md)
    mask_hex = "".join(f"{m:06x}" for m in masks)
    trunk = md.national_prefix or ""
    assert trunk.isdigit() or trunk == "", (region, trunk)
    lay = " ".join(layout_code(x) for x in layouts(md))
    rows.append((region, md.country_code, trunk, mask_hex, lay))

with open(out, "w", encoding="utf-8") as f:
    f.write(f"""// GENERATED by Scripts/generate_phone_regions.py from the `phonenumbers` {phonenumbers.__version__} PyPI package
// (libphonenumber metadata, sha256 of the {len(REGIONS)} region files read: {digest.hexdigest()}). Do not edit.
//
// libphonenumber's metadata is Copyright (C) Google Inc. and contributors, licensed under the Apache License,
// Version 2.0 (https://www.apache.org/licenses/LICENSE-2.0).
//
// One row per region: region, country calling code, national (trunk) prefix, then 100 six-hex-digit masks
// (for NSN starts 00..99: bit L set when some number type of the region allows NSN length L with that
// start), then the national format groupings with the trunk prefix included (one base-36 digit per group).

extension PhoneRegions {{
""" + ROWS_DECL)
    for region, code, trunk, mask_hex, lay in rows:
        f.write(f'        ("{region}", {code}, "{trunk}", "{mask_hex}", "{lay}"),\n')
    f.write("    ]\n}\n")
print(f"wrote {out}: {len(rows)} regions, phonenumbers {phonenumbers.__version__}")
