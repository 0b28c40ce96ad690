import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one validator found in the subtrees of one document, kept between validations of the document's
/// versions (`JSONSchemaValidator.validate(_:memo:)`). Between two keystrokes almost all of a document is
/// byte for byte what it was: the bytes before the first change sit where they were, and those after the last
/// change moved by the same amount. The memo keeps, per (subschema, subtree position), whether the subtree
/// passed and its errors with locations relative to the subtree, and replays them for a subtree of the new
/// version that lies wholly in the unchanged part, instead of evaluating it again.
///
/// Exact by construction: at the start of a validation the new text is compared with the previous one, byte
/// for byte, from both ends (`MemoState.begin`); a subtree is reused only when all its bytes lie in the common
/// prefix (same place) or the common suffix (same place, shifted), it starts where a recorded subtree started
/// and has its length and number of nodes, it holds no parser error, and the evaluation ran with no dynamic
/// scope, no `unevaluated*` bookkeeping from outside, no depth guard reached and no error cap met. Nothing is
/// hashed: finding the unchanged part costs one comparison of the two texts, and a lookup one table probe.
/// Bounded: at most `maxEntries` entries, only those the latest validation used or recorded, and the memo
/// keeps only the latest validated text.
///
/// `Sendable`: a validation takes the memo's state out under a mutex and puts it back when done, so two
/// validations never share it (a second concurrent one starts from an empty state).
public final class ValidationMemo: Sendable {
    /// Subtrees smaller than this (bytes) are evaluated again: looking them up costs about as much.
    static let defaultMinimumBytes = 128
    /// At most this many recorded subtrees.
    static let maxEntries = 1 << 16

    let state = Mutex(MemoState())
    /// The smallest subtree (bytes) this memo records: `defaultMinimumBytes`, smaller in tests.
    let minimumBytes: Int

    public init() { minimumBytes = Self.defaultMinimumBytes }

    init(minimumBytes: Int) { self.minimumBytes = max(1, minimumBytes) }

    /// How many subtree outcomes the memo holds (for tests).
    public var count: Int { state.withLock { $0.entries.count } }

    /// How many subtree outcomes the latest validation reused (for tests).
    var reusedByLastValidation: Int { state.withLock { $0.reused } }

    func take() -> MemoState {
        state.withLock { s in
            let taken = s
            s = MemoState()
            return taken
        }
    }

    func putBack(_ taken: MemoState) {
        state.withLock { $0 = taken }
    }
}

struct MemoState: Sendable {
    /// A recorded outcome: the subschema, and where its subtree starts in the text it was recorded on.
    struct Key: Hashable, Sendable {
        var schema: Int32
        var offset: Int
    }

    struct Entry: Sendable {
        /// The subtree's length in bytes and number of nodes.
        var length: Int
        var nodeCount: Int
        /// The evaluation depth at which it was recorded: reused only at this depth or shallower (the depth
        /// guard was not reached, so it cannot be reached from a shallower start either).
        var depth: Int
        var valid: Bool
        /// Errors with `instance` and `range` relative to the subtree's root node and first byte, and
        /// `keywordPath` relative to the evaluation path at the subtree.
        var errors: [PendingError]
    }

    /// The program and options the entries belong to (held, so that no other program can take its place).
    var program: Program?
    var options: ValidationOptions?
    /// The text of the latest validation (`entries` are keyed by offsets in it); nil before the first.
    var latest: [UInt8]?
    var entries: [Key: Entry] = [:]
    /// What the current validation used or recorded, keyed by offsets in its text: the next `entries`.
    var next: [Key: Entry] = [:]
    /// How the current text differs from `latest`: its first `unchangedPrefix` bytes are the same, at the same
    /// offsets, and its last `unchangedSuffix` bytes are the same, `shift` bytes further on.
    var unchangedPrefix = 0
    var unchangedSuffix = 0
    var shift = 0
    var currentLength = 0
    /// How many subtree outcomes the current validation reused.
    var reused = 0

    /// Starts a validation of `tree`: finds what it shares with the latest text.
    mutating func begin(_ tree: SyntaxTree, program: Program, options: ValidationOptions) {
        if self.program !== program || self.options != options {
            self = MemoState()
            self.program = program
            self.options = options
        }
        let current = tree.bytes
        currentLength = current.count
        (unchangedPrefix, unchangedSuffix) = latest.map { TextComparison.commonEnds($0, current) } ?? (0, 0)
        shift = current.count - (latest?.count ?? 0)
        next = [:]
        next.reserveCapacity(entries.count)
        reused = 0
    }

    /// Ends the validation of `tree`: keeps only what it used or recorded, and only its text.
    mutating func end(_ tree: SyntaxTree) {
        entries = next
        next = [:]
        latest = tree.bytes
    }

    /// The entry recorded for a subtree of the current text, when all its bytes are unchanged: looked up at
    /// the offset the subtree had in the latest text.
    func unchangedEntry(schema: Int32, range: Range<Int>, nodeCount: Int) -> Entry? {
        let previousOffset: Int
        if range.upperBound <= unchangedPrefix {
            previousOffset = range.lowerBound
        } else if range.lowerBound >= currentLength - unchangedSuffix {
            previousOffset = range.lowerBound - shift
        } else {
            return nil
        }
        guard let entry = entries[Key(schema: schema, offset: previousOffset)],
            entry.length == range.count, entry.nodeCount == nodeCount
        else { return nil }
        return entry
    }
}
