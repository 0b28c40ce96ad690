import ConsultationDomain
import Foundation
public import HTTP
import Synchronization

/// A token bucket per client address: `perMinute` tokens in a burst, refilled at `perMinute` per minute, on
/// an injected clock. Addresses are kept only in memory, as keyed hashes, and forgotten once their bucket is
/// full again. The collector has two: writes (submissions, edits, withdrawals, drafts; a honeypot hit costs
/// several) and failed analyst sign-ins. `perMinute == 0` turns a limiter off.
public final class RateLimiter: Sendable {
    private struct Buckets {
        var byAddress: [[UInt8]: (tokens: Double, at: Double)] = [:]
        var lastSweep = 0.0
    }
    private let buckets = Mutex(Buckets())
    public let perMinute: Int
    private let key: [UInt8]
    private let clock: MonotonicClock

    /// The default write limit suits a real consultation: people behind one institution's address can each
    /// submit, a script hammering the form cannot.
    public static let defaultWritesPerMinute = 30

    public init(perMinute: Int, key: [UInt8]? = nil, clock: MonotonicClock = .system) {
        self.perMinute = perMinute
        self.key = key ?? Secrets.randomBytes(32)
        self.clock = clock
    }

    /// Takes `cost` tokens from the address's bucket: nil if it held at least one token (the bucket may go
    /// below zero by the rest of the cost, which delays the next write), else the seconds to wait (for
    /// Retry-After).
    public func take(address: String, cost: Double = 1) -> Int? {
        guard perMinute > 0 else { return nil }
        let id = bucketKey(address)
        let t = clock.now()
        let capacity = Double(perMinute), rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            Self.sweep(&buckets, at: t, capacity: capacity, rate: rate)
            var b = refilled(buckets.byAddress[id], at: t, capacity: capacity, rate: rate)
            if b.tokens >= 1 {
                b.tokens -= cost
                buckets.byAddress[id] = b
                return nil
            }
            buckets.byAddress[id] = b
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }

    /// The seconds the address must wait before its next token, without taking one (nil: it has one).
    public func wait(address: String) -> Int? {
        guard perMinute > 0 else { return nil }
        let id = bucketKey(address)
        let t = clock.now()
        let capacity = Double(perMinute), rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            let b = refilled(buckets.byAddress[id], at: t, capacity: capacity, rate: rate)
            return b.tokens >= 1 ? nil : max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }

    private func bucketKey(_ address: String) -> [UInt8] {
        Array(SHA256.hmac(key: key, message: Array(ConnectionTable.addressKey(address).utf8)).prefix(16))
    }

    private func refilled(_ bucket: (tokens: Double, at: Double)?, at t: Double, capacity: Double, rate: Double) -> (
        tokens: Double, at: Double
    ) {
        guard var b = bucket else { return (capacity, t) }
        b.tokens = min(capacity, b.tokens + max(0, t - b.at) * rate)
        b.at = t
        return b
    }

    private static func sweep(_ buckets: inout Buckets, at t: Double, capacity: Double, rate: Double) {
        guard t - buckets.lastSweep > 60 else { return }
        buckets.byAddress = buckets.byAddress.filter { _, b in b.tokens + (t - b.at) * rate < capacity }
        buckets.lastSweep = t
    }
}
