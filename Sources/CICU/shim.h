// ICU behind stable names. ICU renames its C entry points per version (u_strFromUTF8 -> u_strFromUTF8_72),
// which Swift cannot follow through the macros; these static inline shims give each function one stable
// name. Only WinnowText imports this module, with @_implementationOnly, so no file sees both this ICU and
// Foundation's private copy.
#include <stdlib.h>
#include <stdint.h>
#include <unicode/utypes.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ucsdet.h>

static inline const char *winnow_u_errorName(UErrorCode code) { return u_errorName(code); }

// MARK: UTF-8 <-> UTF-16

/// UTF-8 to UTF-16; ill-formed input becomes U+FFFD.
static inline int32_t winnow_u_strFromUTF8(UChar *dest, int32_t destCapacity, const char *src, int32_t srcLength,
                                           UErrorCode *err) {
    int32_t length = 0;
    u_strFromUTF8WithSub(dest, destCapacity, &length, src, srcLength, 0xFFFD, NULL, err);
    return length;
}

/// UTF-16 to UTF-8; unpaired surrogates become U+FFFD.
static inline int32_t winnow_u_strToUTF8(char *dest, int32_t destCapacity, const UChar *src, int32_t srcLength,
                                         UErrorCode *err) {
    int32_t length = 0;
    u_strToUTF8WithSub(dest, destCapacity, &length, src, srcLength, 0xFFFD, NULL, err);
    return length;
}

// MARK: Normalization

/// 0 nfc, 1 nfkc, 2 nfd, 3 nfkd, 4 nfkc_casefold. The instances are ICU singletons: never freed.
static inline const UNormalizer2 *winnow_unorm2_instance(int form, UErrorCode *err) {
    switch (form) {
    case 0: return unorm2_getNFCInstance(err);
    case 1: return unorm2_getNFKCInstance(err);
    case 2: return unorm2_getNFDInstance(err);
    case 3: return unorm2_getNFKDInstance(err);
    default: return unorm2_getNFKCCasefoldInstance(err);
    }
}

static inline int32_t winnow_unorm2_spanQuickCheckYes(const UNormalizer2 *norm, const UChar *s, int32_t length,
                                                      UErrorCode *err) {
    return unorm2_spanQuickCheckYes(norm, s, length, err);
}

static inline int32_t winnow_unorm2_normalizeSecondAndAppend(const UNormalizer2 *norm, UChar *first,
                                                             int32_t firstLength, int32_t firstCapacity,
                                                             const UChar *second, int32_t secondLength,
                                                             UErrorCode *err) {
    return unorm2_normalizeSecondAndAppend(norm, first, firstLength, firstCapacity, second, secondLength, err);
}

// MARK: Charset conversion

/// A legacy-charset to UTF-8 conversion in progress: the source converter, a UTF-8 converter, the UTF-16
/// pivot between them, and the number of invalid or unmapped byte sequences replaced by U+FFFD.
typedef struct winnow_charset_decoder {
    UConverter *source;
    UConverter *utf8;
    int64_t substitutions;
    UChar *pivotSource;
    UChar *pivotTarget;
    UChar pivot[2048];
} winnow_charset_decoder;

/// To-Unicode callback: every illegal, irregular or unmapped sequence becomes one U+FFFD and is counted.
/// (ICU's own SUBSTITUTE callback writes U+001A instead for single unmapped bytes in some code pages.)
static void winnow_counting_substitute(const void *context, UConverterToUnicodeArgs *args, const char *codeUnits,
                                       int32_t length, UConverterCallbackReason reason, UErrorCode *err) {
    (void)codeUnits;
    (void)length;
    if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to write
    static const UChar replacement = 0xFFFD;
    *err = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
    ++((winnow_charset_decoder *)context)->substitutions;
}

static inline void winnow_decoder_close(winnow_charset_decoder *d) {
    if (!d) return;
    if (d->source) ucnv_close(d->source);
    if (d->utf8) ucnv_close(d->utf8);
    free(d);
}

/// Opens a decoder for an ICU converter name or alias; NULL (and a failure code) when ICU has no such charset.
static inline winnow_charset_decoder *winnow_decoder_open(const char *name, UErrorCode *err) {
    winnow_charset_decoder *d = (winnow_charset_decoder *)calloc(1, sizeof(winnow_charset_decoder));
    if (!d) { *err = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    d->source = ucnv_open(name, err);
    if (U_SUCCESS(*err)) d->utf8 = ucnv_open("UTF-8", err);
    if (U_SUCCESS(*err))
        ucnv_setToUCallBack(d->source, winnow_counting_substitute, d, NULL, NULL, err);
    if (U_FAILURE(*err)) { winnow_decoder_close(d); return NULL; }
    d->pivotSource = d->pivot;
    d->pivotTarget = d->pivot;
    return d;
}

static inline const char *winnow_decoder_name(winnow_charset_decoder *d) {
    UErrorCode err = U_ZERO_ERROR;
    return ucnv_getName(d->source, &err);
}

/// Converts from *source up to sourceLimit into target (at most targetCapacity bytes) and returns the number of
/// bytes written. Advances *source. Sets U_BUFFER_OVERFLOW_ERROR when the target filled up: call again with
/// reset = 0 to continue. Pass reset = 1 on the first call of a new text.
static inline int32_t winnow_decoder_convert(winnow_charset_decoder *d, char *target, int32_t targetCapacity,
                                             const char **source, const char *sourceLimit, UBool reset,
                                             UErrorCode *err) {
    if (reset) {
        d->substitutions = 0;
        d->pivotSource = d->pivot;
        d->pivotTarget = d->pivot;
    }
    char *start = target;
    ucnv_convertEx(d->utf8, d->source, &target, target + targetCapacity, source, sourceLimit, d->pivot,
                   &d->pivotSource, &d->pivotTarget, d->pivot + 2048, reset, 1, err);
    return (int32_t)(target - start);
}

/// The name a standard ("IANA", "MIME") gives a converter, or NULL.
static inline const char *winnow_ucnv_standardName(const char *converterName, const char *standard) {
    UErrorCode err = U_ZERO_ERROR;
    const char *name = ucnv_getStandardName(converterName, standard, &err);
    return U_SUCCESS(err) ? name : NULL;
}

static inline int64_t winnow_decoder_substitutions(const winnow_charset_decoder *d) { return d->substitutions; }

// MARK: Charset detection

/// ICU's statistical charset detector (ucsdet). One detector per detection; not thread-safe.
static inline UCharsetDetector *winnow_ucsdet_open(UErrorCode *err) { return ucsdet_open(err); }

static inline void winnow_ucsdet_close(UCharsetDetector *detector) { ucsdet_close(detector); }

/// The detector keeps a pointer to `text`: it must outlive the matches.
static inline void winnow_ucsdet_setText(UCharsetDetector *detector, const char *text, int32_t length,
                                         UErrorCode *err) {
    ucsdet_setText(detector, text, length, err);
}

/// With the filter on, ICU drops `<...>` markup before looking at (at most 8 KiB of) the text.
static inline void winnow_ucsdet_enableInputFilter(UCharsetDetector *detector, UBool filter) {
    (void)ucsdet_enableInputFilter(detector, filter);
}

/// All plausible charsets, best first; *found is their number. The array belongs to the detector.
static inline const UCharsetMatch *const *winnow_ucsdet_detectAll(UCharsetDetector *detector, int32_t *found,
                                                                  UErrorCode *err) {
    return (const UCharsetMatch *const *)ucsdet_detectAll(detector, found, err);
}

static inline const char *winnow_ucsdet_getName(const UCharsetMatch *match, UErrorCode *err) {
    return ucsdet_getName(match, err);
}

/// 0 (no chance) to 100 (certain).
static inline int32_t winnow_ucsdet_getConfidence(const UCharsetMatch *match, UErrorCode *err) {
    return ucsdet_getConfidence(match, err);
}

/// The language ICU's n-gram statistics matched (ISO 639 code), or "".
static inline const char *winnow_ucsdet_getLanguage(const UCharsetMatch *match, UErrorCode *err) {
    const char *language = ucsdet_getLanguage(match, err);
    return language ? language : "";
}

// MARK: Word breaking

#include <unicode/utext.h>

/// A UAX #29 word break iterator with the locale's dictionaries (Chinese, Japanese, Thai, ...).
static inline UBreakIterator *winnow_ubrk_openWord(const char *locale, UErrorCode *err) {
    return ubrk_open(UBRK_WORD, locale, NULL, 0, err);
}

/// A UAX #29 sentence break iterator for the locale.
static inline UBreakIterator *winnow_ubrk_openSentence(const char *locale, UErrorCode *err) {
    return ubrk_open(UBRK_SENTENCE, locale, NULL, 0, err);
}

static inline void winnow_ubrk_close(UBreakIterator *iterator) { ubrk_close(iterator); }

/// Points `ut` (or a new UText when NULL) at UTF-8 text without copying; indexes are then byte offsets.
static inline UText *winnow_utext_openUTF8(UText *ut, const char *text, int64_t length, UErrorCode *err) {
    return utext_openUTF8(ut, text, length, err);
}

static inline void winnow_utext_close(UText *ut) { (void)utext_close(ut); }

static inline void winnow_ubrk_setUText(UBreakIterator *iterator, UText *text, UErrorCode *err) {
    ubrk_setUText(iterator, text, err);
}

static inline int32_t winnow_ubrk_first(UBreakIterator *iterator) { return ubrk_first(iterator); }

/// The next boundary, or -1 (UBRK_DONE) at the end.
static inline int32_t winnow_ubrk_next(UBreakIterator *iterator) { return ubrk_next(iterator); }

// MARK: Character properties

/// The general category of a code point (a UCharCategory value: U_UPPERCASE_LETTER ...).
static inline int32_t winnow_u_charType(int32_t c) { return (int32_t)u_charType((UChar32)c); }

/// The Unicode White_Space property (what regex engines' Unicode `\s` matches).
static inline int32_t winnow_u_isUWhiteSpace(int32_t c) { return u_isUWhiteSpace((UChar32)c) ? 1 : 0; }

// MARK: Scripts

#include <unicode/uscript.h>

/// The Script property of a code point (a UScriptCode: 0 Common, 1 Inherited, 25 Latin, ...).
static inline int32_t winnow_uscript_getScript(int32_t c) {
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode code = uscript_getScript((UChar32)c, &err);
    return U_FAILURE(err) ? 103 : (int32_t)code;  // USCRIPT_UNKNOWN
}

/// The UScriptCode of an ISO 15924 code such as "Latn" or "Hani", or -1 when ICU does not know it.
static inline int32_t winnow_uscript_codeOf(const char *iso15924) {
    return (int32_t)u_getPropertyValueEnum(UCHAR_SCRIPT, iso15924);
}

/// Whether `script` is in the Script_Extensions of a code point (U+30FC is in Hira and Kana, for example).
static inline int32_t winnow_uscript_hasScript(int32_t c, int32_t script) {
    return uscript_hasScript((UChar32)c, (UScriptCode)script) ? 1 : 0;
}
