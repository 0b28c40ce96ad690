import Foundation
import Testing

@testable import CatalogueSite

/// The output folder is written safely: never into the documents, never over a file the command did not
/// write, only what changed on a rebuild, and an old site's leftovers removed.
@Suite(.serialized) struct SiteOutputTests {
    /// A source folder with the good opportunity and two variants.
    static func source() -> URL {
        let folder = Fixtures.temporaryFolder("src")
        Fixtures.write(
            [
                "good.jsonld": Fixtures.example("good-learning-opportunity.jsonld"),
                "a.jsonld": Fixtures.variant(id: "urn:eccoe:lo:a", title: "Alpha"),
                "b.jsonld": Fixtures.variant(id: "urn:eccoe:lo:b", title: "Beta"),
            ], in: folder)
        return folder
    }

    func refusal(_ out: String, source: URL) -> String? {
        do {
            _ = try SiteOutput(path: out, sourceFolder: source.path)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func theSourceFolderIsNeverTheOutput() async throws {
        let src = Self.source()
        #expect(refusal(src.path, source: src)?.contains("is the source folder") == true)
        #expect(refusal(src.path + "/", source: src)?.contains("is the source folder") == true)
        #expect(refusal(src.path + "/site", source: src)?.contains("inside the source folder") == true)
        #expect(refusal(src.path + "/new/deeper/site", source: src)?.contains("inside the source folder") == true)
        #expect(refusal(src.deletingLastPathComponent().path, source: src)?.contains("contains the source folder") == true)
        #expect(refusal(src.path + "/../" + src.lastPathComponent, source: src)?.contains("is the source folder") == true)
        let link = Fixtures.temporaryFolder("link").appendingPathComponent("to-source")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: src.path)
        #expect(refusal(link.path, source: src)?.contains("is the source folder") == true)
        // Nothing was created.
        #expect(
            !FileManager.default.fileExists(atPath: src.path + "/site")
                && !FileManager.default.fileExists(atPath: src.path + "/new"))
    }

    @Test func aFolderWithOtherFilesIsRefusedAndLeftAlone() async throws {
        let src = Self.source()
        let out = Fixtures.temporaryFolder("mine")
        Fixtures.write(["notes.txt": Array("mine".utf8)], in: out)
        #expect(refusal(out.path, source: src)?.contains("is not empty and holds no site written by eccoe catalogue") == true)
        await #expect(throws: SiteError.self) { try await Fixtures.building(source: src, out: out) }
        #expect((try await Fixtures.reading(out)) == ["notes.txt": Array("mine".utf8)])
        let file = out.appendingPathComponent("notes.txt")
        #expect(refusal(file.path, source: src)?.contains("exists and is not a folder") == true)
    }

    @Test func aRebuildReplacesOnlyItsOwnFiles() async throws {
        let src = Self.source()
        let out = Fixtures.temporaryFolder("rebuild").appendingPathComponent("site")
        try await Fixtures.building(source: src, out: out)
        #expect(FileManager.default.fileExists(atPath: out.path + "/opportunities/eccoe-lo-b.html"))
        // The publisher adds files of their own; a document goes away.
        Fixtures.write(["CNAME": Array("catalogue.uni.example".utf8), "opportunities/extra.html": Array("mine".utf8)], in: out)
        try FileManager.default.removeItem(at: src.appendingPathComponent("b.jsonld"))
        try await Fixtures.building(source: src, out: out)
        let files = (try await Fixtures.reading(out))
        #expect(
            files["opportunities/eccoe-lo-b.html"] == nil && files["documents/eccoe-lo-b.jsonld"] == nil,
            "the old site's pages are removed")
        #expect(files["CNAME"] == Array("catalogue.uni.example".utf8) && files["opportunities/extra.html"] == Array("mine".utf8))
        #expect(files["opportunities/eccoe-lo-a.html"] != nil)
        let manifest = String(decoding: files[SiteOutput.manifestName] ?? [], as: UTF8.self)
        #expect(
            !manifest.contains("eccoe-lo-b") && manifest.contains("opportunities/eccoe-lo-a.html") && !manifest.contains("CNAME"))
    }

    @Test func aPlannedFileThatIsNotOursStopsTheBuildBeforeAnythingIsWritten() async throws {
        let src = Self.source()
        let out = Fixtures.temporaryFolder("conflict").appendingPathComponent("site")
        try await Fixtures.building(source: src, out: out)
        let before = (try await Fixtures.reading(out))
        Fixtures.write(["c.jsonld": Fixtures.variant(id: "urn:eccoe:lo:c", title: "Gamma")], in: src)
        Fixtures.write(["opportunities/eccoe-lo-c.html": Array("the publisher's own page".utf8)], in: out)
        await #expect {
            try await Fixtures.building(source: src, out: out)
        } throws: { error in
            (error as? SiteError)?.message.contains(
                "opportunities/eccoe-lo-c.html: exists but was not written by eccoe catalogue") == true
        }
        var after = (try await Fixtures.reading(out))
        #expect(after.removeValue(forKey: "opportunities/eccoe-lo-c.html") == Array("the publisher's own page".utf8))
        #expect(after == before, "nothing else changed")
    }

    @Test func aChangedManifestCannotMakeTheBuildDeleteOtherFiles() async throws {
        let src = Self.source()
        let parent = Fixtures.temporaryFolder("tamper")
        let out = parent.appendingPathComponent("site")
        try await Fixtures.building(source: src, out: out)
        Fixtures.write(["outside.txt": Array("keep".utf8)], in: parent)
        Fixtures.write(["keep.txt": Array("keep".utf8)], in: out)
        // The manifest lists the site's files, and files outside the site and of the publisher's.
        let original = String(decoding: (try await Fixtures.reading(out))[SiteOutput.manifestName] ?? [], as: UTF8.self)
        let manifest = original.replacingOccurrences(
            of: "\"files\":[", with: #""files":["../outside.txt","keep.txt","opportunities/../../outside.txt","/etc/hostname","#)
        #expect(manifest != original)
        Fixtures.write([SiteOutput.manifestName: Array(manifest.utf8)], in: out)
        try await Fixtures.building(source: src, out: out)
        #expect(FileManager.default.contents(atPath: parent.path + "/outside.txt") == Data("keep".utf8))
        #expect(FileManager.default.contents(atPath: out.path + "/keep.txt") == Data("keep".utf8))
        Fixtures.write([SiteOutput.manifestName: Array("not json".utf8)], in: out)
        await #expect(throws: SiteError.self) { try await Fixtures.building(source: src, out: out) }
    }

    @Test func aRebuildWritesOnlyWhatChanged() async throws {
        let src = Self.source()
        let out = Fixtures.temporaryFolder("incremental").appendingPathComponent("site")
        let first = try await Fixtures.building(source: src, out: out)
        #expect(first.filesWritten == first.files)
        let page = out.path + "/opportunities/eccoe-lo-a.html"
        let inode = try FileManager.default.attributesOfItem(atPath: page)[.systemFileNumber] as? Int
        let second = try await Fixtures.building(source: src, out: out)
        #expect(second.filesWritten == 0 && second.bytesWritten == 0)
        #expect(
            try FileManager.default.attributesOfItem(atPath: page)[.systemFileNumber] as? Int == inode,
            "an unchanged page is not replaced")
        // One document changes its title: its page, its copy, and the pages that list it change.
        Fixtures.write(["a.jsonld": Fixtures.variant(id: "urn:eccoe:lo:a", title: "Alpha, revised")], in: src)
        let third = try await Fixtures.building(source: src, out: out)
        #expect(third.filesWritten > 2 && third.filesWritten < third.files)
        #expect(
            String(decoding: (try await Fixtures.reading(out))["opportunities/eccoe-lo-a.html"] ?? [], as: UTF8.self).contains(
                "<h1>Alpha, revised</h1>"))
        #expect(
            try FileManager.default.attributesOfItem(atPath: out.path + "/opportunities/eccoe-lo-b.html")[.systemFileNumber]
                as? Int != nil)
    }

    @Test func anInterruptedBuildCanBeRunAgain() async throws {
        let src = Self.source()
        let out = Fixtures.temporaryFolder("interrupted").appendingPathComponent("site")
        try await Fixtures.building(source: src, out: out)
        Fixtures.write(["c.jsonld": Fixtures.variant(id: "urn:eccoe:lo:c", title: "Gamma")], in: src)
        // A build that stopped after writing one new page: the manifest it wrote first lists the new files.
        let output = try SiteOutput(path: out.path, sourceFolder: src.path)
        try output.prepare(["opportunities/eccoe-lo-c.html", "index.html"])
        try output.write("opportunities/eccoe-lo-c.html", Array("half".utf8))
        try await Fixtures.building(source: src, out: out)
        #expect(
            String(decoding: (try await Fixtures.reading(out))["opportunities/eccoe-lo-c.html"] ?? [], as: UTF8.self).contains(
                "<h1>Gamma</h1>"))
    }

    @Test func withoutLearningOpportunitiesNothingIsWritten() async throws {
        let src = Fixtures.temporaryFolder("none")
        Fixtures.write(["credential.jsonld": Fixtures.example("good-credential.jsonld")], in: src)
        let out = Fixtures.temporaryFolder("none-out").appendingPathComponent("site")
        await #expect {
            try await Fixtures.building(source: src, out: out)
        } throws: { error in
            (error as? SiteError)?.message.hasPrefix("no learning opportunities among the 1 document found") == true
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func theSitemapUsesTheBaseURL() async throws {
        let src = Self.source()
        let out = Fixtures.temporaryFolder("base").appendingPathComponent("site")
        try await Fixtures.building(source: src, out: out, options: .init(baseURL: "https://uni.example/catalogue/"))
        let sitemap = String(decoding: (try await Fixtures.reading(out))["sitemap.xml"] ?? [], as: UTF8.self)
        #expect(sitemap.contains("<url><loc>https://uni.example/catalogue/index.html</loc></url>"))
        #expect(sitemap.contains("<url><loc>https://uni.example/catalogue/opportunities/eccoe-lo-a.html</loc></url>"))
        // Pages themselves keep relative links only.
        #expect(!String(decoding: (try await Fixtures.reading(out))["index.html"] ?? [], as: UTF8.self).contains("uni.example"))
    }
}
