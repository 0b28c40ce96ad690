import Foundation

/// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104). The toolchain on Linux has no CryptoKit and the
/// project takes no packages; tokens are hashed, exports get checksums and the report's style gets a CSP hash.
public struct SHA256: Sendable {
    private var state: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]
    private var buffer: [UInt8] = []
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 { absorb(bytes) }

    /// `update` for byte arrays. Not generic, so callers in other modules (the exports hash every byte they
    /// write) run code specialised here rather than the generic one.
    public mutating func update(_ bytes: [UInt8]) { absorb(bytes) }

    private mutating func absorb<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        length &+= UInt64(bytes.count)
        buffer.append(contentsOf: bytes)
        if buffer.count >= 64 {
            let whole = buffer.count - buffer.count % 64
            buffer.withUnsafeBufferPointer { p in
                var offset = 0
                while offset < whole {
                    compress(p, offset)
                    offset += 64
                }
            }
            buffer.removeFirst(whole)
        }
    }

    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (buffer.count + tail.count) % 64 != 56 { tail.append(0) }
        for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
        let savedLength = length
        update(tail)
        length = savedLength
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in state {
            out += [
                UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
                UInt8(truncatingIfNeeded: word),
            ]
        }
        return out
    }

    private mutating func compress(_ p: UnsafeBufferPointer<UInt8>, _ offset: Int) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            compress(p, offset, w)
        }
    }

    private mutating func compress(_ p: UnsafeBufferPointer<UInt8>, _ offset: Int, _ w: UnsafeMutableBufferPointer<UInt32>) {
        SHA256.k.withUnsafeBufferPointer { k in compress(p, offset, w, k) }
    }

    private mutating func compress(
        _ p: UnsafeBufferPointer<UInt8>, _ offset: Int, _ w: UnsafeMutableBufferPointer<UInt32>,
        _ k: UnsafeBufferPointer<UInt32>
    ) {
        for i in 0..<16 {
            let b = offset + i * 4
            w[i] = UInt32(p[b]) << 24 | UInt32(p[b + 1]) << 16 | UInt32(p[b + 2]) << 8 | UInt32(p[b + 3])
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        state[0] &+= a
        state[1] &+= b
        state[2] &+= c
        state[3] &+= d
        state[4] &+= e
        state[5] &+= f
        state[6] &+= g
        state[7] &+= h
    }

    @inline(__always) private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// The digest of `bytes` in one call.
    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finalize()
    }

    /// The digest of a byte array (not generic: see `update(_:)`).
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.absorb(bytes)
        return h.finalize()
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { Secrets.hex(hash(bytes)) }

    /// The digest of a byte array as 64 lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String { Secrets.hex(hash(bytes)) }

    /// HMAC-SHA-256 of `message` under `key`.
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var k = key.count > 64 ? hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        var inner = SHA256()
        inner.update(k.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(k.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}

/// Random identifiers and secrets, and the encodings they travel in.
package enum Secrets {
    /// `count` bytes from the system's cryptographic generator (getrandom on Linux).
    package static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            let word = generator.next()
            for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: word >> (UInt64(i) * 8))) }
        }
        return Array(out.prefix(count))
    }

    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Unpadded base64url (RFC 4648 §5): safe in URLs, headers and form fields.
    package static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    package static func base64(_ bytes: [UInt8]) -> String {
        var s = base64URL(bytes).replacingCharacters("-", "+").replacingCharacters("_", "/")
        while s.utf8.count % 4 != 0 { s += "=" }
        return s
    }

    /// A new response id: 128 random bits as 32 lowercase hex digits.
    package static func newResponseID() -> String { hex(randomBytes(16)) }

    /// A new secret token (edit, draft, analyst): 256 random bits in base64url.
    package static func newToken() -> String { base64URL(randomBytes(32)) }

    /// Compares two byte strings in time that depends only on their lengths.
    package static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// The stored form of a token (edit, draft, analyst, session): HMAC-SHA-256 under the database's token
    /// key, so a copy of the hashes is useless without the key and equal tokens of two databases differ.
    package static func keyedHash(_ token: String, key: [UInt8]) -> [UInt8] { SHA256.hmac(key: key, message: Array(token.utf8)) }

    /// The form edit and draft tokens were stored in by earlier versions (plain SHA-256): still recognised,
    /// and replaced by the keyed hash at the next change.
    package static func legacyHash(_ token: String) -> [UInt8] { SHA256.hash(Array(token.utf8)) }

    /// The fewest bits a chosen token must carry.
    package static let minimumTokenBits = 128

    /// What a chosen token is worth against guessing, in bits: its length times log2 of the alphabet of the
    /// character classes it uses (lower case, upper case, digits, other printable ASCII, anything else), but
    /// no more than 16 bits per distinct character (so `aaaa…` and `abab…` count for little). An estimate,
    /// generous to random tokens (32 hex digits: 165 bits; 22 base64url characters: 131) and harsh to
    /// repeats; it cannot tell a random token from a long sentence.
    package static func estimatedBits(_ token: String) -> Int {
        var alphabet = 0
        let scalars = Array(token.unicodeScalars)
        if scalars.contains(where: { ("a"..."z").contains($0) }) { alphabet += 26 }
        if scalars.contains(where: { ("A"..."Z").contains($0) }) { alphabet += 26 }
        if scalars.contains(where: { ("0"..."9").contains($0) }) { alphabet += 10 }
        if scalars.contains(where: { $0.value > 32 && $0.value < 127 && !$0.properties.isAlphabetic && !("0"..."9").contains($0) }
        ) {
            alphabet += 33
        }
        if scalars.contains(where: { !$0.isASCII }) { alphabet += 1000 }
        guard alphabet > 1 else { return 0 }
        let bitsPerCharacter = log2(Double(alphabet))
        let distinct = Set(scalars).count
        return min(Int(Double(scalars.count) * bitsPerCharacter), distinct * 16)
    }
}

extension String {
    package func replacingCharacters(_ a: Character, _ b: Character) -> String { String(map { $0 == a ? b : $0 }) }
}
