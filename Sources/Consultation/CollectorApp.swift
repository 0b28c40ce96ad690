import Criteria
import JSONSyntax

/// How the collector behaves, beyond the consultation itself.
public struct CollectorConfiguration: Sendable {
    /// Writes per minute per client address (form, API, edits, withdrawals, drafts); 0 turns the limit off.
    public var writeRateLimitPerMinute = WriteRateLimiter.defaultPerMinute
    /// SHA-256 of the analyst token that unlocks export, statistics and the report.
    public var analystTokenHash: [UInt8] = []
    public var strings = FormStrings.english
    public var responseLimits = ResponseLimits()

    public init() {}
}

/// The collector's HTTP application: routes every request of the form, the JSON API and the analyst
/// endpoints to the store. Stateless apart from the store and the rate limiter, so any connection thread
/// may call `handle` at any time.
public final class CollectorApp: Sendable {
    public let store: ConsultationStore
    let configuration: CollectorConfiguration
    let limiter: WriteRateLimiter
    let renderer: FormRenderer
    let stylesheet: [UInt8]

    var definition: ConsultationDefinition { store.definition }
    var strings: FormStrings { configuration.strings }

    public init(store: ConsultationStore, configuration: CollectorConfiguration, limiterClock: (@Sendable () -> Double)? = nil) {
        self.store = store
        self.configuration = configuration
        limiter = WriteRateLimiter(
            perMinute: configuration.writeRateLimitPerMinute, key: store.secret,
            now: limiterClock ?? { Monotonic.now() })
        renderer = FormRenderer(definition: store.definition, strings: configuration.strings)
        stylesheet = Array(renderer.stylesheet().utf8)
    }

    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ]

    /// Answers one request. Never throws and never traps: unexpected store failures become 503.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        var response = route(request)
        var headers = CollectorApp.securityHeaders
        if response.header("Cache-Control") == nil { headers.append(("Cache-Control", "no-store")) }
        if let csp = response.header("Content-Security-Policy") {
            headers.removeAll { $0.0 == "Content-Security-Policy" }
            response.headers.removeAll { $0.0 == "Content-Security-Policy" }
            headers.append(("Content-Security-Policy", csp))
        }
        response.headers = headers + response.headers
        return response
    }

    private func route(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            FormDecoding.decode(Array($0.utf8)[...])
        }
        let method = request.method == "HEAD" ? "GET" : request.method
        let route = segments.joined(separator: "/")
        let last = segments.last ?? ""
        switch (method, route) {
        case ("GET", ""): return formPage(request)
        case ("POST", ""): return formSubmit(request)
        case ("GET", "assets/form.css"):
            return HTTPResponse(
                status: 200, headers: [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "public, max-age=3600")],
                body: .bytes(stylesheet))
        case ("GET", "healthz"):
            return json(
                200,
                .object([
                    ("status", .string("ok")), ("consultation", .string(definition.id)),
                    ("state", .string(definition.state(at: store.clock.now()))),
                ]))
        case ("GET", "report"): return analyst(request) { report(request) }
        case ("GET", "api/v1/consultation"): return json(200, consultationJSON())
        case ("POST", "api/v1/responses"): return apiSubmit(request)
        case ("GET", "api/v1/export"): return analyst(request) { export(request) }
        case ("GET", "api/v1/statistics"): return analyst(request) { statistics(request) }
        case ("GET", _) where segments.count == 2 && segments[0] == "edit": return editPage(request, id: last)
        case ("POST", _) where segments.count == 2 && segments[0] == "edit": return editSubmit(request, id: last)
        case ("POST", _) where segments.count == 3 && segments[0] == "edit" && last == "withdraw":
            return withdrawSubmit(request, id: segments[1])
        case ("GET", _) where segments.count == 4 && segments.starts(with: ["api", "v1", "responses"]):
            return apiFetch(request, id: last)
        case ("PUT", _) where segments.count == 4 && segments.starts(with: ["api", "v1", "responses"]):
            return apiUpdate(request, id: last)
        case ("DELETE", _) where segments.count == 4 && segments.starts(with: ["api", "v1", "responses"]):
            return apiWithdraw(request, id: last)
        default:
            let known: [([String], String)] = [
                ([""], "GET, HEAD, POST"), (["assets", "form.css"], "GET, HEAD"), (["healthz"], "GET, HEAD"),
                (["report"], "GET, HEAD"),
                (["api", "v1", "consultation"], "GET, HEAD"), (["api", "v1", "responses"], "POST"),
                (["api", "v1", "export"], "GET, HEAD"), (["api", "v1", "statistics"], "GET, HEAD"),
            ]
            var allow = known.first { $0.0 == segments }?.1
            if segments.count == 4, segments.starts(with: ["api", "v1", "responses"]) { allow = "GET, HEAD, PUT, DELETE" }
            if segments.count == 2, segments[0] == "edit" { allow = "GET, HEAD, POST" }
            if let allow {
                return HTTPResponse(
                    status: 405, contentType: "text/plain; charset=utf-8", text: "Method not allowed.\n",
                    headers: [("Allow", allow)])
            }
            if path.hasPrefix("/api/") { return apiError(404, "not-found", "no such endpoint") }
            return html(404, renderer.message(title: strings.notFoundTitle, text: strings.notFoundText))
        }
    }

    // MARK: Helpers

    func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "application/json", text: value.htmlSafeText + "\n", headers: headers)
    }

    func apiError(
        _ status: Int, _ code: String, _ message: String, extra: [(String, JSONValue)] = [], headers: [(String, String)] = []
    ) -> HTTPResponse {
        json(
            status, .object([("error", .object([("code", .string(code)), ("message", .string(message))] + extra))]),
            headers: headers)
    }

    func html(_ status: Int, _ text: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", text: text, headers: headers)
    }

    private func bearer(_ request: HTTPRequest) -> String? {
        guard let h = request.header("authorization") else { return nil }
        let parts = h.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingSpaces
    }

    private func analyst(_ request: HTTPRequest, _ body: () -> HTTPResponse) -> HTTPResponse {
        let token = bearer(request) ?? request.queryValue("token")
        guard let token, !configuration.analystTokenHash.isEmpty,
            Secrets.constantTimeEqual(Secrets.tokenHash(token), configuration.analystTokenHash)
        else {
            return apiError(
                401, "unauthorised", "this endpoint needs the analyst token (Authorization: Bearer TOKEN)",
                headers: [("WWW-Authenticate", "Bearer realm=\"eccoe analyst\"")])
        }
        return body()
    }

    private func closedMessage(_ now: Timestamp) -> String {
        definition.state(at: now) == "draft"
            ? "the consultation opens at \(definition.opensAt.rfc3339); nothing was saved"
            : "the consultation closed at \(definition.closesAt.rfc3339); nothing was saved"
    }

    // MARK: JSON API

    func consultationJSON() -> JSONValue {
        func question(_ q: Question) -> JSONValue {
            var m: [(String, JSONValue)] = [
                ("id", .string(q.id)), ("type", .string(q.type.rawValue)), ("label", .string(q.label)),
            ]
            if !q.options.isEmpty {
                m.append(
                    ("options", .array(q.options.map { .object([("value", .string($0.value)), ("label", .string($0.label))]) })))
            }
            if let s = q.scale {
                m.append(
                    (
                        "scale",
                        .object(
                            [("min", .int(s.min)), ("max", .int(s.max))]
                                + (s.minLabel.map { [("minLabel", .string($0))] } ?? [])
                                + (s.maxLabel.map { [("maxLabel", .string($0))] } ?? []))
                    ))
            }
            if let l = q.maxLength { m.append(("maxLength", .int(l))) }
            if let c = q.showIf {
                m.append(("showIf", .object([("question", .string(c.question)), ("in", .array(c.values.map { .string($0) }))])))
            }
            m.append(("required", .bool(q.required)))
            return .object(m)
        }
        let d = definition
        return .object([
            ("id", .string(d.id)), ("title", .string(d.title)), ("state", .string(d.state(at: store.clock.now()))),
            ("opensAt", .string(d.opensAt.rfc3339)), ("closesAt", .string(d.closesAt.rfc3339)), ("timeZone", .string(d.timeZone)),
            ("catalogueVersion", .string(d.catalogueVersion)),
            ("privacy", .object([("version", .string(d.privacyVersion)), ("text", .string(d.privacyText))])),
            (
                "rating",
                .object([
                    ("min", .int(1)), ("max", .int(5)), ("noOpinion", .bool(d.noOpinion)),
                    ("labels", .object(d.ratingLabels.enumerated().map { (String($0 + 1), .string($1)) })),
                ])
            ),
            ("profile", .array(d.profile.map(question))),
            (
                "items",
                .array(
                    d.sections.flatMap { s in
                        s.items.map { c in
                            .object([
                                ("id", .string(c.id)), ("title", .string(c.title)), ("text", .string(c.requirement)),
                                ("rationale", .string(c.rationale)), ("level", .string(c.level.rawValue)), ("section", .string(s.id)),
                            ])
                        }
                    })
            ),
            ("questions", .array(d.questions.map(question))),
            (
                "sections",
                .array(
                    d.sections.map { s in
                        .object([
                            ("id", .string(s.id)), ("title", .string(s.title)), ("items", .array(s.items.map { .string($0.id) })),
                            ("questions", .array(s.questions.map { .string($0.id) })),
                        ])
                    })
            ),
        ])
    }

    /// Parses and validates an API body: the content, or the response to send (400 for malformed JSON,
    /// 415 for another media type, 422 for invalid answers, 409 when closed).
    private func readAPIBody(_ request: HTTPRequest) -> Result<ResponseContent, ResponseRejection> {
        if let type = request.header("content-type"), !type.lowercased().hasPrefix("application/json") {
            return .failure(ResponseRejection(apiError(415, "unsupported-media-type", "send the response as application/json")))
        }
        if request.body.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            return .failure(
                ResponseRejection(
                    apiError(
                        400, "empty-body",
                        "the body is empty; send a JSON object as described by consultation-response.schema.json")))
        }
        let tree = SyntaxTree(parsing: request.body, dialect: .json)
        let syntaxErrors = tree.diagnostics.filter { $0.severity == .error }
        if let first = syntaxErrors.first {
            let p = tree.position(of: first.range.lowerBound, encoding: .utf8)
            let list: [JSONValue] = syntaxErrors.prefix(20).map { d in
                let q = tree.position(of: d.range.lowerBound, encoding: .utf8)
                return .object([
                    ("line", .int(q.line + 1)), ("column", .int(q.character + 1)),
                    ("offset", .int(d.range.lowerBound)), ("message", .string(d.message)),
                ])
            }
            return .failure(
                ResponseRejection(
                    apiError(
                        400, "malformed-json",
                        "malformed JSON at line \(p.line + 1), column \(p.character + 1) (byte \(first.range.lowerBound)): \(first.message)",
                        extra: [
                            ("line", .int(p.line + 1)), ("column", .int(p.character + 1)),
                            ("offset", .int(first.range.lowerBound)),
                            ("problems", .array(list)),
                        ])))
        }
        var errors: [FieldError] = []
        let raw = ResponseContent.fromJSON(tree.root, errors: &errors)
        let (content, more) = raw.validated(against: definition, limits: configuration.responseLimits)
        errors += more
        if !errors.isEmpty {
            let now = store.clock.now()
            if !definition.canWrite(at: now) { return .failure(ResponseRejection(apiError(409, "closed", closedMessage(now)))) }
            return .failure(
                ResponseRejection(
                    apiError(
                        422, "invalid-response", "\(errors.count) problem\(errors.count == 1 ? "" : "s") with the answers",
                        extra: [
                            (
                                "fields",
                                .array(
                                    errors.map { .object([("pointer", .string($0.pointer)), ("message", .string($0.message))]) })
                            )
                        ])))
        }
        return .success(content)
    }

    struct ResponseRejection: Error {
        var response: HTTPResponse
        init(_ response: HTTPResponse) { self.response = response }
    }

    private func rateLimited(_ request: HTTPRequest) -> Int? { limiter.take(address: request.remoteAddress) }

    private func tooManyAPI(_ seconds: Int) -> HTTPResponse {
        apiError(
            429, "rate-limited", "too many writes from your address; retry in \(seconds) s",
            headers: [("Retry-After", String(seconds))])
    }

    private func apiSubmit(_ request: HTTPRequest) -> HTTPResponse {
        if let wait = rateLimited(request) { return tooManyAPI(wait) }
        let key = request.header("idempotency-key")
        if let key, key.isEmpty || key.utf8.count > 255 || !key.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) {
            return apiError(
                400, "invalid-idempotency-key", "the Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is ideal)")
        }
        let now = store.clock.now()
        if key == nil && !definition.canWrite(at: now) { return apiError(409, "closed", closedMessage(now)) }
        let content: ResponseContent
        switch readAPIBody(request) {
        case .failure(let r): return r.response
        case .success(let c): content = c
        }
        return submit(
            Submission(
                content: content, channel: "api", idempotencyKey: key.map { "api:" + $0 },
                consultationID: definition.id),
            created: { r in self.json(201, r.json, headers: [("Location", "/api/v1/responses/\(r.id)")]) },
            replayed: { r in self.json(200, r.json, headers: [("Location", "/api/v1/responses/\(r.id)")]) },
            rejected: { status, code, message in self.apiError(status, code, message) })
    }

    func submit(
        _ s: Submission, created: (Receipt) -> HTTPResponse, replayed: (Receipt) -> HTTPResponse,
        rejected: (Int, String, String) -> HTTPResponse
    ) -> HTTPResponse {
        do {
            switch try store.submit(s) {
            case .created(let r): return created(r)
            case .replayed(let r): return replayed(r)
            case .keyConflict:
                return rejected(409, "idempotency-key-reused", "this Idempotency-Key was already used with a different body")
            case .keyWithdrawn:
                return rejected(410, "withdrawn", "the response sent with this Idempotency-Key has been withdrawn")
            case .closed:
                return rejected(409, "closed", closedMessage(store.clock.now()))
            }
        } catch {
            return rejected(
                503, "store-unavailable",
                "the response could not be stored; nothing was saved, please retry (with the same Idempotency-Key)")
        }
    }

    private func apiFetch(_ request: HTTPRequest, id: String) -> HTTPResponse {
        guard let token = bearer(request), let r = try? store.fetch(id: id, token: token) else {
            return apiError(404, "not-found", "no response with this id and edit token")
        }
        return json(200, r.json)
    }

    private func apiUpdate(_ request: HTTPRequest, id: String) -> HTTPResponse {
        if let wait = rateLimited(request) { return tooManyAPI(wait) }
        guard let token = bearer(request) else { return apiError(404, "not-found", "no response with this id and edit token") }
        let content: ResponseContent
        switch readAPIBody(request) {
        case .failure(let r): return r.response
        case .success(let c): content = c
        }
        return change(id: id, token: token, to: content)
    }

    private func apiWithdraw(_ request: HTTPRequest, id: String) -> HTTPResponse {
        if let wait = rateLimited(request) { return tooManyAPI(wait) }
        guard let token = bearer(request) else { return apiError(404, "not-found", "no response with this id and edit token") }
        return change(id: id, token: token, to: nil)
    }

    private func change(id: String, token: String, to content: ResponseContent?) -> HTTPResponse {
        do {
            switch try store.change(id: id, token: token, to: content) {
            case .notFound: return apiError(404, "not-found", "no response with this id and edit token")
            case .closed: return apiError(409, "closed", closedMessage(store.clock.now()))
            case .done(let r?): return json(200, r.json)
            case .done(nil): return HTTPResponse(status: 204)
            }
        } catch {
            return apiError(503, "store-unavailable", "the change could not be stored; nothing was changed, please retry")
        }
    }

    // MARK: Analyst endpoints

    /// The `as-of` query parameter of the analyst endpoints: an RFC 3339 time, or nil when absent.
    private func withAsOf(_ request: HTTPRequest, _ body: (Timestamp?) -> HTTPResponse) -> HTTPResponse {
        guard let text = request.queryValue("as-of") else { return body(nil) }
        guard let t = Timestamp(rfc3339: text) else {
            return apiError(400, "invalid-as-of", "as-of must be an RFC 3339 time such as 2027-02-01T00:00:00Z")
        }
        return body(t)
    }

    private func statistics(_ request: HTTPRequest) -> HTTPResponse { withAsOf(request) { statistics(asOf: $0) } }

    private func statistics(asOf: Timestamp?) -> HTTPResponse {
        do {
            let reader = try store.openReader()
            let stats = try Statistics.compute(reader: reader, definition: definition, asOf: asOf)
            store.recordAccess("statistics", detail: nil)
            return json(200, stats.json)
        } catch {
            return apiError(503, "store-unavailable", "statistics could not be computed: \(error)")
        }
    }

    private func report(_ request: HTTPRequest) -> HTTPResponse { withAsOf(request) { report(asOf: $0) } }

    private func report(asOf: Timestamp?) -> HTTPResponse {
        do {
            let reader = try store.openReader()
            let stats = try Statistics.compute(reader: reader, definition: definition, asOf: asOf)
            let report = Report(definition: definition, statistics: stats)
            store.recordAccess("report", detail: nil)
            return HTTPResponse(
                status: 200,
                headers: [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Security-Policy", report.contentSecurityPolicy),
                ],
                body: .bytes(Array(report.html.utf8)))
        } catch {
            return apiError(503, "store-unavailable", "the report could not be built: \(error)")
        }
    }

    private func export(_ request: HTTPRequest) -> HTTPResponse { withAsOf(request) { export(request, asOf: $0) } }

    private func export(_ request: HTTPRequest, asOf: Timestamp?) -> HTTPResponse {
        guard let format = ExportFormat(rawValue: request.queryValue("format") ?? "csv") else {
            return apiError(400, "invalid-format", "format must be csv, csv-wide or jsonl")
        }
        let bom = request.queryValue("bom") == "1"
        let store = self.store
        let definition = self.definition
        store.recordAccess("export", detail: format.rawValue)
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", format.mediaType),
                ("Content-Disposition", "attachment; filename=\"\(definition.id).\(format.fileExtension)\""),
            ],
            body: .stream { sink in
                let reader = try store.openReader()
                _ = try Exporter(definition: definition, reader: reader).write(format, to: sink, byteOrderMark: bom, asOf: asOf)
            })
    }
}
