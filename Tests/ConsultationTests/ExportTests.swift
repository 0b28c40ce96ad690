import Criteria
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

@Suite struct UnitTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func sha256KnownAnswers(_ input: String, _ expected: String) {
        #expect(SHA256.hex(Array(input.utf8)) == expected)
    }

    @Test func sha256AgainstTheSystemTool() throws {
        // Cross-check long and odd-length inputs against coreutils' sha256sum.
        for length in [55, 56, 63, 64, 65, 1000, 100_003] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(length)-\(UUID().uuidString)")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            p.arguments = [file.path]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(SHA256.hex(bytes) == String(text.prefix(64)))
        }
        // HMAC-SHA-256, RFC 4231 test case 2.
        #expect(
            Secrets.hex(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func timestampsParseAndPrint() {
        #expect(Timestamp(rfc3339: "2026-03-01T09:00:00+01:00")?.rfc3339 == "2026-03-01T08:00:00.000Z")
        #expect(Timestamp(rfc3339: "2024-02-29T23:59:59.5Z")?.rfc3339 == "2024-02-29T23:59:59.500Z")
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59Z")?.milliseconds == -1000)
        for bad in ["2026-02-30T00:00:00Z", "2026-03-01T09:00:00", "2026-03-01 09:00:00Z", "2026-13-01T00:00Z", "x", ""] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: [
        ("plain", "plain"), ("=SUM(A1:A9)", "'=SUM(A1:A9)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
        ("  =1", "'  =1"), ("  x", "\"  x\""), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""), ("\r=1", "\"'\r=1\""),
    ])
    func csvCellsAreQuotedAndFormulasNeutralised(_ value: String, _ expected: String) {
        #expect(Exporter.csvCell(value) == expected)
    }

    @Test func definitionProblemsSayWhereAndWhat() {
        let text = """
            {"id": "x", "title": "T", "catalogueVersion": "\(Catalogue.standard.version)", "timeZone": "UTC",
             "opensAt": "2026-05-01T00:00:00Z", "closesAt": "2026-04-01T00:00:00Z",
             "privacy": {"version": "1", "text": "p"},
             "profile": [{"id": "a", "type": "singleChoice", "label": "A", "options": [{"value": "v", "label": "V"}]}],
             "sections": [{"id": "s", "title": "S", "items": {"criteria": ["MC-01", "MC-99"]},
                           "questions": [{"id": "q", "type": "text", "label": "Q", "showIf": {"question": "nope", "in": ["v"]}}]}]}
            """
        guard case .failure(let e) = ConsultationDefinition.load(Array(text.utf8)) else {
            Issue.record("expected problems")
            return
        }
        let messages = e.problems.map(\.description).joined(separator: "\n")
        #expect(messages.contains("CO-02"))
        #expect(messages.contains("CO-03") && messages.contains("5:"))
        #expect(messages.contains("CO-04"))
        #expect(messages.contains("CO-05"))
        guard case .failure(let syntax) = ConsultationDefinition.load(Array("{\"id\": }".utf8)) else { return }
        #expect(syntax.problems.first?.line == 1 && syntax.problems.first?.column == 8)
    }

    @Test func theExampleConsultationAndTheBuiltInOneLoad() throws {
        let builtIn = ConsultationDefinition.builtIn(opensAt: testOpensAt)
        #expect(builtIn.items.count >= 60)
        #expect(
            builtIn.profile.map(\.id) == ["capacity", "stakeholderGroup", "organisationType", "country", "role", "familiarity"])
        #expect(builtIn.profileQuestion("country")?.options.count ?? 0 > 200)
        #expect(builtIn.canWrite(at: testOpensAt) && !builtIn.canWrite(at: testOpensAt.adding(seconds: -1)))
    }

    @Test func rateLimiterAtItsLimit() {
        let now = ManualMonotonicClock(0)
        let limiter = RateLimiter(perMinute: 4, clock: now.clock)
        for _ in 0..<4 { #expect(limiter.take(address: "192.0.2.1") == nil) }
        #expect(limiter.take(address: "192.0.2.1") == 15)
        #expect(limiter.wait(address: "192.0.2.1") == 15, "looking does not take")
        #expect(limiter.take(address: "192.0.2.2") == nil, "another address has its own bucket")
        now.advance(by: 15)
        #expect(limiter.take(address: "192.0.2.1") == nil)
        #expect(RateLimiter(perMinute: 0).take(address: "x") == nil)
    }

    @Test func aCostlyTakeDelaysTheNextOnesAndIPv6CountsByNetwork() {
        let now = ManualMonotonicClock(0)
        let limiter = RateLimiter(perMinute: 6, clock: now.clock)
        #expect(limiter.take(address: "2001:db8:1:2::5", cost: 10) == nil, "one token is enough to pass")
        // 6 - 10 = -4 tokens: 5 tokens (50 s at one per 10 s) before the next write.
        #expect(limiter.take(address: "2001:db8:1:2:ffff::1") == 50, "the same /64 shares the bucket")
        #expect(limiter.take(address: "2001:db8:1:3::5") == nil, "another /64 does not")
        now.advance(by: 50)
        #expect(limiter.take(address: "2001:db8:1:2::5") == nil)
    }
}

@Suite(.serialized) struct ExportAndReportTests {
    /// Responses with awkward texts, through the API, for the export tests.
    func seeded() throws -> (TestCollector, [String]) {
        let c = try TestCollector()
        let texts = [
            "plain", "=HYPERLINK(\"http://x\")", "comma, and \"quotes\"", "line one\nline two\r\nline three", "+49 30 1234",
            "-minus", "@at", "\ttab first", "ünïcödé 😀 中文", "مرحبا، \"عالم\"\nسطر", "  leading spaces", "trailing spaces  ",
            "'already quoted",
        ]
        for (i, t) in texts.enumerated() {
            let r = try c.postJSON("/api/v1/responses", validResponseJSON(i, comment: t, country: i % 2 == 0 ? "BEL" : "DEU"))
            #expect(r.status == 201)
        }
        return (c, texts)
    }

    func export(_ c: TestCollector, _ format: ExportFormat, bom: Bool = false) throws -> [UInt8] {
        try c.request(
            "GET", "/api/v1/export?format=\(format.rawValue)\(bom ? "&bom=1" : "")",
            headers: [("Authorization", "Bearer \(TestCollector.analystToken)")]
        ).body
    }

    @Test func exportsAreDeterministicAndNeutraliseFormulas() throws {
        let (c, texts) = try seeded()
        defer { c.stop() }
        for format in ExportFormat.allCases {
            let a = try export(c, format), b = try export(c, format)
            #expect(a == b && !a.isEmpty, "\(format) is byte-identical")
        }
        let long = String(decoding: try export(c, .csv), as: UTF8.self)
        #expect(long.hasPrefix("response_id,consultation_id,catalogue_version,"))
        #expect(long.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(
            long.contains(",'+49 30 1234,") && long.contains(",'-minus,") && long.contains(",'@at,")
                && long.contains(",'\ttab first,"))
        #expect(long.components(separatedBy: ",eccoe-criteria,").count - 1 == texts.count * 3, "three answers per response")
        let wide = String(decoding: try export(c, .csvWide), as: UTF8.self)
        #expect(wide.contains("MC-01_rating,MC-01_no_opinion,MC-01_comment,MC-01_suggestion"))
        #expect(try export(c, .csv, bom: true).prefix(3) == [0xEF, 0xBB, 0xBF])
        let lines = String(decoding: try export(c, .jsonl), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == texts.count)
        for (line, text) in zip(lines, texts) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object.object("answers")?.object("MC-01")?.string("comment") == text, "JSON Lines keep the exact text")
        }
    }

    @Test func theReportIsServedWithAPolicyThatAllowsOnlyItsOwnStyle() throws {
        let (c, _) = try seeded()
        defer { c.stop() }
        let report = try c.request("GET", "/report", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")])
        let html = report.text
        #expect(html.contains("<strong>13</strong> responses"))
        #expect(html.contains("<svg role=\"img\" aria-labelledby=\"chart-all-title chart-all-desc\""))
        #expect(html.contains("<title id=\"chart-all-title\">") && html.contains("<desc id=\"chart-all-desc\">"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"))
        // Served with a CSP that allows exactly its inline style.
        let csp = try #require(report.header("Content-Security-Policy"))
        #expect(csp.contains("style-src 'sha256-\(Secrets.base64(SHA256.hash(Array(Report.style.utf8))))'"))
        #expect(html.contains("<style>\(Report.style)</style>"))
    }

    @Test func theCSVExportsRoundTripThroughPythonsCSVModuleAndPandasAndTheCodebookCoversEveryColumn() throws {
        let (c, texts) = try seeded()
        defer { c.stop() }
        let python = try PythonWithPandas.locate()
        let dir = c.directory
        try Data(try export(c, .csv, bom: true)).write(to: dir.appendingPathComponent("long.csv"))
        try Data(try export(c, .csvWide)).write(to: dir.appendingPathComponent("wide.csv"))
        try Data(Codebook(definition: c.definition, format: .csv).csv.utf8).write(
            to: dir.appendingPathComponent("long.codebook.csv"))
        try Data(Codebook(definition: c.definition, format: .csvWide).csv.utf8).write(
            to: dir.appendingPathComponent("wide.codebook.csv"))
        let script = """
            import csv, json, sys, pandas as pd
            d = sys.argv[1]
            def rows(name, encoding="utf-8"):
                with open(d + "/" + name, newline="", encoding=encoding) as f:
                    return list(csv.reader(f, strict=True))
            out = {}
            for form, enc in (("long", "utf-8-sig"), ("wide", "utf-8")):
                table = rows(form + ".csv", enc)
                book = rows(form + ".codebook.csv")
                out[form + "Header"] = table[0]
                out[form + "Widths"] = sorted(set(len(r) for r in table))
                out[form + "Rows"] = len(table) - 1
                out[form + "Codebook"] = [r[1] for r in book[1:] if r[0] == "column"]
                out[form + "Criteria"] = [r[1] for r in book[1:] if r[0] == "criterion" and r[5]]
                frame = pd.read_csv(d + "/" + form + ".csv", encoding=enc, dtype=str, keep_default_na=False)
                out[form + "PandasColumns"] = list(frame.columns)
                out[form + "PandasRows"] = len(frame)
            long = rows("long.csv", "utf-8-sig")
            h = long[0]
            mc01 = [r for r in long[1:] if r[h.index("criterion_id")] == "MC-01"]
            out["comments"] = [r[h.index("comment")] for r in mc01]
            out["ratings"] = [r[h.index("rating")] for r in mc01]
            frame = pd.read_csv(d + "/long.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
            out["pandasComments"] = list(frame[frame["criterion_id"] == "MC-01"]["comment"])
            out["noOpinion"] = list(frame[frame["criterion_id"] == "MC-02"]["no_opinion"])
            wide = pd.read_csv(d + "/wide.csv", encoding="utf-8", dtype=str, keep_default_na=False)
            out["wideComments"] = list(wide["MC-01_comment"])
            print(json.dumps(out))
            """
        let result = try PythonWithPandas.run(python, script: script, arguments: [dir.path])
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any], "Python printed: \(result)")
        let expected = texts.map { t -> String in
            let first = t.unicodeScalars.first { $0 != " " }
            return first.map { "=+-@\t\r".unicodeScalars.contains($0) } == true ? "'" + t : t
        }
        let exporter = Exporter(definition: c.definition, reader: try c.store.openReader())
        for (form, format, rows) in [("long", ExportFormat.csv, texts.count * 3), ("wide", .csvWide, texts.count)] {
            let header = summary[form + "Header"] as? [String]
            #expect(header == exporter.columns(format), "\(form): the header is the documented column list")
            #expect(summary[form + "Codebook"] as? [String] == header, "\(form): one codebook row per column, in order")
            #expect(summary[form + "PandasColumns"] as? [String] == header)
            #expect(summary[form + "Widths"] as? [Int] == [header?.count ?? -1], "\(form): every row has every column")
            #expect(summary[form + "Rows"] as? Int == rows && summary[form + "PandasRows"] as? Int == rows)
            #expect((summary[form + "Criteria"] as? [String])?.count == c.definition.items.count, "criterion texts")
        }
        #expect(summary["comments"] as? [String] == expected, "csv module")
        #expect(summary["pandasComments"] as? [String] == expected, "pandas")
        #expect(summary["wideComments"] as? [String] == expected)
        #expect(summary["ratings"] as? [String] == (0..<texts.count).map { String($0 % 5 + 1) })
        #expect(summary["noOpinion"] as? [String] == Array(repeating: "1", count: texts.count))
    }
}

/// Finds a Python with pandas: `$ECCOE_PYTHON` (set by .ci/run), else `python3` if it has pandas. A
/// missing pandas is a failure with a clear message, never a skip.
enum PythonWithPandas {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func locate() throws -> String {
        if let p = ProcessInfo.processInfo.environment["ECCOE_PYTHON"], !p.isEmpty { return p }
        if (try? run("python3", script: "import pandas", arguments: [])) != nil { return "python3" }
        throw Missing(
            description: "the CSV round-trip test needs Python with pandas: set ECCOE_PYTHON to such an interpreter "
                + "(Tools/test.sh, the README's test command, makes one in .venv) or install pandas for python3")
    }

    static func run(_ python: String, script: String, arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Missing(description: "\(python) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
