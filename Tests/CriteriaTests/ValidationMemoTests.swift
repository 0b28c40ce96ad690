import CredentialCorpus
import Foundation
import JSONSyntax
import Testing

@testable import Criteria
@testable import JSONSchema

/// Validation through a `ValidationMemo` carried across versions of a document gives exactly what a
/// fresh validation gives: same errors, order, messages, ranges, pointers and cap.
@Suite struct ValidationMemoTests {
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(1, n)))
        }
    }

    static func same(_ a: ValidationResult, _ b: ValidationResult) -> Bool {
        a.errors == b.errors && a.omittedErrorCount == b.omittedErrorCount
    }

    /// Random one-byte edits (insertions and deletions anywhere, syntax-breaking ones included), most of them
    /// near the previous one as when typing; after each, memoised and fresh validation agree.
    static func replay(_ start: [UInt8], kind: DocumentKind, validator: JSONSchemaValidator, edits: Int, seed: UInt64) -> (
        Int, Int, Int
    ) {
        var random = Random(state: seed)
        var bytes = start
        // The memo as the engine uses it, and one that records every subtree however small.
        let memos = [ValidationMemo(), ValidationMemo(minimumBytes: 1)]
        var mismatches = 0
        var withErrors = 0
        var reused = 0
        var cursor = bytes.count / 2
        let alphabet = Array("a\"{}[],:0 .\\eé-".utf8)
        for _ in 0...edits {
            let tree = SyntaxTree(parsing: bytes, dialect: .json)
            let fresh = validator.validate(tree)
            for memo in memos {
                if !same(fresh, validator.validate(tree, memo: memo)) { mismatches += 1 }
                reused += memo.reusedByLastValidation
            }
            if !fresh.errors.isEmpty { withErrors += 1 }
            // Next edit: usually at the cursor (typing), sometimes anywhere.
            if random.next(4) == 0 || bytes.isEmpty { cursor = random.next(bytes.count + 1) }
            cursor = min(cursor, bytes.count)
            if random.next(3) == 0 && cursor < bytes.count {
                bytes.remove(at: cursor)
            } else {
                bytes.insert(alphabet[random.next(alphabet.count)], at: cursor)
                cursor += 1
            }
        }
        return (mismatches, withErrors, reused)
    }

    @Test func benchmarkCredentials() throws {
        let validator = try #require(engine.schemaValidator(for: .credential))
        for (size, seed) in [(20_000, UInt64(1)), (100_000, 2)] {
            var corpus = CredentialCorpus(seed: UInt64(size))
            let bytes = corpus.credential(approximateBytes: size)
            let (mismatches, withErrors, reused) = Self.replay(
                bytes, kind: .credential, validator: validator, edits: 150, seed: seed)
            #expect(mismatches == 0, "size \(size)")
            #expect(withErrors > 0)
            #expect(reused > 150, "the memo was hardly used")
        }
    }

    @Test func exampleDocuments() throws {
        let folder = packageRoot.appendingPathComponent("Schemas/examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var checked = 0
        var totalReused = 0
        for (k, name) in names.enumerated() {
            let path = folder.appendingPathComponent(name).path
            let bytes = try readFile(path)
            let tree = SyntaxTree(parsing: bytes, dialect: name.hasSuffix(".jsonc") ? .jsonc : .json)
            guard let kind = engine.kind(of: tree, path: path), let validator = engine.schemaValidator(for: kind) else {
                continue
            }
            let (mismatches, _, reused) = Self.replay(bytes, kind: kind, validator: validator, edits: 40, seed: UInt64(k + 10))
            #expect(mismatches == 0, "\(name)")
            checked += 1
            totalReused += reused
        }
        #expect(checked > 20)
        #expect(totalReused > checked * 40)
    }

    /// A small error cap: the "N more" entry is the same with the memo (replayed errors count towards it).
    @Test func capIsTheSame() throws {
        let capped = try CriteriaEngine(options: CheckOptions(limits: CheckLimits(maxSchemaErrorsPerDocument: 3)))
        let validator = try #require(capped.schemaValidator(for: .credential))
        var corpus = CredentialCorpus(seed: 7)
        let (mismatches, _, _) = Self.replay(
            corpus.credential(approximateBytes: 30_000), kind: .credential, validator: validator,
            edits: 60, seed: 3)
        #expect(mismatches == 0)
    }

    /// Versions that differ in several places at once (a formatter, a multi-cursor edit, a whole-text
    /// replacement): only the common start and end are reused, and the result is still a fresh validation's.
    @Test func severalChangesAtOnce() throws {
        let validator = try #require(engine.schemaValidator(for: .credential))
        var corpus = CredentialCorpus(seed: 60_000)
        var bytes = corpus.credential(approximateBytes: 60_000)
        var random = Random(state: 17)
        let memo = ValidationMemo(minimumBytes: 1)
        for round in 0..<25 {
            let tree = SyntaxTree(parsing: bytes, dialect: .json)
            #expect(Self.same(validator.validate(tree), validator.validate(tree, memo: memo)), "round \(round)")
            // Two to four edits far apart: insertions of quotes and brackets, and deletions.
            for _ in 0..<(2 + random.next(3)) where !bytes.isEmpty {
                let at = random.next(bytes.count)
                if random.next(2) == 0 {
                    bytes.remove(at: at)
                } else {
                    bytes.insert(Array("\"{[x,".utf8)[random.next(5)], at: at)
                }
            }
        }
    }

    /// The common start and end of two texts never overlap in either text, whatever repeats at the seam.
    @Test func commonEndsDoNotOverlap() {
        let cases: [(String, String, Int, Int)] = [
            ("", "", 0, 0), ("abc", "abc", 3, 0), ("aaa", "aaaa", 3, 0), ("aaaa", "aaa", 3, 0),
            ("abcXdef", "abcYdef", 3, 3), ("abcdef", "abcXdef", 3, 3), ("abab", "ab", 2, 0),
            (
                String(repeating: "0123456789", count: 5) + "A" + String(repeating: "9876543210", count: 5),
                String(repeating: "0123456789", count: 5) + "BB" + String(repeating: "9876543210", count: 5), 50, 50
            ),
        ]
        // Long texts: whole 4 KB blocks compared at once, then the rest.
        let long = (0..<20_000).map { UInt8(ascii: "a") + UInt8($0 % 23) }
        var changed = long
        changed[10_001] = UInt8(ascii: "#")
        changed.insert(UInt8(ascii: "#"), at: 10_002)
        let longEnds = TextComparison.commonEnds(long, changed)
        #expect(longEnds.prefix == 10_001 && longEnds.suffix == 20_000 - 10_002)
        #expect(TextComparison.commonEnds(long, long) == (20_000, 0))
        for (a, b, prefix, suffix) in cases {
            let ends = TextComparison.commonEnds(Array(a.utf8), Array(b.utf8))
            #expect(ends.prefix == prefix && ends.suffix == suffix, "\(a) / \(b): \(ends)")
            #expect(ends.prefix + ends.suffix <= min(a.utf8.count, b.utf8.count))
        }
    }

    /// The memo holds only what the latest validation used, and reuses it: validating the same tree again
    /// records nothing new.
    @Test func memoIsBoundedAndReused() throws {
        let validator = try #require(engine.schemaValidator(for: .credential))
        var corpus = CredentialCorpus(seed: 100_000)
        let bytes = corpus.credential(approximateBytes: 100_000)
        let memo = ValidationMemo()
        let tree = SyntaxTree(parsing: bytes, dialect: .json)
        let first = validator.validate(tree, memo: memo)
        let count = memo.count
        #expect(count > 0)
        let again = validator.validate(tree, memo: memo)
        #expect(Self.same(first, again))
        #expect(memo.reusedByLastValidation > 0)
        #expect(memo.count <= count)
        // A different document: the first one's entries go (only what this validation used is kept).
        let other = SyntaxTree(parsing: "{\"type\": [\"VerifiableCredential\"]}")
        _ = validator.validate(other, memo: memo)
        #expect(memo.count == 0)
        // Another validator with the same memo starts afresh (its schema indices mean other things).
        let agreement = try #require(engine.schemaValidator(for: .agreement))
        _ = validator.validate(tree, memo: memo)
        #expect(Self.same(agreement.validate(tree, memo: memo), agreement.validate(tree)))
        #expect(memo.reusedByLastValidation == 0)
    }

    /// The engine's checks of a document's versions (through one `DocumentMemory`) equal checks without one.
    @Test func engineChecksAgree() throws {
        var corpus = CredentialCorpus(seed: 50_000)
        var bytes = corpus.credential(approximateBytes: 50_000)
        var random = Random(state: 9)
        let path = "/memo-test/doc.jsonld"
        let memory = DocumentMemory(kind: .credential)
        for _ in 0..<30 {
            let tree = SyntaxTree(parsing: bytes, dialect: .json)
            let withMemo = engine.check(tree, path: path, kind: .credential, memory: memory)
            let fresh = engine.check(tree, path: nil, kind: .credential)
            #expect(withMemo == fresh)
            bytes.insert(UInt8(ascii: "x"), at: bytes.count / 2 + random.next(2000))
        }
    }
}

/// The document index carries over to the next version only when it is that version's index.
@Suite struct IndexCarryOverTests {
    /// Random edits, most of them typing inside texts, some anywhere (keys, ids, brackets): whenever the index
    /// carries over, it equals the index built afresh; and typing inside texts does carry it over.
    @Test func carriedIndexesEqualFreshOnes() {
        var corpus = CredentialCorpus(seed: 70_000)
        var bytes = corpus.credential(approximateBytes: 40_000)
        var random = ValidationMemoTests.Random(state: 23)
        var previous = SyntaxTree(parsing: bytes, dialect: .json)
        var previousIndex = DocumentContext.Index(previous)
        var carried = 0
        for _ in 0..<400 {
            var version = bytes
            if random.next(5) == 0 {
                // Anywhere, in this version only: a byte inserted or removed (keys, ids, brackets…).
                let at = random.next(version.count)
                if random.next(2) == 0 {
                    version.remove(at: at)
                } else {
                    version.insert(Array("a\"{:,é".utf8)[random.next(7)], at: at)
                }
            } else {
                // Typing inside a member value's text: just after the opening quote of a `": "` from a random place.
                var at = random.next(bytes.count - 4)
                while at + 4 < bytes.count
                    && !(bytes[at] == 0x22 && bytes[at + 1] == 0x3A && bytes[at + 2] == 0x20 && bytes[at + 3] == 0x22)
                {
                    at += 1
                }
                bytes.insert(UInt8(ascii: "q"), at: min(bytes.count, at + 4))
                version = bytes
            }
            let tree = SyntaxTree(parsing: version, dialect: .json)
            if let index = DocumentContext.Index.carried(previousIndex, from: previous, to: tree) {
                #expect(index == DocumentContext.Index(tree))
                carried += 1
            }
            previous = tree
            previousIndex = DocumentContext.Index(tree)
        }
        #expect(carried > 100)
    }

    @Test func editsToKeysRebuildItAndEditsToIDsRemakeTheIDs() {
        let base = #"{"id": "urn:a", "type": "X", "title": "one", "ref": {"id": "urn:b"}, "n": {"id": "urn:c", "title": "two"}}"#
        let old = SyntaxTree(parsing: base)
        let oldIndex = DocumentContext.Index(old)
        func carried(_ edited: String) -> DocumentContext.Index? {
            let tree = SyntaxTree(parsing: edited)
            let index = DocumentContext.Index.carried(oldIndex, from: old, to: tree)
            if let index { #expect(index == DocumentContext.Index(tree), "\(edited)") }
            return index
        }
        #expect(carried(base) == oldIndex)
        #expect(carried(base.replacingOccurrences(of: "\"one\"", with: "\"ones\"")) == oldIndex)
        #expect(carried(base.replacingOccurrences(of: "\"X\"", with: "\"Y\"")) == oldIndex)
        // An id: the same index but for its ids (a reference's id is not one of them).
        #expect(carried(base.replacingOccurrences(of: "urn:a", with: "urn:d")).map { $0 != oldIndex } == true)
        #expect(carried(base.replacingOccurrences(of: "urn:c", with: "urn:a")) != nil)
        #expect(carried(base.replacingOccurrences(of: "urn:b", with: "urn:e")) == oldIndex)
        // A key, or a change of kind: built afresh.
        #expect(carried(base.replacingOccurrences(of: "\"title\"", with: "\"titel\"")) == nil)
        #expect(carried(base.replacingOccurrences(of: "\"one\"", with: "1")) == nil)
    }
}

/// A document's memory (`DocumentMemory`) is its caller's: the first check through it keeps its memo and index,
/// the next version reuses them, and checking any number of other documents in between (an agreement's
/// references) takes nothing away from it. A check without one keeps nothing. Both find the same.
@Suite struct DocumentMemoryTests {
    @Test func theCallersMemoryKeepsWhatTheFirstCheckLeaves() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 29)
        let engine = try CriteriaEngine(options: CheckOptions(today: today))
        let bytes = try readFile(packageRoot.appendingPathComponent("Schemas/examples/credential-MC-07-no-workload.jsonld").path)
        let path = "/eccoe-first-check/credential.jsonld"
        let tree = SyntaxTree(parsing: bytes)
        let kind = try #require(engine.kind(of: tree, path: path))
        let memory = DocumentMemory(kind: kind)
        let found = engine.check(tree, path: path, kind: kind, memory: memory)
        #expect(found.map(\.code).contains("MC-07"))
        #expect(summary(found, tree) == summary(engine.check(tree, path: path), tree))
        #expect(memory.recordedSubtrees > 0, "the first check's memo is kept")
        #expect(memory.keepsIndex, "and its index")
        // Five other documents of the same kind checked in between (more than the four paths the engine's
        // own cache used to hold) leave the memory as it was.
        let recorded = memory.recordedSubtrees
        for n in 0..<5 {
            _ = engine.check(SyntaxTree(parsing: bytes), path: "/eccoe-first-check/other-\(n).jsonld", kind: kind)
        }
        #expect(memory.recordedSubtrees == recorded)
        #expect(memory.keepsIndex)
        // The next version reuses the memo, and still finds what a fresh engine finds.
        var edited = bytes
        let comma: Int = try #require(edited[(edited.count / 2)...].firstIndex(of: UInt8(ascii: ",")))
        edited.insert(UInt8(ascii: " "), at: comma + 1)
        let next = SyntaxTree(parsing: edited)
        #expect(
            summary(engine.check(next, path: path, kind: kind, memory: memory), next)
                == summary(try CriteriaEngine(options: CheckOptions(today: today)).check(next, path: nil), next))
        #expect(memory.validation.reusedByLastValidation > 0, "the second check reused the first one's memo")
        // A memory of another kind is not used.
        let other = DocumentMemory(kind: .agreement)
        _ = engine.check(next, path: path, kind: kind, memory: other)
        #expect(other.recordedSubtrees == 0 && !other.keepsIndex)
    }
}
