public import JSONSyntax

/// A compiled JSON Schema 2020-12: immutable, `Sendable`, reusable for any number of documents on any
/// number of threads. Build one with `SchemaRegistry.compile(uri:options:)`.
///
/// Validation works on a `SyntaxTree`, including one with syntax errors: error and missing nodes pass
/// every keyword (the parser has already reported them), and with repeated keys the last member counts.
public struct JSONSchemaValidator: Sendable {
    let program: Program
    public let options: ValidationOptions

    init(program: Program, options: ValidationOptions) {
        self.program = program
        self.options = options
    }

    /// The number of compiled schema nodes (for diagnostics and benchmarks).
    public var compiledNodeCount: Int { program.nodes.count }

    /// Validates a document's value, collecting every error (capped, in document order).
    public func validate(_ tree: SyntaxTree) -> ValidationResult {
        program.withEvaluator(tree, options: options) { evaluator in
            evaluator.shadowed = JSONSchemaValidator.shadowedKeys(tree)
            _ = evaluator.eval(program.root, evaluator.st.rootIndex, nil)
            return finish(evaluator)
        }
    }

    /// Validates a version of a document with the memo of its earlier validations (see `ValidationMemo`):
    /// the same result as `validate(_:)`, faster when most of the document is as it was. Give each document
    /// its own memo; a memo used with another validator starts afresh.
    public func validate(_ tree: SyntaxTree, memo: ValidationMemo) -> ValidationResult {
        if program.usesDynamicScope { return validate(tree) }
        var state = memo.take()
        state.begin(tree, program: program, options: options)
        let result = program.withEvaluator(tree, options: options) { evaluator in
            evaluator.shadowed = JSONSchemaValidator.shadowedKeys(tree)
            evaluator.badNodes = JSONSchemaValidator.badNodes(evaluator.st)
            evaluator.memo = state
            state = MemoState()
            evaluator.memoising = true
            evaluator.memoMinimumBytes = memo.minimumBytes
            _ = evaluator.eval(program.root, evaluator.st.rootIndex, nil)
            state = evaluator.memo
            evaluator.memo = MemoState()
            return finish(evaluator)
        }
        state.end(tree)
        memo.putBack(state)
        return result
    }

    /// Indices of the nodes that are errors, missing, malformed, unterminated or stray, in order.
    static func badNodes(_ st: NodeStorage) -> [Int] {
        var result: [Int] = []
        let mask = NodeFlags([.stray, .malformed, .unterminated]).rawValue
        for i in 0..<st.count {
            let kind = st.kind(i)
            if kind == .error || kind == .missing || st.flags(i).rawValue & mask != 0 { result.append(i) }
        }
        return result
    }

    /// Whether the document's value is valid; stops at the first failure.
    public func isValid(_ tree: SyntaxTree) -> Bool {
        program.withEvaluator(tree, options: options) { evaluator in
            evaluator.collecting = false
            evaluator.shadowed = JSONSchemaValidator.shadowedKeys(tree)
            return evaluator.eval(program.root, evaluator.st.rootIndex, nil)
        }
    }

    private func finish(_ evaluator: Evaluator) -> ValidationResult {
        let tree = evaluator.tree
        let pending = evaluator.errors.enumerated().sorted { a, b in
            a.element.range.lowerBound != b.element.range.lowerBound
                ? a.element.range.lowerBound < b.element.range.lowerBound : a.offset < b.offset
        }.map(\.element)
        let total = pending.count + evaluator.overflow
        var errors = pending.prefix(options.maxErrors).map { e in
            ValidationError(
                code: e.code, instanceLocation: tree.pointer(to: e.instance), range: e.range,
                keywordLocation: JSONPointer(tokens: e.keywordPath), absoluteKeywordLocation: e.absolute,
                message: e.message, allowedValues: e.allowed, property: e.property, suggestion: e.suggestion,
                pattern: e.pattern,
                actual: e.code == "pattern" || e.code == "format" ? Messages.quoted(tree.node(atIndex: e.instance)) : nil)
        }
        let omitted = total - errors.count
        if omitted > 0 {
            let anchor = pending.count > options.maxErrors ? pending[options.maxErrors] : pending.last!
            errors.append(
                ValidationError(
                    code: "more-errors", instanceLocation: tree.pointer(to: anchor.instance), range: anchor.range,
                    keywordLocation: JSONPointer(tokens: []), absoluteKeywordLocation: "",
                    message: "\(omitted) more \(Messages.plural(omitted, "error")) not shown"))
        }
        return ValidationResult(errors: errors, omittedErrorCount: omitted)
    }

    /// Key nodes of members that a later member with the same key hides (only when the parser saw
    /// duplicate keys).
    static func shadowedKeys(_ tree: SyntaxTree) -> Set<Int> {
        guard tree.diagnostics.contains(where: { $0.code == .duplicateKey }) else { return [] }
        var result: Set<Int> = []
        for i in 0..<tree.nodeCount {
            let node = tree.node(atIndex: i)
            guard node.kind == .object else { continue }
            var last: [String: Int] = [:]
            for member in node.members where member.key.kind == .string {
                if let previous = last[member.name] { result.insert(previous) }
                last[member.name] = member.key.index
            }
        }
        return result
    }
}

/// A property a schema defines for an object, for completion.
public struct PropertySuggestion: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var description: String?
    public var required: Bool
}

/// What one applicable subschema says about a location, for completion and hover.
public struct SchemaAnnotation: Sendable, Hashable {
    /// The subschema's absolute location (`uri#/pointer`).
    public var schemaLocation: String
    public var title: String?
    public var description: String?
    /// The JSON types the subschema allows (empty: any).
    public var types: [String]
    /// Properties it defines, with whether it requires them.
    public var properties: [PropertySuggestion]
    /// Values it allows (`enum`, `const`, `anyOf`/`oneOf` of `const`), with titles where given.
    public var allowedValues: [AllowedValue]
    /// `default` as JSON text.
    public var defaultValue: String?
    /// `examples`, each as JSON text.
    public var examples: [String]
    public var format: String?
    public var deprecated: Bool
}

extension JSONSchemaValidator {
    /// The subschemas that apply at `pointer` (which need not exist in the document yet), following
    /// properties, items and in-place applicators (`$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else`).
    /// With a document, branches whose `type` excludes the value there are left out and `if` is decided.
    public func annotations(at pointer: JSONPointer, in tree: SyntaxTree? = nil) -> [SchemaAnnotation] {
        let emptyTree = SyntaxTree(parsing: "null")
        let document = tree ?? emptyTree
        return program.withEvaluator(document, options: options) { evaluator -> [SchemaAnnotation] in
            evaluator.collecting = false
            var instance: SyntaxNode? = tree?.root
            var current = expand([program.root], instance, evaluator)
            for token in pointer.tokens {
                var next: [Int32] = []
                for s in current {
                    var matched = false
                    var fallback: Int32?
                    for keyword in program.nodes[Int(s)].keywords {
                        switch keyword.operation {
                        case .properties(let rules):
                            if let k = rules.table.lookup(token) {
                                next.append(rules.schemas[Int(k)])
                                matched = true
                            }
                            for (regex, schema) in rules.patterns where regex.matches(token) {
                                next.append(schema)
                                matched = true
                            }
                            if !matched, let additional = rules.additional { fallback = additional }
                        case .items(let prefix, let rest):
                            if let k = Int(token), k >= 0 {
                                if k < prefix.count { next.append(prefix[k]) } else if let rest { next.append(rest) }
                                matched = true
                            }
                        case .contains(let t, _, _):
                            if Int(token) != nil { next.append(t) }
                        case .unevaluatedProperties(let t), .unevaluatedItems(let t):
                            if fallback == nil { fallback = t }
                        default:
                            break
                        }
                    }
                    if !matched, let fallback, !program.nodes[Int(fallback)].isFalse { next.append(fallback) }
                }
                instance = instance.flatMap { child(of: $0, token) }
                current = expand(next, instance, evaluator)
            }
            return current.compactMap { describe($0, instance: instance) }
        }
    }

    private func child(of node: SyntaxNode, _ token: String) -> SyntaxNode? {
        switch node.kind {
        case .object: return node.value(forKey: token)
        case .array:
            guard let k = Int(token), k >= 0 else { return nil }
            return node.elements.dropFirst(k).first { _ in true }
        default: return nil
        }
    }

    /// The closure of schemas under in-place applicators, in first-seen order.
    private func expand(_ start: [Int32], _ instance: SyntaxNode?, _ evaluator: Evaluator) -> [Int32] {
        var seen: Set<Int32> = []
        var order: [Int32] = []
        var stack = Array(start.reversed())
        let rootResource = program.nodes[Int(program.root)].resource
        while let s = stack.popLast() {
            guard seen.insert(s).inserted else { continue }
            order.append(s)
            var children: [Int32] = []
            for keyword in program.nodes[Int(s)].keywords {
                switch keyword.operation {
                case .ref(let t): children.append(t)
                case .dynamicRef(let t, let anchor):
                    children.append(program.resources[Int(rootResource)].dynamicAnchors[anchor] ?? t)
                case .allOf(let branches): children += branches
                case .anyOf(let branches), .oneOf(let branches):
                    children += branches.filter { admits($0, instance) }
                case .conditional(let condition, let then, let otherwise):
                    if let instance, instance.kind != .missing {
                        let passes = evaluator.test(condition, instance.index, nil)
                        if let next = passes ? then : otherwise { children.append(next) }
                    } else {
                        children += [then, otherwise].compactMap { $0 }
                    }
                case .dependentSchemas(let rules):
                    for rule in rules where instance?.value(forKey: rule.name) != nil { children.append(rule.schema) }
                default: break
                }
            }
            stack += children.reversed()
        }
        return order
    }

    /// Whether a branch's `type` (if any) admits the value there.
    private func admits(_ s: Int32, _ instance: SyntaxNode?) -> Bool {
        guard let instance, instance.kind != .missing, instance.kind != .error else { return true }
        for keyword in program.nodes[Int(s)].keywords {
            if case .type(let mask) = keyword.operation {
                switch instance.kind {
                case .object: return mask.contains(.object)
                case .array: return mask.contains(.array)
                case .string: return mask.contains(.string)
                case .number: return mask.contains(.number) || mask.contains(.integer)
                case .true, .false: return mask.contains(.boolean)
                case .null: return mask.contains(.null)
                default: return true
                }
            }
        }
        return true
    }

    private func describe(_ s: Int32, instance: SyntaxNode?) -> SchemaAnnotation? {
        let node = program.nodes[Int(s)]
        let syntax = program.syntax(of: s)
        var annotation = SchemaAnnotation(
            schemaLocation: node.absoluteLocation, title: node.title,
            description: syntax.value(forKey: "description")?.stringValue, types: [],
            properties: [], allowedValues: [],
            defaultValue: syntax.value(forKey: "default").map(JSONText.compact),
            examples: syntax.value(forKey: "examples")?.elements.map(JSONText.compact) ?? [],
            format: syntax.value(forKey: "format")?.stringValue,
            deprecated: syntax.value(forKey: "deprecated")?.boolValue ?? false)
        var required: Set<String> = []
        for keyword in node.keywords {
            switch keyword.operation {
            case .type(let mask): annotation.types = mask.names
            case .enumeration(let set, _), .const(let set):
                annotation.allowedValues += (0..<set.count).map {
                    AllowedValue(json: set.texts[$0], title: set.titles[$0], description: set.descriptions[$0])
                }
            case .required(let set): required.formUnion(set.names)
            default: break
            }
        }
        for keyword in node.keywords {
            if case .properties(let rules) = keyword.operation {
                for (k, name) in rules.names.enumerated() {
                    let sub = program.syntax(of: rules.schemas[k])
                    annotation.properties.append(
                        PropertySuggestion(
                            name: name, title: sub.value(forKey: "title")?.stringValue,
                            description: sub.value(forKey: "description")?.stringValue, required: required.contains(name)))
                }
            }
        }
        for name in required.sorted() where !annotation.properties.contains(where: { $0.name == name }) {
            annotation.properties.append(PropertySuggestion(name: name, title: nil, description: nil, required: true))
        }
        if node.keywords.isEmpty && annotation.title == nil && annotation.description == nil && annotation.defaultValue == nil
            && annotation.examples.isEmpty
        {
            return nil
        }
        return annotation
    }
}
