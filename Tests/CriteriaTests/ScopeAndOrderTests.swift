import Criteria
import Foundation
import JSONSyntax
import Testing

/// Which credentials the micro-credential criteria judge (MC-22), dates ordered across the credential and its
/// learning (DQ-04), texts in every display language (DQ-09) and the JSON-LD context (MC-21), on the good example.
@Suite struct ScopeAndOrderTests {
    static let claim = "/credentialSubject/hasClaim/0"
    static let microCredentialCriteria = (6...20).map { String(format: "MC-%02d", $0) }

    func check(_ edits: [DocumentEdit], base: String = Edited.good) throws -> (SyntaxTree, [Finding]) {
        Edited.check(try DocumentEdit.apply(edits, to: Edited.text(base)))
    }

    /// A credential that declares the Diploma Supplement profile is not judged as a micro-credential: a missing
    /// workload is not reported, and one information finding at the profile says which criteria were not checked.
    @Test func aDiplomaSupplementIsNotJudgedAsAMicroCredential() throws {
        let profile = "/credentialProfiles/0/id"
        let (tree, findings) = try check(
            [.set(profile, #""http://data.europa.eu/snb/credential/6dff8a0f87""#)],
            base: "Schemas/examples/credential-MC-07-no-workload.jsonld")
        #expect(!findings.contains { Self.microCredentialCriteria.contains($0.code) }, "\(findings.map(\.message))")
        let note = try #require(findings.first { $0.code == "MC-22" })
        #expect(note.severity == .information)
        #expect(Edited.at(note, tree) == #""http://data.europa.eu/snb/credential/6dff8a0f87""#)
        #expect(note.message.contains("which is not a micro-credential profile: MC-06, MC-07,"))
        #expect(note.message.contains("were not checked (its claim: LearningAchievement “Research Data Management”)"))
        // The same document under the generic profile is a micro-credential: the workload is missing.
        let (_, generic) = Edited.check(try Edited.text("Schemas/examples/credential-MC-07-no-workload.jsonld"))
        #expect(generic.contains { $0.code == "MC-07" && $0.severity == .error })
        #expect(!generic.contains { $0.code == "MC-22" })
    }

    /// With an achievement and an entitlement, the achievement is judged; MC-22 names both and what was not checked.
    @Test func withSeveralClaimsEachAchievementIsJudged() throws {
        let entitlement =
            #"{"id": "urn:epass:entitlement:1", "type": "LearningEntitlement", "title": {"en": "Access to the master programme"}}"#
        let (tree, findings) = try check([
            .set(Self.claim + "/specifiedBy/volumeOfLearning", #""P5M""#),
            .appendElement("/credentialSubject/hasClaim", json: entitlement),
        ])
        let note = try #require(findings.first { $0.code == "MC-22" })
        #expect(
            note.message.hasSuffix(
                "of the 2 claims, the learning achievement “Research Data Management” was checked against the micro-credential criteria; the LearningEntitlement “Access to the master programme” is not a learning achievement, so MC-06, MC-07, MC-08, MC-09, MC-10, MC-11, MC-12, MC-13, MC-14, MC-15, MC-16, MC-17, MC-18, MC-19, MC-20 were not checked for it"
            ))
        #expect(Edited.at(note, tree) == #""LearningEntitlement""#)
        // The achievement is still judged: its five-month workload is found.
        #expect(findings.contains { $0.code == "DQ-03" })
    }

    /// The award after the learning, the validity after both: an award dated before the learning activity that
    /// influenced it ended, and validity from before the award, are warnings at the date that is too early.
    @Test func datesAreOrderedAcrossTheCredentialAndItsLearning() throws {
        let period =
            #"[{"id": "urn:epass:activity:1", "type": "LearningActivity", "title": {"en": "Course"}, "temporal": {"type": "PeriodOfTime", "startDate": "2026-05-01T00:00:00Z", "endDate": "2026-07-12T00:00:00Z"}}]"#
        let (tree, findings) = try check([.insert(Self.claim, key: "influencedBy", json: period)])
        let dates = findings.filter { $0.code == "DQ-04" }
        #expect(dates.count == 1, "\(dates.map(\.message))")
        #expect(dates.first?.severity == .warning)
        #expect(dates.first.map { Edited.at($0, tree) } == #""2026-07-10T00:00:00Z""#)
        #expect(
            dates.first?.message.hasSuffix(
                "`awardingDate` 2026-07-10T00:00:00Z is before the learning it awards ended (`influencedBy.temporal.endDate` 2026-07-12T00:00:00Z)"
            ) == true)

        let (early, earlyFindings) = try check([.set("/validFrom", #""2026-07-01T00:00:00Z""#)])
        let validity = try #require(earlyFindings.first { $0.code == "DQ-04" })
        #expect(Edited.at(validity, early) == #""2026-07-01T00:00:00Z""#)
        #expect(
            validity.message.hasSuffix(
                "the credential is valid from 2026-07-01T00:00:00Z, before the award (`awardingDate` 2026-07-10T00:00:00Z)"))
        // In order, nothing.
        let (_, ordered) = try check([
            .insert(Self.claim, key: "influencedBy", json: period.replacingOccurrences(of: "07-12", with: "07-09"))
        ])
        #expect(!ordered.contains { $0.code == "DQ-04" })
    }

    /// A context list without the EDC context names it, with a fix that adds it; a development copy of the
    /// context is a warning with a fix that replaces it.
    @Test func theContextNamesTheIRIItMustInclude() throws {
        let (tree, findings) = try check([.set("/@context", #"["https://www.w3.org/2018/credentials/v1"]"#)])
        let context = try #require(findings.first { $0.code == "MC-21" })
        #expect(context.severity == .error)
        #expect(
            context.message.contains("`@context` must include the EDC context http://data.europa.eu/snb/model/context/edc-ap"))
        let fixed = SyntaxTree(parsing: apply(try #require(context.fix).edits, to: tree.bytes))
        #expect(engine.check(fixed, path: "fixed.jsonld").isEmpty)

        let (devTree, dev) = try check([.set("/@context/1", #""http://dev.everisdx.io/datamodel/test/edc-ap-context.jsonld""#)])
        let copy = try #require(dev.first { $0.code == "MC-21" })
        #expect(copy.severity == .warning)
        let devFixed = SyntaxTree(parsing: apply(try #require(copy.fix).edits, to: devTree.bytes))
        #expect(engine.check(devFixed, path: "fixed.jsonld").isEmpty)
    }
}
