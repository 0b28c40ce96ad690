import Criteria
import Foundation
import JSONSyntax
import Testing

@testable import RecognitionAgreements

/// Checks an HTML text with html5lib's strict parser (the WHATWG parsing algorithm: any parse error
/// fails) and reports what a reader and a browser would get: the section headings, every element name,
/// every attribute that can load or run something, the style text and the visible text.
enum HTMLInspector {
    struct Report: Decodable {
        var headings: [String]
        var elements: [String]
        var links: [String]
        var loading: [String]
        var styles: [String]
        var text: String
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static let script = #"""
        import html5lib, json, sys
        data = open(sys.argv[1], 'rb').read()
        try:
            doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data)
        except Exception as e:
            print(json.dumps({"error": str(e)})); sys.exit(0)
        els = list(doc.iter())
        loading = []
        for e in els:
            for k, v in e.attrib.items():
                if k in ("src", "srcset", "action", "formaction", "poster", "data", "background") or k.startswith("on"):
                    loading.append(e.tag + " " + k + "=" + v)
        print(json.dumps({
            "headings": ["".join(h.itertext()).strip() for h in els if h.tag == "h2"],
            "elements": sorted({e.tag for e in els if isinstance(e.tag, str)}),
            "links": [e.attrib.get("href", "") for e in els if e.tag == "a"],
            "loading": loading,
            "styles": ["".join(s.itertext()) for s in els if s.tag == "style"],
            "text": " ".join("".join(b.itertext()).split()) if (b := doc.find("body")) is not None else "",
        }))
        """#

    static func python() throws -> String {
        if let p = ProcessInfo.processInfo.environment["ECCOE_PYTHON"], !p.isEmpty { return p }
        throw Failure(
            description:
                "the renderer's HTML test needs Python with html5lib: set ECCOE_PYTHON (Tools/test.sh, the README's test command, makes one in .venv)"
        )
    }

    static func inspect(_ html: String) throws -> Report {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-render-\(UUID().uuidString).html")
        try Data(html.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [try python(), "-c", script, file.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Thrown, not trapped as readDataToEndOfFile() would; stderr is read after stdout (html5lib writes little there).
        let data = try out.fileHandleForReading.readToEnd() ?? Data()
        let errors = try err.fileHandleForReading.readToEnd() ?? Data()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "html5lib failed: \(String(decoding: errors, as: UTF8.self))")
        }
        if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let error = object["error"] as? String {
            throw Failure(description: "not valid HTML: \(error)")
        }
        return try JSONDecoder().decode(Report.self, from: data)
    }
}

@Suite struct RendererTests {
    static func example(_ name: String) throws -> JSONValue {
        let bytes = Array(try Data(contentsOf: packageRoot.appendingPathComponent("Schemas/examples/\(name)")))
        return JSONValue(SyntaxTree(parsing: bytes).root)
    }

    static let sections = [
        "1. Parties", "2. Purpose and scope", "3. Learning opportunities covered", "4. Equivalence table",
        "5. Recognition, grading and the transcript", "6. Learner rights", "7. Evidence", "8. Quality assurance",
        "9. Validity, renewal and termination", "10. Data protection and applicable law", "11. Signatures",
    ]

    @Test func aSignedAgreementInTheMCRAsStructureWithNothingFetched() throws {
        let html = AgreementRenderer(document: try Self.example("good.agreement.json")).html()
        let report = try HTMLInspector.inspect(html)
        #expect(report.headings == Self.sections)
        #expect(report.loading.isEmpty)
        #expect(
            !report.elements.contains {
                ["script", "link", "img", "iframe", "object", "embed", "form", "base", "meta-refresh"].contains($0)
            }, "\(report.elements)")
        #expect(report.links.allSatisfy { $0.hasPrefix("https://") || $0.hasPrefix("http://") })
        #expect(report.styles.count == 1 && !report.styles[0].contains("url(") && !report.styles[0].contains("@import"))
        #expect(report.styles[0].contains("size: A4") && report.styles[0].contains("counter(pages)"))
        for expected in [
            "Signed by every party.", "University of Exampleton", "Musterstadt University of Applied Sciences",
            "Hochschule Musterstadt", "WP-DM-05", "Prof. Jane Doe", "2026-06-15", "Exampleton", "within 30 days",
            "Level 6", "0322 Library, information and archival studies", "English", "written notice of 6 months",
            "kept for 5 years", "Registered in EQAR", "bestanden", "At most 30 ECTS credits",
        ] {
            #expect(report.text.contains(expected), "\(expected)")
        }
        // The Erasmus code keeps its two spaces.
        #expect(html.contains("<span class=\"keep-spaces\">D  MUSTERS01</span>"))
        #expect(!report.text.contains("to be completed"))
    }

    @Test func aDraftShowsEachPlaceholderAsAMarkedBlank() throws {
        let drafted = try Drafted([Document(path: "/ws/catalogue/rdm.jsonld", text: goodLearningOpportunity)])
        let html = AgreementRenderer(document: drafted.result.document).html()
        let report = try HTMLInspector.inspect(html)
        #expect(report.headings == Self.sections)
        #expect(report.text.contains("Draft. 14 items are still to be completed"))
        for node in AgreementPlaceholder.nodes(in: drafted.tree) {
            let hint = try #require(node.stringValue.flatMap(AgreementPlaceholder.hint(of:)))
            #expect(report.text.contains("to be completed: \(hint)"), "\(hint)")
        }
        #expect(report.styles[0].contains("\"DRAFT · version 0.1\""))
        // Blank lines for the place and date of each signature.
        #expect(html.components(separatedBy: "<span class=\"line\"></span>").count - 1 == 4)
    }

    @Test func theSameAgreementGivesTheSameBytes() throws {
        let a = AgreementRenderer(document: try Self.example("good.agreement.json")).html()
        let b = AgreementRenderer(document: try Self.example("good.agreement.json")).html()
        #expect(a == b)
    }

    /// Every string of the good agreement replaced by hostile text: nothing becomes markup, a style or a link.
    @Test func hostileStringsStayText() throws {
        let payloads = [
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "</style><script>alert(2)</script>",
            "'; } body { display: none } /*", "javascript:alert(3)", "https://evil.example/\"onmouseover=\"alert(4)",
            "\u{202E}evil\u{202C} text \u{2066}x\u{2069}", "nul\u{0}byte\u{7F}", "&amp; &lt;b&gt;", "]]> <!-- -->", "\\\" \\A ",
        ]
        var n = 0
        func poison(_ v: JSONValue) -> JSONValue {
            switch v {
            case .string:
                n += 1
                return .string(payloads[n % payloads.count])
            case .array(let items): return .array(items.map(poison))
            case .object(let members): return .object(members.map { ($0.0, poison($0.1)) })
            default: return v
            }
        }
        let good = try Self.example("good.agreement.json")
        // The style without its string literals: a payload that got out of its string would change it.
        func skeleton(_ style: String) -> String { style.replacing(#/"(\\.|[^"\\])*"/#, with: "\"\"") }
        let cleanStyle = try HTMLInspector.inspect(AgreementRenderer(document: good).html()).styles.first.map(skeleton)
        for shift in 0..<payloads.count {
            n = shift
            let html = AgreementRenderer(document: poison(good)).html()
            let report = try HTMLInspector.inspect(html)
            #expect(report.loading.isEmpty, "\(report.loading)")
            #expect(!report.elements.contains("script") && !report.elements.contains("img"), "\(report.elements)")
            #expect(report.links.allSatisfy { $0.hasPrefix("https://") && !$0.contains("\"") }, "\(report.links)")
            #expect(report.styles.count == 1 && skeleton(report.styles[0]) == cleanStyle)
            #expect(!html.unicodeScalars.contains { $0 == "\u{202E}" || $0 == "\u{2066}" || $0 == "\u{0}" })
        }
    }

    /// Whatever shape the JSON has (wrong types, missing sections, random values), rendering gives valid HTML.
    @Test func anyJSONRendersAsValidHTML() throws {
        var generator = SplitMix(seed: 42)
        let good = try Self.example("good.agreement.json")
        let replacements: [JSONValue] = [
            .null, .int(-1), .double(2.5e300), .bool(true), .string(""), .string("[[x]]"), .array([]),
            .object([]), .array([.int(1), .string("P6M")]), .object([("en", .int(3))]), .string("P1Y6M"),
        ]
        func mutate(_ v: JSONValue, depth: Int) -> JSONValue {
            if generator.next() % 9 == 0 { return replacements[Int(generator.next() % UInt64(replacements.count))] }
            switch v {
            case .array(let items): return .array(items.map { mutate($0, depth: depth + 1) })
            case .object(let members):
                return .object(members.filter { _ in generator.next() % 13 != 0 }.map { ($0.0, mutate($0.1, depth: depth + 1)) })
            default: return v
            }
        }
        var htmls: [String] = []
        for _ in 0..<300 { htmls.append(AgreementRenderer(document: mutate(good, depth: 0)).html()) }
        for garbage in [JSONValue.null, .int(3), .string("x"), .array([.object([])]), .object([])] {
            htmls.append(AgreementRenderer(document: garbage).html())
        }
        // html5lib is slow: a sample of them, and the degenerate ones.
        for html in htmls.enumerated().filter({ $0.offset % 20 == 0 || $0.offset >= 300 }).map(\.element) {
            let report = try HTMLInspector.inspect(html)
            #expect(report.headings == Self.sections)
        }
    }

    @Test(arguments: [
        ("P30D", "30 days"), ("P6M", "6 months"), ("P1M", "1 month"), ("P5Y", "5 years"), ("P1Y6M", "1 year and 6 months"),
        ("PT135H", "135 hours"), ("P2W", "2 weeks"), ("P1DT2H30M", "1 day, 2 hours and 30 minutes"),
    ])
    func durationsInWords(_ iso: String, _ words: String) {
        #expect(AgreementRenderer.durationWords(iso) == words)
    }

    @Test(arguments: ["3 months", "P", "PT", "P3", "P3X", "PM", "", "P3MT"])
    func otherTextIsNotADuration(_ text: String) {
        #expect(AgreementRenderer.durationWords(text) == nil)
    }

    @Test func escaping() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("a\u{0}b\u{1B}c\u{202E}d\u{2067}e\tf\ng") == "abcde\tf\ng")
        #expect(HTMLText.cssString("</style>\"\\\n") == #""\3C /style\3E \"\\\A ""#)
        #expect(HTMLText.isLinkable("https://example.org/a?b=c"))
        #expect(
            !HTMLText.isLinkable("javascript:alert(1)") && !HTMLText.isLinkable("https://x.org/\"a")
                && !HTMLText.isLinkable("https://"))
        #expect(HTMLText.languageTag("de-CH") == "de-CH" && HTMLText.languageTag("x\" onload=\"y") == nil)
    }
}

/// A small seeded generator (SplitMix64), so the random agreements are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
