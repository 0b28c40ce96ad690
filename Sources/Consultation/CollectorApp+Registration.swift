import AnalystOutputs
import CollectorStore
import ConsultationDomain
import ConsultationPages
import HTMLText
import HTTP
import JSONSyntax

/// A registration form's own routes: the confirmation page behind its private link, cancellation (a page that asks,
/// then a POST), and the registrants' export for analysts.
///
/// The private link carries the registration's token (its edit token, stored as a keyed hash like every token).
/// Following it moves the token into an `HttpOnly` cookie scoped to that registration's path and redirects to the
/// plain address, as the edit links do; a wrong or unknown token gets the same 404 as an unknown id. The page shows
/// only that registration's answers, looked up through its token.
extension CollectorApp {
    static let registrationCookie = "eccoe_registration"

    func registrationPath(_ id: String) -> String { "/registration/\(FormDecoding.encode(id))" }

    func registrationLink(_ id: String, token: String) -> String {
        publicBase + registrationPath(id) + "?token=" + FormDecoding.encode(token)
    }

    /// The cookie that keeps a registration's token for its pages only.
    func registrationCookie(id: String, token: String) -> (String, String) {
        (
            "Set-Cookie",
            "\(CollectorApp.registrationCookie)=\(token); Path=\(registrationPath(id)); HttpOnly; SameSite=Lax\(cookieSecurity)"
        )
    }

    private func registrationNotFound(_ request: HTTPRequest) -> HTTPResponse {
        let ui = ui(request)
        return html(404, ui.renderer.message(title: ui.strings.notFoundTitle, text: ui.renderer.registrationStrings.notFoundText))
    }

    /// The places as the form shows them (nil when the definition is not a registration form or the store fails).
    func placesModel() -> PlacesModel? {
        guard let counts = try? store.registrationCounts() else { return nil }
        return PlacesModel(places: counts.places, confirmed: counts.confirmed, waiting: counts.waiting)
    }

    /// The page a registrant sees after registering: the same as behind the private link, with the cookie set so
    /// the cancel link works in this browser at once.
    func registrationReceipt(_ request: HTTPRequest, _ r: Receipt, content: ResponseContent) -> HTTPResponse {
        let page = ui(request).renderer.registrationConfirmation(
            id: r.id, status: r.registration ?? .confirmed, registeredAt: r.receivedAt, content: content,
            privateLink: registrationLink(r.id, token: r.editToken), cancelAction: registrationPath(r.id) + "/cancel")
        return html(200, page, headers: [registrationCookie(id: r.id, token: r.editToken)])
    }

    /// The token of a request for a registration's pages: from the link's query (once) or its cookie.
    private func registrationToken(_ request: HTTPRequest) -> String? {
        request.queryValue("token") ?? cookie(request, CollectorApp.registrationCookie)
    }

    /// Following the private link once: keep the token in a cookie and show the page at its plain address.
    private func moveTokenToCookie(_ request: HTTPRequest, id: String, path: String) -> HTTPResponse? {
        guard let token = request.queryValue("token") else { return nil }
        return HTTPResponse(status: 303, headers: [("Location", path), registrationCookie(id: id, token: token)])
    }

    func registrationPage(_ request: HTTPRequest, id: String) -> HTTPResponse {
        guard definition.registration != nil, let token = registrationToken(request), token.utf8.count <= 100,
            let (stored, status) = try? store.registration(id: id, token: token)
        else { return registrationNotFound(request) }
        if let redirect = moveTokenToCookie(request, id: id, path: registrationPath(id)) { return redirect }
        let page = ui(request).renderer.registrationConfirmation(
            id: id, status: status, registeredAt: stored.receivedAt, content: stored.content,
            privateLink: registrationLink(id, token: token), cancelAction: registrationPath(id) + "/cancel")
        return html(200, page)
    }

    /// The page that asks before cancelling. `formToken`: the token a refused POST carried (the page is shown again,
    /// with `status`, and fresh CSRF tokens).
    func cancelPage(_ request: HTTPRequest, id: String, formToken: String? = nil, status code: Int = 200) -> HTTPResponse {
        guard definition.registration != nil, let token = formToken ?? registrationToken(request), token.utf8.count <= 100,
            let (_, status) = try? store.registration(id: id, token: token)
        else { return registrationNotFound(request) }
        if formToken == nil, let redirect = moveTokenToCookie(request, id: id, path: registrationPath(id) + "/cancel") {
            return redirect
        }
        var headers: [(String, String)] = []
        var nonce = cookie(request, CollectorApp.csrfCookie)
        if nonce == nil || formToken != nil {
            // A refused post may have lost its cookie: a fresh nonce, so the next one passes.
            let n = Secrets.newToken()
            headers.append(("Set-Cookie", "\(CollectorApp.csrfCookie)=\(n); Path=/; HttpOnly; SameSite=Strict\(cookieSecurity)"))
            nonce = n
        }
        let page = ui(request).renderer.cancelConfirmation(
            id: id, token: token, csrfToken: csrfToken(nonce: nonce!), status: status, backLink: registrationPath(id))
        return html(code, page, headers: headers)
    }

    /// Cancels: the CSRF token, the registration's token and `confirm=yes` (the button of the page that asked) are all
    /// needed; writes count against the address's rate limit.
    func cancelSubmit(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let ui = ui(request)
        guard definition.registration != nil else { return registrationNotFound(request) }
        guard let values = formValues(request) else {
            return html(
                415,
                ui.renderer.message(
                    title: "Unsupported form encoding", text: "Send the form as application/x-www-form-urlencoded."))
        }
        let token = values.value("token") ?? ""
        guard csrfValid(request, values), values.value("confirm") == "yes" else {
            // An old page or a forged post: ask again (the page carries fresh tokens); nothing is cancelled.
            return cancelPage(request, id: id, formToken: token, status: 403)
        }
        if let wait = limiter.take(address: request.remoteAddress) {
            return html(
                429,
                ui.renderer.message(
                    title: ui.renderer.registrationStrings.cancelTitle,
                    text: FormStrings.format(ui.strings.rateLimited, String(wait))),
                headers: [("Retry-After", String(wait))])
        }
        let clear = (
            "Set-Cookie",
            "\(CollectorApp.registrationCookie)=; Path=\(registrationPath(id)); HttpOnly; SameSite=Lax; Max-Age=0\(cookieSecurity)"
        )
        switch try? store.cancelRegistration(id: id, token: token) {
        case .cancelled(let promoted)?: return html(200, ui.renderer.cancelled(promoted: promoted > 0), headers: [clear])
        case .tooLate?:
            return html(
                409,
                ui.renderer.message(
                    title: ui.renderer.registrationStrings.tooLateTitle, text: ui.renderer.registrationStrings.tooLateText))
        case .notFound?: return registrationNotFound(request)
        case nil:
            return html(
                503,
                ui.renderer.message(
                    title: ui.renderer.registrationStrings.cancelTitle,
                    text: "Your registration could not be cancelled; please try again."))
        }
    }

    /// `GET /api/v1/registrants?format=csv|jsonl[&bom=1]`: every registrant with status, position and answers.
    func exportRegistrants(_ request: HTTPRequest) -> HTTPResponse {
        guard definition.registration != nil else {
            return apiError(404, "not-a-registration-form", "this consultation is not a registration form: it has no registrants")
        }
        guard let format = RegistrantExport.Format(rawValue: request.queryValue("format") ?? "csv") else {
            return apiError(400, "invalid-format", "format must be csv or jsonl")
        }
        let bom = request.queryValue("bom") == "1"
        let store = self.store
        let definition = self.definition
        store.recordAccess("export", detail: "registrants \(format.rawValue)")
        return HTTPResponse(
            status: 200,
            headers: [
                ("Content-Type", format.mediaType),
                ("Content-Disposition", "attachment; filename=\"\(definition.id)-registrants.\(format.rawValue)\""),
            ],
            body: .stream { writer in
                let reader = try store.openReader()
                _ = try RegistrantExport(definition: definition, reader: reader).write(
                    format, to: BodyWriterSink(writer), byteOrderMark: bom)
            })
    }

    /// The `registration` member of `/api/v1/consultation`: the event and the places as they stand.
    func registrationJSON() -> [(String, JSONValue)] {
        guard let r = definition.registration else { return [] }
        var m: [(String, JSONValue)] = [("places", .int(r.places)), ("startsAt", .string(r.startsAt.rfc3339))]
        if let e = r.endsAt { m.append(("endsAt", .string(e.rfc3339))) }
        if let l = r.location { m.append(("location", .string(l))) }
        m += [("retentionDays", .int(r.retentionDays)), ("purpose", .string(r.purpose))]
        if let c = try? store.registrationCounts() {
            m += [("free", .int(c.free)), ("waiting", .int(c.waiting))]
        }
        return [("registration", .object(m))]
    }
}
