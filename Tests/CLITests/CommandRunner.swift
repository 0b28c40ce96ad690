import Foundation

/// Runs the built `eccoe` binary as a subprocess, the way users and CI do.
struct CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary: `$ECCOE_BINARY` if set, else `eccoe` beside the test bundle (SwiftPM's products directory).
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["ECCOE_BINARY"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("eccoe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/eccoe")
    }()

    static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting so a large output cannot block the child.
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

    /// A fresh temporary directory holding the given files.
    static func temporaryDirectory(_ files: [String: [UInt8]]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
        }
        return dir
    }
}
