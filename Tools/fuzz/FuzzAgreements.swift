// libFuzzer entry for the agreement tool: any input is read as a learning opportunity (and, when it is one,
// drafted from: the draft must be valid JSON, and it must render) and rendered as an agreement; the HTML must
// never hold a script. Built by fuzz-agreements.sh in a copy of the package with this file as a target.
import Criteria
import JSONSyntax
import RecognitionAgreements

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    let tree = SyntaxTree(parsing: bytes, limits: ParseLimits(maxNestingDepth: 64))
    if let summary = try? LearningOpportunitySummary(reading: tree, path: "x.jsonld") {
        let draft = AgreementDraft.make(AgreementDraftRequest(opportunities: [("/w/x.jsonld", summary)], recognisingName: size % 2 == 0 ? "R" : nil,
                                                              recognisingCountry: nil, agreementPath: "/w/a.agreement.json",
                                                              validFrom: CalendarDate(year: 2027, month: 9, day: 1)))
        let again = SyntaxTree(parsing: draft.text)
        if again.hasErrors { fatalError("the draft is not valid JSON") }
        _ = AgreementRenderer(document: draft.document).html()
    }
    let html = AgreementRenderer(document: JSONValue(tree.root)).html()
    if html.contains("<script") { fatalError("script in the output") }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt) -> CInt

// SwiftPM links an executable's entry point as TARGET_main: hand it to libFuzzer's driver.
@_cdecl("FuzzAgreements_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runDriver(&count, &arguments) { fuzz($0, $1) }
}
