public import JSONSchema

extension CriteriaEngine {
    /// The compiled schema of a document kind, for the editor's completion and hover (its annotations).
    public func schemaValidator(for kind: DocumentKind) -> JSONSchemaValidator? { facts.validators[kind] }
}
