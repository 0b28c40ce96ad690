import Testing

@testable import JSONSyntax

@Suite struct NavigationTests {
    let tree = SyntaxTree(
        parsing: """
            {"credentialSubject": {"hasClaim": [{"title": {"en": "Data"}}, {"a/b": 1, "m~n": 2}]}, "id": "urn:x"}
            """)

    @Test func pointerRoundTrip() throws {
        for i in 1..<tree.nodeCount {
            let node = tree.node(atIndex: i)
            guard !node.flags.contains(.key) else { continue }
            let pointer = node.pointer
            #expect(tree.node(at: pointer) == node, "\(pointer)")
            #expect(JSONPointer(pointer.description) == pointer)
        }
    }

    @Test func pointerEscaping() throws {
        let node = try #require(tree.node(at: JSONPointer("/credentialSubject/hasClaim/1/a~1b")!))
        #expect(node.integerValue == 1)
        #expect(tree.node(at: JSONPointer("/credentialSubject/hasClaim/1/m~0n")!)?.integerValue == 2)
        #expect(node.pointer.description == "/credentialSubject/hasClaim/1/a~1b")
        #expect(tree.node(at: JSONPointer("/credentialSubject/hasClaim/01")!) == nil)
        #expect(tree.node(at: JSONPointer("/nope")!) == nil)
        #expect(JSONPointer("no-slash") == nil)
        #expect(JSONPointer("/a~2") == nil)
        #expect(tree.node(at: JSONPointer("")!) == tree.root)
    }

    @Test func nodeAtOffset() throws {
        let text = String(decoding: tree.bytes, as: UTF8.self)
        let offset = text.utf8.count - text.split(separator: "\"Data\"")[1].utf8.count - 2  // inside "Data"
        let path = tree.nodePath(atOffset: offset)
        #expect(path.last?.stringValue == "Data")
        #expect(path.map(\.kind) == [.object, .object, .array, .object, .object, .string])
        #expect(path.last?.pointer.description == "/credentialSubject/hasClaim/0/title/en")
        #expect(path.last?.parent?.kind == .object)
        // A key reports its member's pointer.
        let keyOffset = Array(tree.bytes).firstIndex(of: UInt8(ascii: "i"))!  // in "credentialSubject"
        let key = try #require(tree.node(atOffset: keyOffset))
        #expect(key.flags.contains(.key))
        #expect(key.pointer.description == "/credentialSubject")
    }

    @Test func pointerOfRecoveredNodes() {
        let broken = SyntaxTree(parsing: "{\"a\": [1, , 3], \"b\": }")
        #expect(broken.node(at: JSONPointer("/a/2")!)?.integerValue == 3)
        #expect(broken.node(at: JSONPointer("/a/1")!)?.kind == .missing)
        #expect(broken.node(at: JSONPointer("/b")!)?.kind == .missing)
    }
}
