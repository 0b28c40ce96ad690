/// The form's routes: the questionnaire, submission, drafts, receipts, and the edit and withdraw pages.
///
/// CSRF: a random nonce lives in a `SameSite=Strict`, `HttpOnly` session cookie; each form carries
/// HMAC(server secret, nonce). Nothing in the token expires, so a person can take hours over the form; a
/// missing or wrong token re-renders the form with everything typed and a fresh token, so nothing is lost.
extension CollectorApp {
    static let csrfCookie = "eccoe_csrf"
    static let draftCookie = "eccoe_draft"

    private func cookie(_ request: HTTPRequest, _ name: String) -> String? {
        for header in request.headers where header.name == "cookie" {
            for part in header.value.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
                if kv.count == 2, kv[0] == name, !kv[1].isEmpty, kv[1].utf8.count <= 100 { return kv[1] }
            }
        }
        return nil
    }

    private func csrfToken(nonce: String) -> String {
        Secrets.base64URL(SHA256.hmac(key: store.secret, message: Array("csrf \(nonce)".utf8)))
    }

    /// The request's CSRF nonce, or a new one with the header that sets it.
    private func csrfNonce(_ request: HTTPRequest) -> (nonce: String, setCookie: [(String, String)]) {
        if let n = cookie(request, CollectorApp.csrfCookie) { return (n, []) }
        let n = Secrets.newToken()
        return (n, [("Set-Cookie", "\(CollectorApp.csrfCookie)=\(n); Path=/; HttpOnly; SameSite=Strict")])
    }

    private func csrfValid(_ request: HTTPRequest, _ values: FormValues) -> Bool {
        if let origin = request.header("origin"), origin != "null" {
            let host = request.header("host") ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else { return false }
        }
        guard let nonce = cookie(request, CollectorApp.csrfCookie), let sent = values.value("csrf") else { return false }
        return Secrets.constantTimeEqual(Array(sent.utf8), Array(csrfToken(nonce: nonce).utf8))
    }

    /// The public base URL for links shown as text (the Host header, if it looks like one).
    private func baseURL(_ request: HTTPRequest) -> String {
        let host = request.header("host") ?? ""
        let ok =
            !host.isEmpty && host.utf8.count < 256
            && host.unicodeScalars.allSatisfy {
                $0.isASCII && (($0.properties.isAlphabetic || ("0"..."9").contains($0)) || ".-:[]".unicodeScalars.contains($0))
            }
        return "http://" + (ok ? host : "localhost")
    }

    private func model(_ request: HTTPRequest, values: FormValues, setCookie: inout [(String, String)]) -> FormPageModel {
        let (nonce, cookies) = csrfNonce(request)
        setCookie += cookies
        let key = values.value("submissionKey").flatMap { $0.utf8.count <= 64 && !$0.isEmpty ? $0 : nil } ?? Secrets.newToken()
        return FormPageModel(values: values, csrfToken: csrfToken(nonce: nonce), submissionKey: key, now: store.clock.now())
    }

    private func formValues(_ request: HTTPRequest) -> FormValues? {
        guard let type = request.header("content-type")?.lowercased(), type.hasPrefix("application/x-www-form-urlencoded") else {
            return nil
        }
        return FormValues(FormDecoding.pairs(request.body))
    }

    func formPage(_ request: HTTPRequest) -> HTTPResponse {
        var headers: [(String, String)] = []
        var values = FormValues()
        var draftToken: String?
        var notice: String?
        if let t = request.queryValue("draft") ?? cookie(request, CollectorApp.draftCookie) {
            if let saved = try? store.loadDraft(token: t) {
                values = FormValues(saved)
                draftToken = t
            } else if request.queryValue("draft") != nil {
                notice = strings.draftNotFound
            }
        }
        var m = model(request, values: values, setCookie: &headers)
        m.draftToken = draftToken
        m.notice = notice
        if let t = draftToken { m.draftLink = baseURL(request) + "/?draft=" + FormDecoding.encode(t) }
        return html(200, renderer.form(m), headers: headers)
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
            headers.append(("Set-Cookie", "\(CollectorApp.csrfCookie)=\(n); Path=/; HttpOnly; SameSite=Strict"))
            m.csrfToken = csrfToken(nonce: n)
        }
        m.errors = errors
        m.generalError = general
        m.editing = editing
        m.draftToken = values.value("draft")
        return html(status, renderer.form(m), headers: headers)
    }

    /// The checks every form write passes first: media type, CSRF, honeypot, rate limit, open window.
    private func formGate(_ request: HTTPRequest, editing: (String, String)? = nil) -> Result<FormValues, ResponseRejection> {
        guard let values = formValues(request) else {
            return .failure(
                ResponseRejection(
                    html(
                        415,
                        renderer.message(
                            title: "Unsupported form encoding",
                            text: "Send the form as application/x-www-form-urlencoded."))))
        }
        if !csrfValid(request, values) {
            return .failure(
                ResponseRejection(rerender(request, values, status: 403, general: strings.csrfProblem, editing: editing)))
        }
        if !(values.value("website") ?? "").isEmpty {
            return .failure(
                ResponseRejection(rerender(request, values, status: 400, general: strings.honeypotProblem, editing: editing)))
        }
        if let wait = limiter.take(address: request.remoteAddress) {
            return .failure(
                ResponseRejection(
                    rerender(
                        request, values, status: 429, general: FormStrings.format(strings.rateLimited, String(wait)),
                        editing: editing, headers: [("Retry-After", String(wait))])))
        }
        if !definition.canWrite(at: store.clock.now()) {
            return .failure(
                ResponseRejection(rerender(request, values, status: 409, general: strings.closedProblem, editing: editing)))
        }
        return .success(values)
    }

    func formSubmit(_ request: HTTPRequest) -> HTTPResponse {
        let values: FormValues
        switch formGate(request) {
        case .failure(let r): return r.response
        case .success(let v): values = v
        }
        if values.value("action") == "draft" {
            let existing = values.value("draft").flatMap { (try? store.loadDraft(token: $0)) != nil ? $0 : nil }
            guard let token = try? store.saveDraft(token: existing, fields: values.answerFields) else {
                return rerender(request, values, status: 409, general: strings.closedProblem)
            }
            return HTTPResponse(
                status: 303,
                headers: [
                    ("Location", "/?draft=\(FormDecoding.encode(token))#main"),
                    ("Set-Cookie", "\(CollectorApp.draftCookie)=\(token); Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"),
                ])
        }
        let (raw, shapeErrors) = values.content(for: definition, strings: strings)
        let (content, errors) = raw.validated(against: definition, limits: configuration.responseLimits)
        if !(shapeErrors + errors).isEmpty { return rerender(request, values, status: 422, errors: shapeErrors + errors) }
        let key = values.value("submissionKey").map { "form:" + $0 }
        let draft = values.value("draft")
        return submit(
            Submission(
                content: content, channel: "form", idempotencyKey: key,
                consultationID: definition.id),
            created: { r in receiptPage(request, r, draft: draft, status: 201) },
            replayed: { r in receiptPage(request, r, draft: draft, status: 200) },
            rejected: { status, _, message in
                status == 409 && message.contains("Idempotency-Key")
                    ? self.html(
                        409,
                        self.renderer.message(
                            title: self.strings.receiptTitle,
                            text: "This form was submitted already. To change your answers, use the edit link from your receipt.")
                    )
                    : self.rerender(request, values, status: status, general: message)
            })
    }

    private func receiptPage(_ request: HTTPRequest, _ r: Receipt, draft: String?, status: Int) -> HTTPResponse {
        if let draft { store.deleteDraft(token: draft) }
        let link = baseURL(request) + "/edit/\(r.id)?token=\(FormDecoding.encode(r.editToken))"
        // 201 is the API's code; a browser wants 200 for the page (the status is recorded in the access log).
        _ = status
        return html(
            200, renderer.receipt(r, editLink: link),
            headers: [("Set-Cookie", "\(CollectorApp.draftCookie)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")])
    }

    func editPage(_ request: HTTPRequest, id: String) -> HTTPResponse {
        guard let token = request.queryValue("token"), let r = try? store.fetch(id: id, token: token) else {
            return html(404, renderer.message(title: strings.notFoundTitle, text: strings.notFoundText))
        }
        var headers: [(String, String)] = []
        var m = model(request, values: FormValues(r.content), setCookie: &headers)
        m.editing = (id, token)
        return html(200, renderer.form(m), headers: headers)
    }

    func editSubmit(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let token = formValues(request)?.value("token") ?? ""
        let values: FormValues
        switch formGate(request, editing: (id, token)) {
        case .failure(let r): return r.response
        case .success(let v): values = v
        }
        let (raw, shapeErrors) = values.content(for: definition, strings: strings)
        let (content, errors) = raw.validated(against: definition, limits: configuration.responseLimits)
        if !(shapeErrors + errors).isEmpty {
            return rerender(request, values, status: 422, errors: shapeErrors + errors, editing: (id, token))
        }
        do {
            switch try store.change(id: id, token: token, to: content) {
            case .notFound: return html(404, renderer.message(title: strings.notFoundTitle, text: strings.notFoundText))
            case .closed: return rerender(request, values, status: 409, general: strings.closedProblem, editing: (id, token))
            case .done(let r):
                var headers: [(String, String)] = []
                var m = model(request, values: r.map { FormValues($0.content) } ?? values, setCookie: &headers)
                m.editing = (id, token)
                m.notice = strings.updatedNotice
                return html(200, renderer.form(m), headers: headers)
            }
        } catch {
            return rerender(
                request, values, status: 503, general: "Your changes could not be stored; please try again.", editing: (id, token)
            )
        }
    }

    func withdrawSubmit(_ request: HTTPRequest, id: String) -> HTTPResponse {
        let token = formValues(request)?.value("token") ?? ""
        let values: FormValues
        switch formGate(request, editing: (id, token)) {
        case .failure(let r): return r.response
        case .success(let v): values = v
        }
        guard values.value("confirm") == "yes" else {
            guard let r = try? store.fetch(id: id, token: token) else {
                return html(404, renderer.message(title: strings.notFoundTitle, text: strings.notFoundText))
            }
            return rerender(
                request, FormValues(r.content), status: 422, general: strings.withdrawNeedsConfirmation, editing: (id, token))
        }
        switch try? store.change(id: id, token: token, to: nil) {
        case .done?: return html(200, renderer.message(title: strings.withdrawnTitle, text: strings.withdrawnText))
        case .closed?: return html(409, renderer.message(title: strings.closedProblem, text: strings.closedExplanation))
        case .notFound?: return html(404, renderer.message(title: strings.notFoundTitle, text: strings.notFoundText))
        case nil:
            return html(
                503, renderer.message(title: "Not withdrawn", text: "Your response could not be withdrawn; please try again."))
        }
    }
}
