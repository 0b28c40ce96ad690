import Foundation
import JSONSyntax

@testable import LanguageServer

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal LSP client for end-to-end tests: starts the built `eccoe lsp` binary as a subprocess and
/// speaks to it over pipes, reading its output on a thread of its own.
final class LSPClient: @unchecked Sendable {
    // `received`, `errorOutput`, `outputEnded` and `exited` are guarded by `condition`; every change is broadcast,
    // so waiting is for an event, never a poll.
    private let condition = NSCondition()
    private var received: [JSONValue] = []
    private var errorOutput: [UInt8] = []
    private var outputEnded = false
    private var exited = false
    private let process = Process()
    private let input: FileHandle
    private var nextID = 1000
    let stderr = Pipe()

    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["ECCOE_BINARY"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("eccoe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/eccoe")
    }()

    init(arguments: [String] = ["lsp", "--stdio"]) throws {
        let toServer = Pipe(), fromServer = Pipe()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = stderr
        input = toServer.fileHandleForWriting
        process.terminationHandler = { [weak self, condition] _ in
            condition.lock()
            self?.exited = true
            condition.broadcast()
            condition.unlock()
        }
        try process.run()
        let output = fromServer.fileHandleForReading
        let thread = Thread { [condition] in
            var framer = MessageFramer()
            Self.readUntilEnd(output) { bytes in
                for event in framer.feed(bytes) {
                    guard case .message(let body) = event, case .success(let value) = JSONValue.parse(body) else { continue }
                    condition.lock()
                    self.received.append(value)
                    condition.broadcast()
                    condition.unlock()
                }
            }
            condition.lock()
            self.outputEnded = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
        // Drain stderr so the server never blocks on a full pipe, keeping what it says.
        let errors = stderr.fileHandleForReading
        Thread { [condition] in
            Self.readUntilEnd(errors) { bytes in
                condition.lock()
                self.errorOutput += bytes
                condition.broadcast()
                condition.unlock()
            }
        }.start()
    }

    /// Hands each chunk read from `handle` to `consume` until end of file or a read error. POSIX `read`, not
    /// `availableData`, which traps on an error (taking the whole test process down instead of failing one test).
    private static func readUntilEnd(_ handle: FileHandle, _ consume: ([UInt8]) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            consume(Array(buffer[..<n]))
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    func sendRaw(_ bytes: [UInt8]) { input.write(Data(bytes)) }

    func send(_ message: JSONValue) { sendRaw(frame(message)) }

    func notify(_ method: String, _ params: JSONValue = .object([])) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// Sends a request and returns its id without waiting.
    @discardableResult
    func sendRequest(_ method: String, _ params: JSONValue = .object([]), id: Int? = nil) -> Int {
        let id =
            id
            ?? {
                nextID += 1; return nextID
            }()
        send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        return id
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    func request(_ method: String, _ params: JSONValue = .object([]), timeout: Double = 20) throws -> JSONValue {
        let id = sendRequest(method, params)
        return try response(to: id, timeout: timeout)
    }

    func response(to id: Int, timeout: Double = 20) throws -> JSONValue {
        try waitFor(timeout: timeout, "response to \(id)") { $0["id"] == .int(id) && $0["method"] == nil }
    }

    /// Waits for (and removes) the first message that satisfies `predicate`.
    func waitFor(timeout: Double = 20, _ what: String, _ predicate: (JSONValue) -> Bool) throws -> JSONValue {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let index = received.firstIndex(where: predicate) { return received.remove(at: index) }
            if !condition.wait(until: deadline) { throw Timeout(what: what, received: received) }
        }
    }

    /// Waits for the diagnostics of `uri` pushed for `version`.
    func diagnostics(_ uri: String, version: Int, timeout: Double = 20) throws -> [JSONValue] {
        let message = try waitFor(timeout: timeout, "diagnostics of \(uri) v\(version)") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(uri)
                && $0["params"]?["version"] == .int(version)
        }
        return message["params"]?["diagnostics"]?.arrayValue ?? []
    }

    /// Waits until the server's standard error holds a line satisfying `predicate`, and returns that line.
    func waitForLog(timeout: Double = 20, _ what: String, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            let lines = String(decoding: errorOutput, as: UTF8.self).split(separator: "\n").map(String.init)
            if let line = lines.first(where: predicate) { return line }
            if !condition.wait(until: deadline) { throw Timeout(what: what, received: received) }
        }
    }

    /// Messages received and not yet taken.
    var unclaimed: [JSONValue] {
        condition.lock()
        defer { condition.unlock() }
        return received
    }

    func initialize(encodings: [String]? = nil, pull: Bool = false, hierarchical: Bool = true, processID: Int32? = nil) throws
        -> JSONValue
    {
        var general: [(String, JSONValue)] = []
        if let encodings { general.append(("positionEncodings", .array(encodings.map { .string($0) }))) }
        var text: [(String, JSONValue)] = [("documentSymbol", ["hierarchicalDocumentSymbolSupport": .bool(hierarchical)])]
        if pull { text.append(("diagnostic", ["dynamicRegistration": false])) }
        let response = try request(
            "initialize",
            [
                "processId": processID.map { .int(Int($0)) } ?? .null,
                "rootUri": nil,
                "capabilities": ["general": .object(general), "textDocument": .object(text)],
            ])
        notify("initialized")
        return response
    }

    func open(_ uri: String, _ text: String, version: Int = 1, languageID: String = "json") {
        notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(uri), "languageId": .string(languageID),
                    "version": .int(version), "text": .string(text),
                ]
            ])
    }

    func closeInput() { try? input.close() }

    /// Waits for the server to exit (its termination handler, not a poll) and returns its status.
    func waitForExit(timeout: Double = 20) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !exited {
            if !condition.wait(until: deadline) { throw Timeout(what: "server exit", received: []) }
        }
        return process.terminationStatus
    }

    /// Waits until the server's output has ended (it closed its standard output, or exited) and every message it
    /// wrote has been received: after this, `unclaimed` is all the server will ever have said.
    func waitForEndOfOutput(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !outputEnded {
            if !condition.wait(until: deadline) { throw Timeout(what: "the end of the server's output", received: received) }
        }
    }

    var isRunning: Bool { process.isRunning }

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var received: [JSONValue]
        var description: String { "timed out waiting for \(what); unclaimed: \(received.map(\.text).joined(separator: "\n"))" }
    }
}

func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSONValue {
    ["start": ["line": .int(l1), "character": .int(c1)], "end": ["line": .int(l2), "character": .int(c2)]]
}
