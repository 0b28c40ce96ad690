import Criteria
import Foundation
import JSONSyntax
import Testing

/// CO-07 at its edges, on the webinar registration example and variants of it.
@Suite struct RegistrationCriterionTests {
    func webinar(_ replacements: [(String, String)] = []) throws -> SyntaxTree {
        var text = String(
            decoding: try readFile(
                packageRoot.appendingPathComponent("Schemas/examples/webinar-registration.consultation.json").path),
            as: UTF8.self)
        for (a, b) in replacements {
            #expect(text.contains(a), "the example has \(a)")
            text = text.replacingOccurrences(of: a, with: b)
        }
        return SyntaxTree(parsing: text)
    }

    func codes(_ tree: SyntaxTree) -> [String] { engine.check(tree, path: "w.consultation.json").map(\.code) }

    @Test func theWebinarExampleMeetsEveryCriterion() throws {
        #expect(codes(try webinar()).isEmpty)
    }

    @Test func closingWhenTheEventStartsIsFineOneMinuteLaterIsNot() throws {
        #expect(
            codes(try webinar([(#""closesAt": "2027-03-09T18:00:00+01:00""#, #""closesAt": "2027-03-10T10:00:00+01:00""#)]))
                .isEmpty)
        let late = try webinar([(#""closesAt": "2027-03-09T18:00:00+01:00""#, #""closesAt": "2027-03-10T10:01:00+01:00""#)])
        let findings = engine.check(late, path: "w.consultation.json")
        #expect(findings.map(\.code) == ["CO-07"])
        let f = try #require(findings.first)
        #expect(f.message.contains("after the event starts"))
        // Reported at closesAt's value, with the event's start as the fix.
        #expect(String(decoding: late.bytes[f.range], as: UTF8.self) == #""2027-03-10T10:01:00+01:00""#)
        #expect(f.fix?.edits.first?.newText == #""2027-03-10T10:00:00+01:00""#)
    }

    @Test func aRegistrationFormAsksForARequiredEmailAddress() throws {
        let none = try webinar([(#""type": "email","#, #""type": "text","#)])
        #expect(engine.check(none, path: "w.consultation.json").contains { $0.code == "CO-07" && $0.message.contains("e-mail") })
    }

    @Test func missingPlacesDateRetentionOrPurposeAreCO07() throws {
        for key in ["places", "startsAt", "retentionDays", "purpose"] {
            var text = String(decoding: try webinar().bytes, as: UTF8.self)
            // Rename the key: the schema then misses it (and refuses the unknown one).
            text = text.replacingOccurrences(of: "\"\(key)\":", with: "\"x\(key)\":")
            let found = engine.check(SyntaxTree(parsing: text), path: "w.consultation.json")
            #expect(found.contains { $0.code == "CO-07" && $0.message.contains(key) }, "\(key): \(found.map(\.message))")
        }
        let tooMany = try webinar([(#""places": 100"#, #""places": 100001"#)])
        #expect(codes(tooMany) == ["CO-07"])
    }

    @Test func aConsultationWithoutRegistrationIsNotJudgedByCO07() throws {
        let text = String(
            decoding: try readFile(packageRoot.appendingPathComponent("Schemas/examples/good.consultation.json").path),
            as: UTF8.self)
        #expect(!codes(SyntaxTree(parsing: text)).contains("CO-07"))
    }
}
