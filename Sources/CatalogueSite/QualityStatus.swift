import Criteria
import JSONSyntax

/// The criteria a catalogue reports on: those of the catalogue that apply to learning opportunities on
/// their own (the LO- criteria and the data-quality criteria shared with other kinds), in catalogue order.
struct QualityCriteria: Sendable {
    let criteria: [Criterion]
    private let positions: [String: Int]

    init(catalogue: Catalogue) {
        criteria = catalogue.criteria(for: .learningOpportunity).filter { !$0.isWorkspaceScoped }
        var positions: [String: Int] = [:]
        for (i, c) in criteria.enumerated() { positions[c.id] = i }
        self.positions = positions
    }

    func position(of id: String) -> Int? { positions[id] }

    /// How many criteria of each level there are.
    func count(_ level: CriterionLevel) -> Int { criteria.filter { $0.level == level }.count }
}

/// Where a learning opportunity stands: which criteria it misses (positions in `QualityCriteria`, in order).
struct QualityStatus: Sendable, Hashable {
    var missed: [Int]

    enum Category: Int, Sendable, CaseIterable, Comparable {
        /// Every criterion met.
        case complete
        /// Every mandatory criterion met; a recommended or optional one missed.
        case mandatoryMet
        /// At least one mandatory criterion missed.
        case mandatoryMissed

        static func < (a: Category, b: Category) -> Bool { a.rawValue < b.rawValue }

        var words: String {
            switch self {
            case .complete: "Meets every criterion"
            case .mandatoryMet: "Meets every mandatory criterion"
            case .mandatoryMissed: "Misses a mandatory criterion"
            }
        }

        /// The CSS class of the status badge.
        var cssClass: String {
            switch self {
            case .complete: "status-complete"
            case .mandatoryMet: "status-met"
            case .mandatoryMissed: "status-missed"
            }
        }
    }

    func category(_ criteria: QualityCriteria) -> Category {
        if missed.isEmpty { return .complete }
        return missed.contains { criteria.criteria[$0].level == .mandatory } ? .mandatoryMissed : .mandatoryMet
    }

    func missedCount(_ level: CriterionLevel, _ criteria: QualityCriteria) -> Int {
        missed.filter { criteria.criteria[$0].level == level }.count
    }

    /// Short words for a table cell: "Meets every criterion", "Misses 2 mandatory, 1 recommended".
    func summary(_ criteria: QualityCriteria) -> String {
        if missed.isEmpty { return Category.complete.words }
        var parts: [String] = []
        for level in CriterionLevel.allCases {
            let n = missedCount(level, criteria)
            if n > 0 { parts.append("\(n) \(level.rawValue)") }
        }
        return "Misses " + parts.joined(separator: ", ")
    }
}

/// The findings of one document grouped under the criteria they fall under, for its page.
struct QualityReport: Sendable {
    struct Note: Sendable, Hashable {
        var message: String
        /// 1-based line in the published document.
        var line: Int
    }

    /// Findings per missed criterion (positions in `QualityCriteria`), in document order.
    var findings: [Int: [Note]] = [:]
    /// Findings under no criterion of the list (JSON syntax warnings, a capped list's note).
    var other: [Note] = []

    var status: QualityStatus { QualityStatus(missed: findings.keys.sorted()) }

    init(_ list: [Finding], tree: SyntaxTree, criteria: QualityCriteria) {
        for f in list {
            let note = Note(message: f.message, line: tree.position(of: f.range.lowerBound, encoding: .utf8).line + 1)
            if let id = f.criterionID, let position = criteria.position(of: id) {
                if !(findings[position]?.contains(note) ?? false) { findings[position, default: []].append(note) }
            } else if !other.contains(note) {
                other.append(note)
            }
        }
    }
}
