// libFuzzer entry: every input must parse, print back exactly, keep its line table right, and
// survive navigation and formatting without a trap. Built by fuzz.sh with the JSONSyntax sources.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    for dialect in [Dialect.json, .jsonc] {
        let tree = SyntaxTree(parsing: bytes, dialect: dialect, limits: ParseLimits(maxNestingDepth: 64))
        if tree.printed() != bytes { fatalError("not lossless") }
        if tree.lineTable != LineTable(bytes) { fatalError("line table differs") }
        for token in tree.tokens where token.kind == .unaccounted { fatalError("unaccounted bytes at \(token.range)") }
        for i in 0..<tree.nodeCount {
            let node = tree.node(atIndex: i)
            _ = node.stringValue
            _ = node.doubleValue
            _ = node.integerValue
            if i % 7 == 0 { _ = tree.node(at: node.pointer) }
        }
        _ = tree.nodePath(atOffset: size / 2)
        if !tree.hasErrors { _ = JSONFormatter().format(tree) }
        var text = SourceText(bytes)
        text.apply([TextEdit(range: PositionRange(start: Position(line: 0, character: size % 5), end: Position(line: 1, character: 2)),
                             newText: "é\r\n😀")], encoding: size % 2 == 0 ? .utf8 : .utf16)
        if text.lineTable != LineTable(text.bytes) { fatalError("edited line table differs") }
    }
    return 0
}
