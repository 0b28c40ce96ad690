import Criteria
import Foundation
import JSONSyntax

@testable import CatalogueSite

/// Documents and sites for the catalogue's tests.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One engine for every test (compiling the schemas takes a moment); a fixed day, so checks never
    /// depend on the clock.
    static let engine: CriteriaEngine = {
        do { return try CriteriaEngine(options: CheckOptions(today: CalendarDate(year: 2026, month: 6, day: 1))) } catch {
            fatalError("the embedded schemas do not compile: \(error)")
        }
    }()

    static func example(_ name: String) -> [UInt8] {
        Array((try? Data(contentsOf: packageRoot.appendingPathComponent("Schemas/examples/\(name)"))) ?? Data())
    }

    static func exampleNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Schemas/examples").path)) ?? [])
            .sorted()
    }

    /// The good learning opportunity as a mutable JSON object.
    static func goodOpportunity() -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(example("good-learning-opportunity.jsonld")))) as? [String: Any] ?? [:]
    }

    static func json(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data())
    }

    static func temporaryFolder(_ name: String = "site") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-catalogue-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ files: [String: [UInt8]], in folder: URL) {
        for (path, bytes) in files {
            let url = folder.appendingPathComponent(path)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? Data(bytes).write(to: url)
        }
    }

    // MARK: The test catalogue

    static let hostileText = "</script><script>alert(1)</script> <!-- & \"quoted\" 'single' <b>bold</b> </SCRIPT > \u{2028}"

    /// A multilingual opportunity: page language German (its default language), texts in German, English
    /// and French, outcomes in German and English.
    static func multilingual() -> [UInt8] {
        var d = goodOpportunity()
        d["id"] = "urn:eccoe:lo:forschungsdaten"
        d["title"] = [
            "de": "Forschungsdatenmanagement", "en": "Research Data Management", "fr": "Gestion des données de recherche",
        ]
        d["description"] = ["de": "Zwölf Wochen Onlinestudium.\n\nMit Abschlussprojekt.", "en": "Twelve weeks of online study."]
        d["defaultLanguage"] = [
            "id": "http://publications.europa.eu/resource/authority/language/DEU", "type": "Concept",
            "prefLabel": ["en": "German"],
        ]
        var spec = d["learningAchievementSpecification"] as! [String: Any]
        spec["learningOutcome"] = [
            [
                "id": "urn:lo:1", "type": "LearningOutcome",
                "title": ["de": "Einen Datenmanagementplan schreiben", "en": "Write a data management plan"],
            ],
            ["id": "urn:lo:2", "type": "LearningOutcome", "title": ["de": "Daten veröffentlichen", "en": "Publish data"]],
        ]
        d["learningAchievementSpecification"] = spec
        return json(d)
    }

    /// Hostile text everywhere a document's text reaches a page.
    static func hostile() -> [UInt8] {
        var d = goodOpportunity()
        d["id"] = "urn:x:<script>alert(1)</script>"
        d["title"] = ["en": hostileText, "de": "<img src=x onerror=alert(1)>", "en\"><script>x</script>": "bad key"]
        d["description"] = ["en": hostileText]
        d["homepage"] = [["id": "urn:h", "type": "WebResource", "contentURL": "javascript:alert(1)"]]
        var providers = d["providedBy"] as! [[String: Any]]
        providers[0]["legalName"] = ["en": "<b>Evil</b> & Co \"Ltd\""]
        providers[0]["homepage"] = [
            ["id": "urn:ph", "type": "WebResource", "contentURL": "https://evil.example/\"><script>alert(1)</script>"]
        ]
        d["providedBy"] = providers
        var spec = d["learningAchievementSpecification"] as! [String: Any]
        spec["learningOutcome"] = [["id": "urn:lo:h", "type": "LearningOutcome", "title": ["en": hostileText]]]
        spec["thematicArea"] = [
            ["id": "http://example.org/fields/<script>", "type": "Concept", "prefLabel": ["en": hostileText]]
        ]
        d["learningAchievementSpecification"] = spec
        return json(d)
    }

    /// The good opportunity with another id (and, optionally, its provider given by reference only).
    static func variant(id: String?, providerByReference: Bool = false, title: String? = nil) -> [UInt8] {
        var d = goodOpportunity()
        if let id { d["id"] = id } else { d.removeValue(forKey: "id") }
        if let title { d["title"] = ["en": title] }
        if providerByReference { d["providedBy"] = [["id": "urn:epass:org:exampleton", "type": "Organisation"]] }
        return json(d)
    }

    /// A price with a number beyond Double's precision, and fields the vocabulary does not know.
    static func exactNumbers() -> [UInt8] {
        var text = String(decoding: variant(id: "urn:eccoe:lo:numbers", title: "Exact numbers"), as: UTF8.self)
        text = text.replacingOccurrences(
            of: "\"applicationDeadline\"",
            with: """
                "priceDetail" : [{"id": "urn:p", "type": "PriceDetail", "prefLabel": {"en": "Fee"}, "amount": {"id": "urn:a", "type": "Amount", "value": 12345678901234567890.125, "unit": {"id": "http://publications.europa.eu/resource/authority/currency/EUR", "type": "Concept"}}}],
                  "applicationDeadline"
                """)
        return Array(text.utf8)
    }

    /// The source folder of the test catalogue: every example (so other kinds are reported), the documents
    /// above, ids that slug alike, a repeated id, a document without id, a broken one, a binary file, a
    /// hidden folder.
    static func catalogueFiles() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in exampleNames() where name.hasSuffix(".json") || name.hasSuffix(".jsonld") {
            files["examples/\(name)"] = example(name)
        }
        files["more/multilingual.jsonld"] = multilingual()
        files["more/hostile.jsonld"] = hostile()
        files["more/twin-upper.jsonld"] = variant(id: "urn:eccoe:lo:Twin", title: "Twin (upper case)")
        files["more/twin-lower.jsonld"] = variant(id: "urn:eccoe:lo:twin", title: "Twin (lower case)")
        files["more/deep/again/copy.json"] = variant(id: "urn:eccoe:lo:exampleton:rdm-2026", title: "Copy with the same id")
        files["more/no-id.jsonld"] = variant(id: nil, providerByReference: true, title: "Without an id")
        files["more/numbers.jsonld"] = exactNumbers()
        files["more/broken.jsonld"] = Array(#"{"type": "LearningOpportunity", "title": }"#.utf8)
        files["more/binary.json"] = [0x7B, 0x00, 0x7D]
        files[".hidden/skipped.jsonld"] = variant(id: "urn:hidden", title: "Hidden")
        return files
    }

    /// The documents in a folder, as `eccoe catalogue` finds them (recursively, `*.json` and `*.jsonld`,
    /// hidden folders and files skipped), in the given order.
    static func sources(in folder: URL) -> [CatalogueBuilder.Source] {
        var result: [CatalogueBuilder.Source] = []
        let root = folder.standardizedFileURL.path
        if let walker = FileManager.default.enumerator(atPath: root) {
            while let relative = walker.nextObject() as? String {
                if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                if relative.hasSuffix(".json") || relative.hasSuffix(".jsonld") {
                    result.append(CatalogueBuilder.Source(path: root + "/" + relative, relativePath: relative))
                }
            }
        }
        return result
    }

    static let reader: CatalogueBuilder.Reader = { path in
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(SiteError(message: "cannot read")) }
        return .success(Array(data))
    }

    /// Builds a site from `source` into `out`.
    @discardableResult
    static func build(source: URL, out: URL, options: CatalogueBuilder.Options = .init(), reversed: Bool = false) throws
        -> CatalogueBuilder.Outcome
    {
        var list = sources(in: source)
        list.sort { $0.relativePath < $1.relativePath }
        if reversed { list.reverse() }
        let builder = CatalogueBuilder(engine: engine, options: options)
        return try builder.build(
            list, read: reader, into: try SiteOutput(path: out.path, sourceFolder: source.path), generator: "eccoe test")
    }

    /// Runs blocking work (building a site, reading one, waiting for a process) on a Dispatch thread and waits
    /// for it without holding one of the few threads of Swift's cooperative pool, which the other suites'
    /// asynchronous tests (the language server's) need. Expectations stay on the test's own task.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// `build`, off the cooperative pool.
    @discardableResult
    static func building(source: URL, out: URL, options: CatalogueBuilder.Options = .init(), reversed: Bool = false) async throws
        -> CatalogueBuilder.Outcome
    {
        try await offPool { try build(source: source, out: out, options: options, reversed: reversed) }
    }

    /// `files(of:)`, off the cooperative pool.
    static func reading(_ site: URL) async throws -> [String: [UInt8]] { try await offPool { files(of: site) } }

    /// Every file of a site (relative path → bytes), the manifest included.
    static func files(of site: URL) -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        let root = site.standardizedFileURL.path
        if let walker = FileManager.default.enumerator(atPath: root) {
            while let relative = walker.nextObject() as? String {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
                    result[relative] = Array(FileManager.default.contents(atPath: root + "/" + relative) ?? Data())
                }
            }
        }
        return result
    }

    /// The test catalogue, built once: its source folder, its site, and the outcome.
    static let catalogue: (source: URL, site: URL, outcome: CatalogueBuilder.Outcome) = {
        let source = temporaryFolder("source")
        write(catalogueFiles(), in: source)
        let site = temporaryFolder("out").appendingPathComponent("site")
        do {
            let outcome = try build(source: source, out: site, options: .init(title: "Test <Catalogue> & Co", baseURL: nil))
            return (source, site, outcome)
        } catch {
            fatalError("the test catalogue does not build: \(error)")
        }
    }()
}
