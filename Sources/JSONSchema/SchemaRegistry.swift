public import JSONSyntax

/// A problem found in a schema while loading or compiling it.
public struct SchemaProblem: Sendable, Hashable, CustomStringConvertible {
    /// The URI of the schema document.
    public var documentURI: String
    /// Where in that document (JSON Pointer from its root).
    public var location: JSONPointer
    /// Byte range in the schema document, when known.
    public var range: Range<Int>?
    public var message: String

    public init(documentURI: String, location: JSONPointer, range: Range<Int>?, message: String) {
        self.documentURI = documentURI
        self.location = location
        self.range = range
        self.message = message
    }

    public var description: String {
        location.tokens.isEmpty ? "\(documentURI): \(message)" : "\(documentURI)#\(location): \(message)"
    }
}

/// A schema that cannot be compiled: every problem found (syntax errors, invalid regular expressions,
/// unresolvable or cyclic references, keywords with values of the wrong type).
public struct SchemaError: Error, Sendable, CustomStringConvertible {
    public var problems: [SchemaProblem]

    public init(problems: [SchemaProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Schema documents by URI, from memory only (nothing is ever fetched). The 2020-12 meta-schemas are
/// preloaded, so `$schema` and `$ref`s to `https://json-schema.org/draft/2020-12/schema` resolve.
/// A value: copies are independent, so a shared base registry can be extended per use.
public struct SchemaRegistry: Sendable {
    struct Document: Sendable {
        var uri: String
        var tree: SyntaxTree
    }

    var documents: [Document] = []
    var byURI: [String: Int] = [:]

    /// A registry holding the official 2020-12 meta-schemas (unless `includeMetaSchemas` is false).
    public init(includeMetaSchemas: Bool = true) {
        guard includeMetaSchemas else { return }
        for (uri, text) in MetaSchemas.all {
            // The embedded texts are known-good; a failure here is a build defect, surfaced by tests.
            try? add(SyntaxTree(parsing: text), uri: uri)
        }
    }

    /// Registers a parsed schema document under `uri` (its retrieval URI; an `$id` inside it registers
    /// further URIs when compiling). Replaces a document already registered under the same URI.
    public mutating func add(_ tree: SyntaxTree, uri: String) throws(SchemaError) {
        let key = URIReference(uri).withoutFragment.description
        let errors = tree.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            throw SchemaError(
                problems: errors.prefix(20).map {
                    SchemaProblem(
                        documentURI: key, location: JSONPointer(tokens: []), range: $0.range,
                        message: "JSON syntax error at byte \($0.range.lowerBound): \($0.message)")
                })
        }
        if let existing = byURI[key] {
            documents[existing] = Document(uri: key, tree: tree)
        } else {
            byURI[key] = documents.count
            documents.append(Document(uri: key, tree: tree))
        }
    }

    /// Parses and registers a schema text.
    public mutating func add(json: String, uri: String) throws(SchemaError) {
        try add(SyntaxTree(parsing: json), uri: uri)
    }

    /// The URIs of the registered documents, in registration order.
    public var documentURIs: [String] { documents.map(\.uri) }

    /// Compiles the schema at `uri` (a registered document's URI or any URI a compiled `$id`, `$anchor`
    /// or JSON Pointer fragment designates) and everything it references.
    public func compile(uri: String, options: ValidationOptions = ValidationOptions()) throws(SchemaError) -> JSONSchemaValidator
    {
        var compiler = SchemaCompiler(registry: self, options: options)
        let program = try compiler.compileRoot(uri)
        return JSONSchemaValidator(program: program, options: options)
    }

    /// Registers `tree` under `uri` in a copy of this registry and compiles it.
    public func compile(_ tree: SyntaxTree, uri: String, options: ValidationOptions = ValidationOptions()) throws(SchemaError)
        -> JSONSchemaValidator
    {
        var copy = self
        try copy.add(tree, uri: uri)
        return try copy.compile(uri: uri, options: options)
    }
}
