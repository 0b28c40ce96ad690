import Dispatch

/// Seconds on a clock that never jumps, for deadlines and rate limits. The server and everything that
/// measures time for it take one as a value, so tests drive time by hand instead of waiting for it.
public struct MonotonicClock: Sendable {
    /// Seconds since an arbitrary origin; never decreases.
    public let now: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> Double) { self.now = now }

    /// The system's monotonic clock (uptime, unaffected by changes to the wall clock).
    public static let system = MonotonicClock(now: { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 })
}
