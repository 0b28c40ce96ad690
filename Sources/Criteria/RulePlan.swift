import JSONSchema
import Synchronization

/// What the engine works out once from the catalogue, so that a check does not re-read it per rule or per
/// schema error: the rules that apply to each kind (in table order: the schema rule apart from the others),
/// and for each kind the mandatory, document-scoped criteria with their elmPaths, which the schema rule uses to
/// attribute a violation.
struct RulePlan: Sendable {
    /// The rules of one kind, in table order.
    struct KindRules: Sendable {
        var schema: [SchemaConformanceRule] = []
        var others: [any Rule] = []
    }

    /// One mandatory criterion that a schema violation may be attributed to.
    struct Candidate: Sendable {
        let id: String
        let claimTypes: [String]
        let elmPaths: [String]
    }

    /// Schema-error attributions made so far, shared by every check of the engine.
    let attributionCache = AttributionCache()
    /// What each rule cost in the latest parallel check of each kind, for ordering the next one.
    let ruleCosts = RuleCosts()
    private(set) var rules: [DocumentKind: KindRules] = [:]
    private(set) var candidates: [DocumentKind: [Candidate]] = [:]

    init(catalogue: Catalogue) {
        for kind in DocumentKind.allCases {
            var planned = KindRules()
            for rule in RuleTable.documentRules {
                guard let criterion = catalogue[rule.criterionID], criterion.kinds.contains(kind) else { continue }
                if let schemaRule = rule as? SchemaConformanceRule {
                    planned.schema.append(schemaRule)
                } else {
                    planned.others.append(rule)
                }
            }
            rules[kind] = planned
            candidates[kind] = catalogue.criteria
                .filter { $0.level == .mandatory && !$0.isWorkspaceScoped && $0.kinds.contains(kind) }
                .map { Candidate(id: $0.id, claimTypes: $0.claimTypes, elmPaths: $0.elmPaths) }
        }
    }
}

/// The attributions of schema errors to criteria (`SchemaConformanceRule.AttributionMemo`) made by earlier
/// checks, per kind. They are facts about the schemas and the catalogue, so they hold for every document;
/// the mutex is their one owner (checks run on any thread). Bounded: past `limit` entries per kind, new
/// ones are not kept (a document with thousands of unknown property names does not grow it without end).
final class AttributionCache: Sendable {
    private let memos = Mutex<[DocumentKind: SchemaConformanceRule.AttributionMemo]>([:])
    static let limit = 4_096

    func memo(for kind: DocumentKind) -> SchemaConformanceRule.AttributionMemo {
        memos.withLock { $0[kind] ?? SchemaConformanceRule.AttributionMemo() }
    }

    func store(_ memo: SchemaConformanceRule.AttributionMemo, for kind: DocumentKind) {
        guard memo.count <= Self.limit else { return }
        memos.withLock { $0[kind] = memo }
    }
}

/// How long each rule (other than schema validation) of a kind took in the latest check that ran its rules in
/// parallel, to cut the next one into units of work: the slowest rules first, each on its own, so that the
/// threads finish close together; the cheap ones packed into units of about `quantum`, since each unit has a
/// fixed cost (its context, the hand-over). Only the grouping and order of work depend on it, never the
/// findings. The mutex is its one owner.
final class RuleCosts: Sendable {
    private let costs = Mutex<[DocumentKind: [UInt64]]>([:])
    /// The work (nanoseconds) a unit of cheap rules is packed up to; a rule that took longer has a unit of its own.
    static let quantum: UInt64 = 25_000

    /// The rule positions `0..<count` cut into units, in the order to start them: before any measure, one unit
    /// per rule in table order; after, slowest first, the rules cheaper than `quantum` packed together.
    func units(kind: DocumentKind, count: Int) -> [[Int]] {
        let known = costs.withLock { $0[kind] } ?? []
        guard known.count == count else { return (0..<count).map { [$0] } }
        let order = (0..<count).sorted { known[$0] != known[$1] ? known[$0] > known[$1] : $0 < $1 }
        var units: [[Int]] = []
        var packed: [Int] = []
        var packedCost: UInt64 = 0
        for rule in order {
            if known[rule] >= Self.quantum {
                units.append([rule])
                continue
            }
            if !packed.isEmpty && packedCost + known[rule] > Self.quantum {
                units.append(packed)
                packed = []
                packedCost = 0
            }
            packed.append(rule)
            packedCost += known[rule]
        }
        if !packed.isEmpty { units.append(packed) }
        return units
    }

    func record(_ nanoseconds: [UInt64], kind: DocumentKind) {
        costs.withLock { $0[kind] = nanoseconds }
    }
}
