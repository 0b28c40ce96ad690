public import JSONSyntax

/// What the client said it can do, reduced to the facts the server acts on.
public struct ClientCapabilities: Sendable {
    public var positionEncoding: PositionEncoding = .utf16
    public var pullDiagnostics = false
    public var hierarchicalSymbols = false
    public var snippets = false
    public var workDoneProgress = false
    public var configuration = false
    public var watchedFilesDynamicRegistration = false
    public var lineFoldingOnly = false
    public var diagnosticRefresh = false
    /// Markdown in completion documentation and in hovers; else plain text (a client that does not say it
    /// renders Markdown shows the asterisks and backticks as typed).
    public var completionMarkdown = false
    public var hoverMarkdown = false
    /// `workspace/applyEdit` with document changes that create files; else the server writes new files itself.
    public var createFilesByEdit = false
    /// `window/showDocument`: the server may ask the client to open a file it wrote.
    public var showDocument = false

    public init() {}

    init(_ c: JSONValue?) {
        guard let c else { return }
        let offered = c["general"]?["positionEncodings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        positionEncoding = offered.contains("utf-8") ? .utf8 : .utf16
        let text = c["textDocument"]
        pullDiagnostics = text?["diagnostic"] != nil && text?["diagnostic"]?.isNull == false
        hierarchicalSymbols = text?["documentSymbol"]?["hierarchicalDocumentSymbolSupport"]?.boolValue ?? false
        snippets = text?["completion"]?["completionItem"]?["snippetSupport"]?.boolValue ?? false
        let item = text?["completion"]?["completionItem"]
        completionMarkdown = item?["documentationFormat"]?.arrayValue?.contains("markdown") ?? false
        hoverMarkdown = text?["hover"]?["contentFormat"]?.arrayValue?.contains("markdown") ?? false
        lineFoldingOnly = text?["foldingRange"]?["lineFoldingOnly"]?.boolValue ?? false
        workDoneProgress = c["window"]?["workDoneProgress"]?.boolValue ?? false
        configuration = c["workspace"]?["configuration"]?.boolValue ?? false
        diagnosticRefresh = c["workspace"]?["diagnostics"]?["refreshSupport"]?.boolValue ?? false
        watchedFilesDynamicRegistration = c["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.boolValue ?? false
        let edit = c["workspace"]?["workspaceEdit"]
        createFilesByEdit =
            (c["workspace"]?["applyEdit"]?.boolValue ?? false) && (edit?["documentChanges"]?.boolValue ?? false)
            && (edit?["resourceOperations"]?.arrayValue?.contains("create") ?? false)
        showDocument = c["window"]?["showDocument"]?["support"]?.boolValue ?? false
    }
}
