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
    /// Data for quick fixes (kept in `diagnostic.data`).
    public var data: JSONValue?

    public init(range: Range<Int>, severity: Severity, code: String?, documentationURL: String? = nil,
                message: String, data: JSONValue? = nil) {
        self.range = range
        self.severity = severity
        self.code = code
        self.documentationURL = documentationURL
        self.message = message
        self.data = data
    }
}

/// The result of analysing one document version.
public struct DocumentAnalysis: Sendable {
    public let snapshot: DocumentSnapshot
    public let tree: SyntaxTree
    public let findings: [EditorFinding]
}

/// What the server runs on each document version. The default reports syntax diagnostics; the
/// criteria engine plugs in here.
public protocol DocumentAnalyzer: Sendable {
    func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree) -> [EditorFinding]
}

/// Reports the syntax layer's diagnostics only.
public struct SyntaxAnalyzer: DocumentAnalyzer {
    public init() {}

    public func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree) -> [EditorFinding] {
        tree.diagnostics.map(Self.finding)
    }

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
