public import JSONSyntax

/// The link from a diagnostic to the public consultation's form, for the "Comment on MC-07 in the consultation"
/// action: the form's URL from the user's settings (`eccoe.consultationUrl`) with the criterion as a query
/// parameter and a fragment, `https://consult.example.eu/?criterion=MC-07#criterion-MC-07` (`&criterion=` when
/// the URL has a query already). Nothing else goes into it: no document text, path or token. A URL that carries
/// a user name or password is refused, since the editor would hand it to a browser on every click.
public enum ConsultationLink {
    /// The longest form URL accepted (browsers and servers commonly refuse much longer request lines).
    public static let maxURLBytes = 2_048
    /// The longest criterion ID put into a link (the catalogue's are like `MC-07`).
    public static let maxCriterionBytes = 16

    /// The setting's value: the form URL to use, or why the value given was refused. An absent, null or empty
    /// value is no setting (no action, no complaint).
    public static func setting(_ value: JSONValue?) -> (url: String?, problem: String?) {
        guard let value, !value.isNull else { return (nil, nil) }
        guard let text = value.stringValue else {
            return (nil, "eccoe.consultationUrl must be a string (an http or https URL); it is ignored")
        }
        let trimmed = String(decoding: Array(text.utf8).trimmedASCIIWhitespace, as: UTF8.self)
        if trimmed.isEmpty { return (nil, nil) }
        switch base(trimmed) {
        case .success(let url): return (url, nil)
        case .failure(let problem): return (nil, "eccoe.consultationUrl \(problem.reason); it is ignored")
        }
    }

    public struct Problem: Error, Equatable {
        public var reason: String
    }

    /// The form URL without its fragment, if it is an absolute http or https URL with a host, no user name or
    /// password, no spaces or control characters, and at most `maxURLBytes` bytes.
    public static func base(_ url: String) -> Result<String, Problem> {
        let bytes = Array(url.utf8)
        guard bytes.count <= maxURLBytes else { return .failure(Problem(reason: "is longer than \(maxURLBytes) bytes")) }
        guard !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            return .failure(Problem(reason: "holds a space or a control character (percent-encode it)"))
        }
        let lower = url.lowercased()
        let schemeLength: Int
        if lower.hasPrefix("https://") {
            schemeLength = 8
        } else if lower.hasPrefix("http://") {
            schemeLength = 7
        } else {
            return .failure(Problem(reason: "must start with https:// or http://"))
        }
        let withoutFragment = bytes.split(separator: UInt8(ascii: "#"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        let rest = withoutFragment.dropFirst(schemeLength)
        let authority = rest.prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") }
        guard !authority.isEmpty, authority.first != UInt8(ascii: ":") else { return .failure(Problem(reason: "has no host")) }
        guard !authority.contains(UInt8(ascii: "@")) else {
            return .failure(Problem(reason: "holds a user name or password, which the editor would hand to the browser"))
        }
        return .success(String(decoding: withoutFragment, as: UTF8.self))
    }

    /// Whether `id` may go into a link: letters, digits and hyphens, at most `maxCriterionBytes`.
    public static func isCriterionID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        return !bytes.isEmpty && bytes.count <= maxCriterionBytes
            && bytes.allSatisfy {
                ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
            }
    }

    /// The link to criterion `id` in the form at `base` (a value `base(_:)` accepted).
    public static func link(base: String, criterion id: String) -> String {
        let separator: String
        if !base.contains("?") {
            separator = "?"
        } else if base.hasSuffix("?") || base.hasSuffix("&") {
            separator = ""
        } else {
            separator = "&"
        }
        return base + separator + "criterion=" + id + "#criterion-" + id
    }
}

extension Array where Element == UInt8 {
    /// Without the spaces, tabs and line breaks at either end.
    fileprivate var trimmedASCIIWhitespace: ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return [] }
        return self[first...last]
    }
}
