import Foundation
import Testing

/// A real client: headless Neovim (installed by .ci/run from Debian) with Editors/neovim/eccoe.lua.
@Suite struct NeovimTests {
    @Test func headlessNeovimReceivesDiagnosticsAndExitsCleanly() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Editors/neovim-smoke.sh")
        let which = Process()
        which.executableURL = URL(fileURLWithPath: "/bin/sh")
        which.arguments = ["-c", "command -v nvim"]
        try which.run()
        which.waitUntilExit()
        #expect(which.terminationStatus == 0, "nvim is not installed: run `apt-get install neovim` (.ci/run does)")
        guard which.terminationStatus == 0 else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        var environment = ProcessInfo.processInfo.environment
        environment["ECCOE_BINARY"] = LSPClient.binary.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("diagnostics received"))
    }
}
