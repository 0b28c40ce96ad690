import JSONSyntax
import PercentEncoding

/// The vocabularies a schema resource's meta-schema turns on (`$vocabulary`).
struct Vocabularies: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }
    static let core = Vocabularies(rawValue: 1)
    static let applicator = Vocabularies(rawValue: 2)
    static let unevaluated = Vocabularies(rawValue: 4)
    static let validation = Vocabularies(rawValue: 8)
    static let metaData = Vocabularies(rawValue: 16)
    static let formatAnnotation = Vocabularies(rawValue: 32)
    static let formatAssertion = Vocabularies(rawValue: 64)
    static let content = Vocabularies(rawValue: 128)
    static let standard: Vocabularies = [.core, .applicator, .unevaluated, .validation, .metaData, .formatAnnotation, .content]

    static let byURI: [String: Vocabularies] = [
        "https://json-schema.org/draft/2020-12/vocab/core": .core,
        "https://json-schema.org/draft/2020-12/vocab/applicator": .applicator,
        "https://json-schema.org/draft/2020-12/vocab/unevaluated": .unevaluated,
        "https://json-schema.org/draft/2020-12/vocab/validation": .validation,
        "https://json-schema.org/draft/2020-12/vocab/meta-data": .metaData,
        "https://json-schema.org/draft/2020-12/vocab/format-annotation": .formatAnnotation,
        "https://json-schema.org/draft/2020-12/vocab/format-assertion": .formatAssertion,
        "https://json-schema.org/draft/2020-12/vocab/content": .content,
    ]
}

/// Which specification a resource follows: 2020-12, or an older draft reached by a reference
/// (processed with that draft's array and `$ref` rules).
enum Draft: Sendable, Hashable {
    case draft2020
    case draft2019
    case draft7
}

struct SchemaDialect: Sendable, Hashable {
    var draft: Draft
    var vocabularies: Vocabularies
    static let standard = SchemaDialect(draft: .draft2020, vocabularies: .standard)
}

/// Facts about a schema node that depend on where it sits: its base URI, its resource, its pointers.
struct NodeInfo {
    var base: URIReference
    var baseString: String
    var resourceRoot: SchemaLocation
    var resourcePointer: [String]
    var documentPointer: [String]
    var dialect: SchemaDialect

    func descending(_ tokens: [String]) -> NodeInfo {
        var copy = self
        copy.resourcePointer += tokens
        copy.documentPointer += tokens
        return copy
    }
}

/// Builds a `Program` from registered documents: indexes identifiers, resolves references, compiles
/// every reachable schema once, and checks for reference cycles that never consume input.
struct SchemaCompiler {
    let registry: SchemaRegistry
    let options: ValidationOptions
    private var indexed: Set<Int> = []
    private var resources: [String: SchemaLocation] = [:]
    private var anchors: [String: SchemaLocation] = [:]
    private var dynamicAnchors: [SchemaLocation: [(String, SchemaLocation)]] = [:]
    private var infos: [SchemaLocation: NodeInfo] = [:]
    private var resourceIDs: [SchemaLocation: Int32] = [:]
    private var resourceList: [ResourceInfo] = []
    private var compiledIDs: [SchemaLocation: Int32] = [:]
    private var nodes: [SchemaNode] = []
    private var pending: [Int32] = []
    private var problems: [SchemaProblem] = []
    private var usesDynamicScope = false
    private var inPlaceEdges: [[Int32]] = []

    init(registry: SchemaRegistry, options: ValidationOptions) {
        self.registry = registry
        self.options = options
    }

    static let applicatorSingles: Set<String> = [
        "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames", "unevaluatedItems",
        "unevaluatedProperties", "contentSchema", "additionalItems",
    ]
    static let applicatorMaps: Set<String> = [
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies",
    ]
    static let applicatorArrays: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]

    // MARK: Entry

    mutating func compileRoot(_ uri: String) throws(SchemaError) -> Program {
        let target = URIReference(uri)
        let rootURI = target.withoutFragment.description
        guard
            let rootDoc = registry.byURI[rootURI]
                ?? { () -> Int? in
                    _ = findResource(rootURI)
                    return resources[rootURI].map { Int($0.document) }
                }()
        else {
            throw SchemaError(problems: [
                SchemaProblem(
                    documentURI: rootURI, location: [], range: nil,
                    message: "no schema is registered under `\(rootURI)`")
            ])
        }
        index(document: rootDoc)
        let rootInfo = infos[SchemaLocation(document: Int32(rootDoc), node: Int32(registry.documents[rootDoc].tree.root.index))]
        var rootID: Int32 = 0
        if let rootInfo {
            if let (loc, info) = resolve(uri, from: rootInfo, keywordPath: []) {
                rootID = id(for: loc, info: info)
            }
        } else {
            problems.append(
                SchemaProblem(
                    documentURI: rootURI, location: [], range: nil,
                    message: "the document is not a schema (an object or a boolean)"))
        }
        while let next = pending.popLast() { build(next) }
        detectCycles()
        if !problems.isEmpty { throw SchemaError(problems: problems) }
        return Program(
            nodes: nodes, resources: resourceList, root: rootID, usesDynamicScope: usesDynamicScope,
            documents: registry.documents.map(\.tree), documentURIs: registry.documents.map(\.uri))
    }

    // MARK: Indexing

    private mutating func findResource(_ uri: String) -> SchemaLocation? {
        if let r = resources[uri] { return r }
        if let d = registry.byURI[uri], !indexed.contains(d) {
            index(document: d)
            if let r = resources[uri] { return r }
        }
        for d in registry.documents.indices where !indexed.contains(d) { index(document: d) }
        return resources[uri]
    }

    private mutating func index(document d: Int) {
        guard !indexed.contains(d) else { return }
        indexed.insert(d)
        let doc = registry.documents[d]
        let base = URIReference(doc.uri)
        let root = doc.tree.root
        let loc = SchemaLocation(document: Int32(d), node: Int32(root.index))
        resources[base.description] = loc
        walk(
            root, document: d,
            info: NodeInfo(
                base: base, baseString: base.description, resourceRoot: loc, resourcePointer: [],
                documentPointer: [], dialect: .standard), isDocumentRoot: true)
    }

    private mutating func walk(_ node: SyntaxNode, document d: Int, info parent: NodeInfo, isDocumentRoot: Bool) {
        let loc = SchemaLocation(document: Int32(d), node: Int32(node.index))
        guard node.kind == .object else {
            if node.kind == .true || node.kind == .false { infos[loc] = parent }
            return
        }
        var info = parent
        let idNode = node.value(forKey: "$id")
        if let id = idNode?.stringValue {
            let resolved = URIReference(id).resolved(against: parent.base)
            if parent.dialect.draft == .draft7 && id.hasPrefix("#") {
                anchors[parent.baseString + "#" + (resolved.fragment ?? "")] = loc
            } else {
                let base = resolved.withoutFragment
                info.base = base
                info.baseString = base.description
                info.resourceRoot = loc
                info.resourcePointer = []
                resources[info.baseString] = loc
            }
        }
        if isDocumentRoot { info.resourceRoot = loc }
        if info.resourceRoot == loc, let meta = node.value(forKey: "$schema")?.stringValue {
            info.dialect = dialect(for: meta, at: loc, info: info)
        }
        if let anchor = node.value(forKey: "$anchor")?.stringValue {
            anchors[info.baseString + "#" + anchor] = loc
        }
        if info.dialect.draft == .draft2020, let anchor = node.value(forKey: "$dynamicAnchor")?.stringValue {
            anchors[info.baseString + "#" + anchor] = loc
            dynamicAnchors[info.resourceRoot, default: []].append((anchor, loc))
        }
        infos[loc] = info
        for member in node.members {
            let key = member.name
            let value = member.value
            if SchemaCompiler.applicatorSingles.contains(key) {
                walk(value, document: d, info: info.descending([key]), isDocumentRoot: false)
            } else if SchemaCompiler.applicatorMaps.contains(key) {
                for inner in value.members {
                    walk(inner.value, document: d, info: info.descending([key, inner.name]), isDocumentRoot: false)
                }
            } else if SchemaCompiler.applicatorArrays.contains(key) || key == "items" {
                if value.kind == .array {
                    for (k, element) in value.elements.enumerated() {
                        walk(element, document: d, info: info.descending([key, String(k)]), isDocumentRoot: false)
                    }
                } else if key == "items" {
                    walk(value, document: d, info: info.descending([key]), isDocumentRoot: false)
                }
            }
        }
    }

    private mutating func dialect(for meta: String, at loc: SchemaLocation, info: NodeInfo) -> SchemaDialect {
        let uri = URIReference(meta).withoutFragment.description
        switch uri {
        case "https://json-schema.org/draft/2020-12/schema": return .standard
        case "https://json-schema.org/draft/2019-09/schema":
            return SchemaDialect(draft: .draft2019, vocabularies: .standard)
        case "http://json-schema.org/draft-07/schema", "http://json-schema.org/draft-06/schema",
            "http://json-schema.org/draft-04/schema":
            return SchemaDialect(draft: .draft7, vocabularies: .standard)
        default: break
        }
        guard let metaLoc = findResource(uri) else {
            problem(
                loc, info: info, ["$schema"],
                "unknown meta-schema `\(meta)`: register it (for example with --ref) or use https://json-schema.org/draft/2020-12/schema"
            )
            return .standard
        }
        let metaNode = registry.documents[Int(metaLoc.document)].tree.node(atIndex: Int(metaLoc.node))
        guard let vocabulary = metaNode.value(forKey: "$vocabulary"), vocabulary.kind == .object else { return .standard }
        var vocabularies: Vocabularies = []
        for member in vocabulary.members {
            if let v = Vocabularies.byURI[member.name] {
                vocabularies.insert(v)
            } else if member.value.boolValue == true {
                problem(
                    loc, info: info, ["$schema"],
                    "the meta-schema `\(meta)` requires the vocabulary `\(member.name)`, which this validator does not support")
            }
        }
        return SchemaDialect(draft: .draft2020, vocabularies: vocabularies.union(.core))
    }

    // MARK: Resolution

    /// Resolves a reference against a node's base URI to the target node and its info.
    private mutating func resolve(_ reference: String, from info: NodeInfo, keywordPath: [String]) -> (SchemaLocation, NodeInfo)?
    {
        let target = URIReference(reference).resolved(against: info.base)
        let absolute = target.withoutFragment.description
        guard let root = findResource(absolute), let rootInfo = infos[root] ?? infoForUnindexed(root) else {
            problem(
                nil, info: info, keywordPath,
                "cannot resolve the reference `\(reference)`: nothing is registered under `\(absolute)`")
            return nil
        }
        let fragment = target.fragment ?? ""
        if fragment.isEmpty { return (root, rootInfo) }
        if fragment.hasPrefix("/") {
            let decoded = PercentEncoding.decode(fragment)
            guard let pointer = JSONPointer(decoded) else {
                problem(nil, info: info, keywordPath, "the reference `\(reference)` has an invalid JSON Pointer fragment")
                return nil
            }
            let tree = registry.documents[Int(root.document)].tree
            var node = tree.node(atIndex: Int(root.node))
            var current = rootInfo
            for token in pointer.tokens {
                var child: SyntaxNode?
                if node.kind == .object {
                    child = node.value(forKey: token)
                } else if node.kind == .array, let k = Int(token), k >= 0 {
                    child = node.elements.dropFirst(k).first(where: { _ in true })
                }
                guard let next = child else {
                    problem(
                        nil, info: info, keywordPath,
                        "cannot resolve the reference `\(reference)`: `\(decoded)` does not exist in `\(absolute)`")
                    return nil
                }
                node = next
                current = infos[SchemaLocation(document: root.document, node: Int32(node.index))] ?? current.descending([token])
            }
            guard node.kind == .object || node.kind == .true || node.kind == .false else {
                problem(nil, info: info, keywordPath, "the reference `\(reference)` points to a \(node.kind) value, not a schema")
                return nil
            }
            return (SchemaLocation(document: root.document, node: Int32(node.index)), current)
        }
        guard let anchored = anchors[absolute + "#" + fragment], let anchoredInfo = infos[anchored] else {
            problem(
                nil, info: info, keywordPath,
                "cannot resolve the reference `\(reference)`: no `$anchor` `\(fragment)` in `\(absolute)`")
            return nil
        }
        return (anchored, anchoredInfo)
    }

    private func infoForUnindexed(_ loc: SchemaLocation) -> NodeInfo? { nil }

    // MARK: Compilation

    private mutating func id(for loc: SchemaLocation, info: NodeInfo) -> Int32 {
        if let existing = compiledIDs[loc] { return existing }
        if infos[loc] == nil { infos[loc] = info }
        let resource = resourceID(for: info.resourceRoot, uri: info.baseString)
        let id = Int32(nodes.count)
        compiledIDs[loc] = id
        let pointer = JSONPointer(tokens: info.resourcePointer).description
        nodes.append(
            SchemaNode(
                location: loc, resource: resource, documentPointer: info.documentPointer,
                absoluteLocation: info.baseString + "#" + URIReference.encodeFragment(pointer)))
        inPlaceEdges.append([])
        pending.append(id)
        return id
    }

    private mutating func resourceID(for root: SchemaLocation, uri: String) -> Int32 {
        if let existing = resourceIDs[root] { return existing }
        let rid = Int32(resourceList.count)
        resourceIDs[root] = rid
        resourceList.append(ResourceInfo(uri: uri))
        for (name, loc) in dynamicAnchors[root] ?? [] {
            guard let info = infos[loc] else { continue }
            let target = id(for: loc, info: info)
            if resourceList[Int(rid)].dynamicAnchors[name] == nil { resourceList[Int(rid)].dynamicAnchors[name] = target }
        }
        return rid
    }

    private mutating func problem(_ loc: SchemaLocation?, info: NodeInfo, _ tokens: [String], _ message: String) {
        let doc = Int(loc?.document ?? info.resourceRoot.document)
        let tree = registry.documents[doc].tree
        let pointer = JSONPointer(tokens: info.documentPointer + tokens)
        problems.append(
            SchemaProblem(
                documentURI: registry.documents[doc].uri, location: pointer,
                range: tree.node(at: pointer)?.range, message: message))
    }

    private mutating func build(_ id: Int32) {
        let loc = nodes[Int(id)].location
        let info = infos[loc]!
        let tree = registry.documents[Int(loc.document)].tree
        let node = tree.node(atIndex: Int(loc.node))
        switch node.kind {
        case .true: return
        case .false:
            nodes[Int(id)].isFalse = true
            return
        case .object: break
        default:
            problem(loc, info: info, [], "a schema must be an object or a boolean, not \(kindName(node.kind))")
            return
        }
        var m: [String: SyntaxNode] = [:]
        for member in node.members { m[member.name] = member.value }
        let vocab = info.dialect.vocabularies
        let draft = info.dialect.draft
        var keywords: [Keyword] = []
        var edges: [Int32] = []
        let applicator = vocab.contains(.applicator)
        let validation = vocab.contains(.validation)

        func sub(_ child: SyntaxNode, _ tokens: [String]) -> Int32 {
            let childLoc = SchemaLocation(document: loc.document, node: Int32(child.index))
            if child.kind != .object && child.kind != .true && child.kind != .false {
                problem(
                    loc, info: info, tokens,
                    "`\(tokens.joined(separator: "/"))` must be a schema (an object or a boolean), not \(kindName(child.kind))")
            }
            return self.id(for: childLoc, info: infos[childLoc] ?? info.descending(tokens))
        }
        func schemaArray(_ key: String) -> [Int32]? {
            guard let value = m[key] else { return nil }
            guard value.kind == .array, value.elements.count > 0 else {
                problem(loc, info: info, [key], "`\(key)` must be a non-empty array of schemas")
                return nil
            }
            return value.elements.enumerated().map { sub($0.element, [key, String($0.offset)]) }
        }
        func count(_ key: String) -> Int? {
            guard let value = m[key] else { return nil }
            guard let d = value.decimalValue, d.isInteger, !d.negative, let n = d.int64Value else {
                problem(loc, info: info, [key], "`\(key)` must be a non-negative integer")
                return nil
            }
            return Int(n)
        }
        func number(_ key: String) -> SchemaNumber? {
            guard let value = m[key] else { return nil }
            guard let n = SchemaNumber(value) else {
                problem(loc, info: info, [key], "`\(key)` must be a number")
                return nil
            }
            return n
        }
        func regex(_ pattern: String, _ tokens: [String]) -> ECMARegex? {
            do {
                return try ECMARegex(pattern)
            } catch {
                problem(loc, info: info, tokens, error.message)
                return nil
            }
        }

        if vocab.contains(.metaData), let title = m["title"]?.stringValue { nodes[Int(id)].title = title }

        // In drafts up to 7, `$ref` overrides its siblings.
        if draft == .draft7, let ref = m["$ref"] {
            if let r = ref.stringValue, let (target, targetInfo) = resolve(r, from: info, keywordPath: ["$ref"]) {
                let t = self.id(for: target, info: targetInfo)
                nodes[Int(id)].keywords = [Keyword(operation: .ref(t), name: "$ref")]
                inPlaceEdges[Int(id)] = [t]
            }
            return
        }

        if validation, let type = m["type"] {
            var mask: TypeMask = []
            let names: [SyntaxNode] = type.kind == .array ? Array(type.elements) : [type]
            for n in names {
                if let s = n.stringValue, let t = TypeMask(name: s) {
                    mask.insert(t)
                } else {
                    problem(
                        loc, info: info, ["type"],
                        "`type` must be one of object, array, string, number, integer, boolean, null (or an array of them)")
                }
            }
            keywords.append(Keyword(operation: .type(mask), name: "type"))
        }
        if validation, let c = m["const"] {
            let set = ValueSet()
            set.insert(c)
            keywords.append(Keyword(operation: .const(set), name: "const"))
        }
        if validation, let e = m["enum"] {
            if e.kind == .array {
                let set = ValueSet()
                for v in e.elements { set.insert(v) }
                keywords.append(Keyword(operation: .enumeration(set, fromBranches: false), name: "enum"))
            } else {
                problem(loc, info: info, ["enum"], "`enum` must be an array")
            }
        }
        if validation {
            if let n = number("minimum") { keywords.append(Keyword(operation: .minimum(n), name: "minimum")) }
            if let n = number("maximum") { keywords.append(Keyword(operation: .maximum(n), name: "maximum")) }
            if let n = number("exclusiveMinimum") {
                keywords.append(Keyword(operation: .exclusiveMinimum(n), name: "exclusiveMinimum"))
            }
            if let n = number("exclusiveMaximum") {
                keywords.append(Keyword(operation: .exclusiveMaximum(n), name: "exclusiveMaximum"))
            }
            if let n = number("multipleOf") {
                if n.exact.isZero || n.exact.negative {
                    problem(loc, info: info, ["multipleOf"], "`multipleOf` must be greater than 0")
                } else {
                    keywords.append(Keyword(operation: .multipleOf(n), name: "multipleOf"))
                }
            }
            if let n = count("minLength") { keywords.append(Keyword(operation: .minLength(n), name: "minLength")) }
            if let n = count("maxLength") { keywords.append(Keyword(operation: .maxLength(n), name: "maxLength")) }
            if let p = m["pattern"] {
                if let s = p.stringValue {
                    if let r = regex(s, ["pattern"]) { keywords.append(Keyword(operation: .pattern(r), name: "pattern")) }
                } else {
                    problem(loc, info: info, ["pattern"], "`pattern` must be a string")
                }
            }
        }
        if let f = m["format"]?.stringValue, vocab.contains(.formatAssertion) || options.formatAssertion,
            let kind = FormatKind(rawValue: f)
        {
            keywords.append(Keyword(operation: .format(kind), name: "format"))
        }
        if validation {
            if let n = count("minItems") { keywords.append(Keyword(operation: .minItems(n), name: "minItems")) }
            if let n = count("maxItems") { keywords.append(Keyword(operation: .maxItems(n), name: "maxItems")) }
            if m["uniqueItems"]?.boolValue == true { keywords.append(Keyword(operation: .uniqueItems, name: "uniqueItems")) }
            if let n = count("minProperties") { keywords.append(Keyword(operation: .minProperties(n), name: "minProperties")) }
            if let n = count("maxProperties") { keywords.append(Keyword(operation: .maxProperties(n), name: "maxProperties")) }
            if let r = m["required"] {
                if r.kind == .array, r.elements.allSatisfy({ $0.kind == .string }) {
                    let names = r.elements.map { $0.stringValue ?? "" }
                    if !names.isEmpty {
                        let props = m["properties"]
                        let titles = names.map { props?.value(forKey: $0)?.value(forKey: "title")?.stringValue }
                        keywords.append(
                            Keyword(operation: .required(RequiredSet(names: names, titles: titles)), name: "required"))
                    }
                } else {
                    problem(loc, info: info, ["required"], "`required` must be an array of strings")
                }
            }
            var dependentRequired: [(name: String, required: [String])] = []
            if let d = m["dependentRequired"], draft != .draft7 {
                for member in d.members {
                    dependentRequired.append((member.name, member.value.elements.compactMap(\.stringValue)))
                }
            }
            if let d = m["dependencies"] {
                for member in d.members where member.value.kind == .array {
                    dependentRequired.append((member.name, member.value.elements.compactMap(\.stringValue)))
                }
            }
            if !dependentRequired.isEmpty {
                keywords.append(
                    Keyword(
                        operation: .dependentRequired(dependentRequired),
                        name: m["dependentRequired"] != nil && draft != .draft7 ? "dependentRequired" : "dependencies"))
            }
        }
        if applicator {
            let props = m["properties"], patterns = m["patternProperties"], additional = m["additionalProperties"]
            if props != nil || patterns != nil || additional != nil {
                let table = ByteTable()
                var names: [String] = []
                var schemas: [Int32] = []
                for member in props.map({ Array($0.members) }) ?? [] {
                    if table.insert(Array(member.name.utf8), value: Int32(names.count)) {
                        names.append(member.name)
                        schemas.append(sub(member.value, ["properties", member.name]))
                    } else if let k = table.lookup(member.name) {
                        schemas[Int(k)] = sub(member.value, ["properties", member.name])
                    }
                }
                var regexes: [(regex: ECMARegex, schema: Int32)] = []
                for member in patterns.map({ Array($0.members) }) ?? [] {
                    if let r = regex(member.name, ["patternProperties", member.name]) {
                        regexes.append((r, sub(member.value, ["patternProperties", member.name])))
                    }
                }
                let extra = additional.map { sub($0, ["additionalProperties"]) }
                let rules = PropertyRules(table: table, names: names, schemas: schemas, patterns: regexes, additional: extra)
                keywords.append(Keyword(operation: .properties(rules), name: "properties"))
            }
            if let p = m["propertyNames"] {
                keywords.append(Keyword(operation: .propertyNames(sub(p, ["propertyNames"])), name: "propertyNames"))
            }
            var dependent: [(name: String, schema: Int32)] = []
            if draft != .draft7, let d = m["dependentSchemas"] {
                for member in d.members { dependent.append((member.name, sub(member.value, ["dependentSchemas", member.name]))) }
            }
            if let d = m["dependencies"] {
                for member in d.members where member.value.kind != .array {
                    dependent.append((member.name, sub(member.value, ["dependencies", member.name])))
                }
            }
            if !dependent.isEmpty {
                edges += dependent.map(\.schema)
                keywords.append(
                    Keyword(
                        operation: .dependentSchemas(dependent),
                        name: m["dependentSchemas"] != nil && draft != .draft7 ? "dependentSchemas" : "dependencies"))
            }
            // Arrays: `prefixItems` + `items` (2020-12), or `items` array + `additionalItems` (older drafts).
            var prefix: [Int32] = []
            var rest: Int32?
            var itemsName = "items"
            if draft == .draft2020 {
                if m["prefixItems"] != nil {
                    prefix = schemaArray("prefixItems") ?? []
                    itemsName = "prefixItems"
                }
                if let items = m["items"] {
                    rest = sub(items, ["items"])
                    itemsName = "items"
                }
            } else if let items = m["items"] {
                if items.kind == .array {
                    prefix = items.elements.enumerated().map { sub($0.element, ["items", String($0.offset)]) }
                    if let additional = m["additionalItems"] {
                        rest = sub(additional, ["additionalItems"])
                        itemsName = "additionalItems"
                    }
                } else {
                    rest = sub(items, ["items"])
                }
            }
            if !prefix.isEmpty || rest != nil {
                keywords.append(Keyword(operation: .items(prefix: prefix, rest: rest), name: itemsName))
            }
            if let c = m["contains"] {
                var minimum = 1
                var maximum: Int?
                if validation && draft != .draft7 {
                    if let n = count("minContains") { minimum = n }
                    maximum = count("maxContains")
                }
                keywords.append(Keyword(operation: .contains(sub(c, ["contains"]), min: minimum, max: maximum), name: "contains"))
            }
        }
        if let r = m["$ref"] {
            if let s = r.stringValue {
                if let (target, targetInfo) = resolve(s, from: info, keywordPath: ["$ref"]) {
                    let t = self.id(for: target, info: targetInfo)
                    edges.append(t)
                    keywords.append(Keyword(operation: .ref(t), name: "$ref"))
                }
            } else {
                problem(loc, info: info, ["$ref"], "`$ref` must be a string")
            }
        }
        if draft == .draft2020, let r = m["$dynamicRef"] {
            if let s = r.stringValue {
                if let (target, targetInfo) = resolve(s, from: info, keywordPath: ["$dynamicRef"]) {
                    let t = self.id(for: target, info: targetInfo)
                    let fragment = URIReference(s).fragment ?? ""
                    let targetNode = registry.documents[Int(target.document)].tree.node(atIndex: Int(target.node))
                    if !fragment.isEmpty, !fragment.hasPrefix("/"),
                        targetNode.value(forKey: "$dynamicAnchor")?.stringValue == fragment
                    {
                        usesDynamicScope = true
                        keywords.append(Keyword(operation: .dynamicRef(t, anchor: fragment), name: "$dynamicRef"))
                    } else {
                        edges.append(t)
                        keywords.append(Keyword(operation: .ref(t), name: "$dynamicRef"))
                    }
                }
            } else {
                problem(loc, info: info, ["$dynamicRef"], "`$dynamicRef` must be a string")
            }
        }
        if draft == .draft2019, let r = m["$recursiveRef"]?.stringValue,
            let (target, targetInfo) = resolve(r, from: info, keywordPath: ["$recursiveRef"])
        {
            let t = self.id(for: target, info: targetInfo)
            edges.append(t)
            keywords.append(Keyword(operation: .ref(t), name: "$recursiveRef"))
        }
        if applicator {
            if let all = schemaArray("allOf") {
                edges += all
                keywords.append(Keyword(operation: .allOf(all), name: "allOf"))
            }
            for key in ["anyOf", "oneOf"] where m[key] != nil {
                if let set = constBranches(m[key]!, unique: key == "oneOf") {
                    keywords.append(Keyword(operation: .enumeration(set, fromBranches: true), name: key))
                } else if let branches = schemaArray(key) {
                    edges += branches
                    keywords.append(Keyword(operation: key == "anyOf" ? .anyOf(branches) : .oneOf(branches), name: key))
                }
            }
            if let n = m["not"] {
                let t = sub(n, ["not"])
                edges.append(t)
                keywords.append(Keyword(operation: .not(t), name: "not"))
            }
            if let i = m["if"] {
                let condition = sub(i, ["if"])
                let then = m["then"].map { sub($0, ["then"]) }
                let otherwise = m["else"].map { sub($0, ["else"]) }
                edges += [condition] + [then, otherwise].compactMap { $0 }
                // Kept even without `then`/`else`: `if`'s annotations count for `unevaluated*`.
                keywords.append(Keyword(operation: .conditional(if: condition, then: then, else: otherwise), name: "if"))
            } else {
                // `then`/`else` without `if` do nothing, but are still schemas (and may be referenced).
                if let t = m["then"] { _ = sub(t, ["then"]) }
                if let e = m["else"] { _ = sub(e, ["else"]) }
            }
        }
        if vocab.contains(.unevaluated) && draft != .draft7 {
            if let u = m["unevaluatedItems"] {
                keywords.append(Keyword(operation: .unevaluatedItems(sub(u, ["unevaluatedItems"])), name: "unevaluatedItems"))
                nodes[Int(id)].tracksEvaluation = true
            }
            if let u = m["unevaluatedProperties"] {
                keywords.append(
                    Keyword(operation: .unevaluatedProperties(sub(u, ["unevaluatedProperties"])), name: "unevaluatedProperties"))
                nodes[Int(id)].tracksEvaluation = true
            }
        }
        nodes[Int(id)].keywords = keywords
        inPlaceEdges[Int(id)] = edges
    }

    /// An `anyOf`/`oneOf` whose branches are each only a `const` with annotations becomes one set lookup
    /// (vocabulary schemas list hundreds of concepts this way).
    private func constBranches(_ value: SyntaxNode, unique: Bool) -> ValueSet? {
        guard value.kind == .array else { return nil }
        let allowed: Set<String> = ["const", "title", "description", "$comment", "deprecated", "examples"]
        let set = ValueSet()
        var n = 0
        for branch in value.elements {
            guard branch.kind == .object, let c = branch.value(forKey: "const") else { return nil }
            for member in branch.members where !allowed.contains(member.name) { return nil }
            let fresh = set.insert(
                c, title: branch.value(forKey: "title")?.stringValue,
                description: branch.value(forKey: "description")?.stringValue)
            // A repeated const makes a oneOf fail for that value: keep the general path then.
            if !fresh && unique { return nil }
            if !fresh && CanonicalValue.key(c) == nil { return nil }
            n += 1
        }
        return n > 0 ? set : nil
    }

    // MARK: Cycles

    /// Reports cycles of in-place applicators (`$ref`, `allOf`, …): evaluating one would never end.
    private mutating func detectCycles() {
        var state = [UInt8](repeating: 0, count: nodes.count)  // 0 new, 1 on stack, 2 done
        var reported = false
        for start in 0..<nodes.count where state[start] == 0 && !reported {
            var stack: [(node: Int, edge: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last, !reported {
                let edges = inPlaceEdges[top.node]
                if top.edge < edges.count {
                    stack[stack.count - 1].edge += 1
                    let next = Int(edges[top.edge])
                    if state[next] == 1 {
                        let cycleStart = stack.firstIndex { $0.node == next } ?? 0
                        let path = stack[cycleStart...].map { nodes[$0.node].absoluteLocation } + [nodes[next].absoluteLocation]
                        let loc = nodes[next].location
                        problems.append(
                            SchemaProblem(
                                documentURI: registry.documents[Int(loc.document)].uri,
                                location: JSONPointer(tokens: nodes[next].documentPointer), range: nil,
                                message: "reference cycle that never consumes input: " + path.joined(separator: " → ")))
                        reported = true
                    } else if state[next] == 0 {
                        state[next] = 1
                        stack.append((next, 0))
                    }
                } else {
                    state[top.node] = 2
                    stack.removeLast()
                }
            }
        }
    }
}

func kindName(_ kind: SyntaxKind) -> String {
    switch kind {
    case .object: "an object"
    case .array: "an array"
    case .string: "a string"
    case .number: "a number"
    case .true, .false: "a boolean"
    case .null: "null"
    case .error, .missing, .document: "an invalid value"
    }
}
