import Foundation
import HTTP
import HTTPTestSupport
import JSONSyntax
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

#if canImport(Glibc)
    import Glibc
#endif

/// A wall clock the test sets: the opening window is checked to the millisecond without sleeping.
final class ManualClock: @unchecked Sendable {
    // `value` is read and written only with `lock` held.
    private let lock = NSLock()
    private var value: Timestamp

    init(_ t: Timestamp) { value = t }
    var now: Timestamp {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    var clock: WallClock { WallClock(now: { self.now }) }
}

/// The opening time of the test consultation (the built-in one, opened at a fixed instant).
let testOpensAt = Timestamp(rfc3339: "2026-03-01T09:00:00Z")!

/// A collector on 127.0.0.1 and an ephemeral port, with its own temporary database; stopped by `stop()`.
/// Its wall clock (the consultation's window) and its monotonic clock (HTTP deadlines, rate limits,
/// sessions) are both moved by hand.
final class TestCollector: @unchecked Sendable {
    let directory: URL
    let clock: ManualClock
    let monotonic: ManualMonotonicClock
    let store: ConsultationStore
    let app: CollectorApp
    let server: HTTPServer
    let port: Int
    /// What the store and the application logged.
    let logged: LogLines
    static let analystToken = "analyst-secret-for-tests-0123456789"
    static let publicURL = "https://consult.example.org"

    init(
        limits: HTTPLimits = HTTPLimits(), rateLimit: Int = 0, definition: ConsultationDefinition? = nil,
        configure: (inout CollectorConfiguration) -> Void = { _ in }, storeLimits: ConsultationStore.Limits = .init()
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-collector-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        clock = ManualClock(testOpensAt.adding(seconds: 3600))
        monotonic = ManualMonotonicClock()
        let logged = LogLines()
        self.logged = logged
        store = try ConsultationStore(
            path: directory.appendingPathComponent("test.sqlite").path,
            definition: definition ?? ConsultationDefinition.builtIn(opensAt: testOpensAt), clock: clock.clock,
            limits: storeLimits, log: { logged.append($0) })
        var configuration = CollectorConfiguration()
        configuration.writeRateLimitPerMinute = rateLimit
        configuration.analystTokenHash = Secrets.keyedHash(TestCollector.analystToken, key: store.tokenKey)
        configuration.publicURL = TestCollector.publicURL
        configure(&configuration)
        app = CollectorApp(store: store, configuration: configuration, clock: monotonic.clock, log: { logged.append($0) })
        let app = self.app
        server = HTTPServer(
            limits: limits, clock: monotonic.clock, standardHeaders: CollectorApp.standardHeaders, tick: 0.01, log: { _ in },
            handler: { app.handle($0) })
        port = try server.start(host: "127.0.0.1", port: 0)
    }

    var definition: ConsultationDefinition { store.definition }
    var databasePath: String { store.path }

    func stop() {
        server.stop()
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func client(from source: String = "127.0.0.1") throws -> RawClient { try RawClient(port: port, source: source) }

    /// One request on a fresh connection.
    func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = [], from source: String = "127.0.0.1"
    ) throws -> RawResponse {
        let c = try client(from: source)
        defer { c.close() }
        return try c.request(method, path, headers: headers, body: body)
    }

    func postJSON(_ path: String, _ json: String, key: String? = nil, token: String? = nil, method: String = "POST") throws
        -> RawResponse
    {
        var headers = [("Content-Type", "application/json")]
        if let key { headers.append(("Idempotency-Key", key)) }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try request(method, path, headers: headers, body: Array(json.utf8))
    }
}

/// A valid API body for the built-in consultation, varied by `n`.
func validResponseJSON(_ n: Int = 0, comment: String = "Clear and useful.", country: String = "BEL") -> String {
    let rating = n % 5 + 1
    let commentJSON = JSONValue.string(comment).htmlSafeText
    return """
        {"profile": {"capacity": "individual", "stakeholderGroup": "academic",
          "country": "http://publications.europa.eu/resource/authority/country/\(country)", "familiarity": \(n % 5 + 1)},
         "answers": {"MC-01": {"rating": \(rating), "comment": \(commentJSON)}, "MC-02": {"rating": null}, "LO-01": {"rating": 4, "suggestion": "Say \\"must\\"."}},
         "questions": {"credentialSufficient": "partly"},
         "consent": {"privacyVersion": "1", "given": true}}
        """
}

/// Lines logged by the collector under test.
final class LogLines: @unchecked Sendable {
    // `lines` is read and written only with `lock` held.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
