import Foundation
import Testing

/// `eccoe check` against the European Commission's own validation: its SHACL shapes, run by pySHACL through
/// `Tools/shacl/differential.py` on every ELM example, the EC samples and over 500 deterministic mutations of them.
/// Each (focus node, property) pair that one side reports and the other does not must be a deviation listed in
/// ARCHITECTURE.md ("Deviations from the EC's SHACL shapes"), and each listed deviation must still occur. The shapes'
/// verdicts come from `Tests/Differential/shacl-oracle-cache.json` (keyed by the SHA-256 of each file and of the
/// shapes, made with the pinned pySHACL, rdflib, owlrl and pyld); files missing from it are validated during the
/// test, and cached ones drawn at random (`ECCOE_SHACL_VERIFY`, default 16; `all` in CI, `.ci/run`, so that there
/// every file goes through pySHACL) are validated again and must give the cached answer.
/// Needs Python with pyshacl and pyld: `ECCOE_PYTHON` (Tools/test.sh).
@Suite struct SHACLDifferentialTests {
    @Test func eccoeAgreesWithTheShapesUpToTheDocumentedDeviations() throws {
        guard let python = ProcessInfo.processInfo.environment["ECCOE_PYTHON"], !python.isEmpty else {
            Issue.record(
                "the differential test needs Python with pyshacl and pyld: set ECCOE_PYTHON (Tools/test.sh, the README's test command, makes one in .venv)"
            )
            return
        }
        let verify = ProcessInfo.processInfo.environment["ECCOE_SHACL_VERIFY"].flatMap { $0.isEmpty ? nil : $0 } ?? "16"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            CommandRunner.packageRoot.appendingPathComponent("Tools/shacl/differential.py").path,
            "--eccoe", CommandRunner.binary.path, "--jobs", "2", "--verify", verify,
        ]
        process.currentDirectoryURL = CommandRunner.packageRoot
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = try out.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        // The matrix goes to the test log, as the README records it.
        print(text)
        #expect(process.terminationStatus == 0, "\(text.suffix(6_000))")
        #expect(text.contains("\nundocumented: 0; stale deviations: 0"))
        // The corpus is what the issue asks for: at least 500 mutants besides the seeds.
        let mutants = text.firstMatch(of: #/seeds, (\d+) mutants/#).flatMap { Int($0.1) } ?? 0
        #expect(mutants >= 500, "\(mutants) mutants")
        // Both sides report something, and agree on most of it: the comparison is not vacuous.
        let both = text.firstMatch(of: #/\n  both +(\d+)/#).flatMap { Int($0.1) } ?? 0
        #expect(both >= 500, "\(both) pairs reported by both")
        // The shapes did run in this test: at least the sampled files went through pySHACL again.
        let fresh =
            text.firstMatch(of: #/, (\d+) to validate, (\d+) cached ones validated again/#)
            .map { (Int($0.1) ?? 0) + (Int($0.2) ?? 0) } ?? 0
        #expect(fresh >= (verify == "all" ? 500 : min(16, Int(verify) ?? 16)), "\(fresh) files validated by pySHACL in this run")
    }
}
