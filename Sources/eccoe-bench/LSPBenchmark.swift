import CredentialCorpus
import Criteria
import EditorFeatures
import Foundation
import JSONSchema
import JSONSyntax
import LanguageServer

/// `eccoe-bench lsp`: replays typing (one character per `didChange`) against the release `eccoe lsp`
/// and measures the time from writing each change to reading its diagnostics, plus the server's peak memory.
/// Then a burst of 100 edits sent without pause to a 1 MB one-line document: how long after the last edit its
/// diagnostics arrive (`--burst` runs only that, `--no-burst` leaves it out).
/// The server is the `eccoe` next to this binary (same build folder). Options: `--quick`; `--sizes N,N`;
/// `--changes N`; `--client-values` (the client decodes whole messages into `JSONValue`s); `--stages`
/// (parse, validation and the whole check timed in process, no server; with `--rules`, each rule too; `--runs N`
/// repeats each stage N times); `--write-documents DIR` (writes the
/// generated documents for profiling with `eccoe check`).
enum LSPBenchmark {
    static func run(arguments: [String]) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eccoe")
        let quick = arguments.contains("--quick")
        // `--sizes 100000,10000000` runs only those document sizes; `--changes N` types N characters into each.
        var sizes = [10_000, 100_000, 1_000_000, 10_000_000]
        var fixedChanges: Int?
        if let i = arguments.firstIndex(of: "--sizes"), i + 1 < arguments.count {
            sizes = arguments[i + 1].split(separator: ",").compactMap { Int($0) }
        }
        if let i = arguments.firstIndex(of: "--changes"), i + 1 < arguments.count { fixedChanges = Int(arguments[i + 1]) }
        // `--format` measures only formatting a large document (`--format-size BYTES`, default 50 MB).
        if arguments.contains("--format") {
            let size = arguments.firstIndex(of: "--format-size").flatMap {
                $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil
            }
            try formatting(binary: binary, size: size ?? 50_000_000)
            return
        }
        // `--burst` measures only the burst of edits; `--no-burst` leaves it out.
        if arguments.contains("--burst") {
            try burst(binary: binary, size: 1_000_000, edits: 100, runs: quick ? 3 : 9)
            return
        }
        print("eccoe lsp typing replay (\(binary.path)); one character per didChange, push diagnostics")
        print(
            pad("document", 12) + pad("changes", 10) + pad("p50 ms", 10) + pad("p99 ms", 10) + pad("max ms", 10)
                + "server peak RSS")
        var largest = 0
        var peak = 0
        for size in sizes {
            var corpus = CredentialCorpus(seed: UInt64(size))
            // One credential (an object: the criteria engine checks it as a credential) of about this size.
            let text = String(decoding: corpus.credential(approximateBytes: size), as: UTF8.self)
            if let i = arguments.firstIndex(of: "--write-documents"), i + 1 < arguments.count {
                // For profiling the checks outside the server: `eccoe check DIR/credential-100000.jsonld`.
                let path = arguments[i + 1] + "/credential-\(size).jsonld"
                _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
                print("wrote \(path)")
                continue
            }
            if arguments.contains("--stages") {
                try stages(text: text)
                continue
            }
            let standard = quick ? (size >= 1_000_000 ? 20 : 100) : (size >= 10_000_000 ? 60 : size >= 1_000_000 ? 200 : 500)
            let changes = fixedChanges ?? standard
            let result = try replay(
                binary: binary, text: text, changes: changes, fullValues: arguments.contains("--client-values"))
            largest = max(largest, text.utf8.count)
            peak = max(peak, result.peakRSS)
            let sorted = result.latencies.sorted()
            func pct(_ p: Double) -> String {
                String(format: "%.2f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000)
            }
            print(
                pad("\(text.utf8.count / 1000) KB", 12) + pad("\(changes)", 10) + pad(pct(0.5), 10) + pad(pct(0.99), 10)
                    + pad(String(format: "%.2f", sorted.last! * 1000), 10) + "\(result.peakRSS / 1_000_000) MB")
            if !result.stages.isEmpty {
                print(
                    pad("", 12) + "server medians (ms): "
                        + result.stages.map { "\($0.name) " + String(format: "%.3f", $0.median) }.joined(separator: ", "))
            }
        }
        let budget = 20 * largest + 30_000_000
        print(
            "peak memory \(peak / 1_000_000) MB against the budget 20 × \(largest / 1_000_000) MB + 30 MB = \(budget / 1_000_000) MB"
        )
        print("targets: p50 < 1 ms and p99 < 5 ms at 100 KB; p50 < 50 ms at 10 MB")
        if !arguments.contains("--no-burst") && !arguments.contains("--stages") && !arguments.contains("--write-documents") {
            print("")
            try burst(binary: binary, size: 1_000_000, edits: 100, runs: quick ? 3 : 9)
        }
    }

    /// `--stages`: the server's work for one edit, in process and stage by stage (best of several runs), to see
    /// where the time goes without the pipes: parse, schema validation, the whole criteria check.
    static func stages(text: String) throws {
        let bytes = Array(text.utf8)
        let engine = try CriteriaEngine()
        let path = "/bench/doc.jsonld"
        func best(_ runs: Int, _ body: () -> Void) -> Double {
            var m = Double.infinity
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                m = min(m, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return m
        }
        // `--runs N` repeats each stage N times (more for profiling); the best run is reported.
        let arguments = CommandLine.arguments
        let runs =
            arguments.firstIndex(of: "--runs").flatMap { $0 + 1 < arguments.count ? Int(arguments[$0 + 1]) : nil }
            ?? (bytes.count >= 1_000_000 ? 5 : 50)
        let tree = SyntaxTree(parsing: bytes, dialect: .json)
        let kind = engine.kind(of: tree, path: path)
        let validator = kind.flatMap { engine.schemaValidator(for: $0) }
        let parse = best(runs) { _ = SyntaxTree(parsing: bytes, dialect: .json) }
        let validate = best(runs) { _ = validator?.validate(tree) }
        var count = 0
        // Without a path the engine keeps no validation memo: every run validates the whole document.
        let check = best(runs) { count = engine.check(tree, path: nil, kind: kind).count }
        print(
            pad("\(bytes.count / 1000) KB", 12)
                + String(
                    format: "parse %.2f ms, validate %.2f ms, check (validation included) %.2f ms, %d findings",
                    parse, validate, check, count))
        // Typing: versions that differ by one character in the middle, validated and checked through the memo
        // carried from the previous version (as the language server does).
        // Each version has one letter more than the document, a different letter each time, so consecutive
        // versions differ by one character and the text does not grow with the number of runs.
        let offset = typingOffset(bytes)
        var versions: [SyntaxTree] = []
        for k in 0..<(runs + 1) {
            var edited = bytes
            edited.insert(UInt8(ascii: "a") + UInt8(k % 26), at: offset)
            versions.append(SyntaxTree(parsing: edited, dialect: .json))
        }
        let memo = ValidationMemo()
        if let validator { _ = validator.validate(versions[0], memo: memo) }
        var next = 1
        let memoValidate = best(runs) {
            _ = validator?.validate(versions[next], memo: memo)
            next += 1
        }
        // The document's memory, as the language server keeps one per open document.
        let memory = kind.map { DocumentMemory(kind: $0) }
        for k in 0..<(runs + 1) { _ = engine.check(versions[k], path: path, kind: kind, memory: memory) }
        var nextCheck = 0
        let memoCheck = best(runs) {
            _ = engine.check(versions[nextCheck % versions.count], path: path, kind: kind, memory: memory)
            nextCheck += 1
        }
        // The language server's whole analysis of an edit: the check plus the conversion of findings to
        // diagnostics-to-be (with fix data), through its own analyzer.
        let analyzer = try CriteriaAnalyzer()
        let snapshots = versions.map {
            DocumentSnapshot(uri: "file://" + path, version: 1, languageID: "json", text: SourceText($0.bytes))
        }
        var state: AnalyzerState?
        for k in 0..<versions.count {
            state = analyzer.analyze(snapshots[k], tree: versions[k], previous: state, workspace: WorkspaceView()).state
        }
        var nextAnalysis = 0
        let memoAnalysis = best(runs) {
            let k = nextAnalysis % versions.count
            state = analyzer.analyze(snapshots[k], tree: versions[k], previous: state, workspace: WorkspaceView()).state
            nextAnalysis += 1
        }
        print(
            pad("", 12)
                + String(
                    format: "one-character edits: validate with memo %.2f ms, check (memo) %.2f ms, server analysis %.2f ms",
                    memoValidate, memoCheck, memoAnalysis))
        if let kind, CommandLine.arguments.contains("--rules") {
            // Each step's best time over the runs, slowest first.
            var bestByStep: [String: Double] = [:]
            var order: [String] = []
            // Each version in turn, through the path's validation memo, as the server checks them.
            for k in 0..<runs {
                for (step, ms) in engine.stepTimings(versions[k % versions.count], kind: kind, path: path, memory: memory) {
                    if bestByStep[step] == nil { order.append(step) }
                    bestByStep[step] = min(bestByStep[step] ?? .infinity, ms)
                }
            }
            for step in order.sorted(by: { bestByStep[$0]! > bestByStep[$1]! }) where bestByStep[step]! >= 0.005 {
                print(pad("", 12) + String(format: "%8.3f ms  ", bestByStep[step]!) + step)
            }
        }
    }

    // MARK: Bursts of edits

    /// `--burst`: 100 edits sent without pause to a 1 MB document on one line (minified JSON), then the time
    /// from writing the last edit to reading the diagnostics of its version. The server must not analyse
    /// each version in turn: it coalesces the burst so that its diagnostics are at most one analysis behind.
    /// Repeated `runs` times; prints the median and the worst, and how many versions were analysed and pushed.
    static func burst(binary: URL, size: Int, edits: Int, runs: Int) throws {
        // A credential whose minified text (one line) is about `size` bytes.
        func oneLine(_ approximate: Int) throws -> [UInt8] {
            var corpus = CredentialCorpus(seed: UInt64(size))
            guard case .success(let value) = JSONValue.parse(corpus.credential(approximateBytes: approximate)) else {
                throw BenchError("the generated credential does not parse")
            }
            return value.serialized
        }
        var text = try oneLine(size)
        text = try oneLine(size * size / max(1, text.count))
        var lags: [Double] = []
        var pushed: [Int] = []
        for run in 0..<runs {
            let server = try BenchServer(binary: binary)
            defer { server.stop() }
            let uri = "file:///bench/burst-\(run).jsonld"
            server.send([
                "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": [
                    "textDocument": [
                        "uri": .string(uri), "languageId": "json", "version": 1,
                        "text": .string(String(decoding: text, as: UTF8.self)),
                    ]
                ],
            ])
            _ = try server.waitForDiagnostics(version: 1, timeout: 60)
            // Type in the middle of a string value, one character per edit, as fast as the pipe takes them.
            let offset = typingOffset(text)
            let start = SourceTextPosition(bytes: text).position(of: offset)
            var frames: [UInt8] = []
            for i in 0..<edits {
                let character = start.character + i
                let change: JSONValue = [
                    "range": [
                        "start": ["line": .int(start.line), "character": .int(character)],
                        "end": ["line": .int(start.line), "character": .int(character)],
                    ],
                    "text": "x",
                ]
                frames += benchFrame([
                    "jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": [
                        "textDocument": ["uri": .string(uri), "version": .int(i + 2)],
                        "contentChanges": [change],
                    ],
                ])
            }
            server.clearPushes()
            server.write(frames)
            let lastWritten = DispatchTime.now().uptimeNanoseconds
            let arrival = try server.waitForDiagnostics(version: edits + 1, timeout: 60)
            lags.append(Double(arrival - lastWritten) / 1e6)
            pushed.append(server.pushedVersions.count)
        }
        lags.sort()
        pushed.sort()
        print(
            pad("\(text.count / 1000) KB, 1 line", 16) + "\(edits) edits without pause, \(runs) bursts: last diagnostics "
                + String(format: "%.1f ms", lags[lags.count / 2]) + " after the last edit (median; worst "
                + String(format: "%.1f ms", lags.last!) + "), \(pushed[pushed.count / 2]) of \(edits) versions pushed (median)")
        print("target: the last diagnostics within 50 ms of the last edit")
    }

    // MARK: Formatting

    /// `--format`: formatting a large JSON document (50 MB by default, `--format-size BYTES`) through the
    /// server, twice: once formatted but for one joined line (the answer should be one small edit), once asked
    /// for another indentation (every line changes). Prints the time, the answer's size and edits, and the
    /// server's resident memory before and its peak after (the document is plain JSON, so opening it costs a
    /// parse and no criteria check, and the peak shows what formatting adds).
    static func formatting(binary: URL, size: Int) throws {
        // An array of credentials: plain JSON to the criteria engine (no kind), formatted with two spaces.
        var corpus = CredentialCorpus(seed: 7)
        var raw: [UInt8] = [0x5B]
        let one = corpus.credential(approximateBytes: 1_000_000)
        while raw.count < size {
            if raw.count > 1 { raw.append(0x2C) }
            raw += one
        }
        raw.append(0x5D)
        let formatted = Array(JSONFormatter(indent: "  ").format(SyntaxTree(parsing: raw)).utf8)
        // One line joined to the next, a third of the way in.
        var text = formatted
        if let newline = text[(text.count / 3)...].firstIndex(of: 0x0A) {
            var end = newline + 1
            while end < text.count && text[end] == 0x20 { end += 1 }
            text.replaceSubrange(newline..<end, with: [0x20])
        }
        print("formatting \(text.count / 1_000_000) MB of JSON through `eccoe lsp` (\(binary.path))")
        for (name, tabSize) in [("one line joined", 2), ("re-indented to 4", 4)] {
            let server = try BenchServer(binary: binary)
            defer { server.stop() }
            server.send([
                "jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": [
                    "textDocument": [
                        "uri": "file:///bench/big.json", "languageId": "json", "version": 1,
                        "text": .string(String(decoding: text, as: UTF8.self)),
                    ]
                ],
            ])
            _ = try server.waitForDiagnostics(version: 1, timeout: 300)
            let before = memory(pid: server.pid)
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try server.request(
                id: 10, "textDocument/formatting",
                [
                    "textDocument": ["uri": "file:///bench/big.json"],
                    "options": ["tabSize": .int(tabSize), "insertSpaces": true],
                ], timeout: 300)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let after = memory(pid: server.pid)
            print(
                pad("  \(name)", 22) + String(format: "%8.0f ms, ", elapsed)
                    + "\(response.edits) edits, \(response.bytes / 1000) KB answer; "
                    + "server resident \(before.rss / 1_000_000) MB before, peak \(after.peak / 1_000_000) MB after "
                    + "(+\((after.peak - max(before.peak, before.rss)) / 1_000_000) MB over the earlier peak \(before.peak / 1_000_000) MB)"
            )
        }
    }

    /// Resident (VmRSS) and peak resident (VmHWM) memory of a live process, from /proc.
    static func memory(pid: Int32) -> (rss: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return 0 }
            return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }

    struct Result {
        var latencies: [Double]
        var peakRSS: Int
        /// The server's own median per stage (`eccoe lsp --log-timings`), in milliseconds, in stage order.
        var stages: [(name: String, median: Double)]
    }

    /// Medians of the stage timings the server logged, one line per push: `timings vN: edit 0.012, wait …`.
    static func stageMedians(log: URL) -> [(name: String, median: Double)] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        var order: [String] = []
        var values: [String: [Double]] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.range(of: "timings v")?.upperBound, let start = line[colon...].firstIndex(of: ":") else {
                continue
            }
            for field in line[line.index(after: start)...].split(separator: ",") {
                let words = field.split(separator: " ")
                guard words.count >= 2, let v = Double(words[1]) else { continue }
                let name = String(words[0])
                if values[name] == nil { order.append(name) }
                values[name, default: []].append(v)
            }
        }
        return order.map { name in
            let sorted = values[name]!.sorted()
            return (name, sorted[sorted.count / 2])
        }
    }

    /// The client parses every message whole, into a syntax tree (as an editor's native JSON parser would), and
    /// keeps as values only what the replay looks at: `id`, `method`, `params.version` and the number of
    /// diagnostics. With `fullValues` (`--client-values`) it builds a `JSONValue` of the whole message
    /// instead, which for a large push costs the client more than the server spends encoding it.
    static func replay(binary: URL, text: String, changes: Int, fullValues: Bool) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["lsp", "--stdio", "--log-timings"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-bench-lsp-\(getpid()).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardError = logHandle
        defer {
            try? logHandle.close()
            try? FileManager.default.removeItem(at: log)
        }
        try process.run()
        let writer = input.fileHandleForWriting
        let reader = output.fileHandleForReading
        var framer = MessageFramer()
        var inbox: [JSONValue] = []

        func send(_ message: JSONValue) {
            let body = message.serialized
            writer.write(Data(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body))
        }
        func waitFor(_ predicate: (JSONValue) -> Bool) -> JSONValue {
            while true {
                if let i = inbox.firstIndex(where: predicate) { return inbox.remove(at: i) }
                let data = reader.availableData
                if data.isEmpty { fatalError("server closed its output") }
                for event in framer.feed(Array(data)) {
                    guard case .message(let body) = event else { continue }
                    if fullValues {
                        if case .success(let v) = JSONValue.parse(body) { inbox.append(v) }
                    } else if let v = summary(body) {
                        inbox.append(v)
                    }
                }
            }
        }

        send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["processId": nil, "capabilities": [:]]])
        _ = waitFor { $0["id"] == 1 }
        send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
        let uri: JSONValue = "file:///bench/doc.jsonld"
        send([
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": uri, "languageId": "json", "version": 1, "text": .string(text)]],
        ])
        _ = waitFor { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["version"] == 1 }

        let bytes = Array(text.utf8)
        let offset = typingOffset(bytes)
        let source = SourceTextPosition(bytes: bytes)
        var position = source.position(of: offset)
        var latencies: [Double] = []
        let letters = Array("credential")
        for i in 0..<changes {
            let version = i + 2
            let change: JSONValue = [
                "range": [
                    "start": ["line": .int(position.line), "character": .int(position.character)],
                    "end": ["line": .int(position.line), "character": .int(position.character)],
                ],
                "text": .string(String(letters[i % letters.count])),
            ]
            let start = DispatchTime.now().uptimeNanoseconds
            send([
                "jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": ["textDocument": ["uri": uri, "version": .int(version)], "contentChanges": [change]],
            ])
            _ = waitFor { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["version"] == .int(version) }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            position.character += 1
        }
        let peak = peakRSS(pid: process.processIdentifier)
        send(["jsonrpc": "2.0", "id": 2, "method": "shutdown"])
        _ = waitFor { $0["id"] == 2 }
        send(["jsonrpc": "2.0", "method": "exit"])
        process.waitUntilExit()
        return Result(latencies: latencies, peakRSS: peak, stages: stageMedians(log: log))
    }

    /// The fields of a message the replay reads, after parsing all of it; nil when it is not valid JSON.
    static func summary(_ body: [UInt8]) -> JSONValue? {
        let tree = SyntaxTree(parsing: body)
        guard !tree.diagnostics.contains(where: { $0.severity == .error }), tree.root.kind == .object else { return nil }
        var fields: [(String, JSONValue)] = []
        if let id = tree.root.value(forKey: "id")?.integerValue { fields.append(("id", .int(Int(id)))) }
        if let method = tree.root.value(forKey: "method")?.stringValue { fields.append(("method", .string(method))) }
        if let params = tree.root.value(forKey: "params"), params.kind == .object {
            var p: [(String, JSONValue)] = []
            if let version = params.value(forKey: "version")?.integerValue { p.append(("version", .int(Int(version)))) }
            if let diagnostics = params.value(forKey: "diagnostics"), diagnostics.kind == .array {
                p.append(("diagnostics", .int(diagnostics.elements.count)))
            }
            fields.append(("params", .object(p)))
        }
        return .object(fields)
    }

    /// Where the replay types: in the middle of the document, at the start of the first string value after the
    /// midpoint (just after the opening quote of the first `": "`), so every version stays valid JSON, as
    /// when an author edits a text.
    static func typingOffset(_ bytes: [UInt8]) -> Int {
        var offset = bytes.count / 2
        while offset + 3 < bytes.count
            && !(bytes[offset] == 0x22 && bytes[offset + 1] == 0x3A && bytes[offset + 2] == 0x20 && bytes[offset + 3] == 0x22)
        {
            offset += 1
        }
        return min(bytes.count, offset + 4)
    }

    /// Peak resident memory (VmHWM) of a live process, from /proc.
    static func peakRSS(pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (line.split(separator: " ").compactMap { Int($0) }.first ?? 0) * 1024
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

/// UTF-16 positions of byte offsets (the benchmark client speaks UTF-16, like most editors).
struct SourceTextPosition {
    let bytes: [UInt8]
    func position(of offset: Int) -> (line: Int, character: Int) {
        var line = 0, lineStart = 0
        for i in 0..<offset where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let character = String(decoding: bytes[lineStart..<offset], as: UTF8.self).utf16.count
        return (line, character)
    }
}

/// `Content-Length` header and body.
func benchFrame(_ message: JSONValue) -> [UInt8] {
    let body = message.serialized
    return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `eccoe lsp` as a subprocess, with a reader thread that notes when each push of diagnostics arrives (a
/// client that reads as the server writes, as editors do, so the server never waits on a full pipe).
final class BenchServer: @unchecked Sendable {
    // `arrivals`, `pushed` and `responses` are guarded by `condition`.
    private let condition = NSCondition()
    private var arrivals: [Int: UInt64] = [:]
    private var pushed: [Int] = []
    private var responses: Set<Int> = []
    private var responseSizes: [Int: (bytes: Int, edits: Int)] = [:]
    private let process = Process()
    private let input: FileHandle

    init(binary: URL) throws {
        let toServer = Pipe(), fromServer = Pipe()
        process.executableURL = binary
        process.arguments = ["lsp", "--stdio"]
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = FileHandle.nullDevice
        input = toServer.fileHandleForWriting
        try process.run()
        let output = fromServer.fileHandleForReading
        Thread { [self] in
            var framer = MessageFramer()
            while true {
                let data = output.availableData
                if data.isEmpty { break }
                let now = DispatchTime.now().uptimeNanoseconds
                for event in framer.feed(Array(data)) {
                    guard case .message(let body) = event, let message = LSPBenchmark.summary(body) else { continue }
                    var size: (bytes: Int, edits: Int)?
                    if message["method"] == nil, let id = message["id"]?.intValue, id >= 10 {
                        // A large answer: its size and the length of its result array, from a syntax tree.
                        let result = SyntaxTree(parsing: body).root.value(forKey: "result")
                        size = (body.count, result?.kind == .array ? result!.elements.count : 0)
                    }
                    condition.lock()
                    if let size, let id = message["id"]?.intValue { responseSizes[id] = size }
                    if message["method"] == "textDocument/publishDiagnostics",
                        let version = message["params"]?["version"]?.intValue
                    {
                        arrivals[version] = now
                        pushed.append(version)
                    } else if let id = message["id"]?.intValue {
                        responses.insert(id)
                    }
                    condition.broadcast()
                    condition.unlock()
                }
            }
        }.start()
        send(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": ["processId": nil, "capabilities": [:]]])
        try wait("initialize", timeout: 60) { $0.responses.contains(1) }
        send(["jsonrpc": "2.0", "method": "initialized", "params": [:]])
    }

    func send(_ message: JSONValue) { write(benchFrame(message)) }

    var pid: Int32 { process.processIdentifier }

    /// Sends a request and waits for its response: how many bytes its body held and, for an array result,
    /// how many elements.
    func request(id: Int, _ method: String, _ params: JSONValue, timeout: Double) throws -> (bytes: Int, edits: Int) {
        send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        try wait("response to \(method)", timeout: timeout) { $0.responses.contains(id) }
        condition.lock()
        defer { condition.unlock() }
        return responseSizes[id] ?? (0, 0)
    }

    func write(_ bytes: [UInt8]) { input.write(Data(bytes)) }

    private func wait(_ what: String, timeout: Double, _ done: (BenchServer) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !done(self) {
            if !condition.wait(until: deadline) { throw BenchError("timed out waiting for \(what)") }
        }
    }

    /// When the diagnostics of `version` arrived (monotonic nanoseconds), waiting up to `timeout` seconds.
    func waitForDiagnostics(version: Int, timeout: Double) throws -> UInt64 {
        try wait("diagnostics of version \(version)", timeout: timeout) { $0.arrivals[version] != nil }
        condition.lock()
        defer { condition.unlock() }
        return arrivals[version]!
    }

    func clearPushes() {
        condition.lock()
        pushed.removeAll()
        condition.unlock()
    }

    /// The versions pushed since the last `clearPushes`, in arrival order.
    var pushedVersions: [Int] {
        condition.lock()
        defer { condition.unlock() }
        return pushed
    }

    func stop() {
        send(["jsonrpc": "2.0", "id": 2, "method": "shutdown"])
        try? wait("shutdown", timeout: 30) { $0.responses.contains(2) }
        send(["jsonrpc": "2.0", "method": "exit"])
        process.waitUntilExit()
    }
}
