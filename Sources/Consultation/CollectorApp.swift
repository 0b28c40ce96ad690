import AnalystOutputs
public import CollectorStore
public import ConsultationDomain
public import ConsultationPages
import CriteriaCatalogue
import HTMLText
public import HTTP
import JSONSyntax

/// How the collector behaves, beyond the consultation itself.
public struct CollectorConfiguration: Sendable {
    /// Writes per minute per client address (form, API, edits, withdrawals, drafts); 0 turns the limit off.
    public var writeRateLimitPerMinute = RateLimiter.defaultWritesPerMinute
    /// The keyed hash of the analyst token that unlocks export, statistics and the report
    /// (`ConsultationStore.prepareAnalystToken`).
    public var analystTokenHash: [UInt8] = []
    /// The address participants use (`--public-url`: scheme, host and port, no path): receipts' edit links
    /// and draft links are built from it, never from the request's `Host` header. `Secure` cookies when https.
    public var publicURL = "http://127.0.0.1:8080"
    public var strings = FormStrings.english
    public var responseLimits = ResponseLimits()
    public var limits = CollectorLimits()

    public init() {}
}

/// The collector's own bounds, beyond HTTP's and a response's content, with their defaults.
public struct CollectorLimits: Sendable {
    /// Problems listed in one error answer; the rest are counted (`"more": N`).
    public var maxListedProblems = FieldErrors.defaultCap
    /// Largest answer to a bad API request, in bytes: the list of problems stops before it.
    public var maxErrorAnswerBytes = 64 * 1024
    /// Largest draft, its fields as stored, in bytes (a draft keeps only the consultation's own fields).
    public var maxDraftBytes = 256 * 1024
    /// Failed analyst sign-ins (a wrong token, by header or by form) per minute per address; then 429.
    public var analystFailuresPerMinute = 10
    /// Write tokens a honeypot hit costs its address (a bot that fills the hidden field is slowed down
    /// without being told why).
    public var honeypotCost = 10.0
    /// How long an analyst's sign-in to the report lasts, in seconds.
    public var analystSessionSeconds = 8.0 * 3600
    /// Most analyst sign-ins kept at once (the oldest goes first).
    public var maxAnalystSessions = 1000

    public init() {}
}

/// The collector's HTTP application: one route table from every request of the form, the JSON API and the
/// analyst endpoints to its handler. Stateless apart from the store, the rate limiters and the analysts'
/// sessions, so any connection thread may call `handle` at any time.
public final class CollectorApp: Sendable {
    public let store: ConsultationStore
    let configuration: CollectorConfiguration
    let limiter: RateLimiter
    let analystFailures: RateLimiter
    let sessions: AnalystSessions
    /// The form's renderer in each of the consultation's languages (its definition translated, the interface's
    /// message catalogue for that language, English where none exists).
    let renderers: [String: FormRenderer]
    let stylesheet: [UInt8]
    let log: @Sendable (String) -> Void
    /// `publicURL` without a trailing slash.
    let publicBase: String

    var definition: ConsultationDefinition { store.definition }
    var limits: CollectorLimits { configuration.limits }

    /// - Parameters:
    ///   - clock: the rate limiters' and sessions' clock (tests pass one they advance by hand).
    ///   - log: a line for each honeypot hit and other events worth an operator's attention.
    public init(
        store: ConsultationStore, configuration: CollectorConfiguration, clock: MonotonicClock = .system,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.store = store
        self.configuration = configuration
        limiter = RateLimiter(perMinute: configuration.writeRateLimitPerMinute, key: store.secret, clock: clock)
        analystFailures = RateLimiter(perMinute: configuration.limits.analystFailuresPerMinute, key: store.secret, clock: clock)
        sessions = AnalystSessions(
            key: store.tokenKey, lifetime: configuration.limits.analystSessionSeconds,
            capacity: configuration.limits.maxAnalystSessions, clock: clock)
        var renderers: [String: FormRenderer] = [:]
        for language in store.definition.languages {
            let strings = language == "en" ? configuration.strings : FormStrings.catalogue(for: language)
            renderers[language] = FormRenderer(definition: store.definition.translated(to: language), strings: strings)
        }
        self.renderers = renderers
        stylesheet = Array(FormRenderer(definition: store.definition, strings: configuration.strings).stylesheet().utf8)
        self.log = log
        var base = configuration.publicURL
        while base.hasSuffix("/") { base.removeLast() }
        publicBase = base
    }

    /// Headers every answer carries, the HTTP server's own refusals included (pass them to `HTTPServer`).
    public static let standardHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
    ]

    /// Every route of the collector, in one table (`GET` routes answer `HEAD` too).
    static let routes: RouteTable<CollectorApp> = {
        var t = RouteTable<CollectorApp>()
        t.add("GET", "/") { app, r, _ in app.formPage(r) }
        t.add("POST", "/") { app, r, _ in app.formSubmit(r) }
        t.add("GET", "/assets/form.css") { app, _, _ in
            HTTPResponse(
                status: 200, headers: [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "public, max-age=3600")],
                body: .bytes(app.stylesheet))
        }
        t.add("GET", "/healthz") { app, _, _ in app.healthz() }
        t.add("GET", "/edit/{id}") { app, r, p in app.editPage(r, id: p["id"]) }
        t.add("POST", "/edit/{id}") { app, r, p in app.editSubmit(r, id: p["id"]) }
        t.add("POST", "/edit/{id}/withdraw") { app, r, p in app.withdrawSubmit(r, id: p["id"]) }
        t.add("GET", "/report") { app, r, _ in app.reportPage(r) }
        t.add("POST", "/report/sign-in") { app, r, _ in app.analystSignIn(r) }
        t.add("POST", "/report/sign-out") { app, r, _ in app.analystSignOut(r) }
        t.add("GET", "/api/v1/consultation") { app, _, _ in app.json(200, app.consultationJSON()) }
        t.add("POST", "/api/v1/responses") { app, r, _ in app.apiSubmit(r) }
        t.add("GET", "/api/v1/responses/{id}") { app, r, p in app.apiFetch(r, id: p["id"]) }
        t.add("PUT", "/api/v1/responses/{id}") { app, r, p in app.apiUpdate(r, id: p["id"]) }
        t.add("DELETE", "/api/v1/responses/{id}") { app, r, p in app.apiWithdraw(r, id: p["id"]) }
        t.add("GET", "/api/v1/export") { app, r, _ in app.analyst(r) { app.export(r) } }
        t.add("GET", "/api/v1/statistics") { app, r, _ in app.analyst(r) { app.statistics(r) } }
        t.add("GET", "/registration/{id}") { app, r, p in app.registrationPage(r, id: p["id"]) }
        t.add("GET", "/registration/{id}/cancel") { app, r, p in app.cancelPage(r, id: p["id"]) }
        t.add("POST", "/registration/{id}/cancel") { app, r, p in app.cancelSubmit(r, id: p["id"]) }
        t.add("GET", "/api/v1/registrants") { app, r, _ in app.analyst(r) { app.exportRegistrants(r) } }
        return t
    }()

    /// Answers one request. Never throws and never traps: unexpected store failures become 503.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        var response = CollectorApp.routes.respond(to: request, context: self) { r in
            r.path.hasPrefix("/api/")
                ? self.apiError(404, "not-found", self.ui(r).strings.apiNoSuchEndpoint)
                : self.html(
                    404,
                    self.ui(r).renderer.message(title: self.ui(r).strings.notFoundTitle, text: self.ui(r).strings.notFoundText))
        }
        // The language switch's links (`?lang=fr`) are remembered for the pages that follow (receipt, edit page).
        if let l = request.queryValue("lang"), definition.languages.contains(l) {
            response.headers.append(
                ("Set-Cookie", "\(CollectorApp.languageCookie)=\(l); Path=/; HttpOnly; SameSite=Lax\(cookieSecurity)"))
        }
        let own = Set(response.headers.map { $0.0.lowercased() })
        response.headers = CollectorApp.standardHeaders.filter { !own.contains($0.0.lowercased()) } + response.headers
        return response
    }

    // MARK: Languages

    static let languageCookie = "eccoe_lang"

    /// The page's language for a request: `?lang=` (the language switch's links), the form's `lang` field, the
    /// language cookie the switch set, `Accept-Language`, and the consultation's first language, in that order;
    /// only the consultation's own languages count.
    func language(_ request: HTTPRequest) -> String {
        let languages = definition.languages
        if let l = request.queryValue("lang"), languages.contains(l) { return l }
        if request.method == "POST", let l = formValues(request)?.value("lang"), languages.contains(l) { return l }
        if let l = cookie(request, CollectorApp.languageCookie), languages.contains(l) { return l }
        return LanguageNegotiation.choose(acceptLanguage: request.header("accept-language"), available: languages) ?? languages[0]
    }

    /// The renderer and interface strings in the request's language.
    func ui(_ request: HTTPRequest) -> (renderer: FormRenderer, strings: FormStrings, language: String) {
        let l = language(request)
        let r = renderers[l] ?? renderers[definition.languages[0]]!
        return (r, r.strings, l)
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

    /// The members listing problems in an error answer: as many as fit the answer's byte budget and the
    /// listing cap, then `more` (how many were left out) when any were.
    func problemList(_ name: String, _ items: [JSONValue], total: Int) -> [(String, JSONValue)] {
        var listed: [JSONValue] = []
        var bytes = 0
        let budget = limits.maxErrorAnswerBytes - 4096  // room for the message and the other members
        for item in items.prefix(limits.maxListedProblems) {
            let size = item.htmlSafeText.utf8.count + 1
            if bytes + size > budget { break }
            bytes += size
            listed.append(item)
        }
        var members: [(String, JSONValue)] = [(name, .array(listed))]
        if total > listed.count { members.append(("more", .int(total - listed.count))) }
        return members
    }

    func html(_ status: Int, _ text: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/html; charset=utf-8", text: text, headers: headers)
    }

    /// `; Secure` when participants reach the collector over https (cookies then never travel in clear).
    var cookieSecurity: String { publicBase.lowercased().hasPrefix("https://") ? "; Secure" : "" }

    func cookie(_ request: HTTPRequest, _ name: String) -> String? {
        for header in request.headers where header.name == "cookie" {
            for part in header.value.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
                if kv.count == 2, kv[0] == name, !kv[1].isEmpty, kv[1].utf8.count <= 100 { return kv[1] }
            }
        }
        return nil
    }

    private func bearer(_ request: HTTPRequest) -> String? {
        guard let h = request.header("authorization") else { return nil }
        let parts = h.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingSpaces
    }

    private func closedMessage(_ now: Timestamp, _ strings: FormStrings) -> String {
        definition.state(at: now) == "draft"
            ? FormStrings.format(strings.apiOpensAt, definition.opensAt.rfc3339)
            : FormStrings.format(strings.apiClosedAt, definition.closesAt.rfc3339)
    }

    /// `/healthz`: 200 while writes reach the disk; 503 "degraded" with the cause while they fail.
    func healthz() -> HTTPResponse {
        var members: [(String, JSONValue)] = [
            ("consultation", .string(definition.id)), ("state", .string(definition.state(at: store.clock.now()))),
        ]
        if let (cause, since) = store.health.degradation {
            members = [("status", .string("degraded")), ("reason", .string(cause)), ("since", .string(since.rfc3339))] + members
            return json(503, .object(members), headers: [("Retry-After", "30")])
        }
        return json(200, .object([("status", .string("ok"))] + members))
    }

    // MARK: Analysts

    /// Whether the request carries the analyst token (`Authorization: Bearer`) or a live sign-in cookie.
    enum AnalystCheck { case allowed, denied, limited(Int) }

    func analystCheck(_ request: HTTPRequest) -> AnalystCheck {
        if let session = cookie(request, AnalystSessions.cookie), sessions.isValid(session) { return .allowed }
        guard let token = bearer(request) else { return .denied }
        if let wait = analystFailures.wait(address: request.remoteAddress) { return .limited(wait) }
        if tokenMatches(token) { return .allowed }
        _ = analystFailures.take(address: request.remoteAddress)
        return .denied
    }

    /// Compares a token with the analyst token's keyed hash, in constant time.
    func tokenMatches(_ token: String) -> Bool {
        !configuration.analystTokenHash.isEmpty
            && Secrets.constantTimeEqual(Secrets.keyedHash(token, key: store.tokenKey), configuration.analystTokenHash)
    }

    func analyst(_ request: HTTPRequest, _ body: () -> HTTPResponse) -> HTTPResponse {
        let strings = ui(request).strings
        switch analystCheck(request) {
        case .allowed: return body()
        case .limited(let wait):
            return apiError(
                429, "rate-limited", FormStrings.format(strings.apiAnalystRateLimited, String(wait)),
                headers: [("Retry-After", String(wait))])
        case .denied:
            return apiError(
                401, "unauthorised", strings.apiUnauthorised,
                headers: [("WWW-Authenticate", "Bearer realm=\"eccoe analyst\"")])
        }
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
        let members: [(String, JSONValue)] = [
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
                                ("id", .string(c.id)), ("title", .string(c.title)),
                                ("plain", .string(c.plainStatement(in: d.language)?.text ?? "")),
                                ("text", .string(c.requirement)),
                                ("rationale", .string(c.rationale)), ("elmPaths", .array(c.elmPaths.map { .string($0) })),
                                ("level", .string(c.level.rawValue)), ("section", .string(s.id)),
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
        ]
        return .object(members + registrationJSON())
    }

    /// Whether the request declares a JSON body: the media type `application/json`, any parameters.
    static func declaresJSON(_ request: HTTPRequest) -> Bool {
        guard let type = request.header("content-type") else { return false }
        return type.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces.lowercased() } == "application/json"
    }

    /// Parses and validates an API body: the content, or the response to send (415 unless the body is
    /// declared `application/json`, 400 for malformed JSON, 422 for invalid answers, 409 when closed).
    /// Every list of problems is capped, so no answer to a bad body passes `maxErrorAnswerBytes`.
    private func readAPIBody(_ request: HTTPRequest) -> Result<ResponseContent, ResponseRejection> {
        let strings = ui(request).strings
        guard CollectorApp.declaresJSON(request) else {
            return .failure(
                ResponseRejection(
                    apiError(415, "unsupported-media-type", strings.apiUnsupportedMediaType)))
        }
        if request.body.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            return .failure(
                ResponseRejection(
                    apiError(400, "empty-body", strings.apiEmptyBody)))
        }
        let tree = SyntaxTree(parsing: request.body, dialect: .json)
        let syntaxErrors = tree.diagnostics.filter { $0.severity == .error }
        if let first = syntaxErrors.first {
            let p = tree.position(of: first.range.lowerBound, encoding: .utf8)
            let list: [JSONValue] = syntaxErrors.prefix(limits.maxListedProblems).map { d in
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
                        FormStrings.format(
                            strings.apiMalformedJSON, String(p.line + 1), String(p.character + 1), String(first.range.lowerBound),
                            first.message),
                        extra: [
                            ("line", .int(p.line + 1)), ("column", .int(p.character + 1)),
                            ("offset", .int(first.range.lowerBound)),
                        ] + problemList("problems", list, total: syntaxErrors.count))))
        }
        var errors = FieldErrors(cap: limits.maxListedProblems)
        let raw = ResponseContent.fromJSON(tree.root, errors: &errors)
        let (content, more) = raw.validated(against: definition, limits: configuration.responseLimits)
        errors.append(contentsOf: more)
        if !errors.isEmpty {
            let now = store.clock.now()
            if !definition.canWrite(at: now) {
                return .failure(ResponseRejection(apiError(409, "closed", closedMessage(now, strings))))
            }
            let items: [JSONValue] = errors.listed.map {
                .object([("pointer", .string($0.pointer)), ("message", .string(strings.message(for: $0)))])
            }
            return .failure(
                ResponseRejection(
                    apiError(
                        422, "invalid-response",
                        errors.count == 1
                            ? strings.apiInvalidResponseOne
                            : FormStrings.format(strings.apiInvalidResponseMany, String(errors.count)),
                        extra: problemList("fields", items, total: errors.count))))
        }
        return .success(content)
    }

    struct ResponseRejection: Error {
        var response: HTTPResponse
        init(_ response: HTTPResponse) { self.response = response }
    }

    private func rateLimited(_ request: HTTPRequest) -> Int? { limiter.take(address: request.remoteAddress) }

    private func tooManyAPI(_ seconds: Int, _ strings: FormStrings) -> HTTPResponse {
        apiError(
            429, "rate-limited", FormStrings.format(strings.apiRateLimited, String(seconds)),
            headers: [("Retry-After", String(seconds))])
    }

    func apiSubmit(_ request: HTTPRequest) -> HTTPResponse {
        let strings = ui(request).strings
        if let wait = rateLimited(request) { return tooManyAPI(wait, strings) }
        let key = request.header("idempotency-key")
        if let key, key.isEmpty || key.utf8.count > 255 || !key.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) {
            return apiError(400, "invalid-idempotency-key", strings.apiInvalidIdempotencyKey)
        }
        let now = store.clock.now()
        if key == nil && !definition.canWrite(at: now) { return apiError(409, "closed", closedMessage(now, strings)) }
        let content: ResponseContent
        switch readAPIBody(request) {
        case .failure(let r): return r.response
        case .success(let c): content = c
        }
        return submit(
            Submission(
                content: content, channel: "api", language: language(request), idempotencyKey: key.map { "api:" + $0 },
                consultationID: definition.id, tokenKey: store.tokenKey),
            created: { r in self.json(201, r.json, headers: [("Location", "/api/v1/responses/\(r.id)")]) },
            replayed: { r in self.json(200, r.json, headers: [("Location", "/api/v1/responses/\(r.id)")]) },
            strings: strings, rejected: { status, code, message in self.apiError(status, code, message) })
    }

    func submit(
        _ s: Submission, created: (Receipt) -> HTTPResponse, replayed: (Receipt) -> HTTPResponse, strings: FormStrings,
        rejected: (Int, String, String) -> HTTPResponse
    ) -> HTTPResponse {
        do {
            switch try store.submit(s) {
            case .created(let r): return created(r)
            case .replayed(let r): return replayed(r)
            case .keyConflict:
                return rejected(409, "idempotency-key-reused", strings.apiIdempotencyKeyReused)
            case .keyWithdrawn:
                return rejected(410, "withdrawn", strings.apiWithdrawn)
            case .closed:
                return rejected(409, "closed", closedMessage(store.clock.now(), strings))
            }
        } catch {
            return rejected(503, "store-unavailable", strings.apiNotStored)
        }
    }

    func apiFetch(_ request: HTTPRequest, id: String) -> HTTPResponse {
        guard let token = bearer(request), let r = try? store.fetch(id: id, token: token) else {
            return apiError(404, "not-found", ui(request).strings.apiNotFound)
        }
        // A registration: where it stands now.
        if definition.registration != nil, let (_, status) = try? store.registration(id: id, token: token),
            case .object(let members) = r.json
        {
            return json(200, .object(members + [("registration", status.json)]))
        }
        return json(200, r.json)
    }

    func apiUpdate(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let strings = ui(request).strings
        if let wait = rateLimited(request) { return tooManyAPI(wait, strings) }
        guard let token = bearer(request) else { return apiError(404, "not-found", strings.apiNotFound) }
        let content: ResponseContent
        switch readAPIBody(request) {
        case .failure(let r): return r.response
        case .success(let c): content = c
        }
        return change(id: id, token: token, to: content, strings)
    }

    func apiWithdraw(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let strings = ui(request).strings
        if let wait = rateLimited(request) { return tooManyAPI(wait, strings) }
        guard let token = bearer(request) else { return apiError(404, "not-found", strings.apiNotFound) }
        return change(id: id, token: token, to: nil, strings)
    }

    private func change(id: String, token: String, to content: ResponseContent?, _ strings: FormStrings) -> HTTPResponse {
        do {
            switch try store.change(id: id, token: token, to: content) {
            case .notFound: return apiError(404, "not-found", strings.apiNotFound)
            case .closed: return apiError(409, "closed", closedMessage(store.clock.now(), strings))
            case .done(let r?): return json(200, r.json)
            case .done(nil): return HTTPResponse(status: 204)
            }
        } catch {
            return apiError(503, "store-unavailable", strings.apiChangeNotStored)
        }
    }

    // MARK: Analyst endpoints

    /// The `as-of` query parameter of the analyst endpoints: an RFC 3339 time, or nil when absent.
    private func withAsOf(_ request: HTTPRequest, _ body: (Timestamp?) -> HTTPResponse) -> HTTPResponse {
        guard let text = request.queryValue("as-of") else { return body(nil) }
        guard let t = Timestamp(rfc3339: text) else {
            return apiError(400, "invalid-as-of", ui(request).strings.apiInvalidAsOf)
        }
        return body(t)
    }

    func statistics(_ request: HTTPRequest) -> HTTPResponse { withAsOf(request) { statistics(asOf: $0, ui(request).strings) } }

    private func statistics(asOf: Timestamp?, _ strings: FormStrings) -> HTTPResponse {
        do {
            let reader = try store.openReader()
            let stats = try Statistics.compute(reader: reader, definition: definition, asOf: asOf)
            store.recordAccess("statistics", detail: nil)
            return json(200, stats.json)
        } catch {
            return apiError(503, "store-unavailable", FormStrings.format(strings.apiStatisticsFailed, "\(error)"))
        }
    }

    /// The report in the request's language (`?lang=`, the language cookie, `Accept-Language`): its fixed texts
    /// from `ReportStrings`, the definition's texts read in that language; the numbers are the same in all.
    func report(_ request: HTTPRequest) -> HTTPResponse { withAsOf(request) { report(asOf: $0, ui(request)) } }

    private func report(asOf: Timestamp?, _ ui: (renderer: FormRenderer, strings: FormStrings, language: String)) -> HTTPResponse
    {
        do {
            let reader = try store.openReader()
            let stats = try Statistics.compute(reader: reader, definition: definition, asOf: asOf)
            let report = Report(definition: ui.renderer.definition, statistics: stats)
            store.recordAccess("report", detail: nil)
            return HTTPResponse(
                status: 200,
                headers: [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Security-Policy", report.contentSecurityPolicy),
                ],
                body: .bytes(Array(report.html.utf8)))
        } catch {
            return apiError(503, "store-unavailable", FormStrings.format(ui.strings.apiReportFailed, "\(error)"))
        }
    }

    func export(_ request: HTTPRequest) -> HTTPResponse { withAsOf(request) { export(request, asOf: $0) } }

    private func export(_ request: HTTPRequest, asOf: Timestamp?) -> HTTPResponse {
        guard let format = ExportFormat(rawValue: request.queryValue("format") ?? "csv") else {
            return apiError(400, "invalid-format", ui(request).strings.apiInvalidFormat)
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
            body: .stream { writer in
                let reader = try store.openReader()
                _ = try Exporter(definition: definition, reader: reader).write(
                    format, to: BodyWriterSink(writer), byteOrderMark: bom, asOf: asOf)
            })
    }
}

/// An export written into an HTTP response being streamed.
final class BodyWriterSink: ByteSink {
    let writer: HTTPBodyWriter
    init(_ writer: HTTPBodyWriter) { self.writer = writer }
    func write(_ bytes: [UInt8]) throws { try writer.write(bytes) }
}
