import CXXHash
import WinnowCore
import WinnowWordRules

/// Keyword filter: excludes documents containing words or phrases from per-language lists, with `bad_words`.
///
/// Lists come from `files` (one entry per line, `#` comments) and inline `words`, each either one list (the
/// `default` list, used for any language without its own) or a map `{en: [...], de: [...], default: [...]}`.
/// The document's language is `metadata.language` (normalized: `eng_Latn`, `eng` and `en` are all `en`), else
/// `default_language`. Without `files` and `words` the shipped English list (`BuiltinBadWords`) serves `en`.
///
/// Matching is whole-word: an entry matches where it is not preceded or followed by a word character (Python
/// regex `\w`, as in datatrove's `(?:\W|^)(...)(?:\W|$)`); case-insensitive for ASCII and for two-byte UTF-8
/// letters (Latin-1, Latin Extended, Greek, Cyrillic); whitespace inside a phrase matches any whitespace run.
/// For languages written without spaces (zh, ja, th, km, lo, my) entries match anywhere, as in datatrove.
///
/// Rule: a document is excluded when it has more than `max_hits` (0) hits, a hit being one occurrence of one
/// entry. With `keep_fraction` > 0, that fraction of would-be-excluded documents is kept instead, chosen by a
/// seeded hash of the document id (datatrove's C4BadWordsFilter draws at random; this is reproducible).
/// `hits_field` writes the hit count to metadata.
public struct BadWordsFilter: DocumentStage, RegisteredStage {
    public static let stageName = "bad_words"
    public static let summary = "exclude documents with words or phrases from per-language lists (whole words)"

    /// The compiled lists, shared by all tasks.
    final class Lists: Sendable {
        let matchers: [PhraseMatcher]
        let byLanguage: [String: Int]
        let defaultIndex: Int?
        init(matchers: [PhraseMatcher], byLanguage: [String: Int], defaultIndex: Int?) {
            self.matchers = matchers; self.byLanguage = byLanguage; self.defaultIndex = defaultIndex
        }
        func index(for language: String) -> Int? {
            byLanguage[LanguageKey.normalize(language)] ?? defaultIndex
        }
    }

    public struct Config: Sendable {
        public var maxHits = 0
        public var keepFraction = 0.0
        public var seed: UInt64 = 0
        public var defaultLanguage = "en"
        public var languageFromMetadata = true
        public var hitsField = ""
        public init() {}
    }

    let config: Config
    let lists: Lists
    private var folded: [UInt8] = []
    private var lastLanguage = ""
    private var lastIndex: Int?
    private var lastNoSpaces = false

    init(config: Config, lists: Lists) {
        self.config = config
        self.lists = lists
        lastLanguage = config.defaultLanguage
        lastIndex = lists.index(for: lastLanguage)
        lastNoSpaces = WordSegmenter.noSpaceLocale(lastLanguage) != nil
    }

    /// Builds the stage from entries per language key (`default` for the fallback list).
    public init(entries: [String: [String]], config: Config = Config()) {
        self.init(config: config, lists: Self.compile(entries))
    }

    static func compile(_ entries: [String: [String]]) -> Lists {
        var matchers: [PhraseMatcher] = []
        var byLanguage: [String: Int] = [:]
        var defaultIndex: Int?
        for (key, words) in entries.sorted(by: { $0.key < $1.key }) {
            let patterns = words.map { ByteFold.foldEntry($0, collapseSpaces: true) }
            matchers.append(PhraseMatcher(patterns: patterns))
            if key == "default" { defaultIndex = matchers.count - 1 } else { byLanguage[LanguageKey.normalize(key)] = matchers.count - 1 }
        }
        return Lists(matchers: matchers, byLanguage: byLanguage, defaultIndex: defaultIndex)
    }

    /// `files` / `words`: a string or list (the default list) or a map from language to a string or list.
    static func readListParameter(_ p: StageParameters, _ key: String) throws -> [String: [String]]? {
        guard let value = try p.value(key) else { return nil }
        func strings(_ v: JSONValue) -> [String]? {
            if let s = v.stringValue { return [s] }
            guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { return nil }
            return a.map { $0.stringValue! }
        }
        if let list = strings(value) { return ["default": list] }
        guard let object = value.objectValue else {
            throw p.error(key, "\(key) must be a string, a list of strings or a map from language to those")
        }
        var result: [String: [String]] = [:]
        for entry in object {
            guard let list = strings(entry.value) else {
                throw p.error(key, "\(key).\(entry.key) must be a string or a list of strings")
            }
            result[entry.key, default: []] += list
        }
        return result
    }

    public static let parameters: [ParameterDeclaration] = [
        .raw("files", shape: "path, list of paths, or map language -> those", .absent("none"),
             "word-list files, one entry a line; a map gives lists per language (`default`: any other language)"),
        .raw("words", shape: "string, list, or map language -> those", .absent("none"), "inline entries, as files"),
        .bool("builtin", .absent("true when neither files nor words is given"), "add the shipped English list"),
        .int("max_hits", default: 0, "exclude a document with more hits than this"),
        .double("keep_fraction", default: 0, "keep this fraction of the documents over max_hits (by a seeded hash of the id)"),
        .int("seed", default: 0, "seed of the keep_fraction hash"),
        .string("default_language", default: "en", "the language of documents without metadata.language"),
        .bool("language_from_metadata", default: true, "choose the list by metadata.language"),
        .string("hits_field", default: "", "metadata key for the hit count (empty: not written)"),
    ]

    public static func makeFactory(_ p: StageParameters) throws -> StageFactory {
        var c = Config()
        let files = try readListParameter(p, "files")
        let words = try readListParameter(p, "words")
        let builtin = try p.optionalBool("builtin") ?? (files == nil && words == nil)
        c.maxHits = try p.int("max_hits")
        guard c.maxHits >= 0 else { throw p.error("max_hits", "max_hits must be 0 or more") }
        c.keepFraction = try p.double("keep_fraction")
        guard c.keepFraction >= 0, c.keepFraction <= 1 else { throw p.error("keep_fraction", "keep_fraction must be between 0 and 1") }
        c.seed = UInt64(bitPattern: Int64(try p.int("seed")))
        c.defaultLanguage = try p.string("default_language")
        c.languageFromMetadata = try p.bool("language_from_metadata")
        c.hitsField = try p.string("hits_field")

        var entries: [String: [String]] = [:]
        for (language, paths) in files ?? [:] {
            for path in paths { entries[language, default: []] += try WordListFile.read(path, p, key: "files") }
        }
        for (language, list) in words ?? [:] { entries[language, default: []] += list }
        if builtin { entries["en", default: []] += BuiltinBadWords.english }
        if entries.isEmpty { throw p.error("files", "no word lists: give files or words, or builtin: true") }
        let lists = compile(entries)
        let config = c
        return StageFactory { BadWordsFilter(config: config, lists: lists) }
    }

    /// Number of whole-word hits in `text` for the document's language, stopping after `limit` hits.
    mutating func hits(in document: Document, limit: Int) -> Int {
        if config.languageFromMetadata, let language = document.metadata["language"]?.stringValue {
            if language != lastLanguage {
                lastLanguage = language
                lastIndex = lists.index(for: language)
                lastNoSpaces = WordSegmenter.noSpaceLocale(LanguageKey.normalize(language)) != nil
            }
        } else if lastLanguage != config.defaultLanguage {
            lastLanguage = config.defaultLanguage
            lastIndex = lists.index(for: lastLanguage)
            lastNoSpaces = WordSegmenter.noSpaceLocale(LanguageKey.normalize(lastLanguage)) != nil
        }
        guard let index = lastIndex else { return 0 }
        let matcher = lists.matchers[index]
        let wholeWords = !lastNoSpaces
        let n = document.text.withUnsafeBufferPointer { b in
            b.baseAddress.map { ByteFold.fold($0, b.count, collapseSpaces: true, into: &folded) } ?? 0
        }
        var count = 0
        folded.withUnsafeBufferPointer { b in
            guard n > 0, let q = b.baseAddress else { return }
            let table = CharClasses.table
            matcher.forEachMatch(q, n) { start, end in
                if wholeWords {
                    if start > 0, table.classes(UTF8Scan.previous(q, start, 0)).contains(.pyWord) { return true }
                    if end < n, table.classes(UTF8Scan.decode(q, end, n).0).contains(.pyWord) { return true }
                }
                count += 1
                return count <= limit
            }
        }
        return count
    }

    public mutating func process(_ document: inout Document, stats: inout StageStats) -> StageDecision {
        let annotate = !config.hitsField.isEmpty
        let n = hits(in: document, limit: annotate ? Int.max : config.maxHits)
        if annotate { document.metadata[config.hitsField] = .number(JSONNumber(n)) }
        guard n > config.maxHits else { return .keep }
        if config.keepFraction > 0 {
            var id = document.id
            let hash = id.withUTF8 { XXH3_64bits_withSeed($0.baseAddress, $0.count, config.seed) }
            if Double(hash >> 11) * 0x1p-53 < config.keepFraction {
                stats.count("bad_words_kept_by_fraction")
                return .keep
            }
        }
        return .exclude(reason: "bad_words")
    }
}

/// The shipped default list (English), used by `bad_words` when no lists are configured.
///
/// Source and licence: written for Winnow by its authors (no third-party list was copied), distributed with
/// Winnow under the project's licence. It is deliberately short and limited to unambiguous profanity and
/// pornography terms. It leaves out words with common innocent senses ("ass", "cock", "pussy", "balls", and
/// "xxx", a common placeholder as in "debian-l10n-xxx") and identity terms (C4's LDNOOBW list removes much
/// medical and LGBTQ text; Dodge et al. 2021). For C4 parity, give the LDNOOBW list as `files`
/// (CC BY 4.0, github.com/LDNOOBW).
enum BuiltinBadWords {
    static let english: [String] = WordListFile.entries(of: """
        # Profanity
        fuck
        fucks
        fucked
        fucker
        fuckers
        fucking
        motherfucker
        motherfuckers
        shit
        shits
        shitty
        bullshit
        cunt
        cunts
        asshole
        assholes
        dickhead
        # Pornography
        porn
        porno
        pornography
        pornographic
        porn video
        porn videos
        free porn
        blowjob
        blowjobs
        blow job
        handjob
        cumshot
        cumshots
        gangbang
        creampie
        deepthroat
        bukkake
        milf
        milfs
        hentai
        dildo
        dildos
        camgirl
        camgirls
        sex cam
        sex cams
        sex tape
        sex video
        sex videos
        nude pics
        xvideos
        pornhub
        xhamster
        """)
}
