import Foundation

/// Limits writes per client address with a token bucket: `perMinute` writes in a burst, refilled at
/// `perMinute` per minute. Addresses are kept only in memory, as keyed hashes, and forgotten once their
/// bucket is full again. `perMinute == 0` turns the limit off.
public final class WriteRateLimiter: @unchecked Sendable {
    // `buckets` and `lastSweep` are read and written only with `lock` held.
    private let lock = NSLock()
    private var buckets: [[UInt8]: (tokens: Double, at: Double)] = [:]
    private var lastSweep = 0.0
    public let perMinute: Int
    private let key: [UInt8]
    private let now: @Sendable () -> Double

    /// The default suits a real consultation: people behind one institution's address can each submit,
    /// a script hammering the form cannot.
    public static let defaultPerMinute = 30

    public init(perMinute: Int, key: [UInt8]? = nil, now: (@Sendable () -> Double)? = nil) {
        self.perMinute = perMinute
        self.key = key ?? Secrets.randomBytes(32)
        self.now = now ?? { Monotonic.now() }
    }

    /// Takes one write from the address's bucket: nil if allowed, else the seconds to wait (for Retry-After).
    public func take(address: String) -> Int? {
        guard perMinute > 0 else { return nil }
        let id = Array(SHA256.hmac(key: key, message: Array(address.utf8)).prefix(16))
        let t = now()
        let capacity = Double(perMinute), rate = Double(perMinute) / 60
        return lock.withLock {
            if t - lastSweep > 60 {
                buckets = buckets.filter { _, b in b.tokens + (t - b.at) * rate < capacity }
                lastSweep = t
            }
            var b = buckets[id] ?? (capacity, t)
            b.tokens = min(capacity, b.tokens + (t - b.at) * rate)
            b.at = t
            if b.tokens >= 1 {
                b.tokens -= 1
                buckets[id] = b
                return nil
            }
            buckets[id] = b
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }
}
