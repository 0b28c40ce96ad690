import Foundation
import JSONSyntax
import Testing

@testable import CatalogueSite

/// Learning opportunities damaged at random (members removed, values of the wrong type, objects where
/// arrays belong and back, hostile and empty texts): the site still builds, and every page is still well
/// formed with links that resolve.
@Suite(.serialized) struct MutationTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static var replacements: [Any] {
        [
            "", " ", "<script>alert(1)</script>", "javascript:alert(1)", "P3M", "PT-1H", "2026-02-30T00:00:00Z", "x\u{2028}y",
            0, -1, 1e300, 1.2345678901234567e19, true, NSNull(), [String](), [String: Any](), ["en": ""],
            ["": "empty key"], ["en": ["a", "b"]], [["id": "urn:dangling"]], ["id": "urn:epass:org:exampleton"],
            ["id": "http://data.europa.eu/snb/isced-f/0613"], ["id": "http://data.europa.eu/snb/eqf/9"],
            String(repeating: "long ", count: 500),
        ]
    }

    static func mutate(_ value: Any, _ g: inout Generator, depth: Int = 0) -> Any {
        let replacements = Self.replacements
        if var object = value as? [String: Any] {
            for key in object.keys.sorted() {
                let roll = Int.random(in: 0..<100, using: &g)
                if roll < 6 {
                    object.removeValue(forKey: key)
                } else if roll < 10 {
                    object[key] = replacements.randomElement(using: &g)!
                } else if roll < 13, let inner = object[key] as? [String: Any] {
                    object[key] = [inner, inner]
                } else if roll < 15, let inner = object[key] as? [Any], let first = inner.first {
                    object[key] = first
                } else {
                    object[key] = mutate(object[key]!, &g, depth: depth + 1)
                }
            }
            return object
        }
        if let array = value as? [Any] { return array.map { mutate($0, &g, depth: depth + 1) } }
        return value
    }

    @Test func damagedDocumentsStillMakeAWellFormedSite() async throws {
        var g = Generator(state: 17)
        let good = Fixtures.goodOpportunity()
        var files: [String: [UInt8]] = [:]
        for i in 0..<150 {
            var doc = Self.mutate(good, &g) as! [String: Any]
            doc["type"] = "LearningOpportunity"  // still recognised as one
            if i % 3 == 0 { doc["id"] = "urn:mutant:\(i % 7)" }  // repeated and clashing ids
            files[String(format: "m/%03d.jsonld", i)] = Fixtures.json(doc)
        }
        let src = Fixtures.temporaryFolder("mutants")
        Fixtures.write(files, in: src)
        let out = Fixtures.temporaryFolder("mutants-out").appendingPathComponent("site")
        let outcome = try await Fixtures.building(source: src, out: out)
        #expect(outcome.opportunities == 150)
        let site = try await Fixtures.reading(out)
        var checked: [String: HTMLChecker.Page] = [:]
        let pages = site.keys.filter { $0.hasSuffix(".html") }
        for page in pages {
            let result = HTMLChecker.check(String(decoding: site[page]!, as: UTF8.self))
            #expect(result.problems.isEmpty, "\(page): \(result.problems)")
            checked[page] = result
        }
        for page in pages {
            for link in checked[page]!.links {
                let href = link.attributes["href"]!
                if href.hasPrefix("https://") || href.hasPrefix("http://") { continue }
                let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target = parts[0].isEmpty ? page : SiteTests.resolve(parts[0], from: page)
                #expect(site[target] != nil, "\(page): \(href)")
                if parts.count == 2 { #expect(checked[target]?.ids.contains(parts[1]) == true, "\(page): \(href)") }
            }
        }
        for page in pages where page.hasPrefix("opportunities/") {
            let script = checked[page]!.scripts
            #expect(script.count == 1)
            #expect((try? JSONValue.parse(Array(script[0].text.utf8)).get()) != nil, "\(page): the embedded JSON-LD parses")
        }
    }
}
