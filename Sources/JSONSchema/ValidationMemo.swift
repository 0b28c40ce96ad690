#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSONSyntax
import Synchronization

/// What one validator found in the subtrees of one document, kept between validations of the document's
/// versions (`JSONSchemaValidator.validate(_:memo:)`). Between two keystrokes almost every array item and
/// member value is byte for byte what it was, and validating a subschema against the same bytes gives the
/// same outcome: the memo keeps, per (subschema, subtree bytes), whether it passed and its errors with
/// locations relative to the subtree, and replays them instead of evaluating again.
///
/// Exact by construction: a subtree is reused only when its bytes equal those recorded (compared byte for
/// byte, the hash only finds the candidate), it holds the same number of nodes and no parser error, the
/// evaluation ran with no dynamic scope, no `unevaluated*` bookkeeping from outside, no depth guard reached
/// and no error cap met. Bounded: at most `maxEntries` entries; entries not used by the latest validation
/// are dropped, and the memo keeps only the latest validated tree.
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
    struct Key: Hashable, Sendable {
        var schema: Int32
        var length: Int
        var hash: UInt64

        func hash(into hasher: inout Hasher) { hasher.combine(hash ^ UInt64(UInt32(bitPattern: schema))) }
    }

    struct Entry: Sendable {
        /// The validation (generation) whose tree holds the recorded bytes, and where.
        var generation: Int
        var offset: Int
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
    var generation = 0
    /// The trees of the previous and of the current validation (entries point into one of them).
    var previous: SyntaxTree?
    var current: SyntaxTree?
    var entries: [Key: Entry] = [:]
    /// Entries used or recorded by the current validation, and how many of them it reused.
    var used = 0
    var reused = 0

    /// Starts a validation of `tree`.
    mutating func begin(_ tree: SyntaxTree, program: Program, options: ValidationOptions) {
        if self.program !== program || self.options != options {
            self = MemoState()
            self.program = program
            self.options = options
        }
        generation += 1
        previous = current
        current = tree
        used = 0
        reused = 0
    }

    /// Ends the validation: keeps only the entries it used, and only its tree.
    mutating func end() {
        if used != entries.count {
            let g = generation
            entries = entries.filter { $0.value.generation == g }
        }
        previous = nil
    }

    /// A hash of `bytes` (four independent lanes of multiply-xorshift, eight bytes at a time).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return 0 }
        let m: UInt64 = 0x9E37_79B9_7F4A_7C15
        var a: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(n)
        var b: UInt64 = 0x1319_8A2E_0370_7344
        var c: UInt64 = 0xA409_3822_299F_31D0
        var d: UInt64 = 0x082E_FA98_EC4E_6C89
        var i = 0
        while i + 32 <= n {
            a = (a ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* m
            b = (b ^ base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* m
            c = (c ^ base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* m
            d = (d ^ base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* m
            a ^= a >> 29
            b ^= b >> 29
            c ^= c >> 29
            d ^= d >> 29
            i += 32
        }
        while i + 8 <= n {
            a = (a ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* m
            a ^= a >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        a = (a ^ tail) &* m
        var h = a ^ (b &* 0xC2B2_AE3D_27D4_EB4F) ^ (c &* 0x1656_67B1_9E37_79F9) ^ (d &* 0x85EB_CA77_C2B2_AE63)
        h ^= h >> 32
        h &*= m
        h ^= h >> 29
        return h
    }
}
