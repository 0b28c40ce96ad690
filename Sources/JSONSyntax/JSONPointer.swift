/// A JSON Pointer (RFC 6901): a sequence of reference tokens, written `/a/0/b~1c`.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public var tokens: [String]

    public init(tokens: [String]) { self.tokens = tokens }
    public init(arrayLiteral elements: String...) { self.tokens = elements }

    /// Parses a pointer's string form; nil when it is neither empty nor starts with `/`, or holds a
    /// `~` not followed by `0` or `1`.
    public init?(_ text: String) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { return nil }
        var result: [String] = []
        for part in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var it = part.makeIterator()
            while let c = it.next() {
                if c == "~" {
                    switch it.next() {
                    case "0": token.append("~")
                    case "1": token.append("/")
                    default: return nil
                    }
                } else {
                    token.append(c)
                }
            }
            result.append(token)
        }
        tokens = result
    }

    /// The string form, with `~` written `~0` and `/` written `~1`.
    public var description: String {
        tokens.map { "/" + $0.replacingTildeAndSlash() }.joined()
    }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }
    public var parent: JSONPointer? { tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast())) }
}

extension String {
    fileprivate func replacingTildeAndSlash() -> String {
        guard contains("~") || contains("/") else { return self }
        var out = ""
        for c in self {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(c)
            }
        }
        return out
    }
}

extension SyntaxTree {
    /// The nodes from the document's value down to the node at `index` (inclusive). Descends by
    /// preorder index ranges: no parent links are stored.
    public func path(to index: Int) -> [SyntaxNode] {
        guard index > 0 && index < nodes.count else { return index == 0 ? [] : [] }
        var result: [SyntaxNode] = []
        var current = 0
        while current != index {
            var child = current + 1
            let end = Int(nodes[current].next)
            var found = false
            while child < end {
                let next = Int(nodes[child].next)
                if index >= child && index < next {
                    found = true
                    break
                }
                child = next
            }
            guard found else { return result }
            result.append(SyntaxNode(tree: self, index: child))
            current = child
        }
        return result
    }

    /// The JSON Pointer of the node at `index`. A key node gets the pointer of its member's value;
    /// stray nodes and the document node get the pointer of the nearest structural ancestor.
    public func pointer(to index: Int) -> JSONPointer {
        // One descent from the document node over the raw node storage: at each level, the walk over the
        // children that finds the one holding `index` also counts array positions and notes member keys.
        // (Validation errors and schema attribution ask this for every error of every check.)
        withNodeStorage { st in
            var tokens: [String] = []
            guard index > 0 && index < st.count else { return JSONPointer(tokens: tokens) }
            var current = 0
            while current != index {
                let parentKind = st.kind(current)
                let end = st.next(current)
                var child = current + 1
                var found = -1
                var position = 0
                var expectKey = true
                var keyIndex = -1
                while child < end {
                    let next = st.next(child)
                    let stray = st.isStray(child)
                    if !stray && parentKind == .object {
                        if expectKey { keyIndex = child }
                        expectKey.toggle()
                    }
                    if index >= child && index < next {
                        found = child
                        break
                    }
                    if !stray { position += 1 }
                    child = next
                }
                guard found >= 0, !st.isStray(found) else { break }
                if parentKind == .object {
                    if keyIndex >= 0 {
                        if st.kind(keyIndex) == .string && st.isPlainWellFormedString(keyIndex),
                            let raw = st.rawStringContent(keyIndex)
                        {
                            tokens.append(String(decoding: raw, as: UTF8.self))
                        } else {
                            tokens.append(SyntaxNode(tree: self, index: keyIndex).stringValue ?? "")
                        }
                    }
                    if st.flags(found).contains(.key) { break }
                } else if parentKind == .array {
                    tokens.append(String(position))
                }
                current = found
            }
            return JSONPointer(tokens: tokens)
        }
    }

    /// The node a pointer designates, from the document's value; for repeated keys, the last member.
    public func node(at pointer: JSONPointer) -> SyntaxNode? {
        var node = root
        for token in pointer.tokens {
            switch node.kind {
            case .object:
                guard let value = node.value(forKey: token) else { return nil }
                node = value
            case .array:
                guard let index = Int(token), index >= 0, String(index) == token,
                    let element = node.elements.dropFirst(index).first(where: { _ in true })
                else { return nil }
                node = element
            default:
                return nil
            }
        }
        return node
    }

    /// The innermost node whose range holds `offset`, with its ancestors: the path from the document's
    /// value down. A node covers `start..<end`; at an offset where one token ends and nothing else
    /// starts, the token that ends there is chosen (the cursor just after a word belongs to it).
    public func nodePath(atOffset offset: Int) -> [SyntaxNode] {
        var result: [SyntaxNode] = []
        var current = 0
        while true {
            var child = current + 1
            let end = Int(nodes[current].next)
            var chosen: Int?
            while child < end {
                let n = nodes[child]
                if Int(n.start) <= offset && offset < Int(n.end) {
                    chosen = child
                    break
                }
                if Int(n.end) == offset && !n.kind.isContainer && Int(n.start) < offset { chosen = child }
                if Int(n.start) > offset { break }
                child = Int(n.next)
            }
            guard let c = chosen else { return result }
            result.append(SyntaxNode(tree: self, index: c))
            current = c
        }
    }

    /// The innermost node at `offset`, if any.
    public func node(atOffset offset: Int) -> SyntaxNode? { nodePath(atOffset: offset).last }
}
