import PercentEncoding

/// A URI reference split into its RFC 3986 components, with reference resolution (§5.2) and the
/// light normalisation schema identifiers need (lower-case scheme and host, dot segments removed,
/// an empty fragment dropped). Components keep their percent-encoding; only fragments are decoded,
/// by `decodedFragment`, when they are read as JSON Pointers.
public struct URIReference: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String?
    public var authority: String?
    public var path: String
    public var query: String?
    public var fragment: String?

    public init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
        self.scheme = scheme
        self.authority = authority
        self.path = path
        self.query = query
        self.fragment = fragment
    }

    /// Splits `text` by the grammar of RFC 3986 appendix B (which accepts any string).
    public init(_ text: String) {
        var rest = Substring(text)
        fragment = nil
        query = nil
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        scheme = nil
        if let colon = rest.firstIndex(of: ":"), colon != rest.startIndex {
            let candidate = rest[..<colon]
            if candidate.first!.isASCIILetter,
                candidate.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "+" || $0 == "-" || $0 == "." })
            {
                scheme = candidate.lowercased()
                rest = rest[rest.index(after: colon)...]
            }
        }
        authority = nil
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = URIReference.normaliseAuthority(String(rest[..<end]))
            rest = rest[end...]
        }
        path = String(rest)
    }

    /// True when the reference has a scheme (an absolute URI, possibly with a fragment).
    public var isAbsolute: Bool { scheme != nil }

    /// The reference without its fragment.
    public var withoutFragment: URIReference {
        var copy = self
        copy.fragment = nil
        return copy
    }

    public var description: String {
        var out = ""
        if let scheme { out += scheme + ":" }
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        if let fragment, !fragment.isEmpty { out += "#" + fragment }
        return out
    }

    /// Resolves this reference against `base` (RFC 3986 §5.2.2, strict), normalising the result.
    public func resolved(against base: URIReference) -> URIReference {
        var target: URIReference
        if scheme != nil {
            target = URIReference(
                scheme: scheme, authority: authority, path: URIReference.removeDotSegments(path),
                query: query, fragment: fragment)
        } else if authority != nil {
            target = URIReference(
                scheme: base.scheme, authority: authority, path: URIReference.removeDotSegments(path),
                query: query, fragment: fragment)
        } else if path.isEmpty {
            target = URIReference(
                scheme: base.scheme, authority: base.authority, path: base.path,
                query: query ?? base.query, fragment: fragment)
        } else {
            let merged: String
            if path.hasPrefix("/") {
                merged = path
            } else if base.authority != nil && base.path.isEmpty {
                merged = "/" + path
            } else if let slash = base.path.lastIndex(of: "/") {
                merged = base.path[...slash] + path
            } else {
                merged = path
            }
            target = URIReference(
                scheme: base.scheme, authority: base.authority,
                path: URIReference.removeDotSegments(merged), query: query, fragment: fragment)
        }
        if target.fragment?.isEmpty == true { target.fragment = nil }
        return target
    }

    /// Resolves a reference string against a base URI string.
    public static func resolve(_ reference: String, against base: String) -> URIReference {
        URIReference(reference).resolved(against: URIReference(base))
    }

    /// The fragment with percent-escapes decoded (invalid escapes are kept as written).
    public var decodedFragment: String? { fragment.map(PercentEncoding.decode) }

    static func normaliseAuthority(_ authority: String) -> String {
        // Lower-case the host only: user info is case-sensitive.
        if let at = authority.lastIndex(of: "@") {
            return String(authority[...at]) + authority[authority.index(after: at)...].lowercased()
        }
        return authority.lowercased()
    }

    /// RFC 3986 §5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        var result = ""
        while !input.isEmpty {
            if input.hasPrefix("../") {
                input = input.dropFirst(3)
            } else if input.hasPrefix("./") {
                input = input.dropFirst(2)
            } else if input.hasPrefix("/./") {
                input = input.dropFirst(2)
            } else if input == "/." {
                input = "/"
            } else if input.hasPrefix("/../") {
                input = input.dropFirst(3)
                if !output.isEmpty { output.removeLast() }
            } else if input == "/.." {
                input = "/"
                if !output.isEmpty { output.removeLast() }
            } else if input == "." || input == ".." {
                input = ""
            } else {
                var end = input.index(after: input.startIndex)
                if input.first != "/" { end = input.startIndex }
                end = input[end...].firstIndex(of: "/") ?? input.endIndex
                output.append(input[..<end])
                input = input[end...]
            }
        }
        for segment in output { result += segment }
        return result
    }

    /// Percent-encodes the characters a JSON Pointer fragment may not hold literally (RFC 3986 §3.5:
    /// unreserved characters, sub-delimiters, `:`, `@`, `/` and `?` stay).
    static func encodeFragment(_ pointer: String) -> String {
        PercentEncoding.encode(pointer) { PercentEncoding.isUnreserved($0) || fragmentSafe.contains($0) }
    }

    private static let fragmentSafe = Set("!$&'()*+,;=:@/?".utf8)
}

extension Character {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
