import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `eccoe serve`, `export` and `report` as users run them: a child process on 127.0.0.1 and a free port.
final class ServeProcess: @unchecked Sendable {
    static let analystToken = "cli-analyst-token-5f3a9c2e81d04b7a"
    let process = Process()
    let port: Int
    let firstLines: String
    private let errPipe = Pipe()

    init(
        directory: URL, arguments: [String] = [],
        environment: [String: String] = ["ECCOE_ANALYST_TOKEN": ServeProcess.analystToken]
    ) throws {
        process.executableURL = CommandRunner.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "ECCOE_ANALYST_TOKEN")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errPipe
        try process.run()
        // Read the banner up to the line that says to press Ctrl-C.
        var text = ""
        let handle = out.fileHandleForReading
        while !text.contains("Press Ctrl-C") {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        firstLines = text
        let portText =
            text.components(separatedBy: "form:").dropFirst().first?.components(separatedBy: ":").dropFirst(2).first?
            .prefix { $0.isNumber } ?? ""
        port = Int(portText) ?? 0
        // Drain stderr (the access log) so the child never blocks on a full pipe.
        let err = errPipe.fileHandleForReading
        Thread { while !err.availableData.isEmpty {} }.start()
    }

    func kill(_ signal: Int32) { Glibc.kill(process.processIdentifier, signal) }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// A minimal HTTP/1.1 client for one request per connection.
func httpRequest(port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: String = "") -> (
    status: Int, body: String
)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { return nil }
    var timeout = timeval(tv_sec: 20, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for (k, v) in headers { text += "\(k): \(v)\r\n" }
    text += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return nil }
    var response: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        response += chunk[0..<n]
    }
    let all = String(decoding: response, as: UTF8.self)
    guard let status = Int(all.split(separator: " ").dropFirst().first ?? ""), let split = all.range(of: "\r\n\r\n") else {
        return nil
    }
    return (status, String(all[split.upperBound...]))
}

/// `eccoe serve` that is expected to refuse to start: its exit status and standard error.
func refusedServe(_ arguments: [String], environment: [String: String] = [:], in directory: URL) throws -> (
    status: Int32, stderr: String
) {
    let process = Process()
    process.executableURL = CommandRunner.binary
    process.arguments = ["serve"] + arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "ECCOE_ANALYST_TOKEN")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func responseBody(_ n: Int) -> String {
    """
    {"profile": {"capacity": "individual", "stakeholderGroup": "learner",
      "country": "http://publications.europa.eu/resource/authority/country/FIN", "familiarity": \(n % 5 + 1)},
     "answers": {"MC-01": {"rating": \(n % 5 + 1), "comment": "response \(n)"}},
     "consent": {"privacyVersion": "1", "given": true}}
    """
}

final class Acknowledged: @unchecked Sendable {
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var acked: [String: String] = [:]
    private var attempted: [String] = []
    func attempt(_ key: String) { condition.withLock { attempted.append(key) } }
    func ack(_ key: String, _ id: String) {
        condition.withLock {
            acked[key] = id
            condition.broadcast()
        }
    }
    var snapshot: (acked: [String: String], attempted: [String]) { condition.withLock { (acked, attempted) } }

    /// Returns once `count` responses are acknowledged (woken by each acknowledgement), or false if that has not
    /// happened within `seconds` (a failure bound, not a pace: the test goes on the moment the count is reached).
    func waitForAcknowledgements(_ count: Int, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while acked.count < count {
            if !condition.wait(until: deadline) { return acked.count >= count }
        }
        return true
    }
}

/// The crash tests' load: 16 clients post to `/api/v1/responses` (idempotency keys `PREFIX-worker-n`, bodies
/// `body(worker * 10_000 + n)`) until `acknowledgements` are acknowledged, then the server is killed with SIGKILL.
/// A 201 counts as acknowledged when `accept` takes its JSON answer (it may record more of it). Returns whether
/// the count was reached, every key tried, and the id each acknowledged key was given.
func postUntilKilled(
    _ server: ServeProcess, keyPrefix: String, acknowledgements: Int, body: @escaping @Sendable (Int) -> String,
    accept: @escaping @Sendable (_ key: String, _ answer: [String: Any]) -> Bool = { _, _ in true }
) -> (reached: Bool, acked: [String: String], attempted: [String]) {
    let log = Acknowledged()
    let stop = Acknowledged()
    let group = DispatchGroup()
    for worker in 0..<16 {
        group.enter()
        Thread {
            var n = 0
            while stop.snapshot.attempted.isEmpty {
                let key = "\(keyPrefix)-\(worker)-\(n)"
                log.attempt(key)
                guard
                    let r = httpRequest(
                        port: server.port, "POST", "/api/v1/responses",
                        headers: [("Content-Type", "application/json"), ("Idempotency-Key", key)],
                        body: body(worker * 10_000 + n))
                else { break }
                if r.status == 201,
                    let answer = (try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) as? [String: Any],
                    let id = answer["id"] as? String, accept(key, answer)
                {
                    log.ack(key, id)
                }
                n += 1
            }
            group.leave()
        }.start()
    }
    let reached = log.waitForAcknowledgements(acknowledgements, seconds: 60)
    server.kill(SIGKILL)
    _ = server.wait()
    stop.attempt("stop")
    group.wait()
    let (acked, attempted) = log.snapshot
    return (reached, acked, attempted)
}

@Suite(.serialized) struct ConsultationCommandTests {
    func directory() throws -> URL { try CommandRunner.temporaryDirectory([:]) }

    @Test func serveWithNoArgumentsOpensTheBuiltInConsultationAndStopsOnSIGTERM() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try ServeProcess(directory: dir, environment: [:])
        #expect(server.firstLines.contains("form:      http://127.0.0.1:\(server.port)/"))
        #expect(server.firstLines.contains("analyst token: "))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("eccoe.sqlite").path))
        let info = httpRequest(port: server.port, "GET", "/api/v1/consultation")
        #expect(info?.status == 200 && info?.body.contains("\"state\":\"open\"") == true)
        #expect(httpRequest(port: server.port, "GET", "/")?.status == 200)
        server.kill(SIGTERM)
        #expect(server.wait() == 0)
        // A second start reuses the database and does not print a new token.
        let again = try ServeProcess(directory: dir, environment: [:])
        #expect(again.firstLines.contains("the one printed when"))
        again.kill(SIGINT)
        #expect(again.wait() == 0)
    }

    /// Secrets at the command line: a weak analyst token is refused before anything is served; the database
    /// is created readable by its owner only; links come from --public-url.
    @Test func weakTokensAreRefusedAndTheDatabaseIsPrivate() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for weak in ["abc", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "password1234"] {
            let r = try refusedServe(["--port", "0"], environment: ["ECCOE_ANALYST_TOKEN": weak], in: dir)
            #expect(r.status == 2)
            #expect(r.stderr.contains("ECCOE_ANALYST_TOKEN is too weak") && r.stderr.contains("at least 128"), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("eccoe.sqlite").path), "nothing was created")
        let bad = try refusedServe(["--public-url", "https://example.org/path"], in: dir)
        #expect(bad.status == 2 && bad.stderr.contains("--public-url must be an http or https address"))
        // ECCOE_WAL_RESTART_PAGES: 16 to 2^24 pages; one below and one above are refused before anything opens.
        for pages in ["15", "16777217", "many"] {
            let r = try refusedServe(
                ["--port", "0"],
                environment: ["ECCOE_ANALYST_TOKEN": ServeProcess.analystToken, "ECCOE_WAL_RESTART_PAGES": pages], in: dir)
            #expect(
                r.status == 2 && r.stderr.contains("ECCOE_WAL_RESTART_PAGES must be a number of pages from 16 to 16777216"),
                "\(r.stderr)")
        }
        let server = try ServeProcess(directory: dir, arguments: ["--public-url", "https://consult.example.org/"])
        #expect(server.firstLines.contains("links:     https://consult.example.org/…"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("eccoe.sqlite").path)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
        server.kill(SIGTERM)
        #expect(server.wait() == 0)
        for suffix in ["-wal", "-shm"] {
            let path = dir.appendingPathComponent("eccoe.sqlite" + suffix).path
            if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int {
                #expect(mode & 0o077 == 0, "\(suffix) is private too")
            }
        }
    }

    @Test func anInvalidDefinitionIsReportedWithItsPosition() throws {
        let dir = try CommandRunner.temporaryDirectory(["bad.consultation.json": Array("{\"id\": \"x\",\n \"title\": 5}".utf8)])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CommandRunner.run(["serve", "--consultation", "bad.consultation.json", "--port", "0"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad.consultation.json:2:11: error: "), "\(r.stderr)")
        // The example of a consultation that closes before it opens (criterion CO-02).
        let example = try CommandRunner.run(
            [
                "serve", "--consultation",
                CommandRunner.packageRoot.appendingPathComponent(
                    "Schemas/examples/consultation-CO-02-closes-before-opening.consultation.json"
                ).path,
                "--port", "0",
            ], in: dir)
        #expect(example.status == 1 && example.stderr.contains("CO-02"), "\(example.stderr)")
        // The good example is served.
        let good = try ServeProcess(
            directory: dir,
            arguments: [
                "--consultation",
                CommandRunner.packageRoot.appendingPathComponent("Schemas/examples/good.consultation.json").path,
            ])
        #expect(
            good.port > 0 && good.firstLines.contains("“Public consultation on the ECCOE quality criteria”"), "\(good.firstLines)"
        )
        good.kill(SIGTERM)
        #expect(good.wait() == 0)
        let usage = try CommandRunner.run(["serve", "--port", "99999"], in: dir)
        #expect(usage.status == 2 && usage.stderr.contains("--port must be"))
    }

    /// SIGKILL under concurrent submissions: every response acknowledged with 201 is there after a restart,
    /// none twice; retrying the unacknowledged ones with their keys creates each at most once.
    @Test func everyAcknowledgedResponseSurvivesSIGKILL() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A WAL that starts over every 64 pages: the kill lands among many log restarts.
        let environment = ["ECCOE_ANALYST_TOKEN": ServeProcess.analystToken, "ECCOE_WAL_RESTART_PAGES": "64"]
        let server = try ServeProcess(directory: dir, arguments: ["--write-rate-limit", "0"], environment: environment)
        #expect(server.port > 0)
        // Kill once plenty of responses are acknowledged.
        let (reached, acked, attempted) = postUntilKilled(
            server, keyPrefix: "crash", acknowledgements: 300, body: responseBody)
        #expect(reached)
        #expect(acked.count >= 300)

        let restarted = try ServeProcess(directory: dir, arguments: ["--write-rate-limit", "0"])
        defer {
            restarted.kill(SIGTERM)
            _ = restarted.wait()
        }
        // Replaying every key: the acknowledged ones answer 200 with their original id; the others 200 or 201.
        var idsByKey: [String: String] = [:]
        for key in attempted {
            let n = Int(key.split(separator: "-")[1])! * 10_000 + Int(key.split(separator: "-")[2])!
            let r = httpRequest(
                port: restarted.port, "POST", "/api/v1/responses",
                headers: [("Content-Type", "application/json"), ("Idempotency-Key", key)], body: responseBody(n))
            let id = (try? JSONSerialization.jsonObject(with: Data((r?.body ?? "").utf8)) as? [String: Any])?["id"] as? String
            if let ackedID = acked[key] {
                #expect(r?.status == 200, "acknowledged \(key) must replay")
                #expect(id == ackedID, "acknowledged \(key) kept its id")
            } else {
                #expect(r?.status == 200 || r?.status == 201)
            }
            idsByKey[key] = id
        }
        let export = try CommandRunner.run(
            ["export", "--db", dir.appendingPathComponent("eccoe.sqlite").path, "--format", "jsonl"], in: dir)
        #expect(export.status == 0)
        let ids = export.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
        }
        #expect(ids.count == Set(ids).count, "no response twice")
        #expect(ids.count == attempted.count, "one response per key")
        #expect(Set(acked.values).isSubset(of: Set(ids)))
    }

    @Test func exportAndReportWriteFilesWithAManifest() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try ServeProcess(directory: dir, arguments: ["--write-rate-limit", "0"])
        for n in 0..<7 {
            #expect(
                httpRequest(
                    port: server.port, "POST", "/api/v1/responses", headers: [("Content-Type", "application/json")],
                    body: responseBody(n))?.status == 201)
        }
        server.kill(SIGTERM)
        #expect(server.wait() == 0)
        let db = dir.appendingPathComponent("eccoe.sqlite").path
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
        let export = try CommandRunner.run(
            ["export", "--db", db, "--format", "csv-wide", "--out", "out/results.csv", "--bom"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        for name in ["results.csv", "results.codebook.csv", "results.sps", "results.R", "results.manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/\(name)").path), "\(name)")
        }
        let manifest = try String(contentsOf: dir.appendingPathComponent("out/results.manifest.json"), encoding: .utf8)
        let data = try Data(contentsOf: dir.appendingPathComponent("out/results.csv"))
        #expect(manifest.contains("\"name\":\"results.csv\",\"rows\":7,\"bytes\":\(data.count)"))
        let sps = try String(contentsOf: dir.appendingPathComponent("out/results.sps"), encoding: .utf8)
        #expect(sps.contains("GET DATA /TYPE=TXT /FILE='results.csv'") && sps.contains("MC_01_rating F2.0"))
        // Same data, same bytes.
        let again = try CommandRunner.run(
            ["export", "--db", db, "--format", "csv-wide", "--out", "out/again.csv", "--bom"], in: dir)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: dir.appendingPathComponent("out/again.csv")) == data)

        // --as-of keeps only what had arrived by then, and the manifest records it.
        let early = try CommandRunner.run(
            ["export", "--db", db, "--format", "csv", "--out", "out/early.csv", "--as-of", "2000-01-01"], in: dir)
        #expect(early.status == 0, "\(early.stderr)")
        let earlyManifest = try String(contentsOf: dir.appendingPathComponent("out/early.manifest.json"), encoding: .utf8)
        #expect(
            earlyManifest.contains(
                "\"parameters\":{\"format\":\"csv\",\"byteOrderMark\":false,\"asOf\":\"2000-01-01T23:59:59.999Z\"}"))
        #expect(earlyManifest.contains("\"name\":\"early.csv\",\"rows\":0,"))
        let bad = try CommandRunner.run(["export", "--db", db, "--format", "csv", "--as-of", "soon"], in: dir)
        #expect(bad.status == 2 && bad.stderr.contains("--as-of must be an RFC 3339 time"))

        let report = try CommandRunner.run(["report", "--db", db, "--out", "report.html"], in: dir)
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<strong>7</strong> responses") && html.contains("<svg role=\"img\""))
        #expect(try CommandRunner.run(["export", "--db", db], in: dir).status == 2)
        #expect(try CommandRunner.run(["report", "--db", "missing.sqlite", "--out", "x.html"], in: dir).status == 2)
    }
}
