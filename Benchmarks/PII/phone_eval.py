#!/usr/bin/env python3
"""Phone-number recall and precision on a labelled set made with Faker, for Winnow and Presidio.

    python3 Benchmarks/PII/phone_eval.py make --split validation|test OUT.jsonl
    python3 Benchmarks/PII/phone_eval.py score SET.jsonl --winnow .build/release/winnow [--winnow OLD_BINARY ...] [--presidio]

`make` writes documents of three sentences: one carries a phone number made by Faker in one of 49 locales
(written as Faker writes it), the other two are number-heavy distractors made by Faker in the same locale
(dates in several layouts, ISBNs, prices, coordinates, versions, timestamps, page ranges, order numbers,
postal addresses). Half the phone sentences name the number with a phrase of the locale's language (`Call me
at`, `Telefon:`, `Llámenos al`, `電話番号は`, ...; some phrases use words outside Winnow's context list on
purpose), half embed it in neutral text. The `validation` split (seed 1) is the one settings were chosen on;
`test` (seed 2) draws new numbers, phrases and distractors and is the one reported in docs/pii.md.

`score` counts a labelled number as found when a reported PHONE_NUMBER span overlaps it, and a reported span
as false when it overlaps no labelled number (Presidio includes or drops brackets and extensions differently,
so exact offsets would measure formatting, not detection). Presidio is its `PhoneRecognizer` (libphonenumber's
matcher with its default regions US, GB, DE, FR, IL, IN, CA, BR), called without an NLP engine, which it
does not need; every hit counts whatever its score.
"""
import argparse, json, random, subprocess, sys, time

from faker import Faker

# Locale -> language of its phrases.
LOCALES = {
    "en_US": "en", "en_GB": "en", "en_AU": "en", "en_IN": "en", "en_NZ": "en", "en_IE": "en", "ar_SA": "ar",
    "en_CA": "en", "de_DE": "de", "de_AT": "de", "de_CH": "de", "fr_FR": "fr", "fr_CH": "fr", "it_IT": "it",
    "es_ES": "es", "es_MX": "es", "es_CO": "es", "es_AR": "es", "pt_BR": "pt", "pt_PT": "pt", "nl_NL": "nl",
    "nl_BE": "nl", "pl_PL": "pl", "cs_CZ": "cs", "sk_SK": "cs", "hu_HU": "hu", "ro_RO": "ro", "bg_BG": "ru",
    "hr_HR": "hr", "sl_SI": "hr", "el_GR": "el", "sv_SE": "sv", "da_DK": "sv", "fi_FI": "fi", "no_NO": "sv",
    "ru_RU": "ru", "uk_UA": "ru", "tr_TR": "tr", "ja_JP": "ja", "zh_CN": "zh", "zh_TW": "zh", "ko_KR": "ko",
    "id_ID": "id", "vi_VN": "vi", "th_TH": "th", "fa_IR": "fa", "he_IL": "he", "hi_IN": "hi", "bn_BD": "en",
}

CONTEXT = {
    "en": ["Call me at {} tomorrow.", "You can reach our office on {} during the week.", "Phone: {}",
           "For bookings, telephone {} before noon.", "My mobile number is {} if anything changes.",
           "Fax {} or write to the address below.", "Contact: {}"],
    "de": ["Telefon: {}", "Rufen Sie uns unter {} an.", "Mein Handy: {}", "Sie erreichen mich unter {} ab 9 Uhr.",
           "Tel. {} (Zentrale)"],
    "fr": ["Téléphone : {}", "Appelez-nous au {} du lundi au vendredi.", "Tél. {}", "Mon portable : {}",
           "Vous pouvez me joindre au {} le soir."],
    "it": ["Telefono: {}", "Chiamate il {} per prenotare.", "Cellulare {} (solo pomeriggio)", "Tel. {}"],
    "es": ["Teléfono: {}", "Llámenos al {} para más información.", "Mi móvil es {}.", "Tel. {}",
           "Puede contactarnos en el {} de 9 a 18 h."],
    "pt": ["Telefone: {}", "Ligue para {} e fale com a recepção.", "Celular: {}", "Tel. {}", "Contato: {}"],
    "nl": ["Telefoon: {}", "Bel ons op {} voor een afspraak.", "Mobiel: {}", "Tel. {}"],
    "pl": ["Telefon: {}", "Zadzwoń pod numer {} w godzinach pracy.", "Tel. {}", "Kontakt: {}"],
    "cs": ["Telefon: {}", "Volejte na číslo {}.", "Tel. {}", "Kontakt: {}"],
    "hu": ["Telefon: {}", "Hívjon a {} számon.", "Tel.: {}", "Mobil: {}"],
    "ro": ["Telefon: {}", "Sunați la {} pentru detalii.", "Tel. {}"],
    "hr": ["Telefon: {}", "Nazovite nas na {}.", "Tel. {}", "Kontakt: {}"],
    "el": ["Τηλέφωνο: {}", "Καλέστε στο {} για κρατήσεις.", "Τηλ. {}", "Κινητό: {}"],
    "sv": ["Telefon: {}", "Ring oss på {} under kontorstid.", "Tlf. {}", "Mobil: {}"],
    "fi": ["Puhelin: {}", "Soita numeroon {} arkisin.", "Puh. {}"],
    "ru": ["Телефон: {}", "Звоните по номеру {} с 9 до 18.", "Тел. {}", "Мобильный: {}"],
    "tr": ["Telefon: {}", "Bizi {} numaralı telefondan arayın.", "Tel: {}", "Cep: {}"],
    "ja": ["電話: {}", "お問い合わせは {} までお電話ください。", "TEL {}", "携帯 {}"],
    "zh": ["电话：{}", "请拨打 {} 联系我们。", "手机 {}", "電話 {}"],
    "ko": ["전화: {}", "문의는 {} 로 연락 주세요.", "휴대폰 {}", "연락처: {}"],
    "id": ["Telepon: {}", "Hubungi kami di {} pada jam kerja.", "Telp. {}", "Ponsel: {}"],
    "vi": ["Điện thoại: {}", "Gọi cho chúng tôi theo số {}.", "SĐT: {}", "Liên hệ {}"],
    "th": ["โทร {}", "ติดต่อเราได้ที่ {}", "โทรศัพท์: {}"],
    "fa": ["تلفن: {}", "با شماره {} تماس بگیرید.", "تلفن همراه {}"],
    "ar": ["هاتف: {}", "اتصل بنا على {}", "جوال {}"],
    "he": ["טלפון: {}", "התקשרו אלינו במספר {}", "נייד {}"],
    "hi": ["फ़ोन: {}", "हमें {} पर कॉल करें।", "मोबाइल {}", "संपर्क: {}"],
}

NEUTRAL = ["{} is the number written on the back of the envelope.", "Her note just said {} and nothing else.",
           "The list ended with {}.", "({})", "See {} for details."]


def distractor(f, rng):
    kind = rng.randrange(11)
    d = f.date_object()
    if kind == 0:
        return f"The meeting took place on {d.strftime(rng.choice(['%d.%m.%Y', '%Y-%m-%d', '%d/%m/%Y', '%m/%d/%Y', '%d-%m-%Y', '%d %m %Y']))}."
    if kind == 1:
        return f"ISBN {f.isbn13()} (paperback), {f.isbn10()} (hardcover)."
    if kind == 2:
        return f"The price rose from {f.pydecimal(left_digits=5, right_digits=2, positive=True)} to {f.pyint(10000, 9999999)} {f.currency_code()}."
    if kind == 3:
        return f"Coordinates: {f.latitude()}, {f.longitude()}."
    if kind == 4:
        return f"Upgrade to version {rng.randint(1, 30)}.{rng.randint(0, 20)}.{rng.randint(0, 9999)}.{rng.randint(0, 999)} or later."
    if kind == 5:
        return f"Logged at {f.unix_time():.0f} ({f.iso8601()})."
    if kind == 6:
        a = rng.randint(1, 900); return f"See pages {a}-{a + rng.randint(2, 80)} and {rng.randint(1000, 1999)}-{rng.randint(2000, 2100)}."
    if kind == 7:
        return f"Order {f.bothify('###-#######-#######')} shipped; invoice {f.bothify('INV-########')}."
    if kind == 8:
        return f"Address: {f.address()}".replace("\n", ", ")
    if kind == 9:
        return f"Population {f.pyint(1000000, 99999999):,} in {f.year()}, area {f.pyint(10000, 999999)} km2."
    return f"Account {f.bban()} was opened in {f.year()} with {f.pyint(100000, 9999999)} points."


def make(split, out):
    seed = {"validation": 1, "test": 2}[split]
    rng = random.Random(seed)
    docs = []
    for li, (loc, lang) in enumerate(sorted(LOCALES.items())):
        f = Faker(loc)
        f.seed_instance(seed * 1000 + li)
        for k in range(20):
            phone = f.phone_number()
            context = k % 2 == 0
            template = rng.choice(CONTEXT[lang] if context else NEUTRAL)
            sentence = template.format(phone)
            parts = [distractor(f, rng), distractor(f, rng)]
            pos = rng.randrange(3)
            parts.insert(pos, sentence)
            text = " ".join(parts)
            start = len(" ".join(parts[:pos])) + (1 if pos else 0) + template.index("{}")
            assert text[start:start + len(phone)] == phone
            docs.append({"id": f"{split}-{loc}-{k}", "text": text, "locale": loc, "context": context,
                         "phones": [[start, start + len(phone)]]})
    with open(out, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"{out}: {len(docs)} documents")


def winnow_spans(binary, path):
    t0 = time.process_time()
    res = subprocess.run([binary, "pii", "scan", path, "--types", "phone"], capture_output=True, text=True, check=True)
    spans = {}
    for line in res.stdout.splitlines():
        r = json.loads(line)
        spans.setdefault(r["id"], []).append((r["start"], r["end"]))
    return spans


def presidio_spans(docs):
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer
    rec = PhoneRecognizer()
    return {d["id"]: [(r.start, r.end) for r in rec.analyze(d["text"], ["PHONE_NUMBER"], None)] for d in docs}


def score(name, docs, spans, show_missed=False):
    found = total = tp = reported = 0
    by_ctx = {True: [0, 0], False: [0, 0]}
    false_hits = []
    for d in docs:
        got = spans.get(d["id"], [])
        truth = d["phones"]
        for s, e in truth:
            hit = any(a < e and s < b for a, b in got)
            found += hit; total += 1
            by_ctx[d["context"]][0] += hit; by_ctx[d["context"]][1] += 1
        for a, b in got:
            reported += 1
            if any(a < e and s < b for s, e in truth):
                tp += 1
            else:
                false_hits.append(d["text"][a:b])
    recall = found / total
    precision = tp / reported if reported else 1.0
    print(f"{name}: recall {recall:.3f} ({found}/{total}; with phrase {by_ctx[True][0]}/{by_ctx[True][1]}, "
          f"neutral {by_ctx[False][0]}/{by_ctx[False][1]}), precision {precision:.3f} ({tp}/{reported})")
    if false_hits:
        print(f"  false: {false_hits[:30]}")
    if show_missed:
        for d in docs:
            got = spans.get(d["id"], [])
            for s, e in d["phones"]:
                if not any(a < e and s < b for a, b in got):
                    print(f"  missed {d['locale']} {'phrase ' if d['context'] else 'neutral'} {d['text'][max(0, s - 30):e]!r}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make"); m.add_argument("--split", required=True, choices=["validation", "test"]); m.add_argument("out")
    s = sub.add_parser("score"); s.add_argument("set"); s.add_argument("--winnow", action="append", default=[])
    s.add_argument("--presidio", action="store_true")
    s.add_argument("--missed", action="store_true", help="print the numbers Winnow missed")
    a = ap.parse_args()
    if a.cmd == "make":
        return make(a.split, a.out)
    docs = [json.loads(l) for l in open(a.set, encoding="utf-8")]
    for b in a.winnow:
        score(f"winnow ({b})", docs, winnow_spans(b, a.set), a.missed)
    if a.presidio:
        score("presidio PhoneRecognizer", docs, presidio_spans(docs))


if __name__ == "__main__":
    main()
