/// How serious a syntax diagnostic is. Errors make a document invalid JSON; warnings flag legal but
/// risky input (duplicate keys, a byte-order mark, lone surrogates).
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error, warning, information, hint

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .information: 2
        case .hint: 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Stable codes for syntax diagnostics, so tools and tests can match on them instead of on text.
public enum SyntaxDiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
    case emptyDocument = "empty-document"
    case expectedValue = "expected-value"
    case expectedPropertyName = "expected-property-name"
    case propertyNameNotString = "property-name-not-string"
    case expectedColon = "expected-colon"
    case expectedComma = "expected-comma"
    case expectedClosingBrace = "expected-closing-brace"
    case expectedClosingBracket = "expected-closing-bracket"
    case unexpectedCharacter = "unexpected-character"
    case unexpectedCloser = "unexpected-closer"
    case unexpectedPunctuation = "unexpected-punctuation"
    case trailingContent = "trailing-content"
    case trailingComma = "trailing-comma"
    case invalidLiteral = "invalid-literal"
    case invalidNumber = "invalid-number"
    case unterminatedString = "unterminated-string"
    case invalidEscape = "invalid-escape"
    case controlCharacterInString = "control-character-in-string"
    case loneSurrogate = "lone-surrogate"
    case invalidUTF8 = "invalid-utf8"
    case commentNotAllowed = "comment-not-allowed"
    case unterminatedComment = "unterminated-comment"
    case byteOrderMark = "byte-order-mark"
    case duplicateKey = "duplicate-key"
    case nestingTooDeep = "nesting-too-deep"
    case documentTooLarge = "document-too-large"
    case tooManyDiagnostics = "too-many-diagnostics"
}

/// One finding of the syntax layer: what is wrong, where (a UTF-8 byte range), and how serious.
public struct SyntaxDiagnostic: Sendable, Hashable {
    public var code: SyntaxDiagnosticCode
    public var severity: Severity
    /// Byte range in the document, `start..<end`. Zero-length ranges point between two bytes.
    public var range: Range<Int>
    public var message: String

    public init(code: SyntaxDiagnosticCode, severity: Severity, range: Range<Int>, message: String) {
        self.code = code
        self.severity = severity
        self.range = range
        self.message = message
    }
}
