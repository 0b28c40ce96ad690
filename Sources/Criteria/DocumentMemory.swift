import JSONSchema
import Synchronization

/// What checking one version of a document leaves for checking its next version: the schema-validation memo
/// (`ValidationMemo`: a new version re-validates only the subtrees that changed) and the version with its index
/// (carried over when only a text changed). The engine keeps none of this itself: whoever checks the versions
/// of one document owns a memory for it and passes it to each check (`CriteriaEngine.check(_:path:kind:memory:)`)
/// — the language server keeps one per open document, hands it from each version's analysis to the next, and
/// drops it when the document is closed. A check without a memory (`eccoe check`, the documents an agreement
/// references) keeps nothing. Findings never depend on the memory: a check with one finds what a fresh check finds.
///
/// A memory belongs to one kind (its schema's node numbers mean nothing to another): a check of another kind
/// ignores it. Sendable: the memo and the index are each behind a mutex, taken out for a check and put back
/// after, so two checks given the same memory never share state (the second one works afresh).
public final class DocumentMemory: Sendable {
    public let kind: DocumentKind
    let validation = ValidationMemo()
    private let indexed = Mutex<IndexedTree?>(nil)

    public init(kind: DocumentKind) { self.kind = kind }

    /// How many subtree outcomes the validation memo holds (for tests and diagnostics).
    public var recordedSubtrees: Int { validation.count }

    /// Whether an indexed version is kept for the next check (for tests).
    public var keepsIndex: Bool { indexed.withLock { $0 != nil } }

    func takeIndex() -> IndexedTree? { indexed.withLock { $0.take() } }

    func keep(_ version: IndexedTree?) { indexed.withLock { $0 = version } }
}
