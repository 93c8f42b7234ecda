#!/usr/bin/env bash
# Regenerates every generated table under Sources/*/Generated/ with its script in Scripts/ and fails when the
# result differs from what is committed (a table edited by hand, or a generator changed without rerunning it).
# Needs: Debian's `publicsuffix` package; Python with spacy==3.8.18, regex, phonenumbers==9.0.43 and
# datatrove==0.10.1 (--no-deps is enough). PYTHON chooses the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

"$PYTHON" Scripts/generate_public_suffix_list.py
spacy_tables=Sources/WinnowWordRules/Generated/SpacyEnglishTables.swift
"$PYTHON" Scripts/generate_spacy_tables.py > "$spacy_tables.new"
mv "$spacy_tables.new" "$spacy_tables"
"$PYTHON" Scripts/generate_phone_regions.py
"$PYTHON" Scripts/generate_html_entities.py

if [ -n "$(git status --porcelain -- 'Sources/*/Generated/*')" ]; then
    git status --short -- 'Sources/*/Generated/*'
    git diff --stat -- 'Sources/*/Generated/*'
    echo "check-generated: the generated tables above differ from their generators' output." >&2
    echo "Commit the regenerated files (or fix the generator), then rerun Scripts/check-generated.sh." >&2
    exit 1
fi
echo "check-generated: every generated table matches its generator."
