public import JSONSyntax

/// One problem to show in the editor, in byte offsets; the server converts ranges to LSP positions.
public struct EditorFinding: Sendable {
    public enum Severity: Int, Sendable {
        case error = 1, warning = 2, information = 3, hint = 4
    }

    public var range: Range<Int>
    public var severity: Severity
    /// The criterion ID, or the syntax diagnostic's code.
    public var code: String?
    /// Link to the code's documentation.
    public var documentationURL: String?
    public var message: String
    /// Sent to the client as `diagnostic.data` (the criteria analyzer's: `criterion`, the criterion ID the
    /// consultation link reads). Code actions never read it back from the client.
    public var data: JSONValue?
    /// The analyzer's own value for this finding (the criteria analyzer's: its typed fix), carried by the server
    /// without looking inside and never sent: the findings handed to `DocumentAnalyzer.codeActions` hold it as
    /// the analysis made it, whatever severity the user's settings gave them.
    public var analyzerValue: AnalyzerState?

    public init(
        range: Range<Int>, severity: Severity, code: String?, documentationURL: String? = nil,
        message: String, data: JSONValue? = nil, analyzerValue: AnalyzerState? = nil
    ) {
        self.range = range
        self.severity = severity
        self.code = code
        self.documentationURL = documentationURL
        self.message = message
        self.data = data
        self.analyzerValue = analyzerValue
    }
}

/// A completion candidate; `replace` is the byte range the insertion replaces. Its start is where the
/// author's word starts: clients filter by the text from there to the cursor, matched against `filterText`.
public struct EditorCompletion: Sendable {
    public enum Kind: Int, Sendable {
        case property = 10, value = 12, enumMember = 20, snippet = 15
    }

    public var label: String
    public var kind: Kind
    public var detail: String?
    /// Markdown.
    public var documentation: String?
    public var insertText: String
    public var isSnippet: Bool
    public var replace: Range<Int>
    public var sortText: String?
    public var filterText: String?

    public init(
        label: String, kind: Kind, detail: String? = nil, documentation: String? = nil, insertText: String,
        isSnippet: Bool = false, replace: Range<Int>, sortText: String? = nil, filterText: String? = nil
    ) {
        self.label = label
        self.kind = kind
        self.detail = detail
        self.documentation = documentation
        self.insertText = insertText
        self.isSnippet = isSnippet
        self.replace = replace
        self.sortText = sortText
        self.filterText = filterText
    }
}

/// The completion items for one position, and whether the list is final for what was typed.
public struct EditorCompletionList: Sendable {
    public var items: [EditorCompletion]
    /// True when the items were filtered by what the author typed (or cut to a limit): the client must ask
    /// again as the author types on, rather than filter this list itself.
    public var isIncomplete: Bool

    public init(items: [EditorCompletion], isIncomplete: Bool) {
        self.items = items
        self.isIncomplete = isIncomplete
    }
}

/// Hover text (Markdown) for a byte range.
public struct EditorHover: Sendable {
    public var markdown: String
    public var range: Range<Int>

    public init(markdown: String, range: Range<Int>) {
        self.markdown = markdown
        self.range = range
    }
}

/// A code action: a quick fix (edits to this document, and the codes of the diagnostics it resolves), or an
/// action that runs one of the analyzer's commands when chosen (`command`, of another `kind`).
public struct EditorCodeAction: Sendable {
    public var title: String
    public var edits: [(range: Range<Int>, newText: String)]
    public var fixes: [String]
    public var isPreferred: Bool
    /// The LSP code action kind: `quickfix`, or e.g. `refactor` for an action that makes a new document.
    public var kind: String
    /// Run when the action is chosen (through `workspace/executeCommand`), instead of edits.
    public var command: EditorCommand?

    public init(
        title: String, edits: [(range: Range<Int>, newText: String)], fixes: [String] = [], isPreferred: Bool = false,
        kind: String = "quickfix", command: EditorCommand? = nil
    ) {
        self.title = title
        self.edits = edits
        self.fixes = fixes
        self.isPreferred = isPreferred
        self.kind = kind
        self.command = command
    }
}

/// A command of the analyzer, with its arguments, as a code action carries it.
public struct EditorCommand: Sendable {
    public var name: String
    public var arguments: [JSONValue]

    public init(name: String, arguments: [JSONValue]) {
        self.name = name
        self.arguments = arguments
    }
}

/// What running a command gives: new files (absolute path and text; never an existing file), a label for
/// the edit, a message for the user, or why it failed.
public struct EditorCommandResult: Sendable {
    public var label: String
    public var newFiles: [(path: String, text: String)]
    public var message: String?
    public var failure: String?

    public init(label: String, newFiles: [(path: String, text: String)] = [], message: String? = nil, failure: String? = nil) {
        self.label = label
        self.newFiles = newFiles
        self.message = message
        self.failure = failure
    }
}

/// A place in another document: its path and, when known, a byte range there.
public struct EditorLocation: Sendable {
    public var path: String
    public var range: Range<Int>?

    public init(path: String, range: Range<Int>?) {
        self.path = path
        self.range = range
    }
}

/// User settings (`eccoe` section of the client's configuration, or `initializationOptions`).
public struct ServerSettings: Sendable {
    /// Severity per code (criterion ID): "error", "warning", "information", "hint" or "off".
    public var severity: [String: String] = [:]
    /// Extra file globs per document kind (e.g. "agreement": ["**/agreements/*.json"]).
    public var files: [String: [String]] = [:]
    /// The public consultation's form (`consultationUrl`): diagnostics with a criterion ID offer to comment on
    /// that criterion there. Nil when unset or refused (`consultationURLProblem` says why).
    public var consultationURL: String?
    /// Why the `consultationUrl` given was refused, for a message to the user.
    public var consultationURLProblem: String?

    public init() {}

    init(_ value: JSONValue?) {
        guard let value else { return }
        (consultationURL, consultationURLProblem) = ConsultationLink.setting(value["consultationUrl"])
        for (code, level) in value["severity"]?.objectMembers ?? [] {
            if let level = level.stringValue { severity[code] = level }
        }
        for (kind, globs) in value["files"]?.objectMembers ?? [] {
            files[kind] = globs.arrayValue?.compactMap(\.stringValue) ?? globs.stringValue.map { [$0] } ?? []
        }
    }
}

/// A link from a byte range of a document to another document (`textDocument/documentLink`): an agreement's
/// reference to the learning opportunity it covers.
public struct EditorLink: Sendable, Equatable {
    public var range: Range<Int>
    /// The absolute path of the document linked to.
    public var path: String
    public var tooltip: String?

    public init(range: Range<Int>, path: String, tooltip: String? = nil) {
        self.range = range
        self.path = path
        self.tooltip = tooltip
    }
}

/// What a document's findings depend on besides its own text: the files it read (a change to one of them, in the
/// editor or on disk, re-checks it) and the `id`s it looked for and did not find where it said (a document that
/// comes to hold one of them, such as a referenced file moved elsewhere, re-checks it too). A document over
/// `WorkspaceLimits.maxFileBytes` is never searched for ids.
public struct DocumentDependencies: Sendable, Equatable {
    public var paths: [String]
    public var ids: [String]

    public init(paths: [String] = [], ids: [String] = []) {
        self.paths = paths
        self.ids = ids
    }

    public var isEmpty: Bool { paths.isEmpty && ids.isEmpty }

    /// Whether a change to the document at `path` (holding `text` now, nil if deleted) may change the findings.
    func isAffected(byChangeOf path: String, text: [UInt8]?) -> Bool {
        if paths.contains(path) { return true }
        guard let text, !ids.isEmpty else { return false }
        return ids.contains { ByteSearch.contains(text, Array($0.utf8)) }
    }
}

/// An analyzer's own value, carried by the server without looking inside: the incremental state one version's
/// analysis hands to the next (`AnalyzerResult.state`), what its answers to requests need (`facts`), or what
/// one finding's code actions need (`EditorFinding.analyzerValue`).
public struct AnalyzerState: Sendable {
    public let value: any Sendable

    public init(_ value: any Sendable) { self.value = value }
}

/// Everything one analysis of a document version gives the server, in byte offsets and plain values. The
/// server calls `DocumentAnalyzer.analyze` once per version (and per change of what it depends on) and answers
/// every request about that version from this.
public struct AnalyzerResult: Sendable {
    public var findings: [EditorFinding]
    /// Links to the documents this one refers to, in document order.
    public var links: [EditorLink]
    public var dependencies: DocumentDependencies
    /// Handed back to the analysis of the document's next version (`previous`); the server keeps the latest one
    /// per open document and drops it when the document is closed.
    public var state: AnalyzerState?
    /// What the analyzer's answers to requests about this version need (the document's kind…), handed back
    /// with the analysis (`DocumentAnalysis.facts`).
    public var facts: AnalyzerState?

    public init(
        findings: [EditorFinding], links: [EditorLink] = [], dependencies: DocumentDependencies = DocumentDependencies(),
        state: AnalyzerState? = nil, facts: AnalyzerState? = nil
    ) {
        self.findings = findings
        self.links = links
        self.dependencies = dependencies
        self.state = state
        self.facts = facts
    }
}

/// The result of analysing one document version, as the server keeps it: the version, its tree, and what the
/// analyzer found (findings with the user's severities applied).
public struct DocumentAnalysis: Sendable {
    public let snapshot: DocumentSnapshot
    public let tree: SyntaxTree
    public let findings: [EditorFinding]
    public let links: [EditorLink]
    public let dependencies: DocumentDependencies
    /// The analyzer's facts about this version (`AnalyzerResult.facts`).
    public let facts: AnalyzerState?
    /// The analyzer's state for the next version (`AnalyzerResult.state`).
    let state: AnalyzerState?

    /// `findings`: the result's findings as shown (the user's severities applied); nil: as the analyzer gave them.
    public init(snapshot: DocumentSnapshot, tree: SyntaxTree, result: AnalyzerResult, findings: [EditorFinding]? = nil) {
        self.snapshot = snapshot
        self.tree = tree
        self.findings = findings ?? result.findings
        links = result.links
        dependencies = result.dependencies
        facts = result.facts
        state = result.state
    }
}

/// What the server runs on documents: the checks, and the answers to editor requests. Everything here
/// is in byte offsets and plain values; only the server knows the protocol. The default implementation
/// reports syntax diagnostics and offers nothing else; the criteria engine plugs in here.
///
/// `analyze` is called once per document version (again only when something it depends on changes: a
/// referenced document, the settings); the requests get that analysis. An analyzer reads no file: the documents
/// it needs besides its own come from the `WorkspaceView`.
public protocol DocumentAnalyzer: Sendable {
    /// Analyses one version; `previous` is the `state` the latest analysis of this open document returned
    /// (nil for a document just opened, or not open).
    func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree, previous: AnalyzerState?, workspace: WorkspaceView)
        -> AnalyzerResult
    func completions(_ analysis: DocumentAnalysis, offset: Int, snippets: Bool) -> EditorCompletionList
    func hover(_ analysis: DocumentAnalysis, offset: Int) -> EditorHover?
    func codeActions(_ analysis: DocumentAnalysis, range: Range<Int>, findings: [EditorFinding]) -> [EditorCodeAction]
    func definition(_ analysis: DocumentAnalysis, offset: Int, workspace: WorkspaceView) -> EditorLocation?
    /// Whether a file found while indexing the workspace is one of ours.
    func isWorkspaceDocument(path: String, settings: ServerSettings) -> Bool
    /// The commands code actions may carry (announced as `executeCommandProvider`).
    var commands: [String] { get }
    /// Runs a command chosen through a code action; the server creates the new files and tells the user.
    func executeCommand(_ name: String, arguments: [JSONValue], workspace: WorkspaceView) -> EditorCommandResult
}

extension DocumentAnalyzer {
    public func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree, previous: AnalyzerState?, workspace: WorkspaceView)
        -> AnalyzerResult
    {
        AnalyzerResult(findings: tree.diagnostics.map(SyntaxAnalyzer.finding))
    }
    public func completions(_ analysis: DocumentAnalysis, offset: Int, snippets: Bool) -> EditorCompletionList {
        EditorCompletionList(items: [], isIncomplete: false)
    }
    public func hover(_ analysis: DocumentAnalysis, offset: Int) -> EditorHover? { nil }
    public func codeActions(_ analysis: DocumentAnalysis, range: Range<Int>, findings: [EditorFinding]) -> [EditorCodeAction] {
        []
    }
    public func definition(_ analysis: DocumentAnalysis, offset: Int, workspace: WorkspaceView) -> EditorLocation? { nil }
    public func isWorkspaceDocument(path: String, settings: ServerSettings) -> Bool {
        path.hasSuffix(".json") || path.hasSuffix(".jsonld") || path.hasSuffix(".jsonc")
    }
    public var commands: [String] { [] }
    public func executeCommand(_ name: String, arguments: [JSONValue], workspace: WorkspaceView) -> EditorCommandResult {
        EditorCommandResult(label: name, failure: "unknown command `\(name)`")
    }
}

/// Finding a byte string inside another (a referenced `id` in a changed file's text).
enum ByteSearch {
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h in
            var i = 0
            while i <= last {
                if h[i] == first && h[i..<(i + needle.count)].elementsEqual(needle) { return true }
                i += 1
            }
            return false
        }
    }
}

/// Reports the syntax layer's diagnostics only.
public struct SyntaxAnalyzer: DocumentAnalyzer {
    public init() {}

    public static func finding(_ d: SyntaxDiagnostic) -> EditorFinding {
        let severity: EditorFinding.Severity
        switch d.severity {
        case .error: severity = .error
        case .warning: severity = .warning
        case .information: severity = .information
        case .hint: severity = .hint
        }
        return EditorFinding(range: d.range, severity: severity, code: d.code.rawValue, message: d.message)
    }
}
