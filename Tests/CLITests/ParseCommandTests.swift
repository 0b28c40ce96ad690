import Foundation
import Testing

@Suite struct ParseCommandTests {
    let dir: URL

    init() throws {
        dir = try CommandRunner.temporaryDirectory([
            "good.json": Array("{\"title\": {\"en\": \"Data literacy\"}, \"credits\": 5}\n".utf8),
            "bad.json": Array("{\n  \"é😀\": tru,\r\n  \"b\": [1,]\n}\n".utf8),
            "warn.json": Array("{\"a\": 1, \"a\": 2}".utf8),
            "comments.jsonc": Array("// note\n{\"a\": [1, 2,],}".utf8),
            "comments.json": Array("// note\n{\"a\": 1}".utf8),
        ])
    }

    func run(_ args: [String], stdin: Data? = nil) throws -> CommandRunner.Result {
        try CommandRunner.run(args, stdin: stdin, in: dir)
    }

    @Test func helpAndVersionForEveryLevel() throws {
        let top = try run(["--help"])
        #expect(top.status == 0)
        #expect(top.stdout.contains("usage: eccoe <command>"))
        #expect(top.stdout.contains("parse"))
        let version = try run(["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("eccoe "))
        let help = try run(["parse", "--help"])
        #expect(help.status == 0 && help.stdout.contains("usage: eccoe parse [--jsonc] [--format text|json] FILE..."))
        let sub = try run(["parse", "--version"])
        #expect(sub.status == 0 && sub.stdout.hasPrefix("eccoe parse "))
    }

    @Test(arguments: [
        (["frobnicate"], "unknown command"),
        (["parse"], "missing FILE"),
        (["parse", "--bogus", "good.json"], "unknown option --bogus"),
        (["parse", "--format"], "needs a value"),
        (["parse", "--format", "xml", "good.json"], "must be `text` or `json`"),
        (["parse", "--jsonc=yes", "good.json"], "takes no value"),
        ([], "usage: eccoe"),
    ])
    func usageErrorsExitTwo(_ args: [String], _ message: String) throws {
        let r = try run(args)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains("usage:"))
        #expect(r.stdout.isEmpty)
    }

    @Test func validFileExitsZeroSilently() throws {
        let r = try run(["parse", "good.json"])
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty)
    }

    @Test func errorsAreReportedOnePerLine() throws {
        let r = try run(["parse", "bad.json"])
        #expect(r.status == 1)
        // Columns count bytes: `  "é😀": ` is 2 + 1 + 2 + 4 + 1 + 1 + 1 bytes before `tru`.
        #expect(
            r.stdout == """
                bad.json:2:13: error: unexpected `tru`
                bad.json:3:10: error: trailing comma: JSON allows no comma before `]`

                """)
    }

    @Test func warningsAloneExitZero() throws {
        let r = try run(["parse", "warn.json"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("warn.json:1:10: warning: duplicate key `a`"))
    }

    @Test func jsoncByFlagOrExtension() throws {
        #expect(try run(["parse", "comments.jsonc"]).status == 0)
        #expect(try run(["parse", "comments.json"]).status == 1)
        #expect(try run(["parse", "--jsonc", "comments.json"]).status == 0)
    }

    @Test func unreadableFilesExitTwoAndOthersAreStillRead() throws {
        let r = try run(["parse", "missing.json", "bad.json", "."])
        #expect(r.status == 2)
        #expect(r.stderr.contains("missing.json: error: cannot read: No such file or directory"))
        #expect(r.stderr.contains(".: error: cannot read: is a directory"))
        #expect(r.stdout.contains("bad.json:2:13: error: unexpected `tru`"))
    }

    @Test func readsStandardInput() throws {
        let r = try run(["parse", "-"], stdin: Data("[1 2]".utf8))
        #expect(r.status == 1)
        #expect(r.stdout == "-:1:3: error: expected `,` or `]` after the element\n")
    }

    @Test func jsonFormatGivesByteAndLSPRanges() throws {
        let r = try run(["parse", "--format", "json", "bad.json", "good.json"])
        #expect(r.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["bad.json", "good.json"])
        let diagnostics = try #require(files[0]["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 2)
        let first = diagnostics[0]
        #expect(first["code"] as? String == "invalid-literal")
        #expect(first["severity"] as? String == "error")
        #expect(first["line"] as? Int == 2 && first["column"] as? Int == 13)
        let bytes = try #require(first["byteRange"] as? [String: Int])
        #expect(bytes == ["start": 14, "end": 17])
        // The LSP range counts UTF-16 code units: é is 1, 😀 is 2.
        let range = try #require(first["range"] as? [String: [String: Int]])
        #expect(range["start"] == ["line": 1, "character": 9])
        #expect(range["end"] == ["line": 1, "character": 12])
        #expect((files[1]["diagnostics"] as? [Any])?.isEmpty == true)
    }
}
