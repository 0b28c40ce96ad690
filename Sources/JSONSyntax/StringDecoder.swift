/// Decodes JSON string tokens to their values.
enum StringDecoder {
    static func decode(_ bytes: [UInt8], node: RawNode) -> String {
        bytes.withUnsafeBufferPointer { decode($0, node: node) }
    }

    /// The value of a string token: escapes resolved, surrogate pairs joined, lone surrogates and
    /// invalid UTF-8 replaced by U+FFFD. The token may lack its closing quote.
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, node: RawNode) -> String {
        let start = Int(node.start) + 1
        var end = Int(node.end)
        if !node.flags.contains(.unterminated) && end > start { end -= 1 }
        if end <= start { return "" }
        let content = UnsafeBufferPointer(rebasing: buf[start..<end])
        if !node.flags.contains(.hasEscapes) {
            return String(decoding: content, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        var i = 0
        let n = content.count
        func hexUnit(_ k: Int) -> UInt32? {
            guard k + 4 <= n else { return nil }
            var v: UInt32 = 0
            for j in k..<(k + 4) {
                let b = content[j]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while i < n {
            let b = content[i]
            guard b == 0x5C, i + 1 < n else {
                out.append(b)
                i += 1
                continue
            }
            let e = content[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard let unit = hexUnit(i) else {
                    appendScalar(0xFFFD)
                    continue
                }
                i += 4
                if unit >= 0xD800 && unit <= 0xDBFF {
                    if i + 1 < n && content[i] == 0x5C && content[i + 1] == 0x75, let low = hexUnit(i + 2),
                        low >= 0xDC00 && low <= 0xDFFF
                    {
                        i += 6
                        appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else {
                        appendScalar(0xFFFD)
                    }
                } else {
                    appendScalar(unit)  // a lone low surrogate is no scalar: U+FFFD
                }
            default:
                // An invalid escape keeps its character, so the value stays readable.
                out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
