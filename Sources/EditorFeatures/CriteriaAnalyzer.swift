import Criteria
import Foundation
import JSONSchema
public import JSONSyntax
public import LanguageServer
import RecognitionAgreements

/// Connects the criteria engine to the language server: findings with criterion IDs and fixes,
/// completion of property names and vocabulary values, hover for criteria and IRIs, quick fixes,
/// and go-to-definition from an agreement to the documents it references. Works in byte offsets;
/// the server does the protocol.
public struct CriteriaAnalyzer: DocumentAnalyzer {
    let engine: CriteriaEngine
    /// Where a criterion's documentation lives (`codeDescription.href`): the catalogue rendered by
    /// `eccoe criteria --format markdown` is published there, one anchor per criterion.
    static let documentationBase = "https://eccoe.eu/criteria#"
    /// At most this many values are offered in one completion list.
    static let maxCompletionValues = 500

    public init() throws {
        engine = try CriteriaEngine()
    }

    // MARK: Diagnostics

    /// What one analysis knows about its version that the answers to requests need: the kind, detected once.
    struct Facts: Sendable {
        var kind: DocumentKind?
    }

    /// The facts of an analysis this analyzer made (or, for one it did not, detected now).
    func facts(_ analysis: DocumentAnalysis) -> Facts {
        analysis.facts?.value as? Facts ?? Facts(kind: engine.kind(of: analysis.tree, path: analysis.snapshot.path))
    }

    /// The whole analysis of one version, in one call: the kind detected once; the check through the memory the
    /// previous version left (`previous`: a `DocumentMemory` of the same kind, else a new one); for an agreement,
    /// the workspace pass against the documents it references, which the workspace supplies (open buffers first,
    /// then the index, then the disk, within its size limit: this analyzer reads no file), and links to them.
    public func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree, previous: AnalyzerState?, workspace: WorkspaceView)
        -> AnalyzerResult
    {
        let path = snapshot.path
        let kind = engine.kind(of: tree, path: path)
        let memory = kind.map { kind in
            (previous?.value as? DocumentMemory).flatMap { $0.kind == kind ? $0 : nil } ?? DocumentMemory(kind: kind)
        }
        var findings = engine.check(tree, path: path, kind: kind, memory: memory).map(Self.editorFinding)
        var links: [EditorLink] = []
        var dependencies = DocumentDependencies()
        if kind == .agreement, let path {
            (findings, links, dependencies) = agreementPass(tree, path: path, findings: findings, workspace: workspace)
        }
        return AnalyzerResult(
            findings: findings, links: links, dependencies: dependencies,
            state: memory.map { AnalyzerState($0) }, facts: AnalyzerState(Facts(kind: kind)))
    }

    /// An agreement against the documents it references: their findings added to the agreement's own, a link from
    /// each reference to the document it resolved to, and what the agreement depends on (the paths it names and
    /// where its ids were found; the ids not found at their hint, in case a document comes to hold one).
    func agreementPass(
        _ tree: SyntaxTree, path: String, findings: [EditorFinding],
        workspace: WorkspaceView
    ) -> ([EditorFinding], [EditorLink], DocumentDependencies) {
        var documents: [String: SyntaxTree] = [path: tree]
        // Referenced files that exist but were not read: why, to say so where the agreement names them.
        var notRead: [String: String] = [:]
        let hinted = engine.references(of: tree, path: path)
        for reference in hinted {
            switch workspace.document(at: reference) {
            case .text(let text):
                documents[reference] = SyntaxTree(parsing: text.bytes, dialect: reference.hasSuffix(".jsonc") ? .jsonc : .json)
            case .missing:
                break  // AG-04 says so, or the id is found elsewhere
            case .tooLarge(let bytes, let limit):
                notRead[reference] =
                    "it is \(bytes) bytes, over the limit of \(limit) bytes for a document an agreement references, so it was not read"
            case .unreadable(let why):
                notRead[reference] = "\(why), so it was not read"
            }
        }
        // A learning opportunity whose file moved is found by its id among the workspace's documents.
        let unresolved = engine.unresolvedReferences(of: tree, path: path, documents: documents)
        if !unresolved.isEmpty {
            for (candidate, text) in workspace.files
            where documents[candidate] == nil && text.bytes.count <= workspace.limits.maxFileBytes
                && CriteriaEngine.mayHold(text.bytes, anyOf: unresolved)
            {
                documents[candidate] = SyntaxTree(parsing: text.bytes, dialect: candidate.hasSuffix(".jsonc") ? .jsonc : .json)
            }
        }
        var all = findings
        var workspaceFindings = engine.workspaceFindings(forAgreement: tree, path: path, documents: documents).map(
            Self.editorFinding)
        // Where AG-04 says a file that is there is missing, say instead why it was not read.
        var links: [EditorLink] = []
        // The ids not found at their hint: a document that comes to hold one may resolve it (or resolve it
        // elsewhere); an id found at its hint stays there whatever other documents hold.
        var ids: [String] = []
        var found: [String] = []
        for entry in tree.root.value(forKey: "learningOpportunities").map({ Array($0.elements) }) ?? []
        where entry.kind == .object {
            let pathNode = entry.value(forKey: "path")
            let idNode = entry.value(forKey: "id")
            let hint = pathNode?.stringValue.flatMap { RelativePath.isValid($0) ? RelativePath.resolve($0, against: path) : nil }
            if let hint, let pathNode, let why = notRead[hint] {
                let title = engine.catalogue.title(of: "AG-04").map { $0 + ": " } ?? ""
                for i in workspaceFindings.indices
                where workspaceFindings[i].code == "AG-04" && workspaceFindings[i].range == pathNode.range {
                    workspaceFindings[i].message = "\(title)`\(pathNode.stringValue ?? "")` (\(hint)) is there, but \(why)"
                }
            }
            // The link goes where the entry resolved: the hinted file when it holds the id, else the document
            // that does.
            let id = idNode?.stringValue
            let target = Self.resolvedPath(id: id, hint: hint, documents: documents, agreement: path)
            if let id, !id.isEmpty, target == nil || target != hint, !ids.contains(id) { ids.append(id) }
            if let target {
                if !found.contains(target) { found.append(target) }
                if let pathNode, pathNode.kind == .string {
                    links.append(EditorLink(range: pathNode.range, path: target, tooltip: id))
                }
                if let idNode, idNode.kind == .string, target != hint {
                    links.append(EditorLink(range: idNode.range, path: target, tooltip: id))
                }
            }
        }
        all += workspaceFindings
        var paths = hinted
        for p in found where !paths.contains(p) { paths.append(p) }
        return (all, links, DocumentDependencies(paths: paths, ids: ids))
    }

    /// Where an agreement's entry leads: the hinted file when it holds the entry's id (or the entry has none), else
    /// the first document (by path) with that id among those the workspace pass was given; nil when none does.
    static func resolvedPath(id: String?, hint: String?, documents: [String: SyntaxTree], agreement: String) -> String? {
        func holds(_ tree: SyntaxTree) -> Bool { id == nil || tree.root.value(forKey: "id")?.stringValue == id }
        if let hint, let tree = documents[hint], holds(tree) { return hint }
        guard let id, !id.isEmpty else { return nil }
        return documents.keys.sorted().first { $0 != agreement && documents[$0].map(holds) == true }
    }

    static func editorFinding(_ f: Finding) -> EditorFinding {
        let severity: EditorFinding.Severity
        switch f.severity {
        case .error: severity = .error
        case .warning: severity = .warning
        case .information: severity = .information
        case .hint: severity = .hint
        }
        // The fix stays typed: it reaches `codeActions` on the finding (`analyzerValue`), never as JSON.
        return EditorFinding(
            range: f.range, severity: severity, code: f.criterionID ?? f.code,
            documentationURL: f.criterionID.map { documentationBase + $0 }, message: f.message,
            data: f.criterionID.map { ["criterion": .string($0)] }, analyzerValue: f.fix.map { AnalyzerState($0) })
    }

    /// The fix a finding of this analyzer carries (`editorFinding`); nil for a finding without one.
    static func fix(of finding: EditorFinding) -> Fix? {
        finding.analyzerValue?.value as? Fix
    }

    static func edits(_ edits: [FixEdit]) -> [(range: Range<Int>, newText: String)] {
        edits.map { ($0.range, $0.newText) }
    }

    // MARK: Quick fixes

    /// At most this many alternative values are offered as separate quick fixes for one finding.
    static let maxChoiceActions = 12

    public func codeActions(_ analysis: DocumentAnalysis, range: Range<Int>, findings: [EditorFinding]) -> [EditorCodeAction] {
        let tree = analysis.tree, snapshot = analysis.snapshot
        var actions: [EditorCodeAction] = []
        for finding in findings {
            guard let fix = Self.fix(of: finding), let code = finding.code else { continue }
            // Alternatives that resemble what was typed come first ("soft" → "0613 Software and …").
            let typed = tree.node(atOffset: finding.range.lowerBound).flatMap(\.stringValue)?.lowercased() ?? ""
            let words = typed.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { $0.count >= 2 }
            func score(_ choice: FixChoice) -> Int {
                let label = choice.label.lowercased()
                return words.reduce(0) { $0 + (label.contains($1) ? 1 : 0) }
            }
            let choices = fix.choices.enumerated()
                .sorted { (score($1.element), $0.offset) < (score($0.element), $1.offset) }.map(\.element)
            for choice in choices.prefix(Self.maxChoiceActions) where !choice.edits.isEmpty {
                actions.append(
                    EditorCodeAction(
                        title: "Replace with \(choice.label)", edits: Self.edits(choice.edits), fixes: [code],
                        isPreferred: choices.count == 1))
            }
            if !fix.edits.isEmpty {
                actions.append(EditorCodeAction(title: fix.title, edits: Self.edits(fix.edits), fixes: [code], isPreferred: true))
            }
        }
        // After the quick fixes: drafting an agreement from a learning opportunity.
        if snapshot.path != nil, facts(analysis).kind == .learningOpportunity, tree.root.value(forKey: "id") != nil {
            actions.append(
                EditorCodeAction(
                    title: "Draft a recognition agreement from this", edits: [], kind: "refactor",
                    command: EditorCommand(name: Self.draftAgreementCommand, arguments: [.string(snapshot.uri)])))
        }
        return actions
    }

    // MARK: Drafting an agreement

    static let draftAgreementCommand = "eccoe.draftAgreement"
    /// Drafts are named after the learning opportunity; past this many taken names, the command gives up.
    static let maxDraftNameAttempts = 100

    public var commands: [String] { [Self.draftAgreementCommand] }

    /// Drafts a recognition agreement from the learning opportunity whose URI is the first argument (its text
    /// as edited, else as on disk), as `eccoe agreement new` does, with the recognising institution left to fill
    /// in: `NAME.agreement.json` beside it (`NAME-2…` when taken).
    public func executeCommand(_ name: String, arguments: [JSONValue], workspace: WorkspaceView) -> EditorCommandResult {
        let label = "Draft a recognition agreement"
        guard name == Self.draftAgreementCommand, let uri = arguments.first?.stringValue, let path = DocumentURI.path(of: uri)
        else {
            return EditorCommandResult(label: label, failure: "\(name) needs the URI of a learning-opportunity document")
        }
        let bytes: [UInt8]
        switch workspace.document(at: path) {
        case .text(let text): bytes = text.bytes
        case .missing: return EditorCommandResult(label: label, failure: "cannot read \(path): there is no such file")
        case .tooLarge(let size, let limit):
            return EditorCommandResult(
                label: label, failure: "cannot read \(path): it is \(size) bytes, over the limit of \(limit)")
        case .unreadable(let why): return EditorCommandResult(label: label, failure: "cannot read \(path): \(why)")
        }
        let summary: LearningOpportunitySummary
        do {
            summary = try LearningOpportunitySummary(
                reading: SyntaxTree(parsing: bytes, dialect: path.hasSuffix(".jsonc") ? .jsonc : .json), path: path)
        } catch {
            return EditorCommandResult(label: label, failure: "\(path) \(error)")
        }
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        var base = String(path[(path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex)...])
        for suffix in [".jsonld", ".jsonc", ".json"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        var out: String?
        for n in 1...Self.maxDraftNameAttempts {
            let candidate = "\(folder)/\(base)\(n == 1 ? "" : "-\(n)").agreement.json"
            if !workspace.exists(candidate) {
                out = candidate
                break
            }
        }
        guard let out else { return EditorCommandResult(label: label, failure: "no free name for a draft beside \(path)") }
        let today = CalendarDate(secondsSince1970: Int(Date().timeIntervalSince1970))
        let draft = AgreementDraft.make(
            AgreementDraftRequest(
                opportunities: [(path, summary)], recognisingName: nil, recognisingCountry: nil,
                agreementPath: out, validFrom: today.nextAcademicYearStart))
        let open = AgreementPlaceholder.count(in: draft.text)
        let gaps = summary.gaps.isEmpty ? "" : " The learning opportunity has " + summary.gaps.joined(separator: "; ") + "."
        return EditorCommandResult(
            label: label, newFiles: [(out, draft.text)],
            message:
                "Drafted \(out.split(separator: "/").last ?? ""): \(open) items to fill in, marked [[…]], starting with the recognising institution's name and country.\(gaps)"
        )
    }

    /// The criteria of a document kind whose element is the property at `path` (the key's JSON Pointer;
    /// array indices do not count), from the catalogue's `elmPaths`. A document of unknown kind has none.
    func criteria(forPropertyAt path: JSONPointer, kind: DocumentKind?) -> [Criterion] {
        guard let kind else { return [] }
        let dotted = path.tokens.filter { Int($0) == nil }.joined(separator: ".")
        return engine.catalogue.criteria.filter { criterion in
            criterion.kinds.contains(kind)
                && criterion.elmPaths.contains { $0.replacingOccurrences(of: "[]", with: "") == dotted }
        }
    }

    // MARK: Hover

    public func hover(_ analysis: DocumentAnalysis, offset: Int) -> EditorHover? {
        let tree = analysis.tree
        // Inside a seal's payload string: the hover of the credential it holds, placed back in the file.
        if let sealed = engine.sealedDocument(tree) {
            guard let inner = sealed.payloadOffset(forFileOffset: offset),
                let hover = plainHover(
                    kind: engine.kind(of: sealed.tree, path: analysis.snapshot.path), tree: sealed.tree, offset: inner)
            else { return nil }
            return EditorHover(markdown: hover.markdown, range: sealed.fileRange(hover.range))
        }
        return plainHover(kind: facts(analysis).kind, tree: tree, offset: offset)
    }

    func plainHover(kind: DocumentKind?, tree: SyntaxTree, offset: Int) -> EditorHover? {
        guard let node = tree.node(atOffset: offset) else { return nil }
        if node.flags.contains(.key), node.kind == .string {
            var parts: [String] = []
            if let kind, let validator = engine.schemaValidator(for: kind) {
                for annotation in validator.annotations(at: node.pointer, in: tree)
                where annotation.title != nil || annotation.description != nil {
                    parts.append(
                        [annotation.title.map { "**\($0)**" }, annotation.description].compactMap { $0 }.joined(separator: "\n\n")
                    )
                    break
                }
            }
            for criterion in criteria(forPropertyAt: node.pointer, kind: kind) {
                parts.append(
                    "**\(criterion.id)** (\(criterion.level.rawValue)) \(criterion.title): \(criterion.requirement)\n\n"
                        + "*Why:* \(criterion.rationale)\n\n*Source:* \(criterion.source)")
            }
            return parts.isEmpty ? nil : EditorHover(markdown: parts.joined(separator: "\n\n---\n\n"), range: node.range)
        }
        if node.kind == .string, let value = node.stringValue, let concept = engine.vocabularies.concept(forIRI: value) {
            var text = "**\(concept.label)**"
            if let definition = concept.definition { text += "\n\n\(definition)" }
            text += "\n\n*\(concept.vocabulary)* · `\(value)`"
            return EditorHover(markdown: text, range: node.range)
        }
        return nil
    }
}
