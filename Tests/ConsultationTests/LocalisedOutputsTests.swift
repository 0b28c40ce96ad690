import CriteriaCatalogue
import Foundation
import HTMLText
import HTTPTestSupport
import JSONSyntax
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// Issue 18 item 5: the API's error messages, the answers' problems, the report and the analysts' sign-in page
/// speak the negotiated language; the error codes and the numbers do not change with it.
@Suite(.serialized) struct LocalisedOutputsTests {
    let french = FormStrings.french

    /// The domain's English wording of each problem and the English catalogue's say the same.
    @Test func everyFieldProblemHasItsMessageInEachCatalogue() {
        let problems: [FieldProblem] = [
            .consentRequired, .privacyVersion("2"), .answerRequired, .onlyForSomeAnswers("Type of organisation"),
            .tooLong(length: 5001, limit: 5000), .controlCharacter("U+0007"), .chooseOne, .chooseAmong,
            .wholeNumber(min: 1, max: 5),
        ]
        for p in problems {
            let e = FieldError("/x", p)
            #expect(FormStrings.english.message(for: e) == p.english)
            #expect(french.message(for: e) != p.english, "\(p) has no French")
        }
        #expect(
            french.message(for: FieldError("/x", .tooLong(length: 5001, limit: 5000)))
                == "compte 5001 caractères ; 5000 au plus sont acceptés")
        #expect(french.message(for: FieldError("/x", "a message of its own")) == "a message of its own")
    }

    @Test func apiErrorsSpeakTheRequestsLanguageAndKeepTheirCodes() throws {
        let c = try TestCollector()
        defer { c.stop() }
        func error(_ r: RawResponse) throws -> [String: Any] {
            let object = try #require(r.json)
            return try #require(object["error"] as? [String: Any])
        }
        let fr = [("Accept-Language", "fr-FR,fr;q=0.9"), ("Content-Type", "application/json")]
        let empty = try error(try c.request("POST", "/api/v1/responses", headers: fr, body: Array("  ".utf8)))
        #expect(empty["code"] as? String == "empty-body" && empty["message"] as? String == french.apiEmptyBody)
        let english = try error(
            try c.request("POST", "/api/v1/responses", headers: [("Content-Type", "application/json")], body: Array("  ".utf8)))
        #expect(english["code"] as? String == "empty-body" && english["message"] as? String == FormStrings.english.apiEmptyBody)

        let invalid = try c.request(
            "POST", "/api/v1/responses", headers: fr,
            body: Array(#"{"profile": {}, "answers": {}, "consent": {"privacyVersion": "1", "given": false}}"#.utf8))
        #expect(invalid.status == 422)
        let body = try error(invalid)
        #expect(body["code"] as? String == "invalid-response")
        let count = try #require((body["fields"] as? [[String: Any]])?.count)
        #expect(body["message"] as? String == FormStrings.format(french.apiInvalidResponseMany, String(count)))
        let messages = (body["fields"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
        #expect(messages.contains(french.fieldAnswerRequired) && messages.contains(french.fieldConsentRequired))

        let missing = try error(try c.request("GET", "/api/v1/nothing", headers: [("Accept-Language", "fr")]))
        #expect(missing["code"] as? String == "not-found" && missing["message"] as? String == french.apiNoSuchEndpoint)
        let denied = try error(try c.request("GET", "/api/v1/statistics", headers: [("Accept-Language", "fr")]))
        #expect(denied["code"] as? String == "unauthorised" && denied["message"] as? String == french.apiUnauthorised)
        let format = try error(
            try c.request(
                "GET", "/api/v1/export?format=xls",
                headers: [("Accept-Language", "fr"), ("Authorization", "Bearer \(TestCollector.analystToken)")]))
        #expect(format["code"] as? String == "invalid-format" && format["message"] as? String == french.apiInvalidFormat)
    }

    @Test func theFormsErrorSummarySpeaksThePageLanguage() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let session = try FormSession(c)
        let page = try session.post("/", [("lang", "fr"), ("action", "submit")])
        #expect(page.status == 422)
        let capacity = try #require(c.definition.translated(to: "fr").profile.first { $0.id == "capacity" }?.label)
        #expect(page.text.contains("\(HTML.escape(capacity)) : \(HTML.escape(french.fieldAnswerRequired))</a></li>"))
        #expect(!page.text.contains(HTML.escape(FormStrings.english.fieldAnswerRequired)))
    }

    @Test func theReportAndTheSignInPageSpeakTheNegotiatedLanguage() throws {
        let c = try TestCollector()
        defer { c.stop() }
        _ = try c.postJSON("/api/v1/responses", validResponseJSON(), key: "k1")
        let bearer = ("Authorization", "Bearer \(TestCollector.analystToken)")
        let fr = try c.request("GET", "/report?lang=fr", headers: [bearer]).text
        let strings = ReportStrings.french
        let frenchTitle = c.definition.translated(to: "fr").title
        #expect(fr.contains("<html lang=\"fr\">"))
        #expect(fr.contains("<h1>\(HTML.escape(FormStrings.format(strings.title, frenchTitle)))</h1>"))
        for heading in [strings.timelineHeading, strings.profileHeading, strings.criteriaHeading, strings.duplicatesHeading] {
            #expect(fr.contains(">\(HTML.escape(heading))</h2>"), "\(heading)")
        }
        #expect(fr.contains("<strong>1</strong> réponses"))
        let mc01 = try #require(c.definition.item("MC-01")?.plain["fr"])
        #expect(fr.contains("<p class=\"plain\">\(HTML.escape(mc01))</p>"))
        #expect(fr.contains("<summary>Détails techniques</summary>"))
        let en = try c.request("GET", "/report", headers: [bearer]).text
        #expect(en.contains("<html lang=\"en\">") && en.contains(">Who responded</h2>"))
        // The same numbers in both: the overview table's cells.
        func cells(_ html: String) -> [String] {
            html.components(separatedBy: "<td>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        }
        #expect(cells(fr) == cells(en))

        let signIn = try c.request("GET", "/report", headers: [("Accept-Language", "fr")])
        #expect(signIn.status == 401)
        #expect(signIn.text.contains("<h1>\(HTML.escape(french.signInTitle))</h1>"))
        #expect(
            signIn.text.contains(HTML.escape(french.signInTokenLabel))
                && signIn.text.contains(">\(HTML.escape(french.signInButton))</button>"))
    }
}
