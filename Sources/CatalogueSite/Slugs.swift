/// Page file names: readable, stable (derived from the id, never from the order of files), and unique.
enum Slug {
    /// The longest slug before a hash is added (file names stay far below the usual 255-byte limit).
    static let maxLength = 80

    /// `urn:eccoe:lo:Exampleton:RDM 2026` → `eccoe-lo-exampleton-rdm-2026`: the scheme (`urn:`, `http://`,
    /// `https://`) dropped, lower-case ASCII letters and digits kept, every other run of characters one
    /// hyphen; cut at `maxLength` (at a hyphen when there is one near the end); `fallback` when nothing is left.
    static func make(_ text: String, fallback: String) -> String {
        var source = Substring(text)
        for scheme in ["urn:", "https://", "http://"] where source.lowercased().hasPrefix(scheme) {
            source = source.dropFirst(scheme.count)
            break
        }
        var out: [UInt8] = []
        var pendingHyphen = false
        for byte in source.utf8 {
            let lower = (65...90).contains(byte) ? byte + 32 : byte
            if (97...122).contains(lower) || (48...57).contains(lower) {
                if pendingHyphen && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                out.append(lower)
            } else {
                pendingHyphen = true
            }
        }
        if out.count > maxLength {
            out.removeSubrange(maxLength...)
            if let cut = out.lastIndex(of: UInt8(ascii: "-")), cut >= maxLength - 20 { out.removeSubrange(cut...) }
        }
        return out.isEmpty ? fallback : String(decoding: out, as: UTF8.self)
    }

    /// Eight hex digits of the 64-bit FNV-1a hash of the text's UTF-8: the same on every run and platform.
    static func hash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Unique slugs for items keyed by a stable `key` (an id) and ordered by `tiebreak` (a relative path)
    /// when keys repeat. Items whose keys slug alike each get `-` and the hash of their key; items with the
    /// same key get `-2`, `-3`… in tiebreak order after the first. The result depends only on the set of
    /// items, not on their order. Returns one slug per item, in the given order.
    static func unique(_ items: [(base: String, key: String, tiebreak: String)]) -> [String] {
        var byBase: [String: [Int]] = [:]
        for (i, item) in items.enumerated() { byBase[item.base, default: []].append(i) }
        var result = Array(repeating: "", count: items.count)
        // Bases in sorted order, so that the rare clash of a hashed slug with another base resolves the same way on every run.
        let order = byBase.keys.sorted()
        var pending: [(Int, String)] = []
        for base in order {
            let members = byBase[base]!.sorted { (items[$0].key, items[$0].tiebreak) < (items[$1].key, items[$1].tiebreak) }
            let keys = Set(members.map { items[$0].key })
            var seen: [String: Int] = [:]
            for i in members {
                var slug = keys.count > 1 ? base + "-" + hash(items[i].key) : base
                let n = (seen[items[i].key] ?? 0) + 1
                seen[items[i].key] = n
                if n > 1 { slug += "-\(n)" }
                pending.append((i, slug))
            }
        }
        // Bases themselves are all distinct; a decorated slug may equal another item's base. Plain bases
        // keep their names; a clashing decorated one takes `-x2`, `-x3`… (deterministic: sorted order).
        var taken = Set(pending.filter { items[$0.0].base == $0.1 }.map(\.1))
        for (i, slug) in pending {
            if items[i].base == slug { result[i] = slug; continue }
            var candidate = slug
            var k = 2
            while taken.contains(candidate) {
                candidate = slug + "-x\(k)"
                k += 1
            }
            taken.insert(candidate)
            result[i] = candidate
        }
        return result
    }
}
