import Criteria
import Foundation
import Testing

/// The catalogue's `elmPaths` attribute schema violations to criteria (`findingPolicy` in criteria.json) and
/// tell editors which criteria a key is about. A path that names no property of its kind's schema attributes
/// nothing, silently: this guard fails instead when a schema or the catalogue changes under the other.
@Suite struct ElmPathTests {
    /// Every `*.schema.json` of Schemas/ (the embedded ones are checked byte for byte against these by
    /// EmbeddedSchemasTests), parsed with Foundation so that the guard does not share code with the engine.
    let schemas: [String: Any] = {
        var byID: [String: Any] = [:]
        let root = packageRoot.appendingPathComponent("Schemas")
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.lastPathComponent.hasSuffix(".schema.json"), let data = try? Data(contentsOf: url),
                let schema = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { continue }
            byID[(schema["$id"] as? String) ?? url.lastPathComponent] = schema
        }
        return byID
    }()

    /// A subschema, the schema document its `$ref`s are relative to, and its JSON Pointer there.
    struct Place {
        var document: String
        var pointer: String
        var schema: [String: Any]

        func child(_ tokens: String..., schema: [String: Any]) -> Place {
            Place(document: document, pointer: pointer + tokens.map { "/" + $0 }.joined(), schema: schema)
        }
    }

    /// The subschema a `$ref` names: an absolute or relative document URI, then a JSON Pointer fragment.
    func resolve(_ reference: String, from document: String) -> Place? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        var uri = document
        if let base = parts.first, !base.isEmpty {
            uri =
                base.contains(":")
                ? String(base) : URL(string: String(base), relativeTo: URL(string: document))?.absoluteString ?? String(base)
        }
        guard var node: Any = schemas[uri] else { return nil }
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        for token in fragment.split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = node as? [String: Any], let next = object[key] {
                node = next
            } else if let array = node as? [Any], let i = Int(key), array.indices.contains(i) {
                node = array[i]
            } else {
                return nil
            }
        }
        return (node as? [String: Any]).map { Place(document: uri, pointer: fragment, schema: $0) }
    }

    static func escaped(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The subschemas that apply to the same instance as `place`: itself, what it refers to, its
    /// combinators and conditionals, and (an instance that is an array) its items.
    func applicators(of place: Place) -> [Place] {
        var out: [Place] = [], stack = [place], seen = Set<String>()
        while let p = stack.popLast() {
            guard seen.insert(p.document + "#" + p.pointer).inserted else { continue }
            out.append(p)
            if let ref = p.schema["$ref"] as? String, let target = resolve(ref, from: p.document) { stack.append(target) }
            for combinator in ["allOf", "anyOf", "oneOf", "prefixItems"] {
                for (i, sub) in (p.schema[combinator] as? [Any] ?? []).enumerated() {
                    if let s = sub as? [String: Any] { stack.append(p.child(combinator, String(i), schema: s)) }
                }
            }
            for single in ["if", "then", "else", "items", "contains", "additionalProperties"] {
                if let s = p.schema[single] as? [String: Any] { stack.append(p.child(single, schema: s)) }
            }
        }
        return out
    }

    /// The subschemas of the property at a dotted `elmPaths` entry (a `[]` after a step, or none, means any
    /// array index there), starting from the root of a kind's schema.
    func subschemas(at path: String, kind: DocumentKind) -> [Place] {
        guard let root = resolve(kind.schemaID, from: kind.schemaID) else { return [] }
        var places = [root]
        for step in path.split(separator: ".", omittingEmptySubsequences: false) {
            let name = step.hasSuffix("[]") ? String(step.dropLast(2)) : String(step)
            places = places.flatMap { applicators(of: $0) }.compactMap { p in
                ((p.schema["properties"] as? [String: Any])?[name] as? [String: Any]).map {
                    p.child("properties", Self.escaped(name), schema: $0)
                }
            }
            if places.isEmpty { break }
        }
        return places
    }

    @Test func everyKindHasItsSchema() {
        for kind in DocumentKind.allCases { #expect(resolve(kind.schemaID, from: kind.schemaID) != nil, "\(kind)") }
    }

    /// Each entry must name a property in the schema of at least one of the criterion's kinds (DQ-01 lists a
    /// credential's paths and a learning opportunity's side by side).
    @Test func everyElmPathResolvesInItsSchema() {
        var checked = 0
        for criterion in Catalogue.standard.criteria {
            for path in criterion.elmPaths {
                let found = criterion.kinds.contains { !subschemas(at: path, kind: $0).isEmpty }
                #expect(
                    found,
                    "\(criterion.id): elmPaths entry \(path) names no property of the \(criterion.kinds.map(\.rawValue)) schema")
                checked += 1
            }
        }
        #expect(checked > 90)
    }

    /// The guard itself can fail: a misspelt step, a step past a leaf, and a property of another kind.
    @Test func theGuardRejectsPathsThatNameNothing() {
        #expect(!subschemas(at: "credentialSubject.hasClaim", kind: .credential).isEmpty)
        #expect(!subschemas(at: "credentialSubject.hasClaim[].title", kind: .credential).isEmpty)
        #expect(subschemas(at: "credentialSubject.hasClaimm", kind: .credential).isEmpty)
        #expect(subschemas(at: "issued.year", kind: .credential).isEmpty)
        #expect(subschemas(at: "credentialSubject.hasClaim", kind: .agreement).isEmpty)
        #expect(subschemas(at: "", kind: .consultation).isEmpty)
    }
}
