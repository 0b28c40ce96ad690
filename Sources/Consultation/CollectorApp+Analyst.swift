import ConsultationDomain
import ConsultationPages
import Foundation
import HTMLText
import HTTP
import Synchronization

/// Analysts' sign-ins to the report: random session tokens held in memory only, as keyed hashes, each valid
/// for `lifetime` seconds on the injected clock. A restart signs everybody out; nothing about a session is
/// stored. The analyst token itself never travels in a URL: the report's page asks for it in a form and
/// answers with an `HttpOnly`, `SameSite=Strict` cookie holding a session token.
final class AnalystSessions: Sendable {
    /// Each open session's expiry, by the keyed hash of its token.
    private let expiries = Mutex<[[UInt8]: Double]>([:])
    private let key: [UInt8]
    let lifetime: Double
    private let capacity: Int
    private let clock: MonotonicClock

    static let cookie = "eccoe_analyst"

    init(key: [UInt8], lifetime: Double, capacity: Int, clock: MonotonicClock) {
        self.key = key
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// A new session token.
    func open() -> String {
        let token = Secrets.newToken()
        let hash = Secrets.keyedHash(token, key: key)
        let now = clock.now()
        expiries.withLock { expiries in
            expiries = expiries.filter { $0.value > now }
            if expiries.count >= capacity, let oldest = expiries.min(by: { $0.value < $1.value }) {
                expiries.removeValue(forKey: oldest.key)
            }
            expiries[hash] = now + lifetime
        }
        return token
    }

    func isValid(_ token: String) -> Bool {
        let hash = Secrets.keyedHash(token, key: key)
        let now = clock.now()
        return expiries.withLock { ($0[hash] ?? -.infinity) > now }
    }

    func close(_ token: String) {
        let hash = Secrets.keyedHash(token, key: key)
        _ = expiries.withLock { $0.removeValue(forKey: hash) }
    }

    var count: Int { expiries.withLock { $0.count } }
}

/// The report's sign-in: `GET /report` shows the report to a signed-in analyst (or to a script sending
/// `Authorization: Bearer`), else a sign-in form; `POST /report/sign-in` checks the token (failures count
/// against the address's limit) and sets the session cookie; `POST /report/sign-out` ends the session.
extension CollectorApp {
    func reportPage(_ request: HTTPRequest) -> HTTPResponse {
        switch analystCheck(request) {
        case .allowed: return report(request)
        case .limited(let wait):
            return signInPage(request, status: 429, problem: tooManyFailures(request, wait), retryAfter: wait)
        case .denied: return signInPage(request, status: 401, problem: nil)
        }
    }

    private func tooManyFailures(_ request: HTTPRequest, _ wait: Int) -> String {
        FormStrings.format(ui(request).strings.signInTooManyFailures, String(wait))
    }

    func signInPage(_ request: HTTPRequest, status: Int, problem: String?, retryAfter: Int? = nil) -> HTTPResponse {
        var headers: [(String, String)] = [("WWW-Authenticate", "Bearer realm=\"eccoe analyst\"")]
        let csrf = csrfNonce(request)
        headers += csrf.setCookie
        if let retryAfter { headers.append(("Retry-After", String(retryAfter))) }
        let strings = ui(request).strings
        var body = "<h1>\(HTML.escape(strings.signInTitle))</h1>\n"
        if let problem {
            body +=
                "<div class=\"error-summary\" id=\"errors\" role=\"alert\" tabindex=\"-1\"><p>\(HTML.escape(problem))</p></div>\n"
        }
        body += """
            <p>\(HTML.escape(FormStrings.format(strings.signInIntro, String(Int(sessions.lifetime / 3600)))))</p>
            <form method="post" action="/report/sign-in">
            <input type="hidden" name="csrf" value="\(HTML.escape(csrfToken(nonce: csrf.nonce)))">
            <div class="field"><label for="f-token">\(HTML.escape(strings.signInTokenLabel))</label>
            <input type="password" id="f-token" name="token" autocomplete="current-password" required></div>
            <input type="hidden" name="lang" value="\(HTML.escape(ui(request).language))">
            <button type="submit">\(HTML.escape(strings.signInButton))</button>
            </form>
            """
        return html(
            status, ui(request).renderer.page(title: strings.signInTitle, body: body, hasErrors: problem != nil), headers: headers
        )
    }

    func analystSignIn(_ request: HTTPRequest) -> HTTPResponse {
        guard let values = formValues(request) else {
            return html(
                415,
                ui(request).renderer.message(
                    title: ui(request).strings.unsupportedEncodingTitle, text: ui(request).strings.unsupportedEncodingText))
        }
        if let wait = analystFailures.wait(address: request.remoteAddress) {
            return signInPage(request, status: 429, problem: tooManyFailures(request, wait), retryAfter: wait)
        }
        guard csrfValid(request, values) else {
            return signInPage(request, status: 403, problem: ui(request).strings.signInStale)
        }
        guard let token = values.value("token"), tokenMatches(token) else {
            _ = analystFailures.take(address: request.remoteAddress)
            return signInPage(request, status: 401, problem: ui(request).strings.signInWrongToken)
        }
        let session = sessions.open()
        return HTTPResponse(
            status: 303,
            headers: [
                ("Location", "/report"),
                (
                    "Set-Cookie",
                    "\(AnalystSessions.cookie)=\(session); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Int(sessions.lifetime))\(cookieSecurity)"
                ),
            ])
    }

    func analystSignOut(_ request: HTTPRequest) -> HTTPResponse {
        if let values = formValues(request), csrfValid(request, values), let session = cookie(request, AnalystSessions.cookie) {
            sessions.close(session)
        }
        return HTTPResponse(
            status: 303,
            headers: [
                ("Location", "/report"),
                ("Set-Cookie", "\(AnalystSessions.cookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0\(cookieSecurity)"),
            ])
    }
}
