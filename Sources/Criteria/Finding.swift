public import JSONSyntax

/// One replacement in a document's bytes: `range` (UTF-8 byte offsets; empty for an insertion) becomes `newText`.
public struct FixEdit: Sendable, Hashable {
    public var range: Range<Int>
    public var newText: String

    public init(range: Range<Int>, newText: String) {
        self.range = range
        self.newText = newText
    }
}

/// One value the author may choose, with its label, and the edits that put it in place.
public struct FixChoice: Sendable, Hashable {
    /// What the editor shows, e.g. `795dac4096 project work`.
    public var label: String
    /// The value as compact JSON text (strings quoted).
    public var json: String
    public var edits: [FixEdit]

    public init(label: String, json: String, edits: [FixEdit]) {
        self.label = label
        self.json = json
        self.edits = edits
    }
}

/// How to repair a finding, computed with it so that an editor's quick fix needs no second check: a
/// preferred correction (`edits`: a corrected value, a renamed key, a skeleton of a missing element) and/or
/// a list of allowed values (`choices`), each ready to apply.
public struct Fix: Sendable, Hashable {
    /// What applying `edits` does, in the author's words ("Insert `learningOutcome`").
    public var title: String
    /// The preferred correction; empty when only `choices` are offered.
    public var edits: [FixEdit]
    /// Allowed values; applying one replaces the offending value.
    public var choices: [FixChoice]

    public init(title: String, edits: [FixEdit] = [], choices: [FixChoice] = []) {
        self.title = title
        self.edits = edits
        self.choices = choices
    }
}

/// One result of a check: which criterion (or, for a JSON syntax error, which syntax rule), how serious,
/// where (UTF-8 byte range), what is wrong in the author's words, and how to fix it.
public struct Finding: Sendable, Hashable {
    /// The criterion the finding belongs to; nil for JSON syntax diagnostics.
    public var criterionID: String?
    /// The criterion ID, or for syntax diagnostics the syntax code (e.g. `expected-comma`).
    public var code: String
    public var severity: Severity
    /// Byte range in the document. A missing element is reported at the opening brace of the object
    /// that should hold it.
    public var range: Range<Int>
    public var message: String
    public var fix: Fix?
    /// For a finding at an object about properties of it that are missing (the range is the object's opening
    /// brace), their JSON keys (one finding may stand for several: one per criterion and place); empty otherwise.
    /// Lets tools place the finding on (node, property) without reading the message (the SHACL differential test
    /// does).
    public var properties: [String]

    public init(
        criterionID: String?, code: String? = nil, severity: Severity, range: Range<Int>, message: String,
        fix: Fix? = nil, properties: [String] = []
    ) {
        self.criterionID = criterionID
        self.code = code ?? criterionID ?? "finding"
        self.severity = severity
        self.range = range
        self.message = message
        self.fix = fix
        self.properties = properties
    }

    /// A JSON syntax diagnostic as a finding (no criterion; `code` is the syntax code).
    public init(syntax d: SyntaxDiagnostic) {
        self.init(criterionID: nil, code: d.code.rawValue, severity: d.severity, range: d.range, message: d.message)
    }
}
