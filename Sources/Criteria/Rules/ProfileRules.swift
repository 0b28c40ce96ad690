import JSONSyntax

/// The EDC application profile a credential declares in `credentialSchema`, which decides the constraints
/// applied: the generic profile with controlled vocabularies (`edc-generic-full`), without them
/// (`edc-generic-no-cv`), one of the EDC's specialised profiles (checked against the generic full profile,
/// their extra shapes not), or a profile ECCOE does not know (generic full, and one warning naming it).
enum CredentialProfile: Sendable, Hashable {
    case genericFull
    case genericNoCV
    case otherEDC(iri: String)
    case unknown(iri: String)
    /// No profile declared (the schema reports `credentialSchema` missing), or not a credential.
    case generic

    static let fullIRI = "http://data.europa.eu/snb/model/ap/edc-generic-full"
    static let noCVIRI = "http://data.europa.eu/snb/model/ap/edc-generic-no-cv"
    static let fullHTTPS = "https://data.europa.eu/snb/model/ap/edc-generic-full"
    static let noCVHTTPS = "https://data.europa.eu/snb/model/ap/edc-generic-no-cv"
    /// The EDC's specialised profiles (the names of their SHACL files in the European Learning Model).
    static let otherEDCNames = ["edc-accredited", "edc-converted", "edc-diplomasupplement", "edc-issuedbymandate"]

    /// The profile named by the first `credentialSchema` entry whose `id` is an EDC profile, else by the first
    /// entry with an `id`.
    static func declared(by root: SyntaxNode) -> CredentialProfile {
        guard root.kind == .object, let value = root.value(forKey: "credentialSchema") else { return .generic }
        let entries = value.kind == .array ? Array(value.elements) : [value]
        let ids = entries.compactMap { $0.kind == .string ? $0.stringValue : $0.value(forKey: "id")?.stringValue }
        for iri in ids {
            // The common case first, compared as it is written.
            if iri == fullIRI { return .genericFull }
            if iri == noCVIRI { return .genericNoCV }
            let trimmed = iri.hasSuffix("/") ? String(iri.dropLast()) : iri
            if trimmed == fullIRI || trimmed == fullHTTPS { return .genericFull }
            if trimmed == noCVIRI || trimmed == noCVHTTPS { return .genericNoCV }
            let name = trimmed.split(separator: "/").last.map { $0.lowercased() } ?? ""
            if trimmed.contains("data.europa.eu/snb/model/ap/") && otherEDCNames.contains(name) { return .otherEDC(iri: iri) }
        }
        return ids.first.map { .unknown(iri: $0) } ?? .generic
    }

    /// Whether the controlled-vocabulary restrictions of `edc-generic-full` apply.
    var restrictsVocabularies: Bool { self != .genericNoCV }
}

/// Concepts of the EU credential-profile vocabulary (`credentialProfiles`, scheme
/// http://data.europa.eu/snb/credential/25831c2) that matter to which criteria apply.
enum CredentialProfileConcept {
    /// Profiles whose credentials are not micro-credentials: the Diploma Supplement (a degree's supplement) and
    /// the Accreditation credential (it records an accreditation, not learning). The generic, converted and
    /// mandated profiles carry micro-credentials among others: their claims are judged by their types.
    static let notMicroCredential: Set<String> = [
        "http://data.europa.eu/snb/credential/6dff8a0f87",
        "http://data.europa.eu/snb/credential/c_ae121a00",
    ]
}

extension DocumentContext {
    /// The concept scheme the profile restricts `property` of an object of these types to, if any.
    func conceptScheme(types: [String], property: String) -> String? {
        guard let table = facts.conceptSchemes[kind] else { return nil }
        for t in types { if let s = table[t]?[property] { return s } }
        return types.isEmpty ? nil : table[""]?[property]
    }
}

/// The namespace of a concept scheme's concepts: `…/snb/eqf/25831c2` → `…/snb/eqf/`, `…/authority/country` →
/// `…/authority/country/`, ESCO's skills scheme → `http://data.europa.eu/esco/skill/`. Nil when unknown.
func conceptNamespace(ofScheme scheme: String) -> String? {
    if scheme.hasPrefix("http://data.europa.eu/snb/"), scheme.hasSuffix("/25831c2") {
        return String(scheme.dropLast("25831c2".count))
    }
    if scheme.hasPrefix("http://publications.europa.eu/resource/authority/") { return scheme + "/" }
    switch scheme {
    case "http://data.europa.eu/esco/concept-scheme/skills": return "http://data.europa.eu/esco/skill/"
    case "http://data.europa.eu/esco/concept-scheme/occupations": return "http://data.europa.eu/esco/occupation/"
    default: return nil
    }
}

/// MC-21 / LO-17: the profile the credential declares, and the concept schemes of controlled values. A concept
/// without `inScheme` whose IRI lies in the restricted vocabulary's namespace names its scheme already: a warning
/// with a fix that inserts `inScheme`. An IRI outside that namespace is an error (for bundled vocabularies the
/// schema reports it, with the allowed values). An `inScheme` naming another scheme is the schema's error.
struct ConceptSchemeRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        if d.kind == .credential {
            switch d.profile {
            case .unknown(let iri):
                let at = profileNode(d) ?? d.opening(d.root)
                out.append(
                    d.finding(
                        criterionID, at,
                        "`\(iri)` is not an EDC application profile ECCOE knows; the credential was checked against the generic profile with controlled vocabularies (\(CredentialProfile.fullIRI))",
                        severity: .warning))
            case .otherEDC(let iri):
                out.append(
                    d.finding(
                        criterionID, profileNode(d) ?? d.opening(d.root),
                        "checked against the generic profile (\(CredentialProfile.fullIRI)); the further constraints of `\(iri)` are not checked by ECCOE",
                        severity: .information))
            default: break
            }
        }
        guard d.profile.restrictsVocabularies, let properties = d.facts.conceptSchemeProperties[d.kind], !properties.isEmpty
        else { return out }
        for property in properties {
            for ref in d.members(named: property) {
                let value = d.value(of: ref)
                // Most concepts state their scheme: look no further at those (the owner's types and the scheme
                // are worked out only for the others).
                for concept in value.kind == .array ? Array(value.elements) : [value] where concept.kind == .object {
                    guard concept.value(forKey: "inScheme") == nil, let idNode = concept.value(forKey: "id"),
                        let iri = idNode.stringValue,
                        d.node(withID: iri)?.value(forKey: "inScheme") == nil,
                        let scheme = d.conceptScheme(types: d.types(d.tree.node(atIndex: ref.object)), property: property)
                    else { continue }
                    let bundled = d.vocabularies.vocabularies.values.contains { $0.conceptScheme == scheme }
                    if let namespace = conceptNamespace(ofScheme: scheme), !iri.hasPrefix(namespace) {
                        // Bundled vocabularies: the schema reports the IRI with the allowed values.
                        if !bundled {
                            out.append(
                                d.finding(
                                    criterionID, idNode.range,
                                    "`\(iri)` is not a concept of the scheme \(scheme) that the profile requires for `\(property)` (its concepts start with \(namespace))"
                                ))
                        }
                        continue
                    }
                    let skeleton = "{\"id\": \"\(scheme)\", \"type\": \"ConceptScheme\"}"
                    out.append(
                        d.finding(
                            criterionID, d.opening(concept),
                            "the concept `\(iri)` does not state `inScheme`; its IRI places it in \(scheme), which the profile asks to name",
                            fix: d.insertFix(into: concept, key: "inScheme", skeleton: skeleton, after: "id"),
                            severity: .warning))
                }
            }
        }
        return out
    }

    private func profileNode(_ d: DocumentContext) -> Range<Int>? {
        guard let value = d.raw(d.root, "credentialSchema") else { return nil }
        let first = value.kind == .array ? value.elements.first : value
        return first.map { $0.kind == .object ? ($0.value(forKey: "id")?.range ?? d.opening($0)) : $0.range }
    }
}

/// MC-21: properties the EU issuer adds when it seals a credential (`issued`, the issuer's `eIDASIdentifier`).
/// A sealed credential (read from JAdES or JWS, or carrying a `proof`) must have them; on an unsigned one
/// their absence is one information finding, not an author's error.
struct SealingTimePropertiesRule: Rule {
    let criterionID = "MC-21"

    func check(_ d: DocumentContext) -> [Finding] {
        var missing: [String] = []
        if d.raw(d.root, "issued") == nil { missing.append("`issued`") }
        let issuer = d.value(d.root, "issuer")
        let issuerFull = issuer.map { $0.kind == .object && !d.isReference($0) } ?? false
        if let issuer, issuerFull, d.raw(issuer, "eIDASIdentifier") == nil { missing.append("the issuer's `eIDASIdentifier`") }
        guard !missing.isEmpty else { return [] }
        if d.isSealed {
            // `issued` is MC-05's (date of issuing); the identifier is the profile's.
            guard let issuer, issuerFull, d.raw(issuer, "eIDASIdentifier") == nil else { return [] }
            var missing = d.finding(
                criterionID, d.opening(issuer),
                "the issuer of a sealed credential must carry its `eIDASIdentifier` (a LegalIdentifier)",
                fix: d.insertFix(
                    into: issuer, key: "eIDASIdentifier",
                    skeleton:
                        #"{"id": "urn:epass:legalIdentifier:1", "type": "LegalIdentifier", "notation": "", "spatial": {"id": "http://publications.europa.eu/resource/authority/country/", "type": "Concept"}}"#
                ))
            missing.properties = ["eIDASIdentifier"]
            return [missing]
        }
        return [
            d.finding(
                criterionID, d.opening(d.root),
                "\(missing.joined(separator: " and ")) \(missing.count == 1 ? "is" : "are") added when the credential is sealed; this credential is unsigned, so \(missing.count == 1 ? "its absence is" : "their absence is") not an error",
                severity: .information)
        ]
    }
}

/// MC-21 / LO-17: the JSON-LD `@context` includes the EDC context, without which a JSON-LD processor reads none of
/// the document's keys as ELM terms. A context that is a copy of it under another address (a test or development
/// server's `…/edc-ap-context.jsonld`) is a warning naming the address to use; a context without it, an error
/// that names it, with a fix that adds it. (The schema's own `@context` violation is left to this rule.)
struct JSONLDContextRule: Rule {
    let criterionID: String
    static let edcContext = "http://data.europa.eu/snb/model/context/edc-ap"

    func check(_ d: DocumentContext) -> [Finding] {
        // A graph's node takes the graph's context.
        let holder = d.raw(d.root, "@context") != nil || d.root.index == d.tree.root.index ? d.root : d.tree.root
        guard let context = d.raw(holder, "@context") else { return [] }  // missing: the schema's required-property finding
        let entries = context.kind == .array ? Array(context.elements) : [context]
        let iris = entries.filter { $0.kind == .string }
        if iris.contains(where: { Self.isEDCContext($0.stringValue ?? "") }) { return [] }
        // An inline context (an object) on its own is not read here; alongside IRIs, the EDC one is still expected.
        if context.kind == .object { return [] }
        let what = d.kind == .credential ? "credential" : "learning opportunity"
        if let copy = iris.first(where: { Self.isCopyOfEDCContext($0.stringValue ?? "") }) {
            return [
                d.finding(
                    criterionID, copy.range,
                    "`\((copy.stringValue ?? "").oneLine)` is not the published EDC context: processors that cannot load it read none of the \(what)'s terms; use \(Self.edcContext)",
                    fix: Fix(
                        title: "Use \(Self.edcContext)", edits: [FixEdit(range: copy.range, newText: "\"\(Self.edcContext)\"")]),
                    severity: .warning)
            ]
        }
        let edit: FixEdit
        if context.kind == .array, let last = entries.last {
            edit = FixEdit(range: last.range.upperBound..<last.range.upperBound, newText: ", \"\(Self.edcContext)\"")
        } else {
            edit = FixEdit(range: context.range, newText: "[\(context.sourceText.oneLine), \"\(Self.edcContext)\"]")
        }
        let written = iris.compactMap(\.stringValue).map { "`\($0.oneLine)`" }.joined(separator: ", ")
        return [
            d.finding(
                criterionID, context.range,
                "`@context` must include the EDC context \(Self.edcContext)\(written.isEmpty ? "" : " (it names \(written))"); without it a JSON-LD processor reads none of the \(what)'s terms",
                fix: Fix(title: "Add \(Self.edcContext)", edits: [edit]))
        ]
    }

    /// The EDC context, over http or https, with or without a trailing slash or `.jsonld`.
    static func isEDCContext(_ iri: String) -> Bool {
        var s = Substring(iri)
        if s.hasPrefix("https://") {
            s = s.dropFirst(8)
        } else if s.hasPrefix("http://") {
            s = s.dropFirst(7)
        } else {
            return false
        }
        return s == "data.europa.eu/snb/model/context/edc-ap" || s == "data.europa.eu/snb/model/context/edc-ap/"
            || s == "data.europa.eu/snb/model/context/edc-ap.jsonld"
    }

    /// A copy of the EDC context under another address: the last path segment is `edc-ap`, `edc-ap.jsonld` or
    /// `edc-ap-context.jsonld` (as in the EU's own test credentials, `http://dev.everisdx.io/…/edc-ap-context.jsonld`).
    static func isCopyOfEDCContext(_ iri: String) -> Bool {
        guard iri.hasPrefix("http://") || iri.hasPrefix("https://") else { return false }
        let last = iri.split(separator: "/").last.map { $0.lowercased() } ?? ""
        return ["edc-ap", "edc-ap.jsonld", "edc-ap-context.jsonld", "edc-ap-context"].contains(last)
    }
}
