/// The limits the parser enforces. Every limit is a named value with a documented default; going past
/// one produces a diagnostic, never a crash.
public struct ParseLimits: Sendable, Hashable {
    /// Deepest nesting of objects and arrays that gets nodes. Deeper content becomes one error node
    /// covering the whole over-deep container, found by a flat bracket scan (no recursion).
    public var maxNestingDepth: Int
    /// Largest document parsed into a tree. Byte offsets are stored as `UInt32`, so this can never
    /// exceed 4 GiB - 1; a larger document becomes a single error node.
    public var maxDocumentBytes: Int
    /// Diagnostics kept per parse; past it, one final `too-many-diagnostics` entry counts the rest.
    public var maxDiagnostics: Int

    /// Default: nesting 512, documents up to 256 MiB, 1,000 diagnostics.
    public static let `default` = ParseLimits(maxNestingDepth: 512, maxDocumentBytes: 256 << 20, maxDiagnostics: 1000)

    public init(maxNestingDepth: Int = 512, maxDocumentBytes: Int = 256 << 20, maxDiagnostics: Int = 1000) {
        self.maxNestingDepth = max(1, maxNestingDepth)
        self.maxDocumentBytes = min(max(0, maxDocumentBytes), Int(UInt32.max) - 1)
        self.maxDiagnostics = max(1, maxDiagnostics)
    }
}

/// Which flavour of JSON to accept.
public enum Dialect: String, Sendable, Hashable, Codable {
    /// RFC 8259: no comments, no trailing commas.
    case json
    /// JSON with comments: `//` and `/* */` comments and trailing commas are allowed.
    case jsonc
}
