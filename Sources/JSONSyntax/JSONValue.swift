/// A JSON value as the protocol layer sees it: parsed from a message body with our own syntax layer,
/// written back without Foundation. Objects keep their members in order.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x == y
        case let (.int(x), .double(y)), let (.double(y), .int(x)): Double(x) == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .int(let i): hasher.combine(Double(i))
        case .double(let d): hasher.combine(d)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            hasher.combine(o.count)
            for (k, v) in o {
                hasher.combine(k)
                hasher.combine(v)
            }
        }
    }

    /// The member named `key` of an object (the last one if repeated), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var intValue: Int? {
        switch self {
        case .int(let i): i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: Int(d)
        default: nil
        }
    }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var isNull: Bool { if case .null = self { true } else { false } }
    public var objectMembers: [(String, JSONValue)]? { if case .object(let o) = self { o } else { nil } }

    /// Builds a value from a syntax node. Error and missing nodes become `null` (the caller checks the
    /// tree's diagnostics first). Nesting is bounded by the parser's depth limit.
    public init(_ node: SyntaxNode) {
        switch node.kind {
        case .object:
            self = .object(node.members.map { ($0.name, JSONValue($0.value)) })
        case .array:
            self = .array(node.elements.map { JSONValue($0) })
        case .string:
            self = .string(node.stringValue ?? "")
        case .number:
            if let i = node.integerValue, !node.flags.contains(.nonIntegerLexeme) || abs(i) < 1 << 53 {
                self = .int(Int(i))
            } else {
                self = .double(node.doubleValue ?? 0)
            }
        case .true: self = .bool(true)
        case .false: self = .bool(false)
        default: self = .null
        }
    }

    /// Parses JSON text; nil plus the first syntax error's message when it is not valid JSON.
    public static func parse(_ bytes: [UInt8], limits: ParseLimits = .default) -> Result<JSONValue, ParseFailure> {
        let tree = SyntaxTree(parsing: bytes, dialect: .json, limits: limits)
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            let p = tree.position(of: error.range.lowerBound, encoding: .utf8)
            return .failure(ParseFailure(message: "\(error.message) at line \(p.line + 1), column \(p.character + 1)"))
        }
        return .success(JSONValue(tree.root))
    }

    public struct ParseFailure: Error, Sendable {
        public var message: String
    }

    /// The value as compact JSON text.
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    public var text: String { String(decoding: serialized, as: UTF8.self) }

    /// The value as compact JSON text in which `<`, `>` and `&` are also escaped (as `\u003c`, `\u003e`,
    /// `\u0026`), so it stays inert wherever it is embedded (an HTML page, a script element, a log viewer).
    public var htmlSafeText: String {
        var out: [UInt8] = []
        write(into: &out, escapingHTML: true)
        return String(decoding: out, as: UTF8.self)
    }

    public func write(into out: inout [UInt8], escapingHTML: Bool = false) {
        switch self {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .int(let i): out.append(contentsOf: Array(String(i).utf8))
        case .double(let d):
            if d.isFinite {
                if d.rounded() == d && abs(d) < 1e15 {
                    out.append(contentsOf: Array(String(Int(d)).utf8))
                } else {
                    out.append(contentsOf: Array("\(d)".utf8))
                }
            } else {
                out.append(contentsOf: Array("null".utf8))
            }
        case .string(let s): JSONValue.writeString(s, into: &out, escapingHTML: escapingHTML)
        case .array(let items):
            out.append(0x5B)
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                v.write(into: &out, escapingHTML: escapingHTML)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            for (i, (k, v)) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSONValue.writeString(k, into: &out, escapingHTML: escapingHTML)
                out.append(0x3A)
                v.write(into: &out, escapingHTML: escapingHTML)
            }
            out.append(0x7D)
        }
    }

    /// Appends `s` as a JSON string: `"` and `\` escaped, `\n` `\r` `\t` in short form, other control
    /// characters as `\u00XX`, and U+2028/U+2029 (legal JSON, but line ends to older JavaScript) escaped;
    /// with `escapingHTML`, also `<`, `>`, `&` and DEL.
    static func writeString(_ s: String, into out: inout [UInt8], escapingHTML: Bool = false) {
        out.append(0x22)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case _ where b < 0x20 || (escapingHTML && (b == 0x3C || b == 0x3E || b == 0x26 || b == 0x7F)):
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                out.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, bytes[i + 2] == 0xA8 ? 0x38 : 0x39])
                i += 3
                continue
            default: out.append(b)
            }
            i += 1
        }
        out.append(0x22)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
    public init(nilLiteral: ()) { self = .null }
}
