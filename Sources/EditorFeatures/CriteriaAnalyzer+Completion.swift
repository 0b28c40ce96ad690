import Criteria
import Foundation
import JSONSchema
import JSONSyntax
public import LanguageServer

/// Completion of property names from the kind's schema and of allowed values (vocabulary IRIs by their code
/// and label). The server filters by what the author typed (see `CompletionMatch`) and every item's edit
/// range starts where the author's word starts (see `CompletionSite`), so clients keep what it offers.
extension CriteriaAnalyzer {
    public func completions(_ analysis: DocumentAnalysis, offset: Int, snippets: Bool) -> EditorCompletionList {
        let tree = analysis.tree
        let kind = facts(analysis).kind
        guard let kind, let validator = engine.schemaValidator(for: kind),
            let site = CompletionSite.find(in: tree, at: offset)
        else { return EditorCompletionList(items: [], isIncomplete: false) }
        let items: [EditorCompletion]
        switch site.place {
        case .key(let object, let current):
            items = propertyCompletions(
                validator, kind: kind, tree: tree, object: object, current: current, site: site, snippets: snippets)
        case .value(let pointer):
            items = valueCompletions(validator, tree: tree, pointer: pointer, site: site)
        }
        // Filtered by what was typed (and at most `maxCompletionValues`): the client asks again as the author
        // types, rather than filtering this list by rules of its own.
        return EditorCompletionList(items: items, isIncomplete: true)
    }

    func propertyCompletions(
        _ validator: JSONSchemaValidator, kind: DocumentKind, tree: SyntaxTree, object: SyntaxNode,
        current: SyntaxNode?, site: CompletionSite, snippets: Bool
    ) -> [EditorCompletion] {
        let present = Set(object.members.filter { $0.key != current }.map(\.name))
        let pointer = object.pointer
        var seen = Set<String>()
        var matched: [(match: CompletionMatch, item: EditorCompletion)] = []
        for annotation in validator.annotations(at: pointer, in: tree) {
            for property in annotation.properties where !present.contains(property.name) && seen.insert(property.name).inserted {
                guard
                    let match = CompletionMatch.match(
                        typed: site.typed, query: site.query, codes: [], label: property.name, iri: nil)
                else { continue }
                var documentation = property.description ?? ""
                let criteria = criteria(forPropertyAt: pointer.appending(property.name), kind: kind)
                if !criteria.isEmpty {
                    documentation +=
                        (documentation.isEmpty ? "" : "\n\n")
                        + criteria.map { "**\($0.id)** \($0.title)" }.joined(separator: "\n")
                }
                let name = Self.jsonStringContent(property.name)
                let useSnippet = snippets && site.shape != .insideString
                let value = useSnippet ? skeleton(validator, pointer: pointer.appending(property.name)) : ""
                let literal = useSnippet ? Self.snippetEscaped(name) : name
                let insert: String
                switch site.shape {
                case .insideString: insert = name
                case .insideUnterminatedString: insert = name + "\""
                case .keyNeedingColon: insert = literal + "\": " + value
                case .bare: insert = "\"" + literal + "\": " + value
                }
                matched.append(
                    (
                        match,
                        EditorCompletion(
                            label: property.name, kind: .property,
                            detail: [property.required ? "required" : nil, property.title].compactMap { $0 }.joined(
                                separator: " · "),
                            documentation: documentation.isEmpty ? nil : documentation, insertText: insert, isSnippet: useSnippet,
                            replace: site.replace,
                            sortText: "\(match.tier)\(match.spread + 1000)\(property.required ? 0 : 1)\(property.name)",
                            filterText: match.filterText)
                    ))
            }
        }
        return Self.best(matched, limit: Self.maxCompletionValues)
    }

    /// The matches best first (in schema order within a tier), at most `limit`. Scattered-letter matches
    /// (tier 6) are kept only when nothing matched better: "soft" should not list every label holding an
    /// s, an o, an f and a t.
    static func best(_ matched: [(match: CompletionMatch, item: EditorCompletion)], limit: Int) -> [EditorCompletion] {
        let sorted = matched.enumerated().sorted {
            ($0.element.match.tier, $0.element.match.spread, $0.offset) < (
                $1.element.match.tier, $1.element.match.spread, $1.offset
            )
        }
        let hasCloser = sorted.first.map { $0.element.match.tier < CompletionMatch.scatteredTier } ?? false
        return sorted.lazy.filter { !hasCloser || $0.element.match.tier < CompletionMatch.scatteredTier }
            .prefix(limit).map(\.element.item)
    }

    /// A snippet for a property's value shaped by its schema: an object, an array, a string or a bare value.
    func skeleton(_ validator: JSONSchemaValidator, pointer: JSONPointer) -> String {
        let types = Set(validator.annotations(at: pointer, in: nil).flatMap(\.types))
        if types == ["object"] { return "{$1}" }
        if types == ["array"] { return "[$1]" }
        if types == ["string"] { return "\"$1\"" }
        return "$1"
    }

    func valueCompletions(
        _ validator: JSONSchemaValidator, tree: SyntaxTree, pointer: JSONPointer,
        site: CompletionSite
    ) -> [EditorCompletion] {
        var seen = Set<String>()
        var matched: [(match: CompletionMatch, item: EditorCompletion)] = []
        let inString = site.shape != .bare
        for annotation in validator.annotations(at: pointer, in: tree) {
            var values = annotation.allowedValues
            if let json = annotation.defaultValue { values.append(AllowedValue(json: json, title: nil, description: "default")) }
            for value in values where seen.insert(value.json).inserted {
                let string = value.json.hasPrefix("\"") ? Self.stringValue(ofJSON: value.json) : nil
                // Inside a string only strings fit; the item inserts the inside of the string.
                if inString && string == nil { continue }
                let concept = string.flatMap { engine.vocabularies.concept(forIRI: $0) }
                let full = string.flatMap { s in concept.flatMap { engine.vocabularies.concept(s, in: $0.vocabulary) } }
                let notation = full?.notation ?? ""
                let name = concept?.label ?? value.title ?? string ?? value.json
                // "0613 Software and applications development and analysis": code and label, as the vocabularies print them.
                let label = notation.isEmpty || name.hasPrefix(notation) ? name : notation + " " + name
                let codes = concept != nil ? [notation] + (full?.altNotations ?? []) : [string ?? value.json]
                guard
                    let match = CompletionMatch.match(
                        typed: site.typed, query: site.query, codes: codes.filter { !$0.isEmpty },
                        label: name, iri: concept != nil ? string : nil, display: label)
                else { continue }
                let insert: String
                switch site.shape {
                case .insideString, .keyNeedingColon: insert = String(value.json.dropFirst().dropLast())
                case .insideUnterminatedString: insert = String(value.json.dropFirst())
                case .bare: insert = value.json
                }
                var documentation = [
                    value.description == "default" ? nil : value.description ?? concept?.definition,
                    concept != nil ? string.map { "`\($0)`" } : nil,
                ].compactMap { $0 }.joined(separator: "\n\n")
                if let vocabulary = concept?.vocabulary { documentation += "\n\n*\(vocabulary)*" }
                matched.append(
                    (
                        match,
                        EditorCompletion(
                            label: label, kind: value.description == "default" ? .value : .enumMember,
                            detail: value.description == "default" ? "default" : concept != nil ? string : nil,
                            documentation: documentation.isEmpty ? nil : documentation, insertText: insert, replace: site.replace,
                            sortText: "\(match.tier)" + String(match.spread + 1000) + label, filterText: match.filterText)
                    ))
            }
        }
        return Self.best(matched, limit: Self.maxCompletionValues)
    }

    /// The value of a JSON string literal (`"a\"b"` → `a"b`).
    static func stringValue(ofJSON json: String) -> String? {
        let tree = SyntaxTree(parsing: Array(json.utf8))
        return tree.root.kind == .string ? tree.root.stringValue : nil
    }

    /// `text` escaped for the inside of a JSON string.
    static func jsonStringContent(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20: out += String(format: "\\u%04x", s.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` as literal snippet text: `$`, `}` and `\` escaped.
    static func snippetEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "$" || c == "}" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
