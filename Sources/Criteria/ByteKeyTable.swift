#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A set of byte strings (keys, ids) that gives each distinct one a dense number, looked up by its UTF-8
/// bytes without making a `String`: the document index meets every key of a document, and hashing each as
/// a `String` (SipHash, and a heap string for longer ones) was a third of its cost. Open addressing with
/// linear probing over a power-of-two table; a word-at-a-time multiplicative hash.
struct ByteKeyTable: Equatable {
    /// The bytes of every key, one after the other; `spans[n]` locates key `n`.
    private var storage: [UInt8] = []
    private var spans: [(start: Int, count: Int, hash: UInt64)] = []
    /// Slot → key number + 1 (0: empty).
    private var slots: [Int32] = Array(repeating: 0, count: 64)

    /// Number of distinct keys.
    var count: Int { spans.count }

    init() {}

    /// A table of the strings' UTF-8 bytes.
    init(_ strings: some Sequence<String>) {
        for var string in strings { _ = string.withUTF8 { insert($0) } }
    }

    /// Two tables are equal when they number the same keys the same way.
    static func == (a: ByteKeyTable, b: ByteKeyTable) -> Bool {
        guard a.spans.count == b.spans.count else { return false }
        for n in 0..<a.spans.count {
            let x = a.spans[n], y = b.spans[n]
            guard x.count == y.count, a.storage[x.start..<(x.start + x.count)] == b.storage[y.start..<(y.start + y.count)] else {
                return false
            }
        }
        return true
    }

    /// The number of `bytes`, adding it if new (`added` then true).
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Int, added: Bool) {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        let found: Int? = slots.withUnsafeBufferPointer { slots in
            while slots[slot] != 0 {
                let n = Int(slots[slot]) - 1
                if matches(n, hash, bytes) { return n }
                slot = (slot + 1) & mask
            }
            return nil
        }
        if let found { return (found, false) }
        let n = spans.count
        spans.append((storage.count, bytes.count, hash))
        storage.append(contentsOf: bytes)
        slots[slot] = Int32(n + 1)
        if spans.count * 2 > slots.count { grow() }
        return (n, true)
    }

    /// The number of `bytes`, or nil when absent.
    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let n = Int(slots[slot]) - 1
            if matches(n, hash, bytes) { return n }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The number of a string's UTF-8 bytes, or nil when absent.
    func find(_ string: String) -> Int? {
        var string = string
        return string.withUTF8 { find($0) }
    }

    /// Whether key `n` has this hash and these bytes.
    @inline(__always)
    private func matches(_ n: Int, _ hash: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        spans.withUnsafeBufferPointer { spans in
            let span = spans[n]
            guard span.hash == hash && span.count == bytes.count else { return false }
            guard span.count > 0 else { return true }
            return storage.withUnsafeBufferPointer { stored in
                memcmp(stored.baseAddress! + span.start, bytes.baseAddress!, span.count) == 0
            }
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: 0, count: slots.count * 2)
        for (n, span) in spans.enumerated() {
            var slot = Int(truncatingIfNeeded: span.hash) & (bigger.count - 1)
            while bigger[slot] != 0 { slot = (slot + 1) & (bigger.count - 1) }
            bigger[slot] = Int32(n + 1)
        }
        slots = bigger
    }

    /// Eight bytes at a time (keys and ids are mostly 2–40 bytes), each word folded in with a multiply and
    /// rotate, then the length; the high bits are mixed down, since the table uses the low ones.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let count = bytes.count
        while i + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = ((h ^ word) &* 0xFF51_AFD7_ED55_8CCD).rotatedLeft(by: 29)
            i += 8
        }
        if i < count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < count {
                tail |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = ((h ^ tail) &* 0xFF51_AFD7_ED55_8CCD).rotatedLeft(by: 29)
        }
        h = (h ^ (h >> 32)) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }
}

extension UInt64 {
    @inline(__always)
    func rotatedLeft(by n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
