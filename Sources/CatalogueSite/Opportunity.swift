import Criteria
import JSONSyntax

/// A concept from a document (`{"id": IRI, "prefLabel": {…}}`) with the label a reader sees: the bundled
/// vocabulary's English label when the IRI is known, else the document's own `prefLabel`, else the IRI.
struct ConceptValue: Sendable, Hashable {
    var iri: String?
    var label: LocalText
}

/// An organisation providing the learning opportunity.
struct Provider: Sendable, Hashable {
    /// What groups the same provider across documents: its `id`, else its name and country.
    var key: String
    var id: String?
    var name: LocalText
    var country: ConceptValue?
    /// The provider's `homepage` when it is an http(s) URL.
    var homepage: String?
}

/// A field of education: its ISCED-F code when the IRI is one, and its label.
struct Field: Sendable, Hashable {
    var code: String?
    var label: LocalText
}

struct Outcome: Sendable {
    var title: LanguageMap
    var skills: [LocalText]
}

struct Assessment: Sendable {
    var title: LocalText?
    var description: LocalText?
    var type: ConceptValue?
    var modes: [ConceptValue]
    var gradingScheme: LocalText?
    var gradingDescription: LocalText?
    /// Supervision and identity verification: the concept and the note that explains it.
    var supervision: [(concept: ConceptValue?, note: LocalText?)]
}

struct Accreditation: Sendable {
    var title: LocalText?
    var type: ConceptValue?
    var agent: LocalText?
    var expiry: String?
}

struct Fee: Sendable {
    var label: LocalText?
    var amount: String?
    var currency: String?
    var description: LocalText?
}

/// Everything a page shows about one learning opportunity, read from its ELM JSON-LD. Reading never
/// fails: what is absent or of the wrong shape is left out (the quality status says what is missing).
struct Opportunity: Sendable {
    var id: String?
    /// The language the page puts first: the document's `defaultLanguage` when its title has a text in
    /// it, else English when it has one, else the title's first language.
    var pageLanguage: String
    var title: LanguageMap
    var description = LanguageMap()
    var type: ConceptValue?
    var providers: [Provider] = []
    var homepages: [String] = []
    var eqfLevel: Int?
    var levels: [ConceptValue] = []
    var fields: [Field] = []
    var languages: [ConceptValue] = []
    var credits: [(points: String, framework: String)] = []
    var workload: String?
    var maximumDuration: String?
    var duration: String?
    var modes: [ConceptValue] = []
    var learningSetting: ConceptValue?
    var outcomes: [Outcome] = []
    var assessments: [Assessment] = []
    var prerequisites: [LanguageMap] = []
    var admission: [LanguageMap] = []
    var accreditations: [Accreditation] = []
    var startDate: String?
    var endDate: String?
    var applicationDeadline: String?
    var fees: [Fee] = []
    var schedule: [LanguageMap] = []
    var isPartialQualification: Bool?

    /// The languages a reader may choose among, the page language first, then in the order the title,
    /// description, outcomes and notes name them.
    var textLanguages: [String] {
        var result = [pageLanguage]
        let maps = [title, description] + outcomes.map(\.title) + prerequisites + admission
        for map in maps { for lang in map.languages where !result.contains(lang) { result.append(lang) } }
        return result
    }

    /// Texts in the page language first, then English, then whatever the map has.
    var preferred: [String] { pageLanguage == "en" ? ["en"] : [pageLanguage, "en"] }

    /// The title shown in lists and the `<h1>`.
    var displayTitle: LocalText {
        title.text(preferring: preferred) ?? LocalText(text: "Untitled learning opportunity", lang: "en")
    }

    /// The ECTS credits, if given.
    var ects: String? { credits.first { $0.framework == Opportunity.ectsIRI }?.points }

    static let ectsIRI = "http://data.europa.eu/snb/education-credit/6fcec5c5af"

    /// Reads the document. `summaryOnly` reads just what the lists need (id, title, providers, fields, EQF
    /// level, credits), for the first pass over a catalogue.
    init(_ tree: SyntaxTree, labels: Labels, summaryOnly: Bool = false) {
        let reader = NodeReader(tree)
        let root = tree.root
        id = root.value(forKey: "id")?.stringValue
        title = LanguageMap(root.value(forKey: "title"))
        let spec = reader.items(root.value(forKey: "learningAchievementSpecification")).first
        if title.isEmpty, let spec { title = LanguageMap(spec.value(forKey: "title")) }
        if !summaryOnly {
            description = LanguageMap(root.value(forKey: "description"))
            if description.isEmpty, let spec { description = LanguageMap(spec.value(forKey: "description")) }
        }
        let defaultLanguage = reader.items(root.value(forKey: "defaultLanguage")).first?.value(forKey: "id")?.stringValue
            .flatMap(labels.languageCode(forIRI:))
        if let d = defaultLanguage, title.text(in: d) != nil {
            pageLanguage = d
        } else if title.text(in: "en") != nil || title.isEmpty {
            pageLanguage = "en"
        } else {
            pageLanguage = title.entries[0].lang
        }
        let prefer = pageLanguage == "en" ? ["en"] : [pageLanguage, "en"]
        func concept(_ node: SyntaxNode) -> ConceptValue? { reader.concept(node, labels: labels, preferring: prefer) }
        func concepts(_ node: SyntaxNode?) -> [ConceptValue] { reader.items(node).compactMap(concept) }
        func note(_ node: SyntaxNode?) -> [LanguageMap] {
            reader.items(node).map { LanguageMap($0.value(forKey: "noteLiteral")) }.filter { !$0.isEmpty }
        }
        func text(_ node: SyntaxNode?) -> LocalText? { LanguageMap(node).text(preferring: prefer) }
        func string(_ node: SyntaxNode?) -> String? {
            guard let s = reader.items(node).first?.stringValue?.trimmed, !s.isEmpty else { return nil }
            return s
        }

        if !summaryOnly { type = reader.items(root.value(forKey: "dcType")).first.flatMap(concept) }
        for org in reader.items(root.value(forKey: "providedBy")) {
            let name =
                LanguageMap(org.value(forKey: "legalName")).text(preferring: prefer)
                ?? LocalText(text: "Unnamed provider", lang: "en")
            var country: ConceptValue?
            for location in reader.items(org.value(forKey: "location")) {
                for address in reader.items(location.value(forKey: "address")) {
                    if country == nil, let code = reader.items(address.value(forKey: "countryCode")).first {
                        country = concept(code)
                    }
                }
            }
            let orgID = org.value(forKey: "id")?.stringValue
            let homepage = reader.items(org.value(forKey: "homepage")).lazy.compactMap {
                $0.value(forKey: "contentURL")?.stringValue
            }
            .first(where: WebLink.isWebURL)
            providers.append(
                Provider(
                    key: orgID.map { "id:" + $0 } ?? "name:\(name.text)\u{1F}\(country?.iri ?? "")",
                    id: orgID, name: name, country: country, homepage: homepage))
        }
        if summaryOnly {
            guard let spec else { return }
            if let level = reader.items(spec.value(forKey: "eqfLevel")).first {
                eqfLevel = level.value(forKey: "id")?.stringValue.flatMap(Labels.eqfLevel)
            }
            readFields(spec, reader: reader, concept: concept)
            readCredits(spec, reader: reader, string: string)
            return
        }
        homepages = reader.items(root.value(forKey: "homepage")).compactMap { $0.value(forKey: "contentURL")?.stringValue }
            .filter(WebLink.isWebURL)
        modes = concepts(root.value(forKey: "mode"))
        duration = string(root.value(forKey: "duration"))
        admission = note(root.value(forKey: "admissionProcedure"))
        schedule = note(root.value(forKey: "scheduleInformation"))
        applicationDeadline = string(root.value(forKey: "applicationDeadline"))
        if let period = reader.items(root.value(forKey: "temporal")).first {
            startDate = string(period.value(forKey: "startDate"))
            endDate = string(period.value(forKey: "endDate"))
        }
        for price in reader.items(root.value(forKey: "priceDetail")) {
            var fee = Fee(label: text(price.value(forKey: "prefLabel")), description: text(price.value(forKey: "description")))
            if let amount = reader.items(price.value(forKey: "amount")).first {
                let value = reader.items(amount.value(forKey: "value")).first
                fee.amount = value?.numberLexeme ?? value?.stringValue
                if let unit = reader.items(amount.value(forKey: "unit")).first, let iri = unit.value(forKey: "id")?.stringValue {
                    fee.currency = iri.split(separator: "/").last.map(String.init)
                }
            }
            if fee.label != nil || fee.amount != nil || fee.description != nil { fees.append(fee) }
        }

        guard let spec else { return }
        if let level = reader.items(spec.value(forKey: "eqfLevel")).first {
            eqfLevel = level.value(forKey: "id")?.stringValue.flatMap(Labels.eqfLevel)
        }
        levels = concepts(spec.value(forKey: "nqfLevel")) + concepts(spec.value(forKey: "educationLevel"))
        readFields(spec, reader: reader, concept: concept)
        languages = concepts(spec.value(forKey: "language"))
        readCredits(spec, reader: reader, string: string)
        workload = string(spec.value(forKey: "volumeOfLearning"))
        maximumDuration = string(spec.value(forKey: "maximumDuration"))
        for mode in concepts(spec.value(forKey: "mode"))
        where !modes.contains(where: { $0.iri == mode.iri && $0.label == mode.label }) {
            modes.append(mode)
        }
        learningSetting = reader.items(spec.value(forKey: "learningSetting")).first.flatMap(concept)
        prerequisites = note(spec.value(forKey: "entryRequirement"))
        isPartialQualification = spec.value(forKey: "isPartialQualification")?.boolValue
        for outcome in reader.items(spec.value(forKey: "learningOutcome")) {
            let skills = concepts(outcome.value(forKey: "relatedESCOSkill")).map(\.label)
            let t = LanguageMap(outcome.value(forKey: "title"))
            if !t.isEmpty { outcomes.append(Outcome(title: t, skills: skills)) }
        }
        for proof in reader.items(spec.value(forKey: "provenBy")) {
            var a = Assessment(
                title: text(proof.value(forKey: "title")), description: text(proof.value(forKey: "description")),
                type: reader.items(proof.value(forKey: "dcType")).first.flatMap(concept),
                modes: concepts(proof.value(forKey: "mode")), supervision: [])
            if let scheme = reader.items(proof.value(forKey: "gradingScheme")).first {
                a.gradingScheme = text(scheme.value(forKey: "title"))
                a.gradingDescription = text(scheme.value(forKey: "description"))
            }
            for n in reader.items(proof.value(forKey: "additionalNote")) {
                let subject = reader.items(n.value(forKey: "subject")).first.flatMap(concept)
                let literal = text(n.value(forKey: "noteLiteral"))
                if subject != nil || literal != nil { a.supervision.append((subject, literal)) }
            }
            assessments.append(a)
        }
        let accreditationNodes =
            reader.items(spec.value(forKey: "accreditation"))
            + reader.items(root.value(forKey: "providedBy")).flatMap { reader.items($0.value(forKey: "accreditation")) }
        for node in accreditationNodes {
            let agent = reader.items(node.value(forKey: "accreditingAgent")).first
            accreditations.append(
                Accreditation(
                    title: text(node.value(forKey: "title")),
                    type: reader.items(node.value(forKey: "dcType")).first.flatMap(concept),
                    agent: agent.flatMap { text($0.value(forKey: "legalName")) },
                    expiry: string(node.value(forKey: "expiryDate"))))
        }
    }
}

extension Opportunity {
    private mutating func readFields(_ spec: SyntaxNode, reader: NodeReader, concept: (SyntaxNode) -> ConceptValue?) {
        for area in reader.items(spec.value(forKey: "thematicArea")) {
            guard let c = concept(area) else { continue }
            let field = Field(code: c.iri.flatMap(Labels.iscedCode), label: c.label)
            if !fields.contains(field) { fields.append(field) }
        }
    }

    private mutating func readCredits(_ spec: SyntaxNode, reader: NodeReader, string: (SyntaxNode?) -> String?) {
        for credit in reader.items(spec.value(forKey: "creditPoint")) {
            guard let points = string(credit.value(forKey: "point")) else { continue }
            let framework = reader.items(credit.value(forKey: "framework")).first?.value(forKey: "id")?.stringValue ?? ""
            credits.append((points, framework))
        }
    }
}

/// Reads ELM JSON-LD nodes: a property may hold one node or an array of them, and a node may be given
/// by its `id` alone when the full node is elsewhere in the document. The index of full nodes by id is made
/// the first time a reference needs it (most documents give every node in full, and never pay for it).
final class NodeReader {
    private let tree: SyntaxTree
    /// Full nodes (objects with an `id` and more than `id` and `type`) by id; the first one wins.
    private lazy var full: [String: SyntaxNode] = {
        var full: [String: SyntaxNode] = [:]
        var stack = [tree.root]
        while let node = stack.popLast() {
            switch node.kind {
            case .object:
                var id: String?
                var others = 0
                for member in node.members {
                    let name = member.name
                    if name == "id" { id = member.value.stringValue } else if name != "type" { others += 1 }
                    if member.value.kind == .object || member.value.kind == .array { stack.append(member.value) }
                }
                if let id, others > 0, full[id] == nil { full[id] = node }
            case .array:
                for element in node.elements where element.kind == .object || element.kind == .array { stack.append(element) }
            default:
                break
            }
        }
        return full
    }()

    init(_ tree: SyntaxTree) { self.tree = tree }

    /// The objects a property holds (one, or the objects and strings of an array), references resolved.
    func items(_ node: SyntaxNode?) -> [SyntaxNode] {
        guard let node else { return [] }
        if node.kind == .array { return node.elements.filter { $0.kind != .array }.map(resolve) }
        return [resolve(node)]
    }

    /// The full node for a reference (`{"id": …}` or `{"id": …, "type": …}`), else the node itself.
    func resolve(_ node: SyntaxNode) -> SyntaxNode {
        guard node.kind == .object else { return node }
        var id: String?
        for member in node.members {
            switch member.name {
            case "id": id = member.value.stringValue
            case "type": continue
            default: return node
            }
        }
        guard let id, let target = full[id] else { return node }
        return target
    }

    func concept(_ node: SyntaxNode, labels: Labels, preferring: [String]) -> ConceptValue? {
        let iri = (node.kind == .object ? node.value(forKey: "id")?.stringValue : node.stringValue).map(\.trimmed)
        if let iri, let label = labels.label(forIRI: iri) {
            return ConceptValue(iri: iri, label: LocalText(text: label, lang: "en"))
        }
        if node.kind == .object, let label = LanguageMap(node.value(forKey: "prefLabel")).text(preferring: preferring) {
            return ConceptValue(iri: iri, label: label)
        }
        guard let iri, !iri.isEmpty, node.kind == .object || node.kind == .string else { return nil }
        return ConceptValue(iri: iri, label: LocalText(text: iri, lang: ""))
    }
}

/// Links to pages outside the site: only absolute http and https URLs become links (never `javascript:`,
/// `data:` or relative ones, which a document could use to point into the site or run script).
enum WebLink {
    static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return false }
        let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.dropFirst(7)
        guard let first = rest.first, first != "/" else { return false }
        // No white space or control characters: such a URL is broken, and is shown as text instead.
        if !text.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) { return true }
        return !text.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0.properties.isWhitespace }
    }
}
