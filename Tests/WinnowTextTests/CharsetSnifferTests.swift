import Testing
import WinnowTestSupport
import WinnowText

@Suite struct CharsetSnifferTests {
    func sniff(_ contentType: String?, _ html: String) -> String? {
        CharsetSniffer.declaredCharset(contentType: contentType, htmlPrefix: Array(html.utf8))
    }

    @Test func contentType() {
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html; charset=ISO-8859-1") == "iso-8859-1")
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html;charset=\"Shift_JIS\"") == "shift_jis")
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html; Charset = 'utf-8' ; q=1") == "utf-8")
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html; charset=utf-8;format=flowed") == "utf-8")
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html") == nil)
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html; charset=") == nil)
        #expect(CharsetSniffer.charsetLabel(contentType: "text/html; charset=\"unterminated") == nil)
        #expect(sniff("text/html; charset=latin1", "<meta charset=utf-8>") == "windows-1252")
    }

    @Test func metaCharset() {
        #expect(sniff(nil, "<!doctype html><html><head><meta charset=\"GB2312\"><title>x</title>") == "gbk")
        #expect(sniff(nil, "<HEAD><META CHARSET=Shift_JIS>") == "shift_jis")
        #expect(sniff(nil, "<meta charset='euc-kr'/>") == "euc-kr")
        #expect(sniff(nil, "<meta name=viewport content=\"width=device-width\"><meta charset=koi8-r>") == "koi8-r")
    }

    @Test func metaHttpEquiv() {
        #expect(sniff(nil, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">") == "windows-1251")
        #expect(sniff(nil, "<meta content='text/html;charset=EUC-JP' http-equiv='content-type'>") == "euc-jp")
        // content without http-equiv declares nothing
        #expect(sniff(nil, "<meta content=\"text/html; charset=windows-1251\">") == nil)
    }

    @Test func commentsAndOtherTagsAreSkipped() {
        #expect(sniff(nil, "<!-- <meta charset=big5> --><meta charset=utf-8>") == "utf-8")
        #expect(sniff(nil, "<div title='<meta charset=big5>'></div><meta charset=iso-8859-2>") == "iso-8859-2")
        #expect(sniff(nil, "<metadata charset=big5><meta charset=koi8-u>") == "koi8-u")
    }

    @Test func unknownDeclarationsAreSkipped() {
        #expect(sniff("text/html; charset=bogus", "<meta charset=big5>") == "big5")
        #expect(sniff(nil, "<meta charset=bogus><meta charset=big5>") == "big5")
        #expect(sniff(nil, "<p>no declaration</p>") == nil)
    }

    @Test func onlyTheFirst1024BytesCount() {
        let padding = String(repeating: " ", count: 1024)
        #expect(sniff(nil, padding + "<meta charset=big5>") == nil)
        #expect(sniff(nil, String(repeating: " ", count: 1000) + "<meta charset=big5>") == "big5")
        #expect(sniff(nil, String(repeating: " ", count: 1010) + "<meta charset=big5>") == nil)  // cut inside
    }

    @Test func utf16InMetaMeansUTF8() {
        #expect(sniff(nil, "<meta charset=utf-16>") == "utf-8")
        #expect(sniff(nil, "<meta charset=x-user-defined>") == "windows-1252")
    }

    @Test func byteOrderMarkWins() {
        let bom: [UInt8] = [0xFF, 0xFE] + Array("<\0m\0".utf8)
        #expect(CharsetSniffer.declaredCharset(contentType: "text/html; charset=latin1", htmlPrefix: bom) == "utf-16le")
        #expect(CharsetSniffer.declaredCharset(contentType: nil, htmlPrefix: [0xFE, 0xFF, 0x00]) == "utf-16be")
        let utf8: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("<meta charset=big5>".utf8)
        #expect(CharsetSniffer.declaredCharset(contentType: "text/html; charset=latin1", htmlPrefix: utf8) == "utf-8")
        #expect(utf8.withUnsafeBytes { CharsetSniffer.byteOrderMark($0)?.length } == 3)
    }
}
