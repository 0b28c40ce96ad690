import CriteriaCatalogue
import Foundation
import HTMLText
import HTTPTestSupport
import Testing

@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// Issue 18 item 5: the respondent's journey (open the form, open a criterion's technical details, fill, submit, see
/// the receipt) in real Chromium with JavaScript off, in every shipped language. Chromium runs headless under
/// chromedriver (Debian's `chromium` and `chromium-driver`, in Tools/test-packages.txt), driven over the W3C
/// WebDriver protocol by `Tests/Browser/journey.py` (Python's standard library only) with the content setting
/// `profile.managed_default_content_settings.javascript = 2`; a probe page proves script is off in that browser.
/// The store is then asked what it recorded.
@Suite struct BrowserJourneyTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Browser/journey.py")

    struct Failed: Error, CustomStringConvertible { var description: String }

    /// Runs the journey and returns what the browser saw, as JSON.
    static func journey(port: Int, languages: [String]) throws -> [String: Any] {
        let python = ProcessInfo.processInfo.environment["ECCOE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        for tool in ["/usr/bin/chromedriver", "/usr/bin/chromium"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Failed(description: "\(tool) is missing: install Debian's chromium and chromium-driver (sh Tools/test.sh does)")
        }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-journey-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script.path, "http://127.0.0.1:\(port)"] + languages
        let out = Pipe()
        p.standardOutput = out
        p.standardError = try FileHandle(forWritingTo: errors)
        try p.run()
        let data = try out.fileHandleForReading.readToEnd() ?? Data()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw Failed(
                description: "journey.py failed (\(p.terminationStatus)): \(String(decoding: data, as: UTF8.self)) \(log)")
        }
        return object
    }

    @Test func theJourneyWithJavaScriptOffInEveryShippedLanguage() throws {
        // Cookies without `Secure`: the browser talks plain HTTP to 127.0.0.1 (behind TLS, the public URL is https).
        let c = try TestCollector(configure: { $0.publicURL = "http://127.0.0.1" })
        defer { c.stop() }
        let languages = c.definition.languages
        #expect(languages == ["en", "fr"])
        let seen = try Self.journey(port: c.port, languages: languages)

        // Script is off in that browser: the probe's script did not run and its <noscript> text is rendered.
        let probe = try #require(seen["probe"] as? [String: Any])
        #expect(probe["title"] as? String == "static" && probe["text"] as? String == "untouched", "script ran: \(probe)")
        #expect(probe["noscript"] as? Int == 1)

        let csv = String(
            decoding: try c.request(
                "GET", "/api/v1/export?format=csv", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")]
            ).body,
            as: UTF8.self)
        let rows = csv.split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header = try #require(rows.first)
        let id = try #require(header.firstIndex(of: "response_id")), language = try #require(header.firstIndex(of: "language"))
        let criterion = try #require(header.firstIndex(of: "criterion_id")),
            rating = try #require(header.firstIndex(of: "rating"))
        let comment = try #require(header.firstIndex(of: "comment"))
        let byLanguage = try #require(seen["languages"] as? [String: [String: Any]])
        var ids: Set<String> = []
        for l in languages {
            let r = try #require(byLanguage[l], "no journey in \(l)")
            let strings = FormStrings.catalogue(for: l)
            #expect(strings.languageTag == l, "a shipped language without its message catalogue")
            #expect(r["formLang"] as? String == l && r["scripts"] as? Int == 0)
            // The technical details open by a click, without script; the plain statement leads.
            #expect(r["technicalSummary"] as? String == strings.technicalDetails)
            #expect(r["requirementShownBefore"] as? Bool == false && r["requirementShownAfter"] as? Bool == true)
            #expect(r["plain"] as? String == Catalogue.standard["MC-07"]?.plain[l])
            // The receipt, in that language.
            #expect(r["receiptLang"] as? String == l)
            #expect(r["receiptTitle"] as? String == strings.receiptTitle)
            let responseID = try #require(r["responseID"] as? String)
            #expect(responseID.count == 32 && ids.insert(responseID).inserted)
            #expect((r["editLink"] as? String)?.hasPrefix("http://127.0.0.1/edit/\(responseID)?token=") == true)
            // What the store recorded: the response in that language, with the rating and comment typed.
            let stored = rows.filter { $0.count == header.count && $0[id] == responseID }
            #expect(!stored.isEmpty, "\(l): the receipt's response is not in the export")
            #expect(stored.allSatisfy { $0[language] == l }, "\(l): stored language")
            let mc01 = stored.first { $0[criterion] == "MC-01" }
            #expect(mc01?[rating] == "4" && mc01?[comment] == r["comment"] as? String)
        }
        #expect(ids.count == languages.count)
        #expect(Set(rows.dropFirst().filter { $0.count == header.count }.map { $0[id] }) == ids, "no other response was stored")
    }
}
