/// A small writer for the CLI's JSON output: keys in the order written, strings escaped per RFC 8259.
/// Deterministic output, no Foundation round trip.
struct JSONWriter {
    private(set) var text = ""

    enum Value {
        case string(String)
        case int(Int)
        case bool(Bool)
        case null
        case object([(String, Value)])
        case array([Value])
    }

    static func render(_ value: Value) -> String {
        var w = JSONWriter()
        w.write(value)
        return w.text
    }

    private mutating func write(_ value: Value) {
        switch value {
        case .string(let s): JSONWriter.quote(s, into: &text)
        case .int(let n): text += String(n)
        case .bool(let b): text += b ? "true" : "false"
        case .null: text += "null"
        case .object(let members):
            text += "{"
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { text += "," }
                JSONWriter.quote(k, into: &text)
                text += ":"
                write(v)
            }
            text += "}"
        case .array(let items):
            text += "["
            for (i, v) in items.enumerated() {
                if i > 0 { text += "," }
                write(v)
            }
            text += "]"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
