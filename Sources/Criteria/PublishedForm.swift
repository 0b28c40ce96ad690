public import JSONSyntax

/// The form a document is published in. Credentials are exchanged sealed (a JAdES signature in JSON
/// serialisation, `{"payload": "…", "signatures": […]}`, or a compact JWS `header.payload.signature`) and
/// sometimes as flattened JSON-LD (`{"@graph": [nodes…]}`); the checks read the credential inside.
public enum PublishedForm: String, Sendable, Hashable {
    /// A JSON-LD document whose root object is the credential (or learning opportunity) itself.
    case plain
    /// JAdES/JWS JSON serialisation: the credential is the `payload` string (JSON text, or base64url).
    case sealedJSON = "sealed-json"
    /// Compact JWS: three base64url parts separated by dots; the credential is the middle one.
    case compactJWS = "compact-jws"
    /// Flattened or compacted JSON-LD with `@graph`: the credential is one node of the graph.
    case graph
}

/// The payload of a sealed document: the credential's bytes, where each of them lies in the file, and
/// where the signature is (for the one information finding on what is not checked).
struct SealedPayload {
    var form: PublishedForm
    /// The decoded payload (the credential's JSON text).
    var bytes: [UInt8]
    /// The file offset of each payload byte (plus one entry for the end). For a JSON-string payload each
    /// byte maps to the first byte of the escape that wrote it; for base64url, to the first character of
    /// the four that encode its group of three bytes.
    var offsets: [Int]
    /// The payload's range in the file (the string with its quotes, or the middle part of a compact JWS).
    var payloadRange: Range<Int>
    /// The signature in the file (the `signatures` or `signature` member's key, or the third part).
    var signatureRange: Range<Int>
    /// How the payload was encoded, in words, for messages.
    var encoding: String

    /// A byte range of the payload as a range of the file.
    func fileRange(_ range: Range<Int>) -> Range<Int> { Self.fileRange(range, offsets) }

    static func fileRange(_ range: Range<Int>, _ offsets: [Int]) -> Range<Int> {
        let lower = offsets[min(max(0, range.lowerBound), offsets.count - 1)]
        guard range.upperBound > range.lowerBound else { return lower..<lower }
        let last = offsets[min(max(0, range.upperBound - 1), offsets.count - 1)]
        // The last byte's escape or base64 group ends where the next byte's starts.
        let next = offsets[min(range.upperBound, offsets.count - 1)]
        return lower..<max(last + 1, next)
    }

    /// The payload of a sealed document, or nil when the document is not sealed (a plain credential, any
    /// other JSON). Cheap for plain documents: only the root's keys or the first byte are looked at.
    static func open(_ tree: SyntaxTree) -> SealedPayload? {
        let root = tree.root
        if root.kind == .object {
            guard let payload = root.value(forKey: "payload"), payload.kind == .string else { return nil }
            let signature = root.members.first { $0.name == "signatures" || $0.name == "signature" || $0.name == "protected" }
            guard let signature else { return nil }
            return decode(payloadNode: payload, tree: tree, signatureRange: signature.key.range)
        }
        return compactJWS(tree.bytes)
    }

    /// A JAdES JSON payload: JSON text in a JSON string (unencoded payload, `b64: false`), or base64url.
    private static func decode(payloadNode: SyntaxNode, tree: SyntaxTree, signatureRange: Range<Int>) -> SealedPayload? {
        let range = payloadNode.range
        guard range.count >= 2 else { return nil }
        let content = (range.lowerBound + 1)..<(range.upperBound - 1)
        let bytes = tree.bytes
        // The first byte of the value that is not white space decides: `{` (escaped or not) is JSON text.
        var i = content.lowerBound
        while i < content.upperBound, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        if i < content.upperBound && bytes[i] == UInt8(ascii: "{") || i + 1 < content.upperBound && bytes[i] == UInt8(ascii: "\\")
        {
            return unescape(bytes, content).map {
                SealedPayload(
                    form: .sealedJSON, bytes: $0.bytes, offsets: $0.offsets, payloadRange: range,
                    signatureRange: signatureRange, encoding: "JSON text")
            }
        }
        guard let decoded = Base64URL.decode(bytes[content], startingAt: content.lowerBound) else { return nil }
        return SealedPayload(
            form: .sealedJSON, bytes: decoded.bytes, offsets: decoded.offsets, payloadRange: range,
            signatureRange: signatureRange, encoding: "base64url")
    }

    /// The content of a JSON string decoded, each byte with the offset of the character (or escape) that
    /// wrote it. Nil on a malformed escape (the parser reports it).
    static func unescape(_ bytes: [UInt8], _ content: Range<Int>) -> (bytes: [UInt8], offsets: [Int])? {
        var out: [UInt8] = []
        var offsets: [Int] = []
        out.reserveCapacity(content.count)
        offsets.reserveCapacity(content.count + 1)
        var i = content.lowerBound
        func hex(_ at: Int) -> UInt32? {
            guard at + 4 <= content.upperBound else { return nil }
            var v: UInt32 = 0
            for b in bytes[at..<(at + 4)] {
                v <<= 4
                switch b {
                case 0x30...0x39: v |= UInt32(b - 0x30)
                case 0x41...0x46: v |= UInt32(b - 0x41 + 10)
                case 0x61...0x66: v |= UInt32(b - 0x61 + 10)
                default: return nil
                }
            }
            return v
        }
        while i < content.upperBound {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                offsets.append(i)
                i += 1
                continue
            }
            guard i + 1 < content.upperBound else { return nil }
            let start = i
            var scalar: UInt32
            switch bytes[i + 1] {
            case UInt8(ascii: "\""): scalar = 0x22
            case UInt8(ascii: "\\"): scalar = 0x5C
            case UInt8(ascii: "/"): scalar = 0x2F
            case UInt8(ascii: "b"): scalar = 0x08
            case UInt8(ascii: "f"): scalar = 0x0C
            case UInt8(ascii: "n"): scalar = 0x0A
            case UInt8(ascii: "r"): scalar = 0x0D
            case UInt8(ascii: "t"): scalar = 0x09
            case UInt8(ascii: "u"):
                guard let v = hex(i + 2) else { return nil }
                scalar = v
                i += 4
                if (0xD800..<0xDC00).contains(v), i + 2 < content.upperBound, bytes[i + 2] == UInt8(ascii: "\\"),
                    bytes[i + 3] == UInt8(ascii: "u"), let low = hex(i + 4), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
            default: return nil
            }
            i += 2
            for unit in String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8 {
                out.append(unit)
                offsets.append(start)
            }
        }
        offsets.append(content.upperBound)
        return (out, offsets)
    }

    /// `header.payload.signature`, each part base64url (white space around the whole allowed).
    private static func compactJWS(_ bytes: [UInt8]) -> SealedPayload? {
        var start = 0, end = bytes.count
        while start < end, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        while end > start, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
        guard end - start >= 4, bytes[start] == UInt8(ascii: "e") else { return nil }  // a JOSE header is `{"…`: base64 `ey`
        var dots: [Int] = []
        for i in start..<end {
            let b = bytes[i]
            if b == UInt8(ascii: ".") {
                dots.append(i)
            } else if !Base64URL.isAlphabet(b) {
                return nil
            }
        }
        guard dots.count == 2 else { return nil }
        let payload = (dots[0] + 1)..<dots[1]
        guard let decoded = Base64URL.decode(bytes[payload], startingAt: payload.lowerBound) else { return nil }
        return SealedPayload(
            form: .compactJWS, bytes: decoded.bytes, offsets: decoded.offsets, payloadRange: payload,
            signatureRange: (dots[1] + 1)..<end, encoding: "base64url")
    }
}

/// Base64url (RFC 4648 §5) without padding, as JWS writes it; padding `=` is accepted too.
enum Base64URL {
    static func isAlphabet(_ b: UInt8) -> Bool {
        (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) || b == 0x2D || b == 0x5F
    }

    private static func value(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x41...0x5A: UInt32(b - 0x41)
        case 0x61...0x7A: UInt32(b - 0x61 + 26)
        case 0x30...0x39: UInt32(b - 0x30 + 52)
        case 0x2D, 0x2B: 62  // `-` (and `+` of plain base64)
        case 0x5F, 0x2F: 63  // `_` (and `/`)
        default: nil
        }
    }

    /// The decoded bytes with, for each, the offset of the first character of its group of four.
    static func decode(_ text: ArraySlice<UInt8>, startingAt base: Int) -> (bytes: [UInt8], offsets: [Int])? {
        var chars = Array(text)
        while chars.last == UInt8(ascii: "=") { chars.removeLast() }
        guard !chars.isEmpty, chars.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var offsets: [Int] = []
        out.reserveCapacity(chars.count * 3 / 4)
        var group = 0
        while group < chars.count {
            let part = chars[group..<min(group + 4, chars.count)]
            var v: UInt32 = 0
            for c in part {
                guard let d = value(c) else { return nil }
                v = v << 6 | d
            }
            let count = part.count - 1  // 4 characters give 3 bytes, 3 give 2, 2 give 1
            v <<= UInt32(6 * (4 - part.count))
            for k in 0..<count {
                out.append(UInt8((v >> UInt32(16 - 8 * k)) & 0xFF))
                offsets.append(base + group)
            }
            group += 4
        }
        offsets.append(base + chars.count)
        return (out, offsets)
    }
}

/// A flattened JSON-LD document (`@graph`): the node that is the credential or learning opportunity.
enum GraphDocument {
    /// The graph's node of `kind`'s root class, or nil when the document has no `@graph` holding one.
    static func mainNode(_ tree: SyntaxTree) -> (node: SyntaxNode, kind: DocumentKind)? {
        let root = tree.root
        guard root.kind == .object, let graph = root.value(forKey: "@graph"), graph.kind == .array else { return nil }
        for node in graph.elements where node.kind == .object {
            let type = node.value(forKey: "type") ?? node.value(forKey: "@type")
            let types =
                type.map { $0.kind == .array ? $0.elements.compactMap(\.stringValue) : [$0.stringValue].compactMap { $0 } } ?? []
            if types.contains(where: {
                $0 == "EuropeanDigitalCredential" || $0.hasSuffix("/EuropeanDigitalCredential")
                    || $0.hasSuffix(":EuropeanDigitalCredential")
            }) {
                return (node, .credential)
            }
            if types.contains(where: {
                $0 == "LearningOpportunity" || $0.hasSuffix("/LearningOpportunity") || $0.hasSuffix(":LearningOpportunity")
            }) {
                return (node, .learningOpportunity)
            }
        }
        return nil
    }

    /// Why a graph's node cannot be checked as it is written, or nil when it can: ECCOE reads JSON-LD compacted
    /// with the EDC context (keys such as `title`, `id`, `type`); expanded or prefixed terms it does not read.
    static func unsupportedReason(_ node: SyntaxNode) -> String? {
        let names = node.members.map(\.name)
        if names.contains("@type") || names.contains("@id") || names.contains(where: { $0.contains(":") }) {
            return
                "its keys are expanded or prefixed JSON-LD terms (`@id`, `@type`, `elm:title`, full IRIs); ECCOE reads JSON-LD compacted with the EDC context http://data.europa.eu/snb/model/context/edc-ap (keys such as `id`, `type`, `title`): compact it with that context to have it checked"
        }
        return nil
    }
}

/// The credential inside a sealed document as editor features see it: its own syntax tree, and the mapping
/// between its offsets and the file's (hover and go-to-definition work inside a seal's payload string).
public struct SealedDocument: Sendable {
    /// The payload parsed: the credential (or whatever the payload holds).
    public let tree: SyntaxTree
    /// The payload's range in the file.
    public let payloadRange: Range<Int>
    /// The file offset of each payload byte, plus one for the end (non-decreasing).
    let offsets: [Int]

    /// The payload offset of a file offset inside the payload (the payload byte whose character or escape
    /// covers it), or nil outside the payload.
    public func payloadOffset(forFileOffset offset: Int) -> Int? {
        guard payloadRange.contains(offset), let first = offsets.first, offset >= first, offsets.count > 1 else { return nil }
        // The last byte whose character starts at or before the offset.
        var low = 0, high = offsets.count - 2
        while low < high {
            let mid = (low + high + 1) / 2
            if offsets[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// A range of the payload as a range of the file.
    public func fileRange(_ range: Range<Int>) -> Range<Int> { SealedPayload.fileRange(range, offsets) }
}

extension CriteriaEngine {
    /// The payload of a sealed document (JAdES JSON or compact JWS) with its offsets in the file; nil for a
    /// document that is not sealed (cheap: only the root's keys or first byte are looked at).
    public func sealedDocument(_ tree: SyntaxTree) -> SealedDocument? {
        guard Self.mayBeWrapped(tree), let sealed = SealedPayload.open(tree) else { return nil }
        return SealedDocument(tree: SyntaxTree(parsing: sealed.bytes), payloadRange: sealed.payloadRange, offsets: sealed.offsets)
    }
}
