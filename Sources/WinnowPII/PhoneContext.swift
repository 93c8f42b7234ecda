/// Words that announce a phone number ("phone", "call me at", "Telefon", "número de teléfono", "电话"), in 24
/// languages. A national number without a country code counts as a phone number when one of them stands at
/// most `PhoneContext.maxWordsBetween` words and `PhoneContext.window` bytes before it. The scanner does
/// not know the document's language, so all the lists apply to every document; each word is matched at a
/// word start, ASCII case-insensitively.
enum PhoneContext {
    /// How far back (bytes) a context word may start.
    static let window = 48
    /// How many words may stand between the context word and the number (`call me at`, `numero di telefono è`).
    static let maxWordsBetween = 4

    static let words = KeywordList([
        // English
        "phone", "telephone", "tel", "call", "mobile", "cell", "fax", "contact", "reach", "text me", "whatsapp",
        // German
        "telefon", "rufnummer", "handy", "anrufen", "rufen", "ruf", "mobil", "kontakt", "erreichbar",
        // French
        "téléphone", "tél", "appeler", "appelez", "portable", "joindre",
        // Spanish, Portuguese, Italian, Catalan
        "teléfono", "telefono", "telefone", "llamar", "llame", "llámenos", "móvil", "celular", "contacto", "contato", "contactarnos", "contáctenos", "contactar",
        "ligue", "ligar", "telemóvel", "cellulare", "chiamare", "chiamate", "chiama", "contatto",
        // Dutch, Swedish, Danish, Norwegian, Finnish
        "telefoon", "bellen", "bel", "mobiel", "telefonnummer", "ring", "mobilnummer", "puhelin", "soita", "matkapuhelin",
        // Polish, Czech, Slovak, Hungarian, Romanian, Croatian, Slovenian
        "telefonu", "zadzwoń", "komórka", "komórkowy", "volejte", "mobilní", "telefón", "hívjon", "telefonszám",
        "sunați", "apelați", "nazovite", "pokličite",
        // Turkish, Indonesian, Malay, Vietnamese (Vietnamese capitals are listed as they look after ASCII folding)
        "arayın", "iletişim", "cep", "telepon", "telp", "hubungi", "ponsel", "điện thoại", "Điện thoại", "sđt", "sĐt", "gọi",
        "liên hệ",
        // Russian, Ukrainian, Greek
        "телефон", "тел", "звоните", "позвоните", "моб", "мобильный", "контакт", "телефону", "дзвоніть", "τηλέφωνο",
        "τηλ", "κινητό", "καλέστε",
        // Hebrew, Arabic, Persian, Hindi, Thai
        "טלפון", "נייד", "פקס", "התקשרו", "هاتف", "جوال", "اتصل", "فاكس", "تلفن", "تماس", "फ़ोन", "फोन", "मोबाइल", "संपर्क",
        "โทร",
        // Japanese, Chinese, Korean
        "電話", "携帯", "連絡先", "問い合わせ", "电话", "手机", "联系", "拨打", "致电", "撥打", "傳真", "传真", "手機", "聯絡", "전화", "휴대폰", "연락처", "팩스",
    ])

    /// Words that, right before a number, make it an identifier even near a phone word.
    static let identifierWords: [[UInt8]] = [
        "order", "invoice", "ticket", "case", "ref", "reference", "account", "iban", "customer", "id", "no", "nr",
        "bestellung", "rechnung", "commande", "facture", "pedido", "factura", "ordine", "fattura", "zamówienie",
        "заказ", "счет", "isbn", "issn", "doi", "version", "build", "serial", "tracking", "kundennummer",
    ].map { Array($0.utf8) }
}

extension Scan {
    /// Whether a phone context word starts within `PhoneContext.window` bytes before `i`, with at most
    /// `PhoneContext.maxWordsBetween` words between, not across a blank line, and the word right before
    /// the number is not an identifier word (`order`, `invoice`, ...).
    func phoneContext(before i: Int) -> Bool {
        let lo = Swift.max(0, i - PhoneContext.window)
        if identifierBefore(i) { return false }
        var words = 0
        var k = i
        while k > lo, words <= PhoneContext.maxWordsBetween {
            // Step back to the previous word end, not across a blank line. A sentence end (`.`, `!`, `?`,
            // `;`) ends the search after the word in front of it, which may itself be an abbreviation
            // (`Tel.`, `Puh.`).
            var sentenceEnd = false
            while k > lo, !isWord(k - 1) {
                let b = p[k - 1]
                if b == 0x0A, k >= 2, p[k - 2] == 0x0A { return false }
                if b == UInt8(ascii: ".") || b == UInt8(ascii: "!") || b == UInt8(ascii: "?") || b == UInt8(ascii: ";") {
                    if sentenceEnd { return false }
                    sentenceEnd = true
                }
                k -= 1
            }
            let end = k
            while k > lo, isWord(k - 1) { k -= 1 }
            if end == k { break }
            // A context word may end here or span this and earlier words (`reach me`, `điện thoại`):
            // compare each list word ending at `end`. CJK words may sit anywhere in a run of CJK text
            // (`電話番号は`).
            if keyword(of: PhoneContext.words, endingAt: end, { s in s >= lo && (s == 0 || !isWord(s - 1) || isCJKLead(p[s])) }) {
                return true
            }
            if p[end - 1] >= 0x80 {
                for w in PhoneContext.words.cjk where containsLower(w, k, end) { return true }
            }
            if sentenceEnd { return false }
            words += 1
        }
        return false
    }

    /// Whether the word right before `i` (within `PhoneContext.window` bytes) is an identifier word:
    /// `order 12345678`, `case no. 0471 123 456`.
    func identifierBefore(_ i: Int) -> Bool {
        let lo = Swift.max(0, i - PhoneContext.window)
        var e = i
        while e > lo, !isWord(e - 1) { e -= 1 }
        var s = e
        while s > lo, isWord(s - 1) { s -= 1 }
        return e > s && wordAt(s, e, in: PhoneContext.identifierWords)
    }

    /// Whether `p[s..<e]` is one of `list` (ASCII case-insensitive).
    func wordAt(_ s: Int, _ e: Int, in list: [[UInt8]]) -> Bool {
        for w in list where w.count == e - s {
            var k = 0
            while k < w.count {
                var b = p[s + k]
                if b >= 0x41 && b <= 0x5A { b |= 0x20 }
                if b != w[k] { break }
                k += 1
            }
            if k == w.count { return true }
        }
        return false
    }

    /// CJK words (`电话`, `電話`, `전화`) are not separated by spaces: they may follow other letters.
    @inline(__always) func isCJKLead(_ b: UInt8) -> Bool { b >= 0xE3 && b <= 0xED }
}
