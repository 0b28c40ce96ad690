#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSONSyntax

/// A JSON value's identity under JSON Schema equality (`enum`, `const`, `uniqueItems`): numbers equal by
/// mathematical value (`1` and `1.0`), strings by their decoded code points, objects regardless of
/// member order (the last of repeated keys wins). Encoded as bytes so sets of values hash cheaply.
enum CanonicalValue {
    /// The canonical bytes of `node`, or nil when it holds a syntax error (such values equal nothing).
    static func key(_ node: SyntaxNode) -> [UInt8]? {
        var out: [UInt8] = []
        return append(node, to: &out) ? out : nil
    }

    static func append(_ node: SyntaxNode, to out: inout [UInt8]) -> Bool {
        switch node.kind {
        case .null: out.append(UInt8(ascii: "n"))
        case .true: out.append(UInt8(ascii: "t"))
        case .false: out.append(UInt8(ascii: "f"))
        case .number:
            guard let d = node.decimalValue else { return false }
            appendNumber(d, to: &out)
        case .string:
            if node.flags.contains(.malformed) || node.flags.contains(.unterminated) { return false }
            appendString(Array((node.stringValue ?? "").utf8), to: &out)
        case .array:
            if node.flags.contains(.unterminated) { return false }
            out.append(UInt8(ascii: "["))
            for element in node.elements where !append(element, to: &out) { return false }
            out.append(UInt8(ascii: "]"))
        case .object:
            if node.flags.contains(.unterminated) { return false }
            var entries: [[UInt8]: [UInt8]] = [:]
            for member in node.members {
                guard member.key.kind == .string else { return false }
                var value: [UInt8] = []
                guard append(member.value, to: &value) else { return false }
                entries[Array(member.name.utf8)] = value
            }
            out.append(UInt8(ascii: "{"))
            for key in entries.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                appendString(key, to: &out)
                out.append(contentsOf: entries[key]!)
            }
            out.append(UInt8(ascii: "}"))
        case .document, .error, .missing:
            return false
        }
        return true
    }

    static func appendString(_ utf8: [UInt8], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "s"))
        out.append(contentsOf: String(utf8.count).utf8)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: utf8)
    }

    static func appendNumber(_ d: ExactDecimal, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "#"))
        if d.negative { out.append(UInt8(ascii: "-")) }
        for digit in d.digits { out.append(digit + 0x30) }
        out.append(UInt8(ascii: "e"))
        out.append(contentsOf: String(d.exponent).utf8)
        out.append(UInt8(ascii: ";"))
    }
}

/// A set of JSON values for `enum` and `const`. Strings (the common case) live in a byte table looked
/// up straight from the instance's source bytes; other values by canonical key.
final class ValueSet: @unchecked Sendable {
    // Filled by the compiler while it builds a Program, never mutated once the Program is published;
    // exclusivity checks would only cost time on every lookup.
    @exclusivity(unchecked) var strings = ByteTable()
    @exclusivity(unchecked) var others: Set<[UInt8]> = []
    /// Each allowed value as compact JSON text, in schema order, for messages and quick fixes.
    @exclusivity(unchecked) var texts: [String] = []
    /// Per value: a title and description when the set came from `anyOf`/`oneOf` of `const` branches.
    @exclusivity(unchecked) var titles: [String?] = []
    @exclusivity(unchecked) var descriptions: [String?] = []
    /// The string values in schema order (for "did you mean" style hints).
    var count: Int { texts.count }

    /// Adds a value; returns false when it was already present.
    init() {}

    @discardableResult
    func insert(_ node: SyntaxNode, title: String? = nil, description: String? = nil) -> Bool {
        let fresh: Bool
        if node.kind == .string, let s = node.stringValue {
            fresh = strings.insert(Array(s.utf8), value: Int32(texts.count))
        } else if let key = CanonicalValue.key(node) {
            fresh = others.insert(key).inserted
        } else {
            return false
        }
        if fresh {
            texts.append(JSONText.compact(node))
            titles.append(title)
            descriptions.append(description)
        }
        return fresh
    }

    /// Whether the instance value is in the set. Instances holding syntax errors count as members, so
    /// they draw no second error.
    func contains(_ node: SyntaxNode, in buf: UnsafeBufferPointer<UInt8>) -> Bool {
        if node.kind == .string {
            if strings.isEmpty { return false }
            let flags = node.flags
            if !flags.contains(.hasEscapes) && !flags.contains(.unterminated) {
                let r = node.range
                return strings.lookup(UnsafeBufferPointer(rebasing: buf[(r.lowerBound + 1)..<(r.upperBound - 1)])) != nil
            }
            if flags.contains(.malformed) || flags.contains(.unterminated) { return true }
            var bytes = Array((node.stringValue ?? "").utf8)
            return bytes.withUnsafeMutableBufferPointer { strings.lookup(UnsafeBufferPointer($0)) != nil }
        }
        if others.isEmpty { return node.containsErrors }
        guard let key = CanonicalValue.key(node) else { return true }
        return others.contains(key)
    }
}

/// An open-addressing hash table from byte strings to small integers, probed with borrowed bytes so
/// lookups of property names and enum strings allocate nothing.
final class ByteTable: @unchecked Sendable {
    // Filled by the compiler while it builds a Program, never mutated once the Program is published.
    @exclusivity(unchecked) private var storage: [UInt8] = []
    @exclusivity(unchecked) private var starts: [Int32] = []
    @exclusivity(unchecked) private var ends: [Int32] = []
    @exclusivity(unchecked) private var values: [Int32] = []
    @exclusivity(unchecked) private var slots: [Int32] = []
    @exclusivity(unchecked) private var mask = 0

    var isEmpty: Bool { starts.isEmpty }
    var count: Int { starts.count }

    init() {}

    static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        var i = 0
        let n = p.count
        if let base = p.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = (h ^ w) &* 0x100_0000_01B3 &+ (h >> 29)
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        }
        h ^= h >> 32
        h = h &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// Inserts `key` with `value` unless present; returns whether it was inserted.
    @discardableResult
    func insert(_ key: [UInt8], value: Int32) -> Bool {
        if key.withUnsafeBufferPointer({ lookup($0) }) != nil { return false }
        starts.append(Int32(storage.count))
        storage.append(contentsOf: key)
        ends.append(Int32(storage.count))
        values.append(value)
        if starts.count * 2 > slots.count { rehash() } else { place(starts.count - 1) }
        return true
    }

    private func rehash() {
        let size = max(8, (starts.count * 4).nextPowerOfTwo)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for entry in 0..<starts.count { place(entry) }
    }

    private func place(_ entry: Int) {
        let h = storage.withUnsafeBufferPointer {
            ByteTable.hash(UnsafeBufferPointer(rebasing: $0[Int(starts[entry])..<Int(ends[entry])]))
        }
        var slot = Int(truncatingIfNeeded: h) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    /// The value stored for the bytes `key`, if any.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if starts.isEmpty { return nil }
        var slot = Int(truncatingIfNeeded: ByteTable.hash(key)) & mask
        return storage.withUnsafeBufferPointer { store -> Int32? in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                let s = Int(starts[entry]), e = Int(ends[entry])
                if e - s == key.count && (key.count == 0 || memcmp(store.baseAddress! + s, key.baseAddress!, key.count) == 0) {
                    return values[entry]
                }
                slot = (slot + 1) & mask
            }
        }
    }

    func lookup(_ key: String) -> Int32? {
        var k = key
        return k.withUTF8 { lookup($0) }
    }
}

extension Int {
    var nextPowerOfTwo: Int {
        var p = 1
        while p < self { p <<= 1 }
        return p
    }
}

/// Renders syntax nodes back to compact JSON text (for messages and quick fixes).
enum JSONText {
    static func compact(_ node: SyntaxNode) -> String {
        var out = ""
        write(node, into: &out)
        return out
    }

    static func write(_ node: SyntaxNode, into out: inout String) {
        switch node.kind {
        case .object:
            out += "{"
            var first = true
            for member in node.members {
                if !first { out += "," }
                first = false
                quote(member.name, into: &out)
                out += ":"
                write(member.value, into: &out)
            }
            out += "}"
        case .array:
            out += "["
            var first = true
            for element in node.elements {
                if !first { out += "," }
                first = false
                write(element, into: &out)
            }
            out += "]"
        case .string: quote(node.stringValue ?? "", into: &out)
        case .number, .true, .false, .null: out += node.sourceText
        default: out += "…"
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
            case _ where u.value < 0x20:
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// A short rendering of an instance value for messages: strings unquoted-in-backticks, long text cut.
    static func preview(_ node: SyntaxNode, limit: Int = 80) -> String {
        let text: String
        switch node.kind {
        case .string: text = node.stringValue ?? ""
        case .object: text = "{…}"
        case .array: text = "[…]"
        default: text = node.sourceText
        }
        if text.count > limit { return String(text.prefix(limit - 1)) + "…" }
        return text
    }
}
