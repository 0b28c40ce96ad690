/// A set of byte strings (keys, ids) that gives each distinct one a dense number, looked up by its UTF-8
/// bytes without making a `String`: the document index meets every key of a document, and hashing each as
/// a `String` (SipHash, and a heap string for longer ones) was a third of its cost. Open addressing with
/// linear probing over a power-of-two table; FNV-1a hashes.
struct ByteKeyTable {
    /// The bytes of every key, one after the other; `spans[n]` locates key `n`.
    private var storage: [UInt8] = []
    private var spans: [(start: Int, count: Int, hash: UInt64)] = []
    /// Slot → key number + 1 (0: empty).
    private var slots: [Int32] = Array(repeating: 0, count: 64)

    /// Number of distinct keys.
    var count: Int { spans.count }

    /// The number of `bytes`, adding it if new (`added` then true).
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Int, added: Bool) {
        let hash = Self.hash(bytes)
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let n = Int(slots[slot]) - 1
            if spans[n].hash == hash && equals(n, bytes) { return (n, false) }
            slot = (slot + 1) & (slots.count - 1)
        }
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
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != 0 {
            let n = Int(slots[slot]) - 1
            if spans[n].hash == hash && equals(n, bytes) { return n }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// The number of a string's UTF-8 bytes, or nil when absent.
    func find(_ string: String) -> Int? {
        var string = string
        return string.withUTF8 { find($0) }
    }

    private func equals(_ n: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let span = spans[n]
        guard span.count == bytes.count else { return false }
        return storage.withUnsafeBufferPointer { stored in
            var i = 0
            while i < span.count {
                if stored[span.start + i] != bytes[i] { return false }
                i += 1
            }
            return true
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

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        // Mix the high bits down: the table uses the low ones.
        return h ^ (h >> 29)
    }
}
