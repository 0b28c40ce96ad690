/// Proactive negotiation of a page's language from `Accept-Language` (RFC 9110 §12.5.4, basic filtering of
/// RFC 4647 §3.3.1): the available tag the client weights highest, ties in the client's order.
public enum LanguageNegotiation {
    /// At most this many language ranges of one header are considered (the rest are ignored).
    public static let maxRanges = 32

    /// The available language the header prefers, or nil when it names none of them (or is absent). A range
    /// matches a tag equal to it or starting with it and a hyphen (`fr` matches `fr-BE`); a tag also matches a
    /// range that extends it (`fr-BE` in the header matches `fr` on offer). `*` matches the first available.
    /// Comparison ignores case; `q=0` excludes.
    public static func choose(acceptLanguage header: String?, available: [String]) -> String? {
        guard let header, !available.isEmpty else { return nil }
        var ranges: [(range: String, q: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").prefix(maxRanges).enumerated() {
            let pieces = part.split(separator: ";")
            guard let first = pieces.first else { continue }
            let range = first.trimmingSpaces.lowercased()
            guard !range.isEmpty, range.utf8.count <= 35 else { continue }
            var q = 1.0
            for p in pieces.dropFirst() {
                let kv = p.trimmingSpaces
                if kv.hasPrefix("q=") || kv.hasPrefix("Q=") { q = Double(kv.dropFirst(2)) ?? 0 }
            }
            guard q > 0, q <= 1 else { continue }
            ranges.append((range, q, order))
        }
        ranges.sort { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }
        for r in ranges {
            if r.range == "*" { return available[0] }
            if let exact = available.first(where: { $0.lowercased() == r.range }) { return exact }
            if let wider = available.first(where: { $0.lowercased().hasPrefix(r.range + "-") }) { return wider }
            if let primary = r.range.split(separator: "-").first,
                let base = available.first(where: { $0.lowercased() == primary })
            {
                return base
            }
        }
        return nil
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
