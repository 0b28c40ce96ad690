import EmbeddedSchemas
import JSONSchema
import JSONSyntax
import PercentEncoding
import Synchronization

/// What the engine reads out of the embedded schemas once, at start: the compiled validator per kind and
/// the facts the rules and the attribution of schema violations need (so that they follow the schemas
/// rather than repeat them).
struct SchemaFacts: Sendable {
    /// The compiled schema of each kind.
    var validators: [DocumentKind: JSONSchemaValidator] = [:]
    /// Per schema document URI: JSON Pointers (as tokens) of subschemas with an `x-criterion`, and the criterion.
    var xCriteria: [String: [(pointer: [String], criterion: String)]] = [:]
    /// Per kind: property names whose value is a language map, and whether the map allows one text per
    /// language only (LanguageMapUnique / LanguageMapSingle).
    var languageMaps: [DocumentKind: [String: Bool]] = [:]
    /// Per kind and class: the properties that take a single value (`SingleValue`), which the descriptions of one
    /// node (full nodes sharing an `id`, merged by JSON-LD) must not state differently.
    var singleValued: [DocumentKind: [String: [String: SingleValue]]] = [:]
    /// Per kind: properties whose value is a node of a class whose shape asks for nothing but its `type` (the
    /// shapes' sh:class alone: a concept scheme on `inScheme`, the profile on `credentialSchema`), with that class.
    /// A reference `{"id": …}` there must say its class, in it or wherever the document names that id. Sorted by
    /// property, the order findings are made in.
    var typeOnlyReferences: [DocumentKind: [(property: String, className: String)]] = [:]
    /// ELM classes whose shape requires more than `type`: an object of such a type holding only `id`
    /// (and `type`) is a reference that must resolve to a full node in the document.
    var referenceClasses: Set<String> = [] {
        didSet { referenceClassNames = ByteKeyTable(referenceClasses) }
    }
    /// `referenceClasses` by their UTF-8 bytes, for lookups on the node storage.
    private(set) var referenceClassNames = ByteKeyTable()
    /// Every property name any schema defines (for "did you mean" on look-alike keys).
    var knownProperties: Set<String> = []
    /// Per kind, class and property: the concept scheme the profile restricts the property's concepts to (the
    /// `x-conceptScheme` of the restriction the property's schema refers to), e.g. Address.countryCode →
    /// http://publications.europa.eu/resource/authority/country. Class "" holds the named shapes' properties.
    var conceptSchemes: [DocumentKind: [String: [String: String]]] = [:] {
        didSet {
            conceptSchemeProperties = conceptSchemes.mapValues { table in Set(table.values.flatMap(\.keys)).sorted() }
        }
    }
    /// Per kind, every property name that `conceptSchemes` lists for some class, sorted.
    private(set) var conceptSchemeProperties: [DocumentKind: [String]] = [:]
    /// Validators of single classes (`#/$defs/Organisation`), for the nodes of a flattened graph other than its
    /// credential or learning opportunity; compiled when a graph first needs them.
    var classValidators = ClassValidators()

    /// Loads and compiles every `*.schema.json` of `Schemas/`. Throws when an embedded schema does not compile.
    static func load(options: ValidationOptions) throws(SchemaError) -> SchemaFacts {
        var registry = SchemaRegistry()
        var facts = SchemaFacts()
        var trees: [String: SyntaxTree] = [:]
        for path in SchemaFiles.paths where path.hasSuffix(".schema.json") {
            guard let bytes = SchemaFiles.bytes(path) else { continue }
            let tree = SyntaxTree(parsing: bytes)
            let uri = tree.root.value(forKey: "$id")?.stringValue ?? "https://eccoe.eu/schemas/" + path
            try registry.add(tree, uri: uri)
            trees[path] = tree
            facts.collectXCriteria(tree, uri: uri)
            collectProperties(tree.root, into: &facts.knownProperties)
        }
        var classes: [DocumentKind: Set<String>] = [:]
        for kind in DocumentKind.allCases {
            facts.validators[kind] = try registry.compile(uri: kind.schemaID, options: options)
            if let tree = trees[kind.schemaFileName] {
                facts.languageMaps[kind] = languageMapProperties(tree)
                facts.singleValued[kind] = singleValuedProperties(tree)
                facts.typeOnlyReferences[kind] = typeOnlyReferenceProperties(tree).sorted { $0.key < $1.key }
                    .map { (property: $0.key, className: $0.value) }
                facts.conceptSchemes[kind] = conceptSchemes(tree)
                // Classes are the `$defs` whose name is a word (`Organisation`, not `Organisation.location`).
                classes[kind] = Set(
                    (tree.root.value(forKey: "$defs")?.members.map(\.name) ?? [])
                        .filter { !$0.contains(".") && ($0.first?.isUppercase ?? false) })
            }
        }
        facts.classValidators = ClassValidators(registry: registry, options: options, classes: classes)
        for name in [DocumentKind.credential.schemaFileName, DocumentKind.learningOpportunity.schemaFileName] {
            if let tree = trees[name] { facts.referenceClasses.formUnion(referenceClasses(tree)) }
        }
        return facts
    }

    private mutating func collectXCriteria(_ tree: SyntaxTree, uri: String) {
        var found: [(pointer: [String], criterion: String)] = []
        for i in 0..<tree.nodeCount {
            let node = tree.node(atIndex: i)
            guard node.kind == .object, let c = node.value(forKey: "x-criterion")?.stringValue else { continue }
            found.append((node.pointer.tokens, c))
        }
        if !found.isEmpty { xCriteria[uri] = found }
    }

    private static func collectProperties(_ node: SyntaxNode, into names: inout Set<String>) {
        var stack = [node]
        while let n = stack.popLast() {
            if n.kind == .object {
                for member in n.members {
                    if member.name == "properties", member.value.kind == .object {
                        for p in member.value.members { names.insert(p.name) }
                    }
                    if member.value.kind == .object || member.value.kind == .array { stack.append(member.value) }
                }
            } else if n.kind == .array {
                stack.append(contentsOf: n.elements)
            }
        }
    }

    /// Property names (anywhere in the schema) whose subschema refers to a language-map definition.
    static func languageMapProperties(_ tree: SyntaxTree) -> [String: Bool] {
        var result: [String: Bool] = [:]
        var stack = [tree.root]
        while let n = stack.popLast() {
            if n.kind == .object {
                for member in n.members {
                    if member.name == "properties", member.value.kind == .object {
                        for p in member.value.members {
                            if let unique = languageMapReference(p.value) { result[p.name] = (result[p.name] ?? false) || unique }
                        }
                    }
                    if member.value.kind == .object || member.value.kind == .array { stack.append(member.value) }
                }
            } else if n.kind == .array {
                stack.append(contentsOf: n.elements)
            }
        }
        return result
    }

    /// For each `$defs` class, its properties that take one value: `maxItems: 1` on the array form (the shapes'
    /// sh:maxCount 1), or a language map with one text per language (LanguageMapUnique: sh:uniqueLang) or one
    /// text (LanguageMapSingle). A class that may also be a reference keeps its properties under `else`.
    static func singleValuedProperties(_ tree: SyntaxTree) -> [String: [String: SingleValue]] {
        guard let defs = tree.root.value(forKey: "$defs") else { return [:] }
        var result: [String: [String: SingleValue]] = [:]
        for member in defs.members where !member.name.contains(".") && (member.name.first?.isUppercase ?? false) {
            for holder in [member.value, member.value.value(forKey: "else")].compactMap({ $0 }) where holder.kind == .object {
                guard let properties = holder.value(forKey: "properties") else { continue }
                for p in properties.members where !["id", "type", "@context"].contains(p.name) {
                    let limit: SingleValue?
                    if let map = languageMapDefinition(p.value) {
                        limit = map.hasSuffix("Unique") ? .oneTextPerLanguage : map.hasSuffix("Single") ? .oneText : nil
                    } else if p.value.value(forKey: "then")?.value(forKey: "maxItems")?.sourceText == "1" {
                        limit = .one
                    } else {
                        limit = nil
                    }
                    if let limit { result[member.name, default: [:]][p.name] = limit }
                }
            }
        }
        return result
    }

    /// Properties (of any class) whose values are of a class shaped `if NodeReference … else required ["type"]`,
    /// with that class; a property name that leads to two such classes is left out.
    static func typeOnlyReferenceProperties(_ tree: SyntaxTree) -> [String: String] {
        guard let defs = tree.root.value(forKey: "$defs") else { return [:] }
        var typeOnly: Set<String> = []
        for member in defs.members where member.value.kind == .object {
            let def = member.value
            guard def.value(forKey: "if")?.value(forKey: "$ref")?.stringValue == "#/$defs/NodeReference" else { continue }
            if def.value(forKey: "else")?.value(forKey: "required")?.elements.compactMap(\.stringValue) == ["type"] {
                typeOnly.insert(member.name)
            }
        }
        var result: [String: String] = [:]
        var ambiguous: Set<String> = []
        for member in defs.members where !member.name.contains(".") {
            for holder in [member.value, member.value.value(forKey: "else")].compactMap({ $0 }) where holder.kind == .object {
                guard let properties = holder.value(forKey: "properties") else { continue }
                for p in properties.members {
                    let refs = [p.value, p.value.value(forKey: "else"), p.value.value(forKey: "then")?.value(forKey: "items")]
                        .compactMap { $0?.value(forKey: "$ref")?.stringValue }
                    guard let ref = refs.first(where: { typeOnly.contains(String($0.dropFirst(8))) && $0.hasPrefix("#/$defs/") })
                    else { continue }
                    let cls = String(ref.dropFirst(8))
                    if let known = result[p.name], known != cls { ambiguous.insert(p.name) }
                    result[p.name] = cls
                }
            }
        }
        for name in ambiguous { result[name] = nil }
        return result
    }

    /// Whether a property subschema refers (directly, or through if/then/else and items) to a language
    /// map: nil if not, else whether the map is restricted to one text per language.
    private static func languageMapReference(_ schema: SyntaxNode) -> Bool? {
        languageMapDefinition(schema).map { $0.hasSuffix("Unique") || $0.hasSuffix("Single") }
    }

    /// The language-map definition (`#/$defs/LanguageMap…`) a property subschema refers to, directly or through
    /// if/then/else, items and allOf; nil if none.
    private static func languageMapDefinition(_ schema: SyntaxNode) -> String? {
        var stack = [schema]
        var depth = 0
        while let s = stack.popLast(), depth < 16 {
            depth += 1
            if let ref = s.value(forKey: "$ref")?.stringValue, ref.hasPrefix("#/$defs/LanguageMap") { return ref }
            for key in ["then", "else", "items"] { if let sub = s.value(forKey: key), sub.kind == .object { stack.append(sub) } }
            // Required maps are `allOf: [{$ref: LanguageMap…}, {minProperties: 1}]` (legalName, title).
            if let all = s.value(forKey: "allOf"), all.kind == .array {
                stack.append(contentsOf: all.elements.filter { $0.kind == .object })
            }
        }
        return nil
    }

    /// For each `$defs` class, the properties whose schema (directly or through a `Class.property` value def)
    /// refers to a def carrying `x-conceptScheme`, with that scheme.
    static func conceptSchemes(_ tree: SyntaxTree) -> [String: [String: String]] {
        guard let defs = tree.root.value(forKey: "$defs") else { return [:] }
        var schemes: [String: String] = [:]
        for member in defs.members {
            if let scheme = member.value.value(forKey: "x-conceptScheme")?.stringValue {
                schemes["#/$defs/" + member.name] = scheme
            }
        }
        guard !schemes.isEmpty else { return [:] }
        func scheme(in node: SyntaxNode, depth: Int = 0) -> String? {
            guard depth < 12 else { return nil }
            if let ref = node.value(forKey: "$ref")?.stringValue {
                if let s = schemes[ref] { return s }
                if ref.hasPrefix("#/$defs/"), ref.contains("."), let target = defs.value(forKey: String(ref.dropFirst(8))) {
                    if let s = scheme(in: target, depth: depth + 1) { return s }
                }
            }
            for member in node.members where member.value.kind == .object || member.value.kind == .array {
                if member.value.kind == .array {
                    for e in member.value.elements where e.kind == .object {
                        if let s = scheme(in: e, depth: depth + 1) { return s }
                    }
                } else if member.name != "properties", let s = scheme(in: member.value, depth: depth + 1) {
                    return s
                }
            }
            return nil
        }
        var result: [String: [String: String]] = [:]
        for member in defs.members where !member.name.contains(".") {
            guard let properties = member.value.value(forKey: "properties") else { continue }
            let cls = member.name.hasSuffix("NodeShape") ? "" : member.name
            for p in properties.members {
                if let s = scheme(in: p.value) { result[cls, default: [:]][p.name] = s }
            }
        }
        return result
    }

    /// `$defs` entries shaped `if NodeReference … else required [...]` whose required list has more than `type`.
    static func referenceClasses(_ tree: SyntaxTree) -> Set<String> {
        var result: Set<String> = []
        for member in tree.root.value(forKey: "$defs")?.members ?? tree.root.members where member.value.kind == .object {
            let def = member.value
            guard def.value(forKey: "if")?.value(forKey: "$ref")?.stringValue == "#/$defs/NodeReference" else { continue }
            let required = def.value(forKey: "else")?.value(forKey: "required")?.elements.compactMap(\.stringValue) ?? []
            if required.contains(where: { $0 != "type" }) { result.insert(member.name) }
        }
        return result
    }

    /// The criterion of an `x-criterion` subschema enclosing the failing keyword, innermost first.
    func xCriterion(for absoluteKeywordLocation: String) -> String? {
        guard let hash = absoluteKeywordLocation.firstIndex(of: "#") else { return nil }
        let uri = String(absoluteKeywordLocation[..<hash])
        guard let entries = xCriteria[uri] else { return nil }
        let fragment = PercentEncoding.decode(String(absoluteKeywordLocation[absoluteKeywordLocation.index(after: hash)...]))
        guard let pointer = JSONPointer(fragment) else { return nil }
        var best: (Int, String)?
        for e in entries
        where e.pointer.count <= pointer.tokens.count && Array(pointer.tokens.prefix(e.pointer.count)) == e.pointer {
            if best == nil || e.pointer.count > best!.0 { best = (e.pointer.count, e.criterion) }
        }
        return best?.1
    }
}

/// Validators of single ELM classes, compiled on first use from the registry of the embedded schemas (a graph's
/// nodes name their class in `type`; most documents never need one). The mutex is the one owner of the cache.
final class ClassValidators: Sendable {
    private let registry: SchemaRegistry
    private let options: ValidationOptions
    /// Per kind, the classes its schema defines under `$defs`.
    let classes: [DocumentKind: Set<String>]
    private let cache = Mutex<[String: JSONSchemaValidator]>([:])

    init(
        registry: SchemaRegistry = SchemaRegistry(includeMetaSchemas: false), options: ValidationOptions = ValidationOptions(),
        classes: [DocumentKind: Set<String>] = [:]
    ) {
        self.registry = registry
        self.options = options
        self.classes = classes
    }

    /// The validator of `className` as the schema of `kind` defines it, or nil when it defines no such class.
    func validator(kind: DocumentKind, className: String) -> JSONSchemaValidator? {
        guard classes[kind]?.contains(className) == true else { return nil }
        let uri = kind.schemaID + "#/$defs/" + className
        if let known = cache.withLock({ $0[uri] }) { return known }
        guard let compiled = try? registry.compile(uri: uri, options: options) else { return nil }
        cache.withLock { $0[uri] = compiled }
        return compiled
    }
}

/// How many values a property of a class may have once JSON-LD has merged every description of a node.
enum SingleValue: Sendable, Equatable {
    /// One value (sh:maxCount 1).
    case one
    /// One text per language (sh:uniqueLang).
    case oneTextPerLanguage
    /// One text in one language (sh:maxCount 1 on a language-tagged text).
    case oneText
}
