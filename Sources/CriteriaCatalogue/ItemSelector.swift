public import JSONSyntax

/// Which criteria a consultation section rates: its `items` object, read once, with the one rule that both
/// the definition loader (`eccoe serve`) and the checker (CO-03, `eccoe check` and the editor) apply.
///
/// The rule: an explicit `criteria` list picks those criteria in the order given; the filters (`kinds`,
/// `prefixes`, `levels`) pick catalogue criteria in catalogue order; when both are present, the filters
/// narrow the list, and a listed criterion the filters leave out is a mistake of the definition (reported,
/// like an ID the catalogue lacks). Within a filter the values are alternatives; filters combine; a kind
/// that selects nothing together with the other filters is a mistake too.
public struct ItemSelector: Sendable {
    /// The `criteria` list: each entry's node and its string value (nil when it is not a string).
    public let listed: [(node: SyntaxNode, id: String?)]?
    /// The `kinds` filter's entries, with their nodes (to say which one selects nothing).
    public let kindNodes: [SyntaxNode]
    public let kinds: [String]?
    public let prefixes: [String]?
    public let levels: [String]?

    /// Reads an `items` object; nil when `node` is not an object.
    public init?(_ node: SyntaxNode) {
        guard node.kind == .object else { return nil }
        func strings(_ key: String) -> [String]? {
            node.value(forKey: key).map { $0.elements.compactMap(\.stringValue) }
        }
        listed = node.value(forKey: "criteria").map { list in list.elements.map { ($0, $0.stringValue) } }
        kinds = strings("kinds")
        kindNodes = node.value(forKey: "kinds").map { Array($0.elements) } ?? []
        prefixes = strings("prefixes")
        levels = strings("levels")
    }

    /// Whether the filters keep `criterion`; `kinds` overrides the selector's own kinds (CO-03 asks of each
    /// kind alone whether it keeps anything).
    public func filtersKeep(_ criterion: Criterion, kinds: [String]? = nil) -> Bool {
        let kinds = kinds ?? self.kinds
        return (kinds.map { k in criterion.kinds.contains { k.contains($0.rawValue) } } ?? true)
            && (prefixes.map { p in p.contains { criterion.id.hasPrefix($0 + "-") } } ?? true)
            && (levels.map { $0.contains(criterion.level.rawValue) } ?? true)
    }

    /// What the selector picks from `catalogue`, with the listed entries that are not criteria of it and
    /// those the filters leave out.
    public func select(from catalogue: Catalogue) -> Selection {
        var selection = Selection(criteria: [], unknown: [], excluded: [], idleKinds: [])
        // The criteria the filters choose from: the listed ones the catalogue has, or the whole catalogue.
        var pool = catalogue.criteria
        if let listed {
            pool = []
            for (node, id) in listed {
                guard let id, let criterion = catalogue[id] else {
                    selection.unknown.append(node)
                    continue
                }
                pool.append(criterion)
                if filtersKeep(criterion) { selection.criteria.append(criterion) } else { selection.excluded.append(node) }
            }
        } else {
            selection.criteria = pool.filter { filtersKeep($0) }
        }
        selection.idleKinds = kindNodes.filter { node in
            guard let kind = node.stringValue else { return false }
            return !pool.contains { filtersKeep($0, kinds: [kind]) }
        }
        return selection
    }

    /// The result of `select(from:)`.
    public struct Selection: Sendable {
        /// The criteria rated, in the order the section shows them.
        public var criteria: [Criterion]
        /// Entries of the `criteria` list that name no criterion of the catalogue.
        public var unknown: [SyntaxNode]
        /// Entries of the `criteria` list that the section's own filters leave out.
        public var excluded: [SyntaxNode]
        /// Entries of `kinds` that select nothing together with the other filters (and the list, if any).
        public var idleKinds: [SyntaxNode]
    }
}
