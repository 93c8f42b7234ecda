import Testing
import WinnowTestSupport
import WinnowTokenizer

/// Byte-level mapping facts from GPT-2's `bytes_to_unicode` (openai/gpt-2 encoder.py).
@Suite struct ByteLevelTests {
    @Test func knownCharacters() {
        #expect(ByteLevel.encode(Array(" ".utf8)) == "Ġ")
        #expect(ByteLevel.encode(Array("\n".utf8)) == "Ċ")
        #expect(ByteLevel.encode([0x00]) == "Ā")
        #expect(ByteLevel.encode([0xAD]) == "Ń")
        #expect(ByteLevel.encode(Array("a!".utf8)) == "a!")
        #expect(ByteLevel.decode("ĠhelloĊ") == Array(" hello\n".utf8))
        #expect(Set(ByteLevel.scalarOfByte).count == 256)
    }

    @Test func characterOrder() {
        // HF sorts the initial alphabet by char: `!` (0x21) first, U+0143 (byte 0xAD) last.
        #expect(ByteLevel.bytesInCharacterOrder.first == 0x21)
        #expect(ByteLevel.bytesInCharacterOrder.last == 0xAD)
        #expect(ByteLevel.bytesInCharacterOrder[188] == 0x00)
    }
}

/// Splits checked against Python `regex.findall` of the GPT-2 pattern (values written down from it).
@Suite struct GPT2PreTokenizerTests {
    func split(_ s: String) -> [String] {
        GPT2PreTokenizer().pieces(Array(s.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func basics() {
        #expect(split("Hello world") == ["Hello", " world"])
        #expect(split("I'll it's  a   b\n") == ["I", "'ll", " it", "'s", " ", " a", "  ", " b", "\n"])
        #expect(split("abc123 45!?x") == ["abc", "123", " 45", "!?", "x"])
        #expect(split("'S don't") == ["'", "S", " don", "'t"])
        #expect(split("a  ") == ["a", "  "])
        #expect(split(" \n x") == [" \n", " x"])
    }
}
