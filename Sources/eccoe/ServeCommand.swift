import CollectorStore
import Consultation
import ConsultationDomain
import Criteria
import Dispatch
import Foundation
import HTTP
import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eccoe serve`: the consultation collector (form, JSON API, SQLite store) until SIGINT or SIGTERM.
enum ServeCommand: Subcommand {
    static let name = "serve"
    static let summary = "run the public consultation on the criteria (web form and JSON API)"
    static let usage =
        "eccoe serve [--db FILE] [--consultation FILE] [--host HOST] [--port PORT] [--write-rate-limit PER_MINUTE] [--public-url URL]"
    static let help = """
        Serves a consultation on the quality criteria: the accessible web form at /, the JSON API under
        /api/v1, the analysts' export, statistics and report. Responses are stored in SQLite (WAL,
        synchronous=FULL): a response is acknowledged only once it is on disk.

        options:
          --db FILE                     the database (default ./eccoe.sqlite; created if missing)
          --consultation FILE           a consultation definition (consultation.schema.json); default: the
                                        built-in ECCOE consultation on the catalogue, open for \(ServeCommand.builtInDays) days
                                        from the first time it is served into the database
          --host HOST                   address to listen on (default 127.0.0.1)
          --port PORT                   port (default 8080; 0 picks a free one)
          --write-rate-limit PER_MINUTE writes per minute per client address (default \(RateLimiter.defaultWritesPerMinute); 0 turns it off)
          --public-url URL              the address participants use, e.g. https://consult.example.org behind a TLS
                                        proxy (scheme, host and port only): receipts' edit links and draft links
                                        are built from it, never from a request's Host header (default: the
                                        address listened on)
          --help, --version

        The analyst token (Authorization: Bearer TOKEN for /api/v1/export and /api/v1/statistics; a sign-in
        form at /report) comes from the environment variable ECCOE_ANALYST_TOKEN, which must carry at least
        128 bits (e.g. `openssl rand -hex 16`); without it, one is generated the first time the database is
        used, printed once, and kept only as a keyed hash. A new database is created readable by its owner only.
        ECCOE_WAL_RESTART_PAGES (default 8192, 32 MiB) is how many pages the write-ahead log may hold, beyond half
        the database's, before the writer starts it over between commits (lower it on a small disk).

        SIGINT or SIGTERM stops accepting connections, finishes the requests in flight and exits with 0.
        A definition is checked like `eccoe check` checks it (consultation.schema.json and the CO criteria),
        then against the catalogue; any error is printed as `path:line:column: error: …` and nothing is served.
        exit status: 0 after a clean stop, 1 an invalid consultation definition, 2 usage or I/O error.
        """

    static let builtInDays = 120

    /// `scheme://host[:port]` from a `--public-url` value (a trailing `/` allowed), or nil when it is not an
    /// http(s) address with a host and no path, query or user information.
    static func publicOrigin(_ text: String) -> String? {
        var t = text
        while t.hasSuffix("/") { t.removeLast() }
        let lower = t.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lower.hasPrefix($0) }) else { return nil }
        let authority = t.dropFirst(scheme.count)
        guard !authority.isEmpty,
            authority.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0))
            })
        else { return nil }
        return scheme + authority
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var databasePath = "eccoe.sqlite"
        var definitionPath: String?
        var host = "127.0.0.1"
        var port = 8080
        var rateLimit = RateLimiter.defaultWritesPerMinute
        var publicURL: String?
        while let item = scanner.next() {
            switch item {
            case .option("--db", let inline): databasePath = try scanner.value(for: "--db", inline: inline)
            case .option("--consultation", let inline): definitionPath = try scanner.value(for: "--consultation", inline: inline)
            case .option("--host", let inline): host = try scanner.value(for: "--host", inline: inline)
            case .option("--port", let inline):
                let text = try scanner.value(for: "--port", inline: inline)
                guard let p = Int(text), (0...65535).contains(p) else {
                    throw UsageError(message: "--port must be a number from 0 to 65535, not `\(text)`")
                }
                port = p
            case .option("--write-rate-limit", let inline):
                let text = try scanner.value(for: "--write-rate-limit", inline: inline)
                guard let n = Int(text), n >= 0, n <= 1_000_000 else {
                    throw UsageError(
                        message: "--write-rate-limit must be a whole number of writes per minute (0 turns it off), not `\(text)`")
                }
                rateLimit = n
            case .option("--public-url", let inline):
                let text = try scanner.value(for: "--public-url", inline: inline)
                guard let url = ServeCommand.publicOrigin(text) else {
                    throw UsageError(
                        message:
                            "--public-url must be an http or https address with a host and no path, such as https://consult.example.org, not `\(text)`"
                    )
                }
                publicURL = url
            case .option(let name, _): throw UsageError(message: "unknown option \(name)")
            case .positional(let p): throw UsageError(message: "unexpected argument `\(p)`")
            }
        }

        var definition: ConsultationDefinition?
        if let definitionPath {
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(definitionPath, limit: 16 << 20)
            } catch {
                standardError("\(error.path): error: cannot read: \(error.reason)")
                return ExitStatus.usage
            }
            // First the catalogue's own checks (the consultation schema and criteria CO-01…), then the loader's.
            let tree = SyntaxTree(parsing: bytes)
            let engine: CriteriaEngine
            do {
                engine = try CriteriaEngine()
            } catch {
                standardError("eccoe serve: the embedded schemas do not compile: \(error)")
                return ExitStatus.usage
            }
            let findings = engine.check(tree, path: definitionPath, kind: .consultation)
            for f in findings where f.severity == .error {
                let p = tree.position(of: f.range.lowerBound, encoding: .utf8)
                standardError("\(definitionPath):\(p.line + 1):\(p.character + 1): error: \(f.code) \(f.message)")
            }
            if findings.contains(where: { $0.severity == .error }) { return ExitStatus.findings }
            switch ConsultationDefinition.load(bytes) {
            case .success(let d): definition = d
            case .failure(let errors):
                for p in errors.problems { standardError("\(definitionPath):\(p.line):\(p.column): error: \(p.message)") }
                return ExitStatus.findings
            }
        }

        let fixed = ProcessInfo.processInfo.environment["ECCOE_ANALYST_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let fixed, let weak = ConsultationStore.weakness(ofAnalystToken: fixed) {
            standardError("eccoe serve: \(weak)")
            return ExitStatus.usage
        }
        let log: @Sendable (String) -> Void = { standardError("\(Timestamp.now().rfc3339) \($0)") }
        let store: ConsultationStore
        let analyst: (generated: String?, hash: [UInt8])
        do {
            var storeLimits = ConsultationStore.Limits()
            if let text = ProcessInfo.processInfo.environment["ECCOE_WAL_RESTART_PAGES"] {
                guard let pages = Int(text), pages >= 16, pages <= 1 << 24 else {
                    standardError(
                        "eccoe serve: ECCOE_WAL_RESTART_PAGES must be a number of pages from 16 to 16777216, not `\(text)`")
                    return ExitStatus.usage
                }
                storeLimits.walRestartFrames = pages
            }
            store = try ConsultationStore(path: databasePath, definition: definition, limits: storeLimits, log: log)
            analyst = try store.prepareAnalystToken(fixed: fixed)
        } catch {
            standardError("eccoe serve: cannot open the database \(databasePath): \(error)")
            return ExitStatus.usage
        }
        if let mode = try? FileManager.default.attributesOfItem(atPath: databasePath)[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            standardError(
                "eccoe serve: warning: \(databasePath) can be read by other users (mode \(String(mode & 0o777, radix: 8))); `chmod 600 \(databasePath)` it"
            )
        }
        var configuration = CollectorConfiguration()
        configuration.writeRateLimitPerMinute = rateLimit
        configuration.analystTokenHash = analyst.hash
        let server = HTTPServerBox()

        // Signals are taken by a dispatch source, so the handler runs as ordinary code, not in a signal context.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stopped = DispatchSemaphore(value: 0)
        let signalQueue = DispatchQueue(label: "eccoe.serve.signals")
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: signalQueue)
            source.setEventHandler { stopped.signal() }
            source.resume()
            return source
        }

        // The port is known once bound; links need it when no public URL is given, so the application is made
        // after the socket is bound and handed to the server before it answers anything.
        let boundPort: Int
        let http = HTTPServer(limits: .default, standardHeaders: CollectorApp.standardHeaders, log: log) { request in
            server.app?.handle(request) ?? .text(503, "Starting; please try again in a moment.\n")
        }
        do {
            boundPort = try http.start(host: host, port: port)
        } catch {
            standardError("eccoe serve: \(error)")
            store.close()
            return ExitStatus.usage
        }
        let d = store.definition
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let wildcard = host == "0.0.0.0" || host == "::" || host.isEmpty
        configuration.publicURL = publicURL ?? "http://\(wildcard ? ProcessInfo.processInfo.hostName : shownHost):\(boundPort)"
        if publicURL == nil && wildcard {
            standardError(
                "eccoe serve: warning: listening on every address without --public-url; receipts link to \(configuration.publicURL)"
            )
        }
        server.app = CollectorApp(store: store, configuration: configuration, log: log)
        let now = Timestamp.now()
        let window =
            d.canWrite(at: now)
            ? "open until \(d.effectiveClosesAt.display(in: d.timeZone))"
            : d.state(at: now) == "draft"
                ? "opens \(d.opensAt.display(in: d.timeZone))" : "closed since \(d.effectiveClosesAt.display(in: d.timeZone))"
        var lines = [
            "eccoe serve: “\(d.title)” (\(d.id), catalogue \(d.catalogueVersion)), \(window)",
            "  form:      http://\(shownHost):\(boundPort)/",
            "  API:       http://\(shownHost):\(boundPort)/api/v1/consultation",
            "  database:  \(databasePath)",
            "  links:     \(configuration.publicURL)/… (receipts and drafts\(publicURL == nil ? "; set --public-url to the address participants use" : ""))",
        ]
        if let r = d.registration, let counts = try? store.registrationCounts() {
            lines.insert(
                "  registration: \(r.places) places (\(counts.free) free, \(counts.waiting) waiting); event \(r.startsAt.display(in: d.timeZone)); "
                    + "personal data deleted \(r.erasureAt.display(in: d.timeZone)); registrants at /api/v1/registrants", at: 1)
        }
        if let token = analyst.generated {
            lines.append("  analyst token: \(token)")
            lines.append("    (shown only now and stored as a keyed hash; sign in with it at /report, or send it as")
            lines.append(
                "    `Authorization: Bearer TOKEN` to /api/v1/export and /api/v1/statistics; or set ECCOE_ANALYST_TOKEN)")
        } else if ProcessInfo.processInfo.environment["ECCOE_ANALYST_TOKEN"].map({ !$0.isEmpty }) == true {
            lines.append("  analyst token: from ECCOE_ANALYST_TOKEN")
        } else {
            lines.append("  analyst token: the one printed when \(databasePath) was created (or set ECCOE_ANALYST_TOKEN)")
        }
        lines.append("Press Ctrl-C to stop.")
        print(lines.joined(separator: "\n"))
        fflush(nil)  // all output streams: the URL must reach a pipe before the first request

        stopped.wait()
        standardError("eccoe serve: stopping: finishing requests in flight")
        http.stop()
        store.close()
        for source in sources { source.cancel() }
        standardError("eccoe serve: stopped")
        return ExitStatus.success
    }
}

/// The application the server's handler calls, set once after the socket is bound (the links it builds need
/// the port) and before the first request can be read.
final class HTTPServerBox: Sendable {
    // Written once by the main thread before `print` announces the URL; connection threads read it after.
    // Until then a request is answered 503 by the handler. The mutex makes the hand-over explicit.
    private let slot = Mutex<CollectorApp?>(nil)
    var app: CollectorApp? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
