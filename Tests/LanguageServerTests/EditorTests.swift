import Foundation
import Testing

/// Real clients, set up word for word as `Editors/*/README.md` say, driving the built server: headless
/// Neovim (0.7 from Debian) and Emacs in batch mode with eglot (Emacs 28 and `elpa-eglot` 1.9 from Debian).
/// `Tools/test.sh` and `.ci/run` install them (`Tools/test-packages.txt`). Each script prints the steps a user
/// would see (attach, diagnostics, a severity override, completion by label, a quick fix, exit).
@Suite struct EditorTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Editors")

    @Test func neovim() async throws {
        try await run("neovim-e2e.sh", needs: "nvim", package: "neovim")
    }

    @Test func emacsWithEglot() async throws {
        try await run("emacs-e2e.sh", needs: "emacs", package: "emacs-nox and elpa-eglot")
    }

    /// Runs a script and waits for it without holding a thread of the test pool: the scripts take seconds, and
    /// other suites' servers (in process) need those threads meanwhile.
    func run(_ script: String, needs tool: String, package: String) async throws {
        let which = Process()
        which.executableURL = URL(fileURLWithPath: "/bin/sh")
        which.arguments = ["-c", "command -v \(tool)"]
        which.standardOutput = FileHandle.nullDevice
        try which.run()
        which.waitUntilExit()
        #expect(which.terminationStatus == 0, "\(tool) is not installed: run `apt-get install \(package)` (Tools/test.sh does)")
        guard which.terminationStatus == 0 else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.scripts.appendingPathComponent(script).path]
        var environment = ProcessInfo.processInfo.environment
        environment["ECCOE_BINARY"] = LSPClient.binary.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // A thread of its own reads the output to its end and waits for the exit.
        let (text, status) = await withCheckedContinuation { (continuation: CheckedContinuation<(String, Int32), Never>) in
            Thread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (String(decoding: data, as: UTF8.self), process.terminationStatus))
            }.start()
        }
        #expect(status == 0, "\(text)")
        #expect(text.contains(" passed, 0 failed"), "\(text)")
    }
}
