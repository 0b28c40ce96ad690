/// Non-ASCII characters that look like ASCII letters or digits (Greek, Cyrillic and a few Latin
/// homoglyphs, and the fullwidth forms), with the ASCII character each imitates. Used by DQ-08 to find
/// keys such as `eIDASΙdentifier` (Greek capital iota) that no JSON-LD processor will recognise.
enum Confusables {
    static let table: [Unicode.Scalar: Character] = {
        var t: [Unicode.Scalar: Character] = [:]
        let pairs: [(UInt32, Character)] = [
            // Greek capitals
            (0x0391, "A"), (0x0392, "B"), (0x0395, "E"), (0x0396, "Z"), (0x0397, "H"), (0x0399, "I"), (0x039A, "K"),
            (0x039C, "M"), (0x039D, "N"), (0x039F, "O"), (0x03A1, "P"), (0x03A4, "T"), (0x03A5, "Y"), (0x03A7, "X"),
            // Greek small letters
            (0x03B1, "a"), (0x03B9, "i"), (0x03BA, "k"), (0x03BD, "v"), (0x03BF, "o"), (0x03C1, "p"), (0x03C5, "u"),
            (0x03C7, "x"), (0x03F2, "c"), (0x03F3, "j"),
            // Cyrillic capitals
            (0x0405, "S"), (0x0406, "I"), (0x0408, "J"), (0x0410, "A"), (0x0412, "B"), (0x0415, "E"), (0x041A, "K"),
            (0x041C, "M"), (0x041D, "H"), (0x041E, "O"), (0x0420, "P"), (0x0421, "C"), (0x0422, "T"), (0x0423, "Y"),
            (0x0425, "X"), (0x051A, "Q"), (0x051C, "W"), (0x04C0, "I"),
            // Cyrillic small letters
            (0x0430, "a"), (0x0435, "e"), (0x043E, "o"), (0x0440, "p"), (0x0441, "c"), (0x0443, "y"), (0x0445, "x"),
            (0x0455, "s"), (0x0456, "i"), (0x0458, "j"), (0x04BB, "h"), (0x0501, "d"), (0x051B, "q"), (0x051D, "w"),
            (0x04CF, "l"),
            // Latin look-alikes
            (0x0131, "i"), (0x0237, "j"), (0x01C0, "l"), (0x212A, "K"), (0x212B, "A"),
        ]
        for (code, ascii) in pairs { if let s = Unicode.Scalar(code) { t[s] = ascii } }
        // Fullwidth digits and letters: U+FF10–FF19, U+FF21–FF3A, U+FF41–FF5A.
        for (start, ascii) in [(0xFF10, 0x30), (0xFF21, 0x41), (0xFF41, 0x61)] {
            let count = start == 0xFF10 ? 10 : 26
            for k in 0..<count {
                if let s = Unicode.Scalar(UInt32(start + k)), let a = Unicode.Scalar(UInt32(ascii + k)) { t[s] = Character(a) }
            }
        }
        return t
    }()

    /// The key with every look-alike replaced by its ASCII twin, and the characters replaced (as
    /// `U+0399 GREEK CAPITAL LETTER IOTA`-style descriptions). Nil when the key holds no look-alike.
    static func asciiTwin(of key: String) -> (twin: String, replaced: [String])? {
        var twin = ""
        var replaced: [String] = []
        for scalar in key.unicodeScalars {
            if let ascii = table[scalar] {
                twin.append(ascii)
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let name = scalar.properties.name.map { " " + $0 } ?? ""
                replaced.append("`\(scalar)` (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)\(name))")
            } else {
                twin.unicodeScalars.append(scalar)
            }
        }
        return replaced.isEmpty ? nil : (twin, replaced)
    }
}
