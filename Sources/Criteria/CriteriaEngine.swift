import Dispatch
public import JSONSchema
public import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Limits of one check, each with a documented default and a test at the limit.
public struct CheckLimits: Sendable, Hashable {
    /// Findings kept per document (default 1,000); past it, one final information finding with code
    /// `too-many-findings` says how many were left out.
    public var maxFindingsPerDocument: Int
    /// Schema violations collected per document before attribution (default 500); past it the
    /// validator adds one `more-errors` entry, reported under the kind's profile criterion.
    public var maxSchemaErrorsPerDocument: Int

    public static let `default` = CheckLimits()

    public init(maxFindingsPerDocument: Int = 1_000, maxSchemaErrorsPerDocument: Int = 500) {
        self.maxFindingsPerDocument = max(1, maxFindingsPerDocument)
        self.maxSchemaErrorsPerDocument = max(1, maxSchemaErrorsPerDocument)
    }
}

/// Options of the engine.
public struct CheckOptions: Sendable, Hashable {
    /// The day of the check, for "not later than today" (AG-13); nil: the system clock (UTC).
    public var today: CalendarDate?
    public var limits: CheckLimits

    public init(today: CalendarDate? = nil, limits: CheckLimits = .default) {
        self.today = today
        self.limits = limits
    }
}

/// The criteria engine: detects a document's kind, validates it against the kind's schema, runs the
/// rules that schemas cannot express, and reports every finding under a criterion of the catalogue.
/// Built once (it compiles every embedded schema); immutable and `Sendable`, so one engine serves any
/// number of documents on any number of threads.
public struct CriteriaEngine: Sendable {
    public let catalogue: Catalogue
    public let vocabularies: Vocabularies
    public let options: CheckOptions
    let facts: SchemaFacts
    let plan: RulePlan

    /// Compiles the embedded schemas. Throws only if an embedded schema is broken (a build defect).
    public init(
        options: CheckOptions = CheckOptions(), catalogue: Catalogue = .standard,
        vocabularies: Vocabularies = .standard
    ) throws(SchemaError) {
        self.catalogue = catalogue
        self.vocabularies = vocabularies
        self.options = options
        self.facts = try SchemaFacts.load(options: ValidationOptions(maxErrors: options.limits.maxSchemaErrorsPerDocument))
        self.plan = RulePlan(catalogue: catalogue)
    }

    /// The document's kind (PRODUCT.md rules); nil for documents ECCOE does not know. A sealed credential
    /// (JAdES JSON or compact JWS) has its payload's kind; a flattened JSON-LD document (`@graph`) the kind of
    /// the credential or learning-opportunity node in its graph.
    public func kind(of tree: SyntaxTree, path: String?) -> DocumentKind? {
        if let kind = DocumentKind.detect(tree, path: path) { return kind }
        if let main = GraphDocument.mainNode(tree) { return main.kind }
        if let sealed = SealedPayload.open(tree) { return DocumentKind.detect(SyntaxTree(parsing: sealed.bytes), path: nil) }
        return nil
    }

    /// The form the document is published in (plain, sealed or a JSON-LD graph).
    public func form(of tree: SyntaxTree) -> PublishedForm {
        if Self.mayBeWrapped(tree) {
            if let sealed = SealedPayload.open(tree) { return sealed.form }
            if GraphDocument.mainNode(tree) != nil { return .graph }
        }
        return .plain
    }

    /// Why a document has no kind, in one sentence, for a report that must say what happened to every file.
    public func reasonForNoKind(_ tree: SyntaxTree) -> String {
        let root = tree.root
        if root.kind == .object, root.value(forKey: "@graph") != nil {
            return
                "a JSON-LD graph without a node of type EuropeanDigitalCredential or LearningOpportunity: JSON syntax checked only"
        }
        if SealedPayload.open(tree) != nil {
            return "a sealed document whose payload is not a credential or learning opportunity: JSON syntax checked only"
        }
        if root.kind == .object, let type = root.value(forKey: "type"),
            case let names = type.kind == .array
                ? type.elements.compactMap(\.stringValue) : [type.stringValue].compactMap({ $0 }),
            !names.isEmpty
        {
            return
                "its `type` (\(names.joined(separator: ", "))) names neither EuropeanDigitalCredential nor LearningOpportunity, and it has no ECCOE `$schema`: JSON syntax checked only"
        }
        return
            "not a credential, learning opportunity, agreement or consultation (no JSON-LD `type`, no ECCOE `$schema`, not named *.agreement.json or *.consultation.json): JSON syntax checked only"
    }

    /// Whether the root may be an envelope or a graph (it is not an object with a `type` or `$schema`).
    static func mayBeWrapped(_ tree: SyntaxTree) -> Bool {
        let root = tree.root
        guard root.kind == .object else { return true }
        return root.value(forKey: "type") == nil && root.value(forKey: "$schema") == nil
    }

    /// Checks one document on its own: JSON syntax diagnostics (no criterion), then, for a known kind,
    /// the schema and every document-level rule. Workspace-level criteria (an agreement's references)
    /// are left to `workspaceFindings` / `checkWorkspace`. Findings are in document order.
    public func check(_ tree: SyntaxTree, path: String?) -> [Finding] {
        check(tree, path: path, kind: kind(of: tree, path: path))
    }

    /// Checks one document as the given kind (nil: syntax checks only).
    public func check(_ tree: SyntaxTree, path: String?, kind: DocumentKind?) -> [Finding] {
        check(tree, path: path, kind: kind, memory: nil)
    }

    /// Checks one version of a document as the given kind, through the memory its earlier versions left
    /// (`DocumentMemory`, owned by the caller; ignored when it is of another kind). The same findings as
    /// without it; it only saves work on the next version.
    public func check(_ tree: SyntaxTree, path: String?, kind: DocumentKind?, memory: DocumentMemory?) -> [Finding] {
        check(
            tree, path: path, kind: kind, parallel: tree.bytes.count >= CriteriaEngine.parallelCheckThreshold,
            memory: memory?.kind == kind ? memory : nil)
    }

    /// `check`, with the rules run as parallel units of work or all on the calling thread (the same findings).
    func check(_ tree: SyntaxTree, path: String?, kind: DocumentKind?, parallel: Bool, memory: DocumentMemory? = nil) -> [Finding]
    {
        if Self.mayBeWrapped(tree) {
            if let sealed = SealedPayload.open(tree) { return checkSealed(tree, sealed, parallel: parallel) }
            if let main = GraphDocument.mainNode(tree) {
                if let reason = GraphDocument.unsupportedReason(main.node) {
                    let at = main.node.range.lowerBound
                    return finish(
                        tree.diagnostics.map(Finding.init(syntax:)) + [
                            Finding(
                                criterionID: catalogue.profileCriteria[main.kind], severity: .information, range: at..<(at + 1),
                                message:
                                    "Flattened JSON-LD: the \(main.kind.displayName) node was found in `@graph`, but it was not checked: \(reason)"
                            )
                        ])
                }
                return check(
                    tree, path: path, kind: main.kind, parallel: parallel, root: main.node,
                    memory: memory?.kind == main.kind ? memory : nil)
            }
        }
        if kind == nil, let foreign = ForeignFormat.finding(tree) { return [foreign] }
        return check(tree, path: path, kind: kind, parallel: parallel, root: nil, memory: memory)
    }

    /// A sealed document: its payload checked as the credential it holds (as sealed: properties added at sealing
    /// are required), each finding placed inside the payload in the file, plus one information finding on what
    /// is not checked. Fixes are not offered inside a payload: any change to it breaks the seal.
    func checkSealed(_ tree: SyntaxTree, _ sealed: SealedPayload, parallel: Bool) -> [Finding] {
        let payload = SyntaxTree(parsing: sealed.bytes)
        let kind = DocumentKind.detect(payload, path: nil)
        var findings = sealed.form == .compactJWS ? [] : tree.diagnostics.map(Finding.init(syntax:))
        let inner = check(payload, path: nil, kind: kind, parallel: parallel, root: nil, sealed: true)
        for var f in inner where f.code != "too-many-findings" {
            f.range = sealed.fileRange(f.range)
            f.fix = nil
            if f.criterionID == nil { f.message = "in the sealed payload: " + f.message }
            findings.append(f)
        }
        let form = sealed.form == .compactJWS ? "a compact JWS" : "a JAdES/JWS JSON serialisation"
        let what =
            kind.map { "the \($0.displayName) in its payload (\(sealed.encoding)) was checked as sealed" }
            ?? "its payload (\(sealed.encoding)) is not a credential or learning opportunity, so only its JSON syntax was checked"
        findings.append(
            Finding(
                criterionID: kind.flatMap { catalogue.profileCriteria[$0] }, code: kind == nil ? "sealed-payload" : nil,
                severity: .information, range: sealed.signatureRange,
                message:
                    "\(kind.flatMap { catalogue.title(of: catalogue.profileCriteria[$0] ?? "") }.map { $0 + ": " } ?? "")Sealed document (\(form)): \(what); the seal itself (signature, certificate, time stamp) is not verified, and no fixes are offered inside the payload, since any change breaks the seal"
            ))
        return finish(findings)
    }

    /// The check proper: `root` is the document's main node (nil: the tree's root), `sealed` whether it was read
    /// out of a seal.
    func check(
        _ tree: SyntaxTree, path: String?, kind: DocumentKind?, parallel: Bool, root: SyntaxNode?,
        sealed: Bool = false, memory: DocumentMemory? = nil
    ) -> [Finding] {
        var findings = tree.diagnostics.map(Finding.init(syntax:))
        if let kind {
            let planned = plan.rules[kind] ?? RulePlan.KindRules()
            let schemaRules = planned.schema, otherRules = planned.others
            var schemaFindings: [SchemaConformanceRule.Pending] = []
            var ruleFindings: [Finding] = []
            if parallel && !schemaRules.isEmpty {
                // Rules only read the tree and share no state but the document's index (built once, by the
                // first rule that needs it): on a large document the work is cut into units for whichever
                // thread is free: schema validation first, then the other rules, slowest first as the last
                // large check measured them (so that no long unit starts last), the cheap ones packed together
                // (`RuleCosts.units`). Each unit has a context of its own (a context is not shared between
                // threads). `concurrentPerform` lets the calling thread run every unit itself when no other
                // thread is free, so this never waits on a busy pool. Findings are kept per rule, in table
                // order, whatever order the units ran in.
                let groups = plan.ruleCosts.units(kind: kind, count: otherRules.count)
                let (index, keep) = sharedIndex(tree, memory: memory)
                defer { keep() }
                let results = FindingSlots(count: otherRules.count)
                let schemaResult = Mutex<[SchemaConformanceRule.Pending]>([])
                let costs = CostSlots(count: otherRules.count)
                DispatchQueue.concurrentPerform(iterations: groups.count + 1) { unit in
                    let document = self.context(
                        tree, kind: kind, path: path, index: index, root: root, sealed: sealed, memory: memory)
                    guard unit > 0 else {
                        let found = schemaRules.flatMap { $0.findingsAwaitingChoices(document) }
                        schemaResult.withLock { $0 = found }
                        return
                    }
                    for rule in groups[unit - 1] {
                        let start = DispatchTime.now().uptimeNanoseconds
                        results.set(rule, otherRules[rule].check(document))
                        costs.set(rule, DispatchTime.now().uptimeNanoseconds - start)
                    }
                }
                plan.ruleCosts.record(costs.all, kind: kind)
                schemaFindings = schemaResult.withLock { $0 }
                for rule in otherRules.indices { ruleFindings += results.get(rule) }
            } else {
                let (index, keep) = sharedIndex(tree, memory: memory)
                defer { keep() }
                let document = context(tree, kind: kind, path: path, index: index, root: root, sealed: sealed, memory: memory)
                schemaFindings = schemaRules.flatMap { $0.findingsAwaitingChoices(document) }
                ruleFindings = otherRules.flatMap { $0.check(document) }
            }
            // A rule and the schema reporting the same thing at the same place (the same criterion, or a rule
            // finding whose `properties` hold the key the schema finds missing): keep the rule's, which has the author's
            // words and a fix. Schema findings are never merged with one another: two missing properties at one
            // brace are two findings. The schema findings kept get their choices now.
            var ruleAt: [Int: [Int]] = [:]
            for (i, f) in ruleFindings.enumerated() { ruleAt[f.range.lowerBound, default: []].append(i) }
            let ruleCount = ruleFindings.count
            // Two violations of one value (not in the allowed list, and not an IRI) are one mistake: the first is kept.
            // Missing properties all sit at their object's brace and are each kept.
            var valueFindings = Set<Range<Int>>()
            let schemaStarts = Set(schemaFindings.map(\.finding.range.lowerBound))
            for pending in schemaFindings {
                let f = pending.finding
                if pending.property == nil && !valueFindings.insert(f.range).inserted { continue }
                // A missing property is merged into a rule finding of the same criterion there (one finding per
                // criterion and place: the findingPolicy) or into one that reports the same key missing (its
                // `properties`, set by the rule), which then lists the schema's missing keys too; a rule reporting something else at the same brace does not hide it (the SHACL
                // differential test found a qualification's missing `title` hidden by LO-06's finding there).
                if let same = ruleAt[f.range.lowerBound],
                    let i = same.first(where: { i in
                        guard i < ruleCount && ruleFindings[i].severity <= f.severity else { return false }
                        if let missing = f.properties.first {
                            return ruleFindings[i].code == f.code || ruleFindings[i].properties.contains(missing)
                        }
                        return ruleFindings[i].code == f.code || ruleFindings[i].range == f.range
                            || pending.property.map { ruleFindings[i].properties.contains($0) } ?? false
                    })
                {
                    // The rule's finding stands for the schema's.
                    for missing in f.properties where !ruleFindings[i].properties.contains(missing) {
                        ruleFindings[i].properties.append(missing)
                    }
                    continue
                }
                // The same value where the graph describes it: a rule's or the schema's finding there already says it.
                if let alias = pending.alias {
                    if schemaStarts.contains(alias) { continue }
                    if let same = ruleAt[alias], same.contains(where: { ruleFindings[$0].severity <= f.severity }) { continue }
                }
                let current =
                    pending.allowed.isEmpty || f.range.upperBound > tree.bytes.count
                    ? nil
                    : String(decoding: tree.bytes[f.range], as: UTF8.self)
                ruleFindings.append(SchemaConformanceRule.offeringChoices(f, pending.allowed, current: current))
            }
            // Where the parser found an error (a missing value, a broken string), a rule reading that
            // value would only repeat it.
            let syntaxErrors = Set(tree.diagnostics.filter { $0.severity == .error }.map(\.range.lowerBound))
            findings += syntaxErrors.isEmpty ? ruleFindings : ruleFindings.filter { !syntaxErrors.contains($0.range.lowerBound) }
        }
        return finish(findings)
    }

    /// The index for checking `tree`, carried over from the previous version the memory holds when it can be,
    /// and what to call when the check is done: it keeps this version and its index in the memory for the next.
    func sharedIndex(_ tree: SyntaxTree, memory: DocumentMemory?) -> (SharedIndex, () -> Void) {
        guard let memory else { return (SharedIndex(tree), {}) }
        let previous = memory.takeIndex()
        let index = SharedIndex(tree, previous: previous)
        return (index, { memory.keep(index.indexed ?? previous) })
    }

    /// Documents from this size (bytes) run schema validation and the rules as separate units of work on the
    /// threads that are free; below it, the hand-over costs more than it saves.
    static let parallelCheckThreshold = 32 * 1024

    private struct SameFinding: Hashable {
        var code: String
        var start: Int
    }

    func context(
        _ tree: SyntaxTree, kind: DocumentKind, path: String?, index: SharedIndex? = nil, root: SyntaxNode? = nil,
        sealed: Bool = false, memory: DocumentMemory? = nil
    ) -> DocumentContext {
        DocumentContext(
            tree: tree, kind: kind, path: path, catalogue: catalogue, vocabularies: vocabularies, facts: facts,
            plan: plan, today: options.today ?? CriteriaEngine.systemToday(), index: index, root: root, sealed: sealed,
            memory: memory)
    }

    /// Sorts findings into document order, drops exact duplicates and applies `maxFindingsPerDocument`.
    func finish(_ findings: [Finding]) -> [Finding] {
        // Exact duplicates, first one kept. Candidates are grouped by place and code, so the full
        // comparison (message and fix, choices included) runs only among findings that share them:
        // hashing every whole finding cost more than the rest of `finish`.
        var seen: [SameFinding: [Int]] = [:]
        seen.reserveCapacity(findings.count)
        var result: [Finding] = []
        result.reserveCapacity(findings.count)
        for var f in findings {
            f.message = f.message.oneLine
            let key = SameFinding(code: f.code, start: f.range.lowerBound)
            if let earlier = seen[key], earlier.contains(where: { result[$0] == f }) { continue }
            seen[key, default: []].append(result.count)
            result.append(f)
        }
        result.sort { a, b in
            if a.range.lowerBound != b.range.lowerBound { return a.range.lowerBound < b.range.lowerBound }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.code < b.code
        }
        let limit = options.limits.maxFindingsPerDocument
        if result.count > limit {
            let omitted = result.count - limit
            let at = result[limit].range.lowerBound
            result.removeLast(omitted)
            result.append(
                Finding(
                    criterionID: nil, code: "too-many-findings", severity: .information, range: at..<at,
                    message: "\(omitted) more finding\(omitted == 1 ? "" : "s") not shown (limit \(limit) per document)"))
        }
        return result
    }

    static func systemToday() -> CalendarDate { CalendarDate(secondsSince1970: Int(time(nil))) }

    // MARK: Workspace

    /// The files an agreement's path hints name: the `path` of each entry of `learningOpportunities` that is a
    /// valid relative path, resolved against the agreement's folder and normalised (`.` and `..` removed),
    /// without repeats. Empty for other kinds. The language server re-checks the agreement when one of them
    /// changes. An entry is found by its `id` (`referencedIDs`); the path is where to look first.
    public func references(of tree: SyntaxTree, path: String) -> [String] {
        guard kind(of: tree, path: path) == .agreement else { return [] }
        var result: [String] = []
        for entry in tree.root.value(forKey: "learningOpportunities")?.elements ?? tree.root.elements {
            guard let relative = entry.value(forKey: "path")?.stringValue, RelativePath.isValid(relative) else { continue }
            let resolved = RelativePath.resolve(relative, against: path)
            if !result.contains(resolved) { result.append(resolved) }
        }
        return result
    }

    /// The `id`s of the documents an agreement covers (its `learningOpportunities`), without repeats.
    public func referencedIDs(of tree: SyntaxTree, path: String?) -> [String] {
        guard kind(of: tree, path: path) == .agreement else { return [] }
        var result: [String] = []
        for entry in tree.root.value(forKey: "learningOpportunities")?.elements ?? tree.root.elements {
            if let id = entry.value(forKey: "id")?.stringValue, !id.isEmpty, !result.contains(id) { result.append(id) }
        }
        return result
    }

    /// The ids of an agreement's references that `documents` (path → tree, as for `workspaceFindings`) does not
    /// resolve: a caller looks for documents with these ids elsewhere (other files checked, the agreement's
    /// folder, the editor's workspace) and adds them before the workspace pass.
    public func unresolvedReferences(of tree: SyntaxTree, path: String, documents: [String: SyntaxTree]) -> [String] {
        guard kind(of: tree, path: path) == .agreement else { return [] }
        let workspace = WorkspaceContext(documents: documents, engine: self)
        let agreement = context(tree, kind: .agreement, path: path)
        var result: [String] = []
        for entry in workspace.entries(of: agreement) where !entry.matchesID {
            if let id = entry.id, !result.contains(id) { result.append(id) }
        }
        return result
    }

    /// Whether `bytes` may be a document with one of `ids` as its `id`: its UTF-8 text contains one of them.
    /// A cheap filter before parsing a candidate file; confirm with the parsed document's top-level `id`.
    public static func mayHold(_ bytes: [UInt8], anyOf ids: [String]) -> Bool {
        ids.contains { id in
            let needle = Array(id.utf8)
            guard let first = needle.first, needle.count <= bytes.count else { return false }
            var i = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == first && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }
    }

    /// The workspace-level findings of one agreement (AG-04, AG-05, AG-07, AG-16, AG-20) against `documents`, a
    /// map from path to parsed document that should hold the files `references(of:path:)` names and any other
    /// document found by the ids `unresolvedReferences` lists (a reference found nowhere counts as missing).
    /// Paths are compared after normalisation.
    public func workspaceFindings(forAgreement tree: SyntaxTree, path: String, documents: [String: SyntaxTree]) -> [Finding] {
        guard kind(of: tree, path: path) == .agreement else { return [] }
        let workspace = WorkspaceContext(documents: documents, engine: self)
        return finish(workspaceFindings(context(tree, kind: .agreement, path: path), workspace))
    }

    private func workspaceFindings(_ agreement: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        RuleTable.workspaceRules.flatMap { $0.check(agreement, workspace) }
    }

    /// Checks a set of documents together (path → tree): every document's own findings, plus, for each
    /// agreement, the workspace-level findings against the others. Returns findings by path, in document order.
    public func checkWorkspace(_ documents: [String: SyntaxTree]) -> [String: [Finding]] {
        let workspace = WorkspaceContext(documents: documents, engine: self)
        var result: [String: [Finding]] = [:]
        for (path, tree) in documents {
            let kind = self.kind(of: tree, path: path)
            var findings = workspace.findings(of: path, tree: tree)
            if kind == .agreement { findings += workspaceFindings(context(tree, kind: .agreement, path: path), workspace) }
            result[path] = finish(findings)
        }
        return result
    }
}

/// The findings of the parts of one check, each set once by the thread that ran the part.
private final class FindingSlots: Sendable {
    private let slots: Mutex<[[Finding]]>

    init(count: Int) { slots = Mutex(Array(repeating: [], count: count)) }

    func set(_ part: Int, _ findings: [Finding]) { slots.withLock { $0[part] = findings } }
    func get(_ part: Int) -> [Finding] { slots.withLock { $0[part] } }
}

/// How long each rule of one check took, in nanoseconds, each set once by the thread that ran the rule.
private final class CostSlots: Sendable {
    private let slots: Mutex<[UInt64]>

    init(count: Int) { slots = Mutex(Array(repeating: 0, count: count)) }

    func set(_ rule: Int, _ nanoseconds: UInt64) { slots.withLock { $0[rule] = nanoseconds } }
    var all: [UInt64] { slots.withLock { $0 } }
}

/// Relative paths as agreements write them (AG-03): no URL scheme, not absolute, no drive letter,
/// forward slashes only. Used by the checker to follow path hints and by the drafting tool to write them.
public enum RelativePath {
    /// Whether `path` is a relative path an agreement may hold.
    public static func isValid(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        if let colon = path.firstIndex(of: ":") {
            // `http:`, `file:`, `C:` — any scheme or drive letter before the first slash.
            let slash = path.firstIndex(of: "/") ?? path.endIndex
            if colon < slash { return false }
        }
        return true
    }

    /// `relative` resolved against the folder of `base` (a file path), normalised.
    public static func resolve(_ relative: String, against base: String) -> String {
        var folder = base.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        folder.removeLast()
        let joined = (folder + relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
            .joined(separator: "/")
        return normalise(joined)
    }

    /// The relative path from the folder of the file `base` to the file `target` (both as the caller names
    /// them, normalised first); nil when one is absolute and the other is not, or when `base` lies below
    /// leading `..` segments that cannot be undone.
    public static func relative(to target: String, from base: String) -> String? {
        let t = normalise(target), b = normalise(base)
        guard t.hasPrefix("/") == b.hasPrefix("/") else { return nil }
        let targetParts = t.split(separator: "/").map(String.init).filter { $0 != "." }
        var baseFolder = b.split(separator: "/").map(String.init).filter { $0 != "." }
        if !baseFolder.isEmpty { baseFolder.removeLast() }
        var common = 0
        while common < min(targetParts.count - 1, baseFolder.count) && targetParts[common] == baseFolder[common] { common += 1 }
        let up = baseFolder.count - common
        if baseFolder[common...].contains("..") { return nil }
        let result = Array(repeating: "..", count: up) + targetParts[common...]
        return result.joined(separator: "/")
    }

    /// A path with `.` segments, empty segments and `x/..` pairs removed (leading `..` kept).
    public static func normalise(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for segment in path.split(separator: "/") {
            if segment == "." { continue }
            if segment == "..", let last = out.last, last != ".." {
                out.removeLast()
                continue
            }
            if segment == "..", absolute { continue }
            out.append(segment)
        }
        let joined = out.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}

/// A rule that checks an agreement against the documents it references.
protocol WorkspaceRule: Sendable {
    var criterionID: String { get }
    func check(_ agreement: DocumentContext, _ workspace: WorkspaceContext) -> [Finding]
}

/// The documents of one workspace pass, by normalised path, with each one's own findings computed at
/// most once, an index of the documents by their top-level `id`, and each agreement's resolved entries.
/// Used by one thread at a time.
final class WorkspaceContext {
    let engine: CriteriaEngine
    private let documents: [String: SyntaxTree]
    private var cache: [String: [Finding]] = [:]
    private var idIndex: [String: [String]]?
    private var entryCache: [String: [Entry]] = [:]

    init(documents: [String: SyntaxTree], engine: CriteriaEngine) {
        var normalised: [String: SyntaxTree] = [:]
        for (path, tree) in documents { normalised[RelativePath.normalise(path)] = tree }
        self.documents = normalised
        self.engine = engine
    }

    func document(at path: String) -> SyntaxTree? { documents[RelativePath.normalise(path)] }

    /// The documents (normalised paths, sorted) whose top-level `id` is `id` and which are credentials or
    /// learning opportunities.
    func paths(withID id: String) -> [String] {
        if idIndex == nil {
            var index: [String: [String]] = [:]
            for (path, tree) in documents {
                guard tree.root.kind == .object, let id = tree.root.value(forKey: "id")?.stringValue,
                    let kind = engine.kind(of: tree, path: path), kind == .credential || kind == .learningOpportunity
                else { continue }
                index[id, default: []].append(path)
            }
            for key in index.keys { index[key]!.sort() }
            idIndex = index
        }
        return idIndex?[id] ?? []
    }

    /// The document's own findings (cached).
    func findings(of path: String, tree: SyntaxTree) -> [Finding] {
        let key = RelativePath.normalise(path)
        if let cached = cache[key] { return cached }
        let result = engine.check(tree, path: path)
        cache[key] = result
        return result
    }

    /// How an entry's document was found.
    enum Resolution { case path, id }

    /// One entry of an agreement's `learningOpportunities`, with the document it references.
    struct Entry {
        var node: SyntaxNode
        var key: String?
        var id: String?
        var declaredKind: DocumentKind?
        var pathNode: SyntaxNode?
        /// The path hint resolved against the agreement's folder (when it is a valid relative path).
        var resolvedPath: String?
        /// The document found: at the path hint, or elsewhere by its id.
        var tree: SyntaxTree?
        var foundPath: String?
        var resolvedBy: Resolution?
        var detectedKind: DocumentKind?

        /// Whether the document found has the entry's id (false when only a document of another id sits at the path).
        var matchesID: Bool { tree != nil && (id == nil || tree?.root.value(forKey: "id")?.stringValue == id) }

        /// How messages name the entry: its path hint, else its id, else its key.
        var displayName: String { pathNode?.stringValue ?? id ?? key ?? "the learning opportunity" }
    }

    /// The entries of an agreement's `learningOpportunities`, each with its document: the one at the path hint
    /// when it has the entry's id; otherwise the first (by path) of the workspace's documents with that id and
    /// of the stated kind (or any kind ECCOE covers); otherwise, the one at the path hint if there is one (its
    /// id or kind is then wrong).
    func entries(of agreement: DocumentContext) -> [Entry] {
        let cacheKey = agreement.path ?? ""
        if let cached = entryCache[cacheKey] { return cached }
        let result = (agreement.raw(agreement.root, "learningOpportunities")?.elements.map { $0 } ?? []).filter {
            $0.kind == .object
        }.map { node in
            var entry = Entry(
                node: node, key: node.value(forKey: "key")?.stringValue, id: node.value(forKey: "id")?.stringValue,
                declaredKind: node.value(forKey: "kind")?.stringValue.flatMap(DocumentKind.init(rawValue:)),
                pathNode: node.value(forKey: "path"))
            var atPath: SyntaxTree?
            if let relative = entry.pathNode?.stringValue, RelativePath.isValid(relative), let base = agreement.path {
                let resolved = RelativePath.resolve(relative, against: base)
                entry.resolvedPath = resolved
                atPath = document(at: resolved)
            }
            func take(_ tree: SyntaxTree, _ path: String, _ how: Resolution) {
                entry.tree = tree
                entry.foundPath = path
                entry.resolvedBy = how
                entry.detectedKind = engine.kind(of: tree, path: path)
            }
            if let atPath, let path = entry.resolvedPath,
                entry.id == nil || atPath.root.value(forKey: "id")?.stringValue == entry.id
            {
                take(atPath, path, .path)
            } else if let id = entry.id {
                let candidates = paths(withID: id).filter { $0 != entry.resolvedPath.map(RelativePath.normalise) }
                let wanted = entry.declaredKind
                let chosen =
                    candidates.first { path in wanted == nil || engine.kind(of: documents[path]!, path: path) == wanted }
                    ?? candidates.first
                if let chosen {
                    take(documents[chosen]!, chosen, .id)
                } else if let atPath, let path = entry.resolvedPath {
                    take(atPath, path, .path)
                }
            }
            return entry
        }
        entryCache[cacheKey] = result
        return result
    }

    /// The entries by key (the last one when a key repeats).
    func entriesByKey(of agreement: DocumentContext) -> [String: Entry] {
        var byKey: [String: Entry] = [:]
        for entry in entries(of: agreement) { if let key = entry.key { byKey[key] = entry } }
        return byKey
    }

    /// The ECTS credits the entry's document awards (nil when it was not found, has another id, or states none).
    func awardedCredits(_ entry: Entry) -> Double? {
        guard let tree = entry.tree, entry.matchesID, let kind = entry.detectedKind,
            kind == .learningOpportunity || kind == .credential
        else { return nil }
        return CreditsWithinAwardedRule.ectsCredits(engine.context(tree, kind: kind, path: entry.foundPath))
    }
}

extension CriteriaEngine {
    /// For benchmarks (`eccoe-bench lsp --stages --rules`): the time of each step of checking `tree` as
    /// `kind` on one thread, in milliseconds, in the order run: building the document index, then each
    /// rule (named by its type and criterion, with its number of findings) with that index built.
    /// With a `memory`, schema validation goes through its memo, as in the language server.
    public func stepTimings(
        _ tree: SyntaxTree, kind: DocumentKind, path: String? = nil,
        memory: DocumentMemory? = nil
    ) -> [(step: String, milliseconds: Double)] {
        func time(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        let document = context(tree, kind: kind, path: path, memory: memory?.kind == kind ? memory : nil)
        var result = [("document index", time { _ = document.index })]
        let planned = plan.rules[kind] ?? RulePlan.KindRules()
        for rule in planned.schema as [any Rule] + planned.others {
            var count = 0
            let ms = time { count = rule.check(document).count }
            result.append(("\(type(of: rule)) \(rule.criterionID) (\(count) finding\(count == 1 ? "" : "s"))", ms))
        }
        return result
    }
}
