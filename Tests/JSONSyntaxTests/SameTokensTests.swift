import JSONSyntax
import Testing

/// `NodeStorage.sameTokens`: two subtrees are alike when they hold the same tokens in the same shape, whatever the
/// whitespace; the criteria engine reads descriptions written alike once, so a false "alike" would hide a finding.
struct SameTokensTests {
    /// The indices of the first array's elements, compared pairwise with `sameTokens`.
    static func alike(_ text: String, limits: ParseLimits = ParseLimits()) -> [[Bool]] {
        let tree = SyntaxTree(parsing: Array(text.utf8), limits: limits)
        let elements = tree.root.elements.map(\.index)
        return tree.withNodeStorage { storage in
            elements.map { a in
                elements.map { b in
                    let alike = storage.sameTokens(a, b)
                    // The hash that buckets candidates never separates subtrees written alike.
                    if alike { #expect(storage.tokenHash(a) == storage.tokenHash(b)) }
                    return alike
                }
            }
        }
    }

    @Test func whitespaceDoesNotMatter() {
        let table = Self.alike(
            """
            [{"id": "x", "n": [1, 2.50, {"a": null}]},
             {
               "id" :"x",
               "n":[ 1,2.50,{ "a":null } ]
             }]
            """)
        #expect(table == [[true, true], [true, true]])
        // And it tells these apart from a description with one more token.
        let tree = SyntaxTree(parsing: Array(#"[{"id": "x", "n": [1]}, {"id": "x", "n": [1, 2]}, {"id": "x", "n": [2]}]"#.utf8))
        let hashes = tree.withNodeStorage { storage in tree.root.elements.map { storage.tokenHash($0.index) } }
        #expect(Set(hashes).count == 3)
    }

    @Test func anyTokenOrShapeThatDiffersMakesThemUnlike() {
        let base = #"{"id": "x", "n": [1, true, "t"]}"#
        let variants = [
            #"{"id": "y", "n": [1, true, "t"]}"#,  // a string
            #"{"id": "x", "n": [1.0, true, "t"]}"#,  // a number spelled otherwise
            #"{"id": "x", "n": [1, false, "t"]}"#,  // a literal
            #"{"id": "x", "m": [1, true, "t"]}"#,  // a key
            #"{"n": [1, true, "t"], "id": "x"}"#,  // the order of members
            #"{"id": "x", "n": [1, [true], "t"]}"#,  // nesting
            #"{"id": "x", "n": [1, true, "t", 2]}"#,  // one more element
            #"{"id": "x", "n": [1, true, "\u0074"]}"#,  // the same value escaped: alike values, not alike tokens
        ]
        for variant in variants {
            #expect(Self.alike("[\(base), \(variant)]") == [[true, false], [false, true]], "\(variant)")
        }
    }

    /// The same bytes at another depth are not the same nodes when the depth limit cuts one of them short.
    @Test func theDepthLimitIsTakenIntoAccount() throws {
        // At most 4 levels: the innermost `{}` of the nested copy is over-deep, an error node, where the first copy,
        // the same bytes one level up, has an empty object.
        let text = #"[{"a": {"b": {}}}, [{"a": {"b": {}}}]]"#
        let tree = SyntaxTree(parsing: Array(text.utf8), limits: ParseLimits(maxNestingDepth: 4))
        let elements = Array(tree.root.elements)
        let first = try #require(elements.first), nested = try #require(elements.last?.elements.first)
        #expect(tree.diagnostics.map(\.code) == [.nestingTooDeep])
        #expect(first.sourceText == nested.sourceText)
        #expect(tree.withNodeStorage { $0.sameTokens(first.index, nested.index) } == false)
        #expect(tree.withNodeStorage { $0.sameTokens(first.index, first.index) })
    }

    /// Content the parser keeps as stray or error nodes is compared like any other; a comma too many leaves no node,
    /// and the values are the same.
    @Test func strayContentCounts() {
        let table = Self.alike(#"[{"a": 1}, {"a": 1 "x"}, {"a": 1}, {"a": tru}, {"a": 1,}]"#)
        #expect(table[0][2] && !table[0][1] && !table[1][2] && !table[0][3])
        #expect(table[0][4])
    }
}
