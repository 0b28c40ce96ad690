import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// A registration form through the browser's eyes (no script) and the analysts' export.
@Suite(.serialized) struct RegistrationFormTests {
    func fields(_ n: Int, email: String? = nil, organisation: String = "Université de Lille") -> [(String, String)] {
        [
            ("profile.name", "Person \(n)"), ("profile.email", email ?? "person\(n)@example.org"),
            ("profile.organisation", organisation),
            ("question.expectations", "Recognition in practice."), ("consent", "yes"), ("privacyVersion", "1"),
            ("action", "submit"),
        ]
    }

    /// Registers through the form in a fresh browser session.
    func register(_ c: TestCollector, _ n: Int, email: String? = nil, organisation: String = "Université de Lille") throws -> (
        FormSession, RawResponse
    ) {
        let s = try FormSession(c)
        return (s, try s.submit(fields(n, email: email, organisation: organisation)))
    }

    @Test func theFormShowsTheEventThePlacesAndOneLineFields() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 2))
        defer { c.stop() }
        let page = try c.request("GET", "/")
        #expect(page.status == 200)
        #expect(page.text.contains("2 of 2 places left."))
        #expect(page.text.contains("21 April 2026, 10:00 – 15:00 (Europe/Brussels)"))
        #expect(page.text.contains("<input id=\"f-profile-email\" name=\"profile.email\" type=\"email\" autocomplete=\"email\""))
        #expect(page.text.contains("autocomplete=\"organization\""))
        #expect(page.text.contains(">Register</button>") && !page.text.contains("Criteria rated"))
        #expect(page.text.contains("Your personal data are deleted 30 days after the event"))
        for n in 0..<2 { #expect(try register(c, n).1.status == 200) }
        let full = try c.request("GET", "/")
        #expect(full.text.contains("All places are taken") && full.text.contains(">Join the waiting list</button>"))
        #expect(try register(c, 3).1.text.contains("Waiting list, position 1"))
        #expect(try c.request("GET", "/").text.contains("1 person is on the waiting list."))
        // A short text question (the name, maxLength 200) is one line.
        #expect(
            page.text.contains("<input type=\"text\" id=\"f-profile-name\" name=\"profile.name\" maxlength=\"200\" value=\"\">"))
        let french = try c.request("GET", "/?lang=fr")
        #expect(french.text.contains("Toutes les places sont prises") && french.text.contains("Rejoindre la liste d’attente"))
    }

    @Test func theConfirmationPageShowsTheStatusAndOnlyThisRegistration() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 1))
        defer { c.stop() }
        let (_, first) = try register(c, 1, email: "first@example.org")
        #expect(first.status == 200)
        #expect(first.text.contains("Your place is confirmed") && first.text.contains("first@example.org"))
        let (second, waiting) = try register(c, 2, email: "second@example.org", organisation: "<script>alert(1)</script>")
        #expect(waiting.text.contains("You are on the waiting list") && waiting.text.contains("Waiting list, position 1"))
        #expect(waiting.text.contains("second@example.org") && !waiting.text.contains("first@example.org"))
        #expect(!waiting.text.contains("<script>") && waiting.text.contains("&lt;script&gt;"))
        // The private link: the token moves into a cookie for this registration's pages, the page shows the same.
        let link = try #require(
            waiting.text.components(separatedBy: "class=\"edit-link\" href=\"").dropFirst().first?.prefix { $0 != "\"" })
        let followed = try second.follow(FormSession.path(ofLink: String(link)))
        #expect(followed.first.status == 303)
        #expect(
            followed.first.headers("Set-Cookie").contains {
                $0.hasPrefix("eccoe_registration=") && $0.contains("HttpOnly") && $0.contains("Path=/registration/")
            })
        let page = try #require(followed.page)
        #expect(page.status == 200 && page.text.contains("Waiting list, position 1") && !page.text.contains("first@example.org"))
        // Another registration's id with this token, or a made-up token: the same 404.
        let id = String(FormSession.path(ofLink: String(link)).dropFirst("/registration/".count).prefix { $0 != "?" })
        let token = String(FormSession.path(ofLink: String(link)).components(separatedBy: "token=")[1])
        #expect(try c.request("GET", "/registration/\(id)?token=wrong").status == 404)
        #expect(try c.request("GET", "/registration/00000000000000000000000000000000?token=\(token)").status == 404)
    }

    @Test func cancellingAsksFirstThenPromotesTheWaitingList() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 1))
        defer { c.stop() }
        let (session, confirmed) = try register(c, 1)
        let cookie = try #require(confirmed.headers("Set-Cookie").first { $0.hasPrefix("eccoe_registration=") }).prefix {
            $0 != ";"
        }
        let (_, waiting) = try register(c, 2)
        #expect(waiting.text.contains("position 1"))
        let cancelPath = try #require(
            confirmed.text.components(separatedBy: "class=\"cancel-link\" href=\"").dropFirst().first?.prefix { $0 != "\"" })
        // GET asks and changes nothing.
        let ask = try c.request("GET", String(cancelPath), headers: [("Cookie", "\(session.cookie); \(cookie)")])
        #expect(ask.status == 200 && ask.text.contains("Cancel your registration?") && ask.text.contains("method=\"post\""))
        #expect(try c.store.registrationCounts() == RegistrationCounts(places: 1, confirmed: 1, waiting: 1))
        let token = try #require(FormSession.hidden("token", in: ask.text))
        // A post without the CSRF token asks again and cancels nothing.
        let forged = try c.request(
            "POST", String(cancelPath), headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: FormSession.encode([("token", token), ("confirm", "yes")]))
        #expect(forged.status == 403 && forged.text.contains("Cancel your registration?"))
        #expect(try c.store.registrationCounts()?.confirmed == 1)
        let done = try session.post(String(cancelPath), [("token", token), ("confirm", "yes")])
        #expect(
            done.status == 200 && done.text.contains("Your registration is cancelled")
                && done.text.contains("first person on the waiting list"))
        #expect(try c.store.registrationCounts() == RegistrationCounts(places: 1, confirmed: 1, waiting: 0))
        // Cancelling again: nothing there any more.
        #expect(try session.post(String(cancelPath), [("token", token), ("confirm", "yes")]).status == 404)
    }

    @Test func aWrongEmailIsExplainedAndEverythingTypedIsKept() throws {
        let c = try TestCollector(definition: try registrationDefinition())
        defer { c.stop() }
        let (_, page) = try register(c, 1, email: "person at example.org")
        #expect(page.status == 422)
        #expect(page.text.contains("is not an e-mail address: it contains a space"))
        #expect(page.text.contains("value=\"person at example.org\"") && page.text.contains("Université de Lille"))
        #expect(try c.store.responseCount() == 0)
    }

    @Test func theRegistrantsExportNeedsTheAnalystAndNeutralisesFormulas() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 1))
        defer { c.stop() }
        _ = try c.postJSON("/api/v1/responses", registrationJSON(1, organisation: "=HYPERLINK(\"http://evil\")"))
        _ = try c.postJSON("/api/v1/responses", registrationJSON(2, email: "b@example.org"))
        #expect(try c.request("GET", "/api/v1/registrants").status == 401)
        let auth = [("Authorization", "Bearer \(TestCollector.analystToken)")]
        let csv = try c.request("GET", "/api/v1/registrants?format=csv", headers: auth)
        #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 3)
        #expect(
            lines[0]
                == "registration_id,status,waiting_position,registered_at,confirmed_at,language,duplicate_of,profile_name,profile_email,profile_organisation,question_expectations"
        )
        #expect(lines[1].contains(",confirmed,,") && lines[1].contains("\"'=HYPERLINK(\"\"http://evil\"\")\""))
        #expect(lines[2].contains(",waiting,1,") && lines[2].contains("b@example.org"))
        let jsonl = try c.request("GET", "/api/v1/registrants?format=jsonl", headers: auth)
        let objects = jsonl.text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 2 && objects[1]["waitingPosition"] as? Int == 1)
        #expect((objects[0]["profile"] as? [String: Any])?["organisation"] as? String == "=HYPERLINK(\"http://evil\")")
        #expect(try c.request("GET", "/api/v1/registrants?format=xlsx", headers: auth).status == 400)
        // Recorded as an analyst's access.
        #expect(try auditLog(c).contains { $0.event == "export" && $0.detail == "registrants csv" })
    }

    @Test func aConsultationThatIsNoRegistrationFormHasNoRegistrationPages() throws {
        let c = try TestCollector()
        defer { c.stop() }
        #expect(try c.request("GET", "/registration/abc?token=x").status == 404)
        let auth = [("Authorization", "Bearer \(TestCollector.analystToken)")]
        #expect(try c.request("GET", "/api/v1/registrants", headers: auth).status == 404)
        #expect(try c.request("GET", "/").text.contains("places left") == false)
    }

    /// Every registration string is translated into French (but "Places", the same word), with the English placeholders.
    @Test func everyRegistrationStringIsTranslated() {
        expectTranslated(RegistrationStrings.self, "registration string", same: ["places"])
        #expect(RegistrationStrings.english.all.count > 30)
        #expect(RegistrationStrings.catalogue(for: "fr-CA").register == "M’inscrire")
    }

    @Test func theAPIShowsThePlacesAndARegistrationsStatus() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 3))
        defer { c.stop() }
        let created = try #require(try c.postJSON("/api/v1/responses", registrationJSON(1)).json)
        #expect(created.object("registration")?.string("status") == "confirmed")
        let info = try #require(try c.request("GET", "/api/v1/consultation").json)
        #expect(info.object("registration")?["places"] as? Int == 3 && info.object("registration")?["free"] as? Int == 2)
        let id = try #require(created.string("id")), token = try #require(created.string("editToken"))
        let view = try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")])
        #expect(view.json?.object("registration")?.string("status") == "confirmed")
    }
}
