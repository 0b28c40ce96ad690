import Criteria
import Foundation
import JSONSyntax

/// One engine for all tests, built once (compiling the schemas), with a fixed day so that signature
/// dates do not depend on the clock.
let engine: CriteriaEngine = {
    do {
        return try CriteriaEngine(options: CheckOptions(today: CalendarDate(year: 2026, month: 11, day: 29)))
    } catch {
        fatalError("the embedded schemas do not compile: \(error)")
    }
}()

/// The repository root (this file is Tests/CriteriaTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func readFile(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

/// `line:column CODE` for each finding (1-based, columns in UTF-8 bytes), in document order.
func summary(_ findings: [Finding], _ tree: SyntaxTree) -> [String] {
    findings.map { f in
        let p = tree.position(of: f.range.lowerBound, encoding: .utf8)
        return "\(p.line + 1):\(p.character + 1) \(f.code)"
    }
}
