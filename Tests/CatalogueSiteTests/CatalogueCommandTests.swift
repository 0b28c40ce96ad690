import Foundation
import Testing

/// `eccoe catalogue`, run as a subprocess the way publishers run it.
@Suite(.serialized) struct CatalogueCommandTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The built `eccoe` beside the test bundle (or `$ECCOE_BINARY`).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["ECCOE_BINARY"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("eccoe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/eccoe")
    }()

    /// Runs the command and waits for it off the cooperative pool.
    func run(_ arguments: [String], in directory: URL = Fixtures.packageRoot) async throws -> Result {
        try await Fixtures.offPool { try Self.runBlocking(arguments, in: directory) }
    }

    static func runBlocking(_ arguments: [String], in directory: URL) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let group = DispatchGroup()
        // A failed read is thrown (reported by the test), not a crash: readDataToEndOfFile() traps on an error.
        // Written by the one reader below, read after wait().
        nonisolated(unsafe) var errRead: Swift.Result<Data, any Error> = .success(Data())
        group.enter()
        DispatchQueue.global().async {
            errRead = Swift.Result { try err.fileHandleForReading.readToEnd() ?? Data() }
            group.leave()
        }
        let outRead = Swift.Result { try out.fileHandleForReading.readToEnd() ?? Data() }
        group.wait()
        process.waitUntilExit()
        let outData = try outRead.get(), errData = try errRead.get()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func theExamplesBecomeASiteAndTheOtherKindsAreNamed() async throws {
        let out = Fixtures.temporaryFolder("cli").appendingPathComponent("site")
        let r = try await run(["catalogue", "Schemas/examples", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(
            r.lines.contains(
                "Schemas/examples/good-credential.jsonld: warning: a credential, not a learning opportunity; not in the catalogue"
            ))
        #expect(
            r.lines.contains(
                "Schemas/examples/good.agreement.json: warning: a recognition agreement, not a learning opportunity; not in the catalogue"
            ))
        #expect(r.lines.contains { $0.hasPrefix("eccoe catalogue: note: sitemap.xml lists pages relative to the site's root") })
        let summary = try #require(r.lines.last)
        let documents = Fixtures.exampleNames().filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonld") }
        let opportunities = SiteTests.opportunityExamples.count
        #expect(
            summary.hasPrefix(
                "eccoe catalogue: \(opportunities) learning opportunities published, \(documents.count - opportunities) other files left out; site of "
            ), "\(summary)")
        #expect(summary.hasSuffix("open \(out.path)/index.html"))
        #expect(FileManager.default.fileExists(atPath: out.path + "/opportunities/eccoe-lo-exampleton-rdm-2026.html"))
        // Every line on standard error has the CLI's shape.
        for line in r.lines {
            #expect(line.hasPrefix("eccoe catalogue: ") || line.contains(": warning: ") || line.contains(": error: "), "\(line)")
        }
        // The same command again writes nothing new.
        let again = try await run(["catalogue", "Schemas/examples", "--out", out.path])
        #expect(again.status == 0)
        #expect(again.lines.last?.contains(": 0 written (0.0 MB), ") == true, "\(again.stderr)")
    }

    @Test func unreadableAndBrokenDocumentsExitTwoButTheSiteIsBuilt() async throws {
        let src = Fixtures.temporaryFolder("cli-src")
        Fixtures.write(
            [
                "good.jsonld": Fixtures.example("good-learning-opportunity.jsonld"),
                "broken.jsonld": Array(#"{"type": "LearningOpportunity", "title": }"#.utf8),
                "big.json": Array(repeating: UInt8(ascii: " "), count: 40_000) + Array("{}".utf8),
            ], in: src)
        let out = Fixtures.temporaryFolder("cli-out").appendingPathComponent("site")
        let r = try await run([
            "catalogue", src.path, "--out", out.path, "--max-file-size", "30000", "--base-url", "https://uni.example/courses",
        ])
        #expect(r.status == 2)
        #expect(r.lines.contains { $0.hasPrefix("\(src.path)/broken.jsonld: error: 1:42: ") })
        #expect(
            r.lines.contains {
                $0.hasPrefix("\(src.path)/big.json: error: cannot read: file is 40002 bytes, over the limit of 30000 bytes")
            })
        #expect(!r.stderr.contains("note: sitemap.xml"))
        #expect(FileManager.default.fileExists(atPath: out.path + "/index.html"))
        let sitemap = try String(contentsOf: out.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(sitemap.contains("<loc>https://uni.example/courses/index.html</loc>"))
    }

    @Test(arguments: [
        (["catalogue", "Schemas/examples"], "eccoe catalogue: missing --out SITE_DIR"),
        (["catalogue", "--out", "/tmp/x"], "eccoe catalogue: missing DIR"),
        (["catalogue", "Schemas/examples", "Editors", "--out", "/tmp/x"], "eccoe catalogue: one DIR only (got 2)"),
        (
            ["catalogue", "Schemas/examples", "--out", "/tmp/x", "--base-url", "uni.example"],
            "eccoe catalogue: --base-url needs an absolute http or https URL"
        ),
        (["catalogue", "Schemas/examples", "--out", "/tmp/x", "--title", "  "], "eccoe catalogue: --title needs a text"),
        (["catalogue", "Schemas/examples/good.agreement.json", "--out", "/tmp/x"], "eccoe catalogue: DIR must be a folder"),
        (["catalogue", "Schemas/examples", "--out", "/tmp/x", "--frobnicate"], "eccoe catalogue: unknown option --frobnicate"),
    ])
    func usageErrorsExitTwo(arguments: [String], message: String) async throws {
        let r = try await run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
        #expect(r.stderr.contains("usage: eccoe catalogue DIR --out SITE_DIR"))
    }

    @Test func theSourceFolderIsRefusedAsOutput() async throws {
        let r = try await run(["catalogue", "Schemas/examples", "--out", "Schemas/examples/site"])
        #expect(r.status == 2)
        #expect(
            r.stderr.contains("eccoe catalogue: error: Schemas/examples/site: the output folder lies inside the source folder"))
        #expect(!FileManager.default.fileExists(atPath: Fixtures.packageRoot.path + "/Schemas/examples/site"))
    }

    @Test func aFolderWithoutOpportunitiesWritesNothing() async throws {
        let src = Fixtures.temporaryFolder("cli-none")
        Fixtures.write(["a.jsonld": Fixtures.example("good-credential.jsonld")], in: src)
        let out = Fixtures.temporaryFolder("cli-none-out").appendingPathComponent("site")
        let r = try await run(["catalogue", src.path, "--out", out.path])
        #expect(r.status == 2)
        #expect(r.lines.contains("eccoe catalogue: error: no learning opportunities among the 1 document found; nothing written"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let empty = Fixtures.temporaryFolder("cli-empty")
        let e = try await run(["catalogue", empty.path, "--out", out.path])
        #expect(e.status == 2 && e.stderr.contains("no .json or .jsonld documents in this folder; nothing written"))
    }

    @Test func helpNamesTheCommand() async throws {
        let r = try await run(["--help"])
        #expect(r.stdout.contains("  catalogue publish the learning opportunities in a folder as a static, accessible web site"))
        let h = try await run(["catalogue", "--help"])
        #expect(h.status == 0 && h.stdout.hasPrefix("usage: eccoe catalogue DIR --out SITE_DIR"))
    }

    @Test func theTitleOptionNamesTheSite() async throws {
        let out = Fixtures.temporaryFolder("cli-title").appendingPathComponent("site")
        let r = try await run(["catalogue", "Schemas/examples", "--out", out.path, "--title", "Exampleton <courses>"])
        #expect(r.status == 0)
        let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(
            index.contains("<title>Exampleton &lt;courses&gt;</title>") && index.contains("<h1>Exampleton &lt;courses&gt;</h1>"))
    }
}
