import CollectorStore
import ConsultationDomain
import ConsultationPages
import HTMLText
import HTTP

/// The form's routes: the questionnaire, submission, drafts, receipts, and the edit and withdraw pages.
///
/// CSRF: a random nonce lives in a `SameSite=Strict`, `HttpOnly` session cookie; each form carries
/// HMAC(server secret, nonce). Nothing in the token expires, so a person can take hours over the form; a
/// missing or wrong token re-renders the form with everything typed and a fresh token, so nothing is lost.
///
/// Secrets and URLs: links shown to people (a receipt's edit link, a draft's link) are built from the
/// configured public URL, never from the request's `Host`. Following such a link once moves its token into
/// an `HttpOnly` cookie and redirects to the same page without it, so the token leaves the address bar,
/// the history and any later `Referer` at once.
extension CollectorApp {
    static let csrfCookie = "eccoe_csrf"
    static let draftCookie = "eccoe_draft"
    static let editCookie = "eccoe_edit"

    func csrfToken(nonce: String) -> String {
        Secrets.base64URL(SHA256.hmac(key: store.secret, message: Array("csrf \(nonce)".utf8)))
    }

    /// The request's CSRF nonce, or a new one with the header that sets it.
    func csrfNonce(_ request: HTTPRequest) -> (nonce: String, setCookie: [(String, String)]) {
        if let n = cookie(request, CollectorApp.csrfCookie) { return (n, []) }
        let n = Secrets.newToken()
        return (n, [("Set-Cookie", "\(CollectorApp.csrfCookie)=\(n); Path=/; HttpOnly; SameSite=Strict\(cookieSecurity)")])
    }

    /// The token matches the cookie's nonce, and an `Origin`, when sent, is this site: the public URL, or
    /// the host the browser itself says it connected to.
    func csrfValid(_ request: HTTPRequest, _ values: FormValues) -> Bool {
        if let origin = request.header("origin"), origin != "null" {
            let host = request.header("host") ?? ""
            guard origin == publicBase || origin == "http://\(host)" || origin == "https://\(host)" else { return false }
        }
        guard let nonce = cookie(request, CollectorApp.csrfCookie), let sent = values.value("csrf") else { return false }
        return Secrets.constantTimeEqual(Array(sent.utf8), Array(csrfToken(nonce: nonce).utf8))
    }

    private func model(_ request: HTTPRequest, values: FormValues, setCookie: inout [(String, String)]) -> FormPageModel {
        let (nonce, cookies) = csrfNonce(request)
        setCookie += cookies
        let key = values.value("submissionKey").flatMap { $0.utf8.count <= 64 && !$0.isEmpty ? $0 : nil } ?? Secrets.newToken()
        var m = FormPageModel(values: values, csrfToken: csrfToken(nonce: nonce), submissionKey: key, now: store.clock.now())
        m.places = placesModel()
        return m
    }

    func formValues(_ request: HTTPRequest) -> FormValues? {
        guard let type = request.header("content-type")?.lowercased(), type.hasPrefix("application/x-www-form-urlencoded") else {
            return nil
        }
        return FormValues(FormDecoding.pairs(request.body))
    }

    func formPage(_ request: HTTPRequest) -> HTTPResponse {
        // A draft link: keep its token in a cookie and show the page at its plain address.
        if let t = request.queryValue("draft") {
            guard !t.isEmpty, t.utf8.count <= 100, (try? store.loadDraft(token: t)) != nil else {
                var headers: [(String, String)] = []
                var m = model(request, values: FormValues(), setCookie: &headers)
                m.notice = ui(request).strings.draftNotFound
                return html(404, ui(request).renderer.form(m), headers: headers)
            }
            return HTTPResponse(status: 303, headers: [("Location", "/#main"), ("Set-Cookie", draftCookie(t))])
        }
        var headers: [(String, String)] = []
        var values = FormValues()
        var draftToken: String?
        if let t = cookie(request, CollectorApp.draftCookie), let saved = try? store.loadDraft(token: t) {
            values = FormValues(saved)
            draftToken = t
        }
        var m = model(request, values: values, setCookie: &headers)
        m.draftToken = draftToken
        // The editor's deep link: a criterion of this consultation (anything else is ignored).
        if let id = request.queryValue("criterion"), definition.item(id) != nil { m.focusCriterion = id }
        if let t = draftToken { m.draftLink = publicBase + "/?draft=" + FormDecoding.encode(t) }
        return html(200, ui(request).renderer.form(m), headers: headers)
    }

    private func draftCookie(_ token: String) -> String {
        "\(CollectorApp.draftCookie)=\(token); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(store.limits.draftLifetimeDays * 86_400)\(cookieSecurity)"
    }

    /// Re-renders the form with what was typed, errors and a status.
    private func rerender(
        _ request: HTTPRequest, _ values: FormValues, status: Int, errors: [FieldError] = [], general: String? = nil,
        editing: (String, String)? = nil, headers extra: [(String, String)] = []
    ) -> HTTPResponse {
        var headers = extra
        var m = model(request, values: values, setCookie: &headers)
        if !csrfValid(request, values) {
            // Issue a fresh nonce so the next submission passes.
            let n = Secrets.newToken()
            headers.removeAll { $0.0 == "Set-Cookie" && $0.1.hasPrefix(CollectorApp.csrfCookie) }
            headers.append(("Set-Cookie", "\(CollectorApp.csrfCookie)=\(n); Path=/; HttpOnly; SameSite=Strict\(cookieSecurity)"))
            m.csrfToken = csrfToken(nonce: n)
        }
        m.errors = errors
        m.generalError = general
        m.editing = editing
        m.draftToken = values.value("draft")
        return html(status, ui(request).renderer.form(m), headers: headers)
    }

    /// What a form write passed its gate with: its fields, or the honeypot's verdict (answer quietly).
    private enum Gate { case values(FormValues), honeypot }

    /// The checks every form write passes first: media type, CSRF, honeypot, rate limit, open window.
    /// A filled honeypot is not announced: it costs the address `honeypotCost` write tokens and the caller
    /// answers as if all went well, storing nothing.
    private func formGate(_ request: HTTPRequest, editing: (String, String)? = nil) -> Result<Gate, ResponseRejection> {
        guard let values = formValues(request) else {
            return .failure(
                ResponseRejection(
                    html(
                        415,
                        ui(request).renderer.message(
                            title: ui(request).strings.unsupportedEncodingTitle, text: ui(request).strings.unsupportedEncodingText
                        ))))
        }
        if !csrfValid(request, values) {
            return .failure(
                ResponseRejection(
                    rerender(request, values, status: 403, general: ui(request).strings.csrfProblem, editing: editing)))
        }
        if !(values.value("website") ?? "").isEmpty {
            _ = limiter.take(address: request.remoteAddress, cost: limits.honeypotCost)
            log("honeypot: a form write with the hidden field filled was answered as if accepted and stored nothing")
            return .success(.honeypot)
        }
        if let wait = limiter.take(address: request.remoteAddress) {
            return .failure(
                ResponseRejection(
                    rerender(
                        request, values, status: 429, general: FormStrings.format(ui(request).strings.rateLimited, String(wait)),
                        editing: editing, headers: [("Retry-After", String(wait))])))
        }
        if !definition.canWrite(at: store.clock.now()) {
            return .failure(
                ResponseRejection(
                    rerender(request, values, status: 409, general: ui(request).strings.closedProblem, editing: editing)))
        }
        return .success(.values(values))
    }

    /// What a honeypot hit sees: a page like the one its request would have got had it been accepted.
    private func quietAnswer(_ request: HTTPRequest, editing: Bool) -> HTTPResponse {
        if editing {
            return html(
                200, ui(request).renderer.message(title: ui(request).strings.editTitle, text: ui(request).strings.updatedNotice))
        }
        let fake = Receipt(id: Secrets.newResponseID(), editToken: Secrets.newToken(), receivedAt: store.clock.now())
        if definition.registration != nil {
            let page = ui(request).renderer.registrationConfirmation(
                id: fake.id, status: .confirmed, registeredAt: fake.receivedAt, content: ResponseContent(),
                privateLink: registrationLink(fake.id, token: fake.editToken), cancelAction: registrationPath(fake.id) + "/cancel"
            )
            return html(200, page)
        }
        return html(200, ui(request).renderer.receipt(fake, editLink: editLink(fake)))
    }

    private func editLink(_ r: Receipt) -> String {
        publicBase + "/edit/\(r.id)?token=\(FormDecoding.encode(r.editToken))"
    }

    /// The fields a draft keeps: those of this consultation's questions and criteria, nothing else.
    private func draftFields(_ values: FormValues) -> [(String, String)] {
        let d = definition
        return values.answerFields.filter { name, _ in
            guard let dot = name.firstIndex(of: ".") else { return false }
            let id = String(name[name.index(after: dot)...])
            switch name[..<dot] {
            case "profile": return d.profileQuestion(id) != nil
            case "question": return d.freeQuestion(id) != nil
            case "rating", "comment", "suggestion": return d.item(id) != nil
            default: return false
            }
        }
    }

    func formSubmit(_ request: HTTPRequest) -> HTTPResponse {
        let values: FormValues
        switch formGate(request) {
        case .failure(let r): return r.response
        case .success(.honeypot): return quietAnswer(request, editing: false)
        case .success(.values(let v)): values = v
        }
        if values.value("action") == "draft" {
            let fields = draftFields(values)
            let size = fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 8 }
            if size > limits.maxDraftBytes {
                return rerender(
                    request, values, status: 413,
                    general:
                        "This draft is too long to be saved (\(size / 1024) KB; at most \(limits.maxDraftBytes / 1024) KB). Your answers are kept below: shorten some comments, or submit your response."
                )
            }
            let existing = values.value("draft").flatMap { (try? store.loadDraft(token: $0)) != nil ? $0 : nil }
            guard let token = try? store.saveDraft(token: existing, fields: fields) else {
                return rerender(request, values, status: 409, general: ui(request).strings.closedProblem)
            }
            return HTTPResponse(status: 303, headers: [("Location", "/#main"), ("Set-Cookie", draftCookie(token))])
        }
        let (raw, shapeErrors) = values.content(for: definition, strings: ui(request).strings)
        let (content, errors) = raw.validated(against: definition, limits: configuration.responseLimits)
        if !shapeErrors.isEmpty || !errors.isEmpty {
            return rerender(request, values, status: 422, errors: shapeErrors + errors.listed)
        }
        let key = values.value("submissionKey").map { "form:" + $0 }
        let draft = values.value("draft")
        return submit(
            Submission(
                content: content, channel: "form", language: ui(request).language, idempotencyKey: key,
                consultationID: definition.id, tokenKey: store.tokenKey),
            created: { r in receiptPage(request, r, content: content, draft: draft, status: 201) },
            replayed: { r in receiptPage(request, r, content: content, draft: draft, status: 200) },
            strings: ui(request).strings,
            rejected: { status, code, message in
                code == "idempotency-key-reused"
                    ? self.html(
                        409,
                        self.ui(request).renderer.message(
                            title: self.ui(request).strings.receiptTitle, text: self.ui(request).strings.alreadySubmitted)
                    )
                    : self.rerender(request, values, status: status, general: message)
            })
    }

    private func receiptPage(_ request: HTTPRequest, _ r: Receipt, content: ResponseContent, draft: String?, status: Int)
        -> HTTPResponse
    {
        if let draft { store.deleteDraft(token: draft) }
        if definition.registration != nil {
            var page = registrationReceipt(request, r, content: content)
            page.headers.append(
                ("Set-Cookie", "\(CollectorApp.draftCookie)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0\(cookieSecurity)"))
            return page
        }
        // 201 is the API's code; a browser wants 200 for the page (the status is recorded in the access log).
        _ = status
        return html(
            200, ui(request).renderer.receipt(r, editLink: editLink(r)),
            headers: [("Set-Cookie", "\(CollectorApp.draftCookie)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0\(cookieSecurity)")])
    }

    /// The edit token of a request for an edit page: from the link's query (once) or its cookie.
    private func editToken(_ request: HTTPRequest) -> String? {
        request.queryValue("token") ?? cookie(request, CollectorApp.editCookie)
    }

    func editPage(_ request: HTTPRequest, id: String) -> HTTPResponse {
        guard let token = editToken(request), let r = try? store.fetch(id: id, token: token) else {
            return html(
                404,
                ui(request).renderer.message(title: ui(request).strings.notFoundTitle, text: ui(request).strings.notFoundText))
        }
        if request.queryValue("token") != nil {
            // The link was followed: keep the token in a cookie for this response's pages only, and show them
            // at their plain address. (Lax, not Strict: the link is usually followed from another site, a mail.)
            let path = "/edit/\(FormDecoding.encode(id))"
            return HTTPResponse(
                status: 303,
                headers: [
                    ("Location", path),
                    ("Set-Cookie", "\(CollectorApp.editCookie)=\(token); Path=\(path); HttpOnly; SameSite=Lax\(cookieSecurity)"),
                ])
        }
        var headers: [(String, String)] = []
        var m = model(request, values: FormValues(r.content), setCookie: &headers)
        m.editing = (id, token)
        return html(200, ui(request).renderer.form(m), headers: headers)
    }

    func editSubmit(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let token = formValues(request)?.value("token") ?? ""
        let values: FormValues
        switch formGate(request, editing: (id, token)) {
        case .failure(let r): return r.response
        case .success(.honeypot): return quietAnswer(request, editing: true)
        case .success(.values(let v)): values = v
        }
        let (raw, shapeErrors) = values.content(for: definition, strings: ui(request).strings)
        let (content, errors) = raw.validated(against: definition, limits: configuration.responseLimits)
        if !shapeErrors.isEmpty || !errors.isEmpty {
            return rerender(request, values, status: 422, errors: shapeErrors + errors.listed, editing: (id, token))
        }
        do {
            switch try store.change(id: id, token: token, to: content) {
            case .notFound:
                return html(
                    404,
                    ui(request).renderer.message(title: ui(request).strings.notFoundTitle, text: ui(request).strings.notFoundText)
                )
            case .closed:
                return rerender(request, values, status: 409, general: ui(request).strings.closedProblem, editing: (id, token))
            case .done(let r):
                var headers: [(String, String)] = []
                var m = model(request, values: r.map { FormValues($0.content) } ?? values, setCookie: &headers)
                m.editing = (id, token)
                m.notice = ui(request).strings.updatedNotice
                return html(200, ui(request).renderer.form(m), headers: headers)
            }
        } catch {
            return rerender(
                request, values, status: 503, general: ui(request).strings.changeNotStored, editing: (id, token)
            )
        }
    }

    func withdrawSubmit(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let token = formValues(request)?.value("token") ?? ""
        let values: FormValues
        switch formGate(request, editing: (id, token)) {
        case .failure(let r): return r.response
        case .success(.honeypot):
            return html(
                200,
                ui(request).renderer.message(title: ui(request).strings.withdrawnTitle, text: ui(request).strings.withdrawnText))
        case .success(.values(let v)): values = v
        }
        guard values.value("confirm") == "yes" else {
            guard let r = try? store.fetch(id: id, token: token) else {
                return html(
                    404,
                    ui(request).renderer.message(title: ui(request).strings.notFoundTitle, text: ui(request).strings.notFoundText)
                )
            }
            return rerender(
                request, FormValues(r.content), status: 422, general: ui(request).strings.withdrawNeedsConfirmation,
                editing: (id, token))
        }
        switch try? store.change(id: id, token: token, to: nil) {
        case .done?:
            return html(
                200,
                ui(request).renderer.message(title: ui(request).strings.withdrawnTitle, text: ui(request).strings.withdrawnText))
        case .closed?:
            return html(
                409,
                ui(request).renderer.message(
                    title: ui(request).strings.closedProblem, text: ui(request).strings.closedExplanation))
        case .notFound?:
            return html(
                404,
                ui(request).renderer.message(title: ui(request).strings.notFoundTitle, text: ui(request).strings.notFoundText))
        case nil:
            return html(
                503,
                ui(request).renderer.message(
                    title: ui(request).strings.notWithdrawnTitle, text: ui(request).strings.notWithdrawnText))
        }
    }
}
