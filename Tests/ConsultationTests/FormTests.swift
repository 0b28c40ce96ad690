import Criteria
import Foundation
import HTMLText
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// A browser stand-in: keeps the CSRF cookie and posts url-encoded forms.
struct FormSession {
    let collector: TestCollector
    var cookie: String
    var csrf: String
    var submissionKey: String

    init(_ c: TestCollector) throws {
        collector = c
        let page = try c.request("GET", "/")
        let setCookie = try #require(page.headers("Set-Cookie").first { $0.hasPrefix("eccoe_csrf=") })
        cookie = String(setCookie.prefix { $0 != ";" })
        csrf = try #require(FormSession.hidden("csrf", in: page.text))
        submissionKey = try #require(FormSession.hidden("submissionKey", in: page.text))
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let r = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func encode(_ fields: [(String, String)]) -> [UInt8] {
        Array(fields.map { "\(FormDecoding.encode($0.0))=\(FormDecoding.encode($0.1))" }.joined(separator: "&").utf8)
    }

    func validFields(comment: String = "Fine.", action: String = "submit") -> [(String, String)] {
        [
            ("profile.capacity", "organisation"), ("profile.stakeholderGroup", "recognitionOfficer"),
            ("profile.organisationType", "hei"),
            ("profile.country", "http://publications.europa.eu/resource/authority/country/LTU"), ("profile.familiarity", "4"),
            ("rating.MC-01", "5"), ("comment.MC-01", comment), ("rating.MC-02", "none"), ("rating.AG-01", "2"),
            ("suggestion.AG-01", "Name both parties."), ("question.useAtInstitution", "recognition"),
            ("question.useAtInstitution", "qa"),
            ("consent", "yes"), ("privacyVersion", "1"), ("action", action),
        ]
    }

    func post(_ path: String, _ fields: [(String, String)], withCSRF: Bool = true, extraHeaders: [(String, String)] = []) throws
        -> RawResponse
    {
        var all = fields
        if withCSRF { all += [("csrf", csrf), ("submissionKey", submissionKey)] }
        return try collector.request(
            "POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)] + extraHeaders,
            body: FormSession.encode(all))
    }

    func submit(_ fields: [(String, String)]) throws -> RawResponse { try post("/", fields) }

    /// A link as a page shows it (`https://consult.example.org/…`, `&amp;` escaped) as the path to request.
    static func path(ofLink link: String) -> String {
        precondition(link.hasPrefix(TestCollector.publicURL), "links are built from the public URL: \(link)")
        return String(link.dropFirst(TestCollector.publicURL.count)).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Follows a link as a browser would: its answer, and if that is a redirect that sets a cookie, the page
    /// it redirects to, asked for with that cookie (and the session's).
    func follow(_ path: String, cookie extra: String? = nil) throws -> (first: RawResponse, page: RawResponse?) {
        let cookies = [cookie] + (extra.map { [$0] } ?? [])
        let first = try collector.request("GET", path, headers: [("Cookie", cookies.joined(separator: "; "))])
        guard first.status == 303, let location = first.header("Location") else { return (first, nil) }
        let set = first.headers("Set-Cookie").map { String($0.prefix { $0 != ";" }) }
        let page = try collector.request(
            "GET", String(location.prefix { $0 != "#" }), headers: [("Cookie", (cookies + set).joined(separator: "; "))])
        return (first, page)
    }
}

@Suite(.serialized) struct FormTests {
    /// The editor's deep link `/?criterion=MC-07#criterion-MC-07`: that criterion's element carries the fragment's
    /// id, its comment disclosure is open and its comment box alone has `autofocus`; an unknown or hostile
    /// criterion changes nothing.
    @Test func aDeepLinkOpensOneCriterionsCommentBox() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let plain = try c.request("GET", "/").text
        #expect(!plain.contains("autofocus"))
        let page = try c.request("GET", "/?criterion=MC-07")
        #expect(page.status == 200)
        let html = page.text
        let fieldset = try #require(html.range(of: "id=\"criterion-MC-07\""))
        let rest = html[fieldset.upperBound...]
        let end = try #require(rest.range(of: "</fieldset>"))
        let block = rest[..<end.lowerBound]
        #expect(block.contains("<details class=\"texts\" open>"))
        #expect(block.contains("<textarea id=\"f-comment-MC-07\" name=\"comment.MC-07\" rows=\"3\" autofocus>"))
        #expect(html.components(separatedBy: "autofocus").count == 2, "one element has the focus")
        #expect(html.components(separatedBy: "<details class=\"texts\" open>").count == 2, "only that criterion is open")
        for other in ["XX-99", "MC-07%22%3E%3Cscript%3E", ""] {
            let text = try c.request("GET", "/?criterion=\(other)").text
            #expect(!text.contains("autofocus") && !text.contains("<script"), "\(other)")
        }
    }

    @Test func theFormIsAccessibleServerRenderedHTML() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let page = try c.request("GET", "/")
        #expect(page.status == 200)
        let html = page.text
        #expect(!html.contains("<script"))
        #expect(!html.contains("style=\""), "no inline style: the CSP forbids it")
        #expect(html.contains("<html lang=\"en\">"))
        #expect(html.contains("name=\"viewport\""))
        // Each criterion is a fieldset with a legend, six radios (five ratings and no opinion), labelled.
        for item in c.definition.items {
            #expect(html.contains("<fieldset class=\"criterion\" id=\"criterion-\(item.id)\""))
            #expect(html.contains("<span class=\"cid\">\(item.id)</span> \(HTML.escape(item.title))"))
            #expect(html.contains("id=\"f-rating-\(item.id)\" name=\"rating.\(item.id)\" value=\"1\""))
            #expect(html.contains("name=\"rating.\(item.id)\" value=\"none\""))
            #expect(html.contains("<label for=\"f-comment-\(item.id)\">"))
        }
        // Every input has a label pointing at it.
        let ids = html.components(separatedBy: "<input type=\"").dropFirst().compactMap { part -> String? in
            guard !part.hasPrefix("hidden"), let r = part.range(of: "id=\"") else { return nil }
            return String(part[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(ids.count > 300)
        for id in ids { #expect(html.contains("<label for=\"\(id)\">"), "no label for \(id)") }
        #expect(html.contains("<progress"))
        #expect(html.contains("type=\"checkbox\" id=\"f-consent\""))
        let css = try c.request("GET", "/assets/form.css")
        #expect(css.status == 200 && css.text.contains("@media (max-width: 30rem)"))
    }

    @Test func respondentJourneyThroughTheForm() throws {
        let c = try TestCollector()
        defer { c.stop() }
        var form = try FormSession(c)
        // A draft first: saved in a cookie, then shown again with everything typed and its link to keep.
        let draft = try form.submit(form.validFields(comment: "Draft thought", action: "draft"))
        #expect(draft.status == 303)
        #expect(draft.header("Location") == "/#main", "the draft's token never travels in the address")
        let draftCookie = try #require(draft.headers("Set-Cookie").first { $0.hasPrefix("eccoe_draft=") })
        #expect(draftCookie.contains("HttpOnly") && draftCookie.contains("SameSite=Lax") && draftCookie.contains("Secure"))
        let draftToken = String(draftCookie.dropFirst("eccoe_draft=".count).prefix { $0 != ";" })
        let resumed = try c.request("GET", "/", headers: [("Cookie", form.cookie + "; eccoe_draft=" + draftToken)])
        #expect(resumed.text.contains(">Draft thought</textarea>"))
        #expect(resumed.text.contains("value=\"5\" checked"))
        #expect(resumed.text.contains("You have rated 3 of"))
        #expect(resumed.text.contains("href=\"\(TestCollector.publicURL)/?draft=\(draftToken)\""))
        // The draft link, opened on another device, moves its token into a cookie and shows the plain page.
        let opened = try form.follow("/?draft=\(draftToken)")
        #expect(opened.first.status == 303 && opened.first.header("Location") == "/#main")
        #expect(opened.page?.text.contains(">Draft thought</textarea>") == true)
        #expect(try c.request("GET", "/?draft=unknown").status == 404)
        form.submissionKey = try #require(FormSession.hidden("submissionKey", in: resumed.text))
        let location = "/?draft=\(draftToken)"

        let receipt = try form.submit(form.validFields() + [("draft", String(location.dropFirst(8).prefix { $0 != "#" }))])
        #expect(receipt.status == 200)
        #expect(receipt.text.contains("Thank you"))
        let link = try #require(
            receipt.text.range(of: "class=\"edit-link\" href=\"").map {
                String(receipt.text[$0.upperBound...].prefix { $0 != "\"" })
            })
        #expect(link.contains("/edit/"))
        // A double click (same submission key and answers) gives the same receipt, no second response.
        let again = try form.submit(form.validFields())
        #expect(again.status == 200 && again.text.contains(link.replacingOccurrences(of: "&", with: "&amp;")))
        #expect(try c.store.responseCount() == 1)

        let editPath = FormSession.path(ofLink: link)
        // Following the edit link moves the token into a cookie for this response's pages and redirects.
        let (redirect, followed) = try form.follow(editPath)
        #expect(redirect.status == 303 && redirect.header("Location")?.contains("token") == false)
        #expect(
            redirect.headers("Set-Cookie").contains {
                $0.hasPrefix("eccoe_edit=") && $0.contains("Path=/edit/") && $0.contains("HttpOnly")
            })
        let editPage = try #require(followed)
        #expect(editPage.status == 200)
        #expect(editPage.text.contains(">Fine.</textarea>"))
        let id = String(editPath.dropFirst("/edit/".count).prefix { $0 != "?" })
        let token = FormDecoding.decode(Array(editPath[editPath.range(of: "token=")!.upperBound...].utf8)[...])
        var changed = form.validFields(comment: "Changed my mind")
        changed.removeAll { $0.0 == "rating.MC-01" }
        changed.append(("rating.MC-01", "1"))
        let updated = try form.post("/edit/\(id)", changed + [("token", token)])
        #expect(updated.status == 200 && updated.text.contains("Your changes are saved"))
        let api = try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")])
        #expect(api.json?.object("answers")?.object("MC-01")?["rating"] as? Int == 1)
        #expect(api.json?.object("answers")?.object("MC-01")?.string("comment") == "Changed my mind")
        #expect(api.json?.object("questions")?["useAtInstitution"] as? [String] == ["recognition", "qa"])

        #expect(try form.post("/edit/\(id)/withdraw", [("token", token)]).status == 422, "withdrawal needs the confirmation box")
        let withdrawn = try form.post("/edit/\(id)/withdraw", [("token", token), ("confirm", "yes")])
        #expect(withdrawn.status == 200 && withdrawn.text.contains("withdrawn"))
        #expect(try c.store.responseCount() == 0)
    }

    @Test func errorsAreSummarisedAndLinkedAndEverythingTypedIsKept() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let form = try FormSession(c)
        var fields = form.validFields(comment: "Keep <this> & that")
        fields.removeAll { $0.0 == "consent" || $0.0 == "profile.country" || $0.0 == "rating.AG-01" }
        fields.append(("comment.LO-02", "a comment without a rating"))
        let page = try form.submit(fields)
        #expect(page.status == 422)
        let html = page.text
        #expect(html.contains("<title>Error: "))
        #expect(html.contains("class=\"error-summary\""))
        #expect(html.contains("href=\"#f-consent\""))
        #expect(html.contains("href=\"#f-profile-country\""))
        #expect(html.contains("href=\"#f-rating-LO-02\""))
        // Listed in the order of the form.
        let positions = ["#f-profile-country", "#f-rating-LO-02", "#f-consent"].compactMap {
            html.range(of: "href=\"\($0)\"")?.lowerBound
        }
        #expect(positions.count == 3 && positions == positions.sorted())
        #expect(html.contains("aria-invalid=\"true\" aria-describedby=\"err-f-consent\""))
        #expect(html.contains(">Keep &lt;this&gt; &amp; that</textarea>"))
        #expect(html.contains(">Name both parties.</textarea>"))
        #expect(html.contains(">a comment without a rating</textarea>"))
        #expect(try c.store.responseCount() == 0)
    }

    @Test func xssPayloadsInEveryTextFieldComeBackEscaped() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let payload = "\"><script>alert('x')</script><img src=x onerror=alert(1)>"
        let form = try FormSession(c)
        var fields = form.validFields(comment: payload)
        fields += [("profile.role", payload), ("suggestion.MC-01", payload), ("question.missingCriteria", payload)]
        // Re-render after an error.
        let rejected = try form.submit(fields.filter { $0.0 != "consent" })
        #expect(rejected.status == 422)
        #expect(!rejected.text.contains("<script>alert") && !rejected.text.contains("<img src=x"))
        #expect(rejected.text.components(separatedBy: "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").count - 1 == 4)
        // Invalid option values and names are never echoed raw either.
        let odd = try form.submit(fields + [("profile.capacity", payload), ("rating.<b>", payload)])
        #expect(!odd.text.contains("<script>alert"))
        // Stored, then shown on the edit page.
        let receipt = try form.submit(fields)
        #expect(receipt.status == 200)
        let link = try #require(
            receipt.text.range(of: "class=\"edit-link\" href=\"").map {
                String(receipt.text[$0.upperBound...].prefix { $0 != "\"" })
            })
        let edit = try #require(try form.follow(FormSession.path(ofLink: link)).page)
        #expect(edit.status == 200)
        #expect(!edit.text.contains("<script>alert") && !edit.text.contains("<img src=x"))
        #expect(edit.text.components(separatedBy: "&quot;&gt;&lt;script&gt;").count - 1 == 4)
        // The report escapes them too (comments are not shown there, but labels and ids are escaped).
        let report = try c.request("GET", "/report", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")])
        #expect(!report.text.contains("<script"))
        // In the JSON API they come back as data, with < and > escaped.
        let export = try c.request(
            "GET", "/api/v1/export?format=jsonl", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")])
        #expect(!export.text.contains("<script>") && export.text.contains("\\u003cscript\\u003e"))
    }

    @Test func csrfHoneypotAndRateLimitKeepWhatWasTyped() throws {
        let c = try TestCollector(rateLimit: 2)
        defer { c.stop() }
        let form = try FormSession(c)
        // No token: 403, the answers are shown again with a fresh token, and the next submission passes.
        let forged = try form.post("/", form.validFields(comment: "typed before the problem"), withCSRF: false)
        #expect(forged.status == 403)
        #expect(forged.text.contains(">typed before the problem</textarea>"))
        #expect(forged.headers("Set-Cookie").contains { $0.hasPrefix("eccoe_csrf=") })
        // A cross-site Origin is refused even with a valid token.
        #expect(try form.post("/", form.validFields(), extraHeaders: [("Origin", "http://evil.example")]).status == 403)
        // The honeypot answers like an accepted submission, stores nothing, and costs the address its tokens.
        let bot = try form.submit(form.validFields() + [("website", "http://spam.example")])
        #expect(bot.status == 200 && bot.text.contains("Thank you") && !bot.text.contains("hidden field"))
        #expect(try c.store.responseCount() == 0)
        #expect(c.logged.all.contains { $0.contains("honeypot") })
        c.monotonic.advance(by: 60 * 11 / 2)  // 10 tokens at 2 a minute: the bucket is full again after 5.5 minutes
        // The rate limit: the third write within the minute gets 429 with Retry-After and the answers kept.
        var f2 = form
        _ = try form.submit(form.validFields())
        f2.submissionKey = "another-key"
        _ = try f2.submit(f2.validFields(comment: "second"))
        var f3 = form
        f3.submissionKey = "third-key"
        let limited = try f3.submit(f3.validFields(comment: "third"))
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") != nil)
        #expect(limited.text.contains(">third</textarea>"))
    }

    @Test func conditionalQuestionsFollowTheProfile() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let form = try FormSession(c)
        var fields = form.validFields()
        fields.removeAll { $0.0 == "profile.capacity" }
        fields.append(("profile.capacity", "individual"))
        let page = try form.submit(fields)
        #expect(page.status == 422, "organisation type and use at institution apply to organisations only")
        #expect(page.text.contains("href=\"#f-profile-organisationType\""))
        let css = try c.request("GET", "/assets/form.css").text
        #expect(
            css.contains("form:has(input[name=\"profile.capacity\"][value=\"organisation\"]:checked) .cond-capacity-organisation")
        )
    }
}
