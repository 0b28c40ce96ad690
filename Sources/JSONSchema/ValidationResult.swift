public import JSONSyntax

/// Options for compiling and running a validator. Every limit has a documented default.
public struct ValidationOptions: Sendable, Hashable {
    /// Treat `format` as an assertion (default false: an annotation, as 2020-12 specifies).
    public var formatAssertion: Bool
    /// Errors returned per validation (default 100); past it, one final entry counts the rest.
    public var maxErrors: Int
    /// Errors gathered before sorting (default 10,000); the rest are only counted.
    public var maxCollectedErrors: Int
    /// Deepest nesting of schema evaluations (default 1,000): each applied subschema, `$ref` or item is
    /// one level. Deeper evaluation stops with an error instead of exhausting the stack.
    public var maxEvaluationDepth: Int

    public init(
        formatAssertion: Bool = false, maxErrors: Int = 100, maxCollectedErrors: Int = 10_000,
        maxEvaluationDepth: Int = 1_000
    ) {
        self.formatAssertion = formatAssertion
        self.maxErrors = max(1, maxErrors)
        self.maxCollectedErrors = max(self.maxErrors, maxCollectedErrors)
        self.maxEvaluationDepth = max(8, maxEvaluationDepth)
    }
}

/// A value a schema allows at a location (from `enum`, `const`, or `anyOf`/`oneOf` of `const`s),
/// ready to offer as a quick fix.
public struct AllowedValue: Sendable, Hashable {
    /// The value as compact JSON text (strings quoted).
    public var json: String
    public var title: String?
    public var description: String?

    public init(json: String, title: String? = nil, description: String? = nil) {
        self.json = json
        self.title = title
        self.description = description
    }
}

/// One reason an instance does not conform to its schema.
public struct ValidationError: Sendable, Hashable {
    /// A stable code: the failing keyword (`type`, `required`, `enum`, …), or `false-schema`,
    /// `additional-property`, `unevaluated-property`, `depth-limit`, `more-errors`.
    public var code: String
    /// JSON Pointer of the offending instance value.
    public var instanceLocation: JSONPointer
    /// Byte range in the instance document: the offending value; for a missing required property the
    /// object's opening brace; for a property that is not allowed, its key.
    public var range: Range<Int>
    /// The evaluation path through the schema (with `$ref` hops), e.g. `/properties/issuer/$ref/required`.
    public var keywordLocation: JSONPointer
    /// The keyword's absolute location, `schema-uri#/pointer` within its schema resource.
    public var absoluteKeywordLocation: String
    /// A message for the person editing the document.
    public var message: String
    /// For `enum`/`const` failures: the values that would be accepted.
    public var allowedValues: [AllowedValue]
    /// The property the error is about, as data (so that callers need not read it out of `message`): the
    /// missing one for `required` and `dependentRequired`, the one not allowed for `additional-property` and
    /// `unevaluated-property`; nil for other codes.
    public var property: String?
    /// For `additional-property`: the allowed property name closest to the one written, if one is close.
    public var suggestion: String?
    /// For `pattern`: the regular expression (ECMA-262 source) the value failed, for callers that word their
    /// own message rather than show it.
    public var pattern: String?
    /// For `pattern` and `format`: the offending value as the message quotes it (in backticks, long texts
    /// shortened), so that callers wording their own message need not cut it out of `message`.
    public var actual: String?

    public init(
        code: String, instanceLocation: JSONPointer, range: Range<Int>, keywordLocation: JSONPointer,
        absoluteKeywordLocation: String, message: String, allowedValues: [AllowedValue] = [],
        property: String? = nil, suggestion: String? = nil, pattern: String? = nil, actual: String? = nil
    ) {
        self.code = code
        self.instanceLocation = instanceLocation
        self.range = range
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.message = message
        self.allowedValues = allowedValues
        self.property = property
        self.suggestion = suggestion
        self.pattern = pattern
        self.actual = actual
    }
}

/// The outcome of validating one document: its errors in document order, capped.
public struct ValidationResult: Sendable {
    /// Errors sorted by position in the document; when more than `maxErrors` were found, the last entry
    /// has code `more-errors` and says how many were left out.
    public var errors: [ValidationError]
    /// How many errors were left out by the cap.
    public var omittedErrorCount: Int

    public var isValid: Bool { errors.isEmpty }
}
