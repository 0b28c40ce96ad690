import JSONSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
    let strings = ByteTable()
    @exclusivity(unchecked) var others: Set<[UInt8]> = []
    /// Each allowed value as compact JSON text, in schema order, for messages and quick fixes.
    @exclusivity(unchecked) var texts: [String] = []
    /// Per value: a title and description when the set came from `anyOf`/`oneOf` of `const` branches.
    @exclusivity(unchecked) var titles: [String?] = []
    @exclusivity(unchecked) var descriptions: [String?] = []
    /// The string values' JSON texts without their quotes, in schema order, and their scalars (for
    /// "did you mean" hints, worked out once rather than on every failure).
    @exclusivity(unchecked) var candidates: [String] = []
    @exclusivity(unchecked) var candidateScalars: [[Unicode.Scalar]] = []
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
            let text = JSONText.compact(node)
            if text.hasPrefix("\"") {
                let candidate = String(text.dropFirst().dropLast())
                candidates.append(candidate)
                candidateScalars.append(Array(candidate.unicodeScalars))
            }
            texts.append(text)
            titles.append(title)
            descriptions.append(description)
        }
        return fresh
    }

    /// Whether the instance value (node `index` of `tree`, read through `storage`) is in the set.
    /// Instances holding syntax errors count as members, so they draw no second error.
    func contains(_ index: Int, _ storage: NodeStorage, _ tree: SyntaxTree) -> Bool {
        if storage.kind(index) == .string {
            if strings.isEmpty { return false }
            if let raw = storage.rawStringContent(index) { return strings.lookup(raw) != nil }
            let flags = storage.flags(index)
            if flags.contains(.malformed) || flags.contains(.unterminated) { return true }
            var bytes = Array((tree.node(atIndex: index).stringValue ?? "").utf8)
            return bytes.withUnsafeMutableBufferPointer { strings.lookup(UnsafeBufferPointer($0)) != nil }
        }
        let node = tree.node(atIndex: index)
        if others.isEmpty { return node.containsErrors }
        guard let key = CanonicalValue.key(node) else { return true }
        return others.contains(key)
    }
}

/// An open-addressing hash table from byte strings to small integers, probed with borrowed bytes so
/// lookups of property names and enum strings allocate nothing.
///
/// A slot is 32 bytes: the key's length, its value, its first and last eight bytes as words (for keys
/// of up to eight bytes, the first word is all of them) and where its bytes are kept: a probe compares
/// three integers in one slot, which settles keys of up to 16 bytes (most property names and codes);
/// beyond, `memcmp` confirms. A table of one key (a `const`) compares without hashing.
final class ByteTable: @unchecked Sendable {
    /// One key: its length, first and last eight bytes and where its bytes start in `storage`, side by
    /// side so that a probe reads one slot (32 bytes) and, for keys up to 16 bytes, nothing else.
    struct Slot {
        var head: UInt64 = 0
        var tail: UInt64 = 0
        /// -1 for an empty slot.
        var length: Int32 = -1
        var value: Int32 = 0
        var start: Int32 = 0
    }

    // Filled by the compiler while it builds a Program, never mutated once the Program is published.
    @exclusivity(unchecked) private var storage: [UInt8] = []
    @exclusivity(unchecked) private var entries: [Slot] = []
    @exclusivity(unchecked) private var slots: [Slot] = []
    @exclusivity(unchecked) private var mask = 0
    /// 64 minus the number of bits in a slot index.
    @exclusivity(unchecked) private var shift: UInt64 = 63

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    /// Up to this many keys, a lookup compares every key instead of hashing.
    static let linearLimit = 1

    init() {}

    /// A key's first and last bytes as two words: `head` is the whole key up to eight bytes, `head` and
    /// `tail` together up to 16.
    @inline(__always)
    static func words(_ p: UnsafeRawPointer, _ n: Int) -> (head: UInt64, tail: UInt64) {
        if n >= 8 { return (p.loadUnaligned(as: UInt64.self), p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) }
        if n >= 4 {
            return (
                UInt64(p.loadUnaligned(as: UInt32.self)) | UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32,
                0
            )
        }
        if n == 0 { return (0, 0) }
        let a = UInt64(p.load(fromByteOffset: 0, as: UInt8.self))
        let b = UInt64(p.load(fromByteOffset: n / 2, as: UInt8.self))
        let c = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
        return (a | b << 8 | c << 16, 0)
    }

    /// A key's hash: its words folded together, then one multiplication whose high bits pick the slot
    /// (`slotIndex`). Keys over 16 bytes also fold in the words between head and tail.
    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int, _ head: UInt64, _ tail: UInt64) -> UInt64 {
        var x = head ^ (tail << 29 | tail >> 35) ^ UInt64(truncatingIfNeeded: n) << 56
        if n > 16 {
            var i = 8
            while i < n - 8 {
                x = (x ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01B3 &+ (x >> 29)
                i += 8
            }
        }
        return x &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    private func slotIndex(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h &>> shift) }

    /// Inserts `key` with `value` unless present; returns whether it was inserted.
    @discardableResult
    func insert(_ key: [UInt8], value: Int32) -> Bool {
        if key.withUnsafeBufferPointer({ lookup($0) }) != nil { return false }
        let (head, tail) = key.withUnsafeBytes { ByteTable.words($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, key.count) }
        let entry = Slot(head: head, tail: tail, length: Int32(key.count), value: value, start: Int32(storage.count))
        storage.append(contentsOf: key)
        entries.append(entry)
        if entries.count * 2 > slots.count { rehash() } else { place(entry) }
        return true
    }

    private func rehash() {
        let size = max(8, (entries.count * 4).nextPowerOfTwo)
        slots = Array(repeating: Slot(), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        for entry in entries { place(entry) }
    }

    private func place(_ entry: Slot) {
        let h = storage.withUnsafeBytes { raw in
            // An empty key reads no bytes, so any address does when the storage is empty.
            ByteTable.hash(
                (raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!) + Int(entry.start), Int(entry.length),
                entry.head, entry.tail)
        }
        var slot = slotIndex(h)
        while slots[slot].length >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// The value stored for the bytes `key`, if any. Inlined: it runs for nearly every member and string.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        if entries.isEmpty { return nil }
        let n = key.count
        guard let base = key.baseAddress else { return lookupEmpty() }
        let p = UnsafeRawPointer(base)
        let (head, tail) = ByteTable.words(p, n)
        if entries.count <= ByteTable.linearLimit {
            // One key (a `const`): comparing it costs less than hashing.
            return entries.withUnsafeBufferPointer { entries -> Int32? in
                for entry in entries where Int(entry.length) == n && entry.head == head && entry.tail == tail {
                    if n <= 16 { return entry.value }
                    let start = Int(entry.start)
                    if storage.withUnsafeBufferPointer({ memcmp($0.baseAddress! + start, p, n) == 0 }) { return entry.value }
                }
                return nil
            }
        }
        let h = ByteTable.hash(p, n, head, tail)
        return slots.withUnsafeBufferPointer { slots -> Int32? in
            var i = slotIndex(h)
            while true {
                let slot = slots[i]
                if slot.length < 0 { return nil }
                if Int(slot.length) == n && slot.head == head && slot.tail == tail {
                    if n <= 16 { return slot.value }
                    let start = Int(slot.start)
                    let equal = storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, p, n) == 0 }
                    if equal { return slot.value }
                }
                i = (i + 1) & mask
            }
        }
    }

    private func lookupEmpty() -> Int32? {
        let empty: [UInt8] = [0]
        return empty.withUnsafeBufferPointer { lookup(UnsafeBufferPointer(rebasing: $0[0..<0])) }
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
