import Criteria
import Foundation
import JSONSyntax
import Testing

/// Structural edits of a JSON document, applied on its syntax tree so that they work on any layout (the pretty
/// unsigned credential, the one-line payload of a seal).
enum DocumentEdit: Sendable, CustomStringConvertible {
    /// The value at a JSON Pointer replaced by JSON text.
    case set(String, String)
    /// A member added at the end of the object at a pointer.
    case insert(String, key: String, json: String)
    /// The member `key` of the object at a pointer removed.
    case remove(String, key: String)
    /// The member `key` removed from every object whose `id` is the given one (JSON-LD merges them all).
    case removeEverywhere(id: String, key: String)
    /// The value at a pointer made an array holding it and then the given JSON.
    case append(String, json: String)
    /// An element added at the end of the array at a pointer.
    case appendElement(String, json: String)

    var description: String {
        switch self {
        case let .set(p, json): "set \(p) = \(json)"
        case let .insert(p, key, json): "insert \(p)/\(key) = \(json)"
        case let .remove(p, key): "remove \(p)/\(key)"
        case let .removeEverywhere(id, key): "remove \(key) from every \(id)"
        case let .append(p, json): "append \(json) to \(p)"
        case let .appendElement(p, json): "append the element \(json) to \(p)"
        }
    }

    /// `text` with the edits made, one after another.
    static func apply(_ edits: [DocumentEdit], to text: String) throws -> String {
        var text = text
        for edit in edits { text = try edit.apply(to: text) }
        return text
    }

    func apply(to text: String) throws -> String {
        let tree = SyntaxTree(parsing: Array(text.utf8))
        func node(_ pointer: String) throws -> SyntaxNode {
            try #require(JSONPointer(pointer).flatMap { tree.node(at: $0) }, "no node at \(pointer)")
        }
        var replacements: [(Range<Int>, String)] = []
        func removal(_ object: SyntaxNode, _ key: String) {
            let members = Array(object.members)
            guard let i = members.firstIndex(where: { $0.name == key }) else { return }
            if i > 0 {
                replacements.append((members[i - 1].value.range.upperBound..<members[i].value.range.upperBound, ""))
            } else if members.count > 1 {
                replacements.append((members[0].key.range.lowerBound..<members[1].key.range.lowerBound, ""))
            } else {
                replacements.append(((object.range.lowerBound + 1)..<(object.range.upperBound - 1), ""))
            }
        }
        switch self {
        case let .set(p, json):
            replacements.append((try node(p).range, json))
        case let .insert(p, key, json):
            let object = try node(p)
            let last = try #require(Array(object.members).last, "\(p) is an empty object")
            let at = last.value.range.upperBound
            replacements.append((at..<at, ", \"\(key)\": \(json)"))
        case let .remove(p, key):
            removal(try node(p), key)
        case let .removeEverywhere(id, key):
            func walk(_ n: SyntaxNode) {
                if n.kind == .object {
                    if n.value(forKey: "id")?.stringValue == id { removal(n, key) }
                    for m in n.members { walk(m.value) }
                } else if n.kind == .array {
                    for e in n.elements { walk(e) }
                }
            }
            walk(tree.root)
        case let .append(p, json):
            let value = try node(p)
            replacements.append((value.range, "[" + value.sourceText + ", " + json + "]"))
        case let .appendElement(p, json):
            let last = try #require(Array(try node(p).elements).last, "\(p) is not a non-empty array")
            replacements.append((last.range.upperBound..<last.range.upperBound, ", " + json))
        }
        #expect(!replacements.isEmpty, "\(self) changed nothing")
        var bytes = tree.bytes
        for (range, new) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            bytes.replaceSubrange(range, with: Array(new.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The three forms a credential is exchanged in, made from the EC's documents.
enum ExchangeForm: String, CaseIterable, Sendable {
    /// The unsigned credential as the EC wrote it (pretty-printed: `Tests/Resources/README.md`).
    case plain
    /// The EC's signed credential (JAdES JSON serialisation); edits are made inside its payload, which is then
    /// written back as a JSON string (the signature no longer matches it: the checker never verifies it anyway).
    case sealed
    /// The unsigned credential flattened: every object with an `id` and more than a `type` becomes a node of
    /// `@graph` (the first description of an id wins), referenced where it was by `{"id": …}`.
    case flattened

    static let unsigned = "Tests/Resources/samples/ec-Sample-MC-Annex1-unsigned.jsonld"
    static let signed = "Tests/Resources/samples/ec-Sample-MC-Annex1-signed.jsonld"

    /// The document in this form with `edits` made to the credential.
    func document(_ edits: [DocumentEdit]) throws -> String {
        switch self {
        case .plain:
            return try DocumentEdit.apply(edits, to: Edited.text(Self.unsigned))
        case .flattened:
            return try Self.flatten(DocumentEdit.apply(edits, to: Edited.text(Self.unsigned)))
        case .sealed:
            let envelope = try Edited.text(Self.signed)
            let tree = SyntaxTree(parsing: Array(envelope.utf8))
            let payload = try #require(tree.root.value(forKey: "payload"))
            let credential = try DocumentEdit.apply(edits, to: try #require(payload.stringValue))
            var bytes = tree.bytes
            bytes.replaceSubrange(payload.range, with: Array(try Edited.jsonString(credential).utf8))
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Flattened JSON-LD of a compacted document, written from its syntax tree (keys and values as they are written,
    /// in their order).
    static func flatten(_ text: String) -> String {
        let tree = SyntaxTree(parsing: Array(text.utf8))
        var nodes: [String] = []
        var described = Set<String>()
        func isNode(_ n: SyntaxNode) -> Bool {
            n.kind == .object && n.value(forKey: "id")?.stringValue != nil
                && n.members.contains { $0.name != "id" && $0.name != "type" }
        }
        func render(_ n: SyntaxNode, indent: String, body: Bool = false) -> String {
            let inner = indent + "  "
            switch n.kind {
            case .object:
                if !body && isNode(n) {
                    let id = n.value(forKey: "id")!.stringValue!
                    if described.insert(id).inserted {
                        let slot = nodes.count
                        nodes.append("")
                        nodes[slot] = render(n, indent: "    ", body: true)
                    }
                    return "{\"id\": " + n.value(forKey: "id")!.sourceText + "}"
                }
                let members = n.members.filter { $0.name != "@context" }
                return "{\n"
                    + members.map { inner + $0.key.sourceText + ": " + render($0.value, indent: inner) }.joined(separator: ",\n")
                    + "\n" + indent + "}"
            case .array:
                return "[\n" + n.elements.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
            default:
                return n.sourceText
            }
        }
        nodes.append("")
        nodes[0] = render(tree.root, indent: "    ", body: true)
        let context = tree.root.value(forKey: "@context")?.sourceText ?? "[]"
        return "{\n  \"@context\": \(context),\n  \"@graph\": [\n    " + nodes.joined(separator: ",\n    ") + "\n  ]\n}\n"
    }
}

/// A mistake an author may make on a real credential, and what the checker must say about it.
struct AuthorMistake: Sendable, CustomTestStringConvertible {
    var name: String
    /// Edits that make the document ready for the mistake (none for most).
    var setUp: [DocumentEdit] = []
    var edits: [DocumentEdit]
    /// Each finding the mistake must add: its code, severity, the text at its range (string escapes undone) and
    /// words its message must contain.
    var expected: [(code: String, severity: Severity, at: String, says: String)]
    /// `line:column CODE` of each of those findings in the plain form.
    var plainPositions: [String]
    /// Where the flattened form's findings differ (its graph describes each node once: see `ExchangeForm.flatten`).
    var flattened: [(code: String, severity: Severity, at: String, says: String)]? = nil

    var testDescription: String { name }

    static let claim = "/credentialSubject/hasClaim"
    static let spanish =
        #"{"id": "http://publications.europa.eu/resource/authority/language/SPA", "type": "Concept", "inScheme": {"id": "http://publications.europa.eu/resource/authority/language", "type": "ConceptScheme"}, "prefLabel": {"en": "Spanish"}}"#

    static let all: [AuthorMistake] = [
        AuthorMistake(
            name: "a 60-month workload meant as 60 hours",
            edits: [.set(claim + "/specifiedBy/volumeOfLearning", #""P60M""#)],
            expected: [("DQ-03", .warning, #""P60M""#, "P60M means 60 months")], plainPositions: ["1041:29 DQ-03"]),
        AuthorMistake(
            name: "a homepage without its scheme",
            edits: [.set(claim + "/awardedBy/awardingBody/homepage/contentURL", #""www.uniz.edu""#)],
            expected: [
                ("MC-21", .error, #""www.uniz.edu""#, "`www.uniz.edu` is not an absolute IRI (such as https://example.org/…")
            ],
            plainPositions: ["263:27 MC-21"]),
        AuthorMistake(
            name: "an ESCO skill pasted with a trailing space",
            edits: [
                .set(
                    claim + "/specifiedBy/learningOutcome/0/relatedESCOSkill/0/id",
                    #""http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9 ""#)
            ],
            expected: [
                (
                    "MC-06", .error, #""http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9 ""#,
                    "de9 ` is not an absolute IRI (such as https://example.org/… or urn:epass:…), without spaces"
                )
            ],
            plainPositions: ["922:23 MC-06"]),
        AuthorMistake(
            name: "a country written ES",
            edits: [.set(claim + "/awardedBy/awardingBody/location/address/countryCode/id", #""ES""#)],
            expected: [
                (
                    "MC-04", .error, #""ES""#,
                    "country `ES` is not in the EU country list; did you mean Spain, http://publications.europa.eu/resource/authority/country/ESP?"
                )
            ],
            plainPositions: ["154:23 MC-04"],
            // The graph keeps the first description of the organisation, which is also the issuer's.
            flattened: [
                ("MC-03", .error, #""ES""#, "the issuer's country `ES` is not in the EU country list"),
                ("MC-04", .error, #""ES""#, "the awarding body's country `ES` is not in the EU country list"),
            ]),
        AuthorMistake(
            name: "a title missing in one display language",
            setUp: [
                .append("/displayParameter/language", json: spanish),
                .insert("/displayParameter/title", key: "es", json: #""Microcredencial""#),
                .insert("/displayParameter/description", key: "es", json: #""ha completado con éxito un micromódulo""#),
                .insert(claim + "/title", key: "es", json: #""Creación de microcredenciales digitales""#),
                .insert(claim + "/specifiedBy/title", key: "es", json: #""Creación de microcredenciales digitales""#),
            ],
            edits: [.remove(claim + "/specifiedBy/title", key: "es")],
            expected: [
                (
                    "DQ-09", .warning, "{",
                    "`title` of the specification “Digital micro-credential creation” has no text in Spanish (`es`)"
                )
            ],
            plainPositions: ["1054:18 DQ-09"]),
        AuthorMistake(
            name: "a wrong @context",
            edits: [.set("/@context/1", #""http://data.europa.eu/snb/model/context/edc""#)],
            expected: [
                ("MC-21", .error, "[", "`@context` must include the EDC context http://data.europa.eu/snb/model/context/edc-ap")
            ],
            plainPositions: ["1238:15 MC-21"]),
        AuthorMistake(
            name: "a dropped awarding body",
            edits: [.removeEverywhere(id: "urn:epass:awardingProcess:1", key: "awardingBody")],
            expected: [
                ("MC-04", .error, "{", "`awardedBy` names no `awardingBody`"),
                ("MC-21", .error, #""urn:epass:awardingProcess:1""#, "refers to an AwardingProcess that is described nowhere"),
            ],
            plainPositions: ["126:20 MC-04", "127:15 MC-21"]),
    ]
}

/// The EC's own credentials (derived copies: `Tests/Resources/README.md` says exactly what was changed), with the
/// verdict each must get, and realistic author mistakes made on them one at a time, in each exchange form.
@Suite struct RealDocumentTests {
    static func check(_ path: String) throws -> (SyntaxTree, [Finding]) {
        let tree = SyntaxTree(parsing: try readFile(packageRoot.appendingPathComponent(path).path))
        return (tree, engine.check(tree, path: path))
    }

    /// The text at a finding, with a JSON string's escapes undone (a finding inside a seal's payload string).
    static func text(at f: Finding, _ tree: SyntaxTree) -> String {
        Edited.at(f, tree).replacingOccurrences(of: #"\""#, with: #"""#).replacingOccurrences(of: #"\/"#, with: "/")
    }

    /// The Annex I micro-credential sample, unsigned. Before issue 12 it failed MC-05 (no `issued`: added at
    /// sealing), MC-09 (a local assessment type), MC-11 (quality assurance looked for in one place only) and MC-21
    /// (no issuer `eIDASIdentifier`: added at sealing). Now: one information finding for the sealing-time
    /// properties; MC-09 a warning with the EU concept of the same name as its fix; MC-11 still an error, rightly:
    /// the sample states no accreditation anywhere (ELM's quality assurance is `accreditation`); the EC's own
    /// `P60M` on the learning activity (60 months, for a 60-hour module whose achievement says PT60H); validity
    /// from 31 December 2022 while the learning activity ran until June 2023; no further information (MC-16).
    @Test func annex1Unsigned() throws {
        let (tree, findings) = try Self.check(ExchangeForm.unsigned)
        #expect(
            summary(findings, tree) == [
                "1:1 MC-21", "123:17 MC-16", "505:31 DQ-03", "828:19 MC-09", "843:22 MC-11", "1237:16 DQ-04",
            ],
            "\(findings.map(\.message))")
        #expect(findings.map(\.severity) == [.information, .information, .warning, .warning, .error, .warning])
        #expect(!findings.contains { ["MC-05", "MC-21"].contains($0.code) && $0.severity == .error })
        let sealing = try #require(findings.first)
        #expect(sealing.message.contains("`issued` and the issuer's `eIDASIdentifier` are added when the credential is sealed"))
        let assessment = try #require(findings.first { $0.code == "MC-09" })
        #expect(
            assessment.message.contains("the EU list has a concept of that name, http://data.europa.eu/snb/assessment/de4d165a6c")
        )
        #expect(assessment.fix?.edits.map(\.newText) == [#""http://data.europa.eu/snb/assessment/de4d165a6c""#])
        let quality = try #require(findings.first { $0.code == "MC-11" })
        #expect(
            quality.message.contains(
                "looked for `accreditation` on the claim's specification and its awarding body, and in the credential's `evidence`"
            ))
        let workload = try #require(findings.first { $0.code == "DQ-03" })
        #expect(Edited.at(workload, tree) == #""P60M""#)
        #expect(workload.fix?.edits.map(\.newText) == [#""PT60H""#])
        let dates = try #require(findings.first { $0.code == "DQ-04" })
        #expect(
            dates.message.contains(
                "valid from 2022-12-31T23:00:00Z, before the end of the learning (`influencedBy.temporal.endDate` 2023-06-06T15:00:00Z)"
            ))
    }

    /// The same sample as the EC sealed it: checked as sealed (it has `issued` and the issuer's `eIDASIdentifier`,
    /// so nothing about them), every finding inside the payload string, one information finding that the seal
    /// is not verified, no fixes.
    @Test func annex1Signed() throws {
        let (tree, findings) = try Self.check(ExchangeForm.signed)
        #expect(engine.form(of: tree) == .sealedJSON)
        #expect(findings.map(\.code) == ["MC-16", "DQ-03", "MC-09", "MC-11", "DQ-04", "MC-21"], "\(findings.map(\.message))")
        #expect(findings.map(\.severity) == [.information, .warning, .warning, .error, .warning, .information])
        #expect(findings.last?.message.contains("the seal itself (signature, certificate, time stamp) is not verified") == true)
        #expect(!findings.contains { $0.fix != nil })
        let payload = try #require(tree.root.value(forKey: "payload")).range
        for f in findings.dropLast() { #expect(payload.contains(f.range.lowerBound), "\(f.code)") }
        #expect(Self.text(at: try #require(findings.first { $0.code == "DQ-03" }), tree) == #""P60M""#)
    }

    /// The certificate of participation as the EC sealed it: no error; the `P2M` webinar workload; not a
    /// micro-credential (a LearningActivity claim); the seal not verified.
    @Test func certificateOfParticipationSigned() throws {
        let (tree, findings) = try Self.check("Tests/Resources/samples/ec-Sample-CertOfPart-signed.jsonld")
        #expect(findings.map(\.code) == ["MC-22", "DQ-03", "MC-21"], "\(findings.map(\.message))")
        #expect(!findings.contains { $0.severity == .error })
        #expect(Self.text(at: findings[1], tree) == #""P2M""#)
        #expect(findings[0].message.contains("the claim is a LearningActivity “EDC Updates Webinar”"))
    }

    /// The EDCI's test credential that its own validator must accept: no structural error (no MC-21 error, no
    /// schema finding at all). Its errors are data the test writer left: a date of birth equal to the date of
    /// issuing (2010-01-01) and language keys written `"en "`. Its warnings: a development copy of the context and
    /// of the profile, a Spanish display language without Spanish titles, dates out of order, a local assessment
    /// type; its second claim is an entitlement (MC-22 says what was checked).
    @Test func edciShouldValidate() throws {
        let (tree, findings) = try Self.check("Tests/Resources/samples/ec-edci-credential_shouldValidate.jsonld")
        let errors = findings.filter { $0.severity == .error }
        #expect(!errors.contains { $0.code == "MC-21" }, "\(errors.map(\.message))")
        #expect(Set(errors.map(\.code)) == ["DQ-04", "DQ-06"])
        #expect(
            errors.filter { $0.code == "DQ-04" }.map(\.message)
                == ["DQ-04 Dates in a plausible order: `dateOfBirth` is not before the credential's date of issuing"]
                .map { $0.replacingOccurrences(of: "DQ-04 ", with: "") })
        for e in errors where e.code == "DQ-06" { #expect(Edited.at(e, tree) == #""en ""#) }
        #expect(errors.count == 19)
        let warnings = findings.filter { $0.severity == .warning }
        #expect(
            warnings.map(\.code).sorted() == ["DQ-04", "DQ-04", "DQ-09", "DQ-09", "MC-09", "MC-21", "MC-21"],
            "\(warnings.map(\.message))")
        #expect(
            warnings.contains {
                $0.message.contains(
                    "`http://dev.everisdx.io/datamodel/test/edc-ap-context.jsonld` is not the published EDC context")
            })
        let info = findings.filter { $0.severity == .information }.map(\.code).sorted()
        #expect(info == ["MC-21", "MC-22"])
        #expect(
            findings.contains {
                $0.code == "MC-22"
                    && $0.message.contains(
                        "of the 2 claims, the learning achievement “some kind of learning achievement” was checked")
            })
    }

    /// Flattened, the EC's documents check as they do plain: every node of the graph is validated as its class, and
    /// the EC's valid nodes give no finding; a node whose `type` names no class is listed in one information finding.
    @Test func flattenedDocumentsCheckAsThePlainOnes() throws {
        let annex = try Edited.text(ExchangeForm.unsigned)
        let (_, plain) = Edited.check(annex)
        let (graphTree, graph) = Edited.check(ExchangeForm.flatten(annex))
        #expect(engine.form(of: graphTree) == .graph)
        #expect(graph.map { "\($0.code) \($0.message)" }.sorted() == plain.map { "\($0.code) \($0.message)" }.sorted())
        let edci = try Edited.text("Tests/Resources/samples/ec-edci-credential_shouldValidate.jsonld")
        let (_, edciGraph) = Edited.check(ExchangeForm.flatten(edci))
        #expect(!edciGraph.contains { $0.message.contains("graph's") }, "\(edciGraph.map(\.message))")
        #expect(!edciGraph.contains { $0.code == "MC-21" && $0.severity == .error })

        let withStranger = Edited.replacing(
            #""@graph": ["#, with: #""@graph": [{"id": "urn:x:1", "type": "Thing", "name": "x"}, {"id": "urn:x:2"}, "#,
            in: ExchangeForm.flatten(annex))
        let (tree, findings) = Edited.check(withStranger)
        let note = try #require(findings.first { $0.message.contains("not validated") })
        #expect(note.severity == .information && note.code == "MC-21")
        #expect(
            note.message.hasSuffix(
                "2 of the graph's nodes name no class of the credential.schema.json schema in `type`, so they are not validated: `urn:x:1` (Thing), `urn:x:2` (no `type`)"
            ))
        #expect(Edited.at(note, tree) == #""@graph""#)
    }

    /// The ELM's JSON-LD context (`Tests/Resources/ec/elm/edc-ap-context.jsonld`) is no document: no kind, and
    /// its term definitions are never read as data (no finding at all from the engine; the CLI says once that
    /// it was not checked against the criteria).
    @Test func theELMContextIsNoDocument() throws {
        let (tree, findings) = try Self.check("Tests/Resources/ec/elm/edc-ap-context.jsonld")
        #expect(engine.kind(of: tree, path: "edc-ap-context.jsonld") == nil)
        #expect(engine.form(of: tree) == .plain)
        #expect(findings.isEmpty, "\(findings.map(\.message))")
        #expect(engine.reasonForNoKind(tree).hasPrefix("not a credential, learning opportunity, agreement or consultation"))
    }

    /// Every message on every example and EC sample, as written and flattened, is one line (the text format
    /// prints one finding per line) and shows no raw JSON-LD context.
    @Test func everyMessageIsOneLine() throws {
        let samples = try FileManager.default.contentsOfDirectory(
            atPath: packageRoot.appendingPathComponent("Tests/Resources/samples").path
        )
        .filter { $0.hasPrefix("ec-") }.map { "Tests/Resources/samples/" + $0 }
        let examples = try ExampleFindings.files().map { "Schemas/examples/" + $0 }
        #expect(samples.count == 6)
        for path in samples + examples {
            let text = try Edited.text(path)
            let forms = path.hasSuffix(".jsonld") && !path.contains("signed") ? [text, ExchangeForm.flatten(text)] : [text]
            for form in forms {
                let (_, findings) = Edited.check(form, path: path)
                for f in findings {
                    #expect(!f.message.contains("\n") && !f.message.contains("\r"), "\(path): \(f.message)")
                    #expect(!f.message.contains("@vocab") && !f.message.contains("\"@id\""), "\(path): \(f.message)")
                }
            }
        }
    }

    /// Each mistake, made alone on the Annex I sample, adds exactly its findings, at the place of the mistake,
    /// in each exchange form; in the plain form at the line and column written down.
    @Test(arguments: AuthorMistake.all, ExchangeForm.allCases)
    func authorMistake(_ mistake: AuthorMistake, _ form: ExchangeForm) throws {
        let baseText = try form.document(mistake.setUp)
        let (baseTree, base) = Edited.check(baseText)
        let text = try form.document(mistake.setUp + mistake.edits)
        let (tree, findings) = Edited.check(text)
        #expect(engine.form(of: tree) == (form == .plain ? .plain : form == .sealed ? .sealedJSON : .graph))
        _ = baseTree
        // What the mistake adds: the findings whose code and message the document without it did not have.
        var remaining = base.map { "\($0.code) \($0.message)" }
        var added: [Finding] = []
        for f in findings {
            if let i = remaining.firstIndex(of: "\(f.code) \(f.message)") { remaining.remove(at: i) } else { added.append(f) }
        }
        #expect(remaining.isEmpty, "the mistake removed findings: \(remaining)")
        let expected = form == .flattened ? mistake.flattened ?? mistake.expected : mistake.expected
        #expect(added.count == expected.count, "\(added.map(\.message))")
        for (f, e) in zip(added, expected) {
            #expect(f.code == e.code && f.severity == e.severity, "\(f.code) \(f.severity)")
            #expect(Self.text(at: f, tree).hasPrefix(e.at), "\(Self.text(at: f, tree).prefix(60))")
            #expect(f.message.contains(e.says), "\(f.message)")
        }
        if form == .plain {
            #expect(summary(added, tree) == mistake.plainPositions)
        }
    }
}
