import Foundation
import JSONSyntax
import Testing

@testable import JSONSchema

/// Compiles a schema text registered at a test URI.
func compile(
    _ schema: String, uri: String = "https://eccoe.test/schema.json", options: ValidationOptions = ValidationOptions(),
    extra: [String: String] = [:]
) throws -> JSONSchemaValidator {
    var registry = SchemaRegistry()
    for (u, text) in extra { try registry.add(json: text, uri: u) }
    try registry.add(json: schema, uri: uri)
    return try registry.compile(uri: uri, options: options)
}

/// Errors of one instance text, with the tree for position checks.
func errors(_ schema: String, _ instance: String, options: ValidationOptions = ValidationOptions()) throws -> (
    SyntaxTree, [ValidationError]
) {
    let tree = SyntaxTree(parsing: instance)
    return (tree, try compile(schema, options: options).validate(tree).errors)
}

/// The byte range of the first occurrence of `needle` in `haystack`'s UTF-8.
func byteRange(of needle: String, in haystack: String) -> Range<Int> {
    let h = Array(haystack.utf8), n = Array(needle.utf8)
    for start in 0...(h.count - n.count) where Array(h[start..<(start + n.count)]) == n { return start..<(start + n.count) }
    Issue.record("`\(needle)` not found")
    return 0..<0
}

let levels = """
    {"$id": "https://eccoe.test/eqf.json", "title": "EQF level", "type": "string", "anyOf": [
      {"const": "http://data.europa.eu/snb/eqf/1", "title": "Level 1"},
      {"const": "http://data.europa.eu/snb/eqf/2", "title": "Level 2"},
      {"const": "http://data.europa.eu/snb/eqf/3", "title": "Level 3"},
      {"const": "http://data.europa.eu/snb/eqf/4", "title": "Level 4"},
      {"const": "http://data.europa.eu/snb/eqf/5", "title": "Level 5"},
      {"const": "http://data.europa.eu/snb/eqf/6", "title": "Level 6"},
      {"const": "http://data.europa.eu/snb/eqf/7", "title": "Level 7"},
      {"const": "http://data.europa.eu/snb/eqf/8", "title": "Level 8"}
    ]}
    """

let credentialSchema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["legalName", "level"],
      "properties": {
        "legalName": {"title": "Legal name", "type": "object", "additionalProperties": {"type": "string"}},
        "level": {"$ref": "https://eccoe.test/eqf.json"},
        "credits": {"type": "integer", "minimum": 1},
        "note": {"type": "string", "maxLength": 3},
        "parts": {"oneOf": [{"$ref": "#/$defs/part"}, {"type": "array", "items": {"$ref": "#/$defs/part"}}]}
      },
      "additionalProperties": false,
      "$defs": {
        "part": {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}}
      }
    }
    """

@Suite struct ErrorReportingTests {
    func validator(options: ValidationOptions = ValidationOptions()) throws -> JSONSchemaValidator {
        try compile(credentialSchema, options: options, extra: ["https://eccoe.test/eqf.json": levels])
    }

    @Test func positionsCountUTF16AndBytesAcrossAccentsEmojiAndCRLF() throws {
        let text = "{\r\n  \"é😀\": 1,\r\n  \"note\": \"é😀é😀\",\r\n  \"level\": \"http://data.europa.eu/snb/eqf/9\"\r\n}"
        let tree = SyntaxTree(parsing: text)
        let result = try validator().validate(tree)
        // Document order: the unknown key (line 2), the long note (line 3), the level (line 4), then the
        // missing property reported at the opening brace comes first (offset 0).
        #expect(result.errors.map(\.code) == ["required", "additional-property", "maxLength", "enum"])

        let unknown = result.errors[1]
        #expect(unknown.range == byteRange(of: "\"é😀\"", in: text))
        #expect(unknown.instanceLocation == JSONPointer(tokens: ["é😀"]))
        #expect(tree.position(of: unknown.range.upperBound, encoding: .utf16) == Position(line: 1, character: 7))
        #expect(tree.position(of: unknown.range.upperBound, encoding: .utf8) == Position(line: 1, character: 10))

        let note = result.errors[2]
        #expect(note.range == byteRange(of: "\"é😀é😀\"", in: text))
        #expect(note.message.contains("4 characters"), "\(note.message)")  // code points, not bytes or UTF-16 units
        #expect(tree.position(of: note.range.lowerBound, encoding: .utf16) == Position(line: 2, character: 10))

        let level = result.errors[3]
        #expect(
            tree.range(of: level.range, encoding: .utf16)
                == PositionRange(start: Position(line: 3, character: 11), end: Position(line: 3, character: 44)))
        #expect(level.instanceLocation.description == "/level")
        #expect(level.keywordLocation.description == "/properties/level/$ref/anyOf")
        #expect(level.absoluteKeywordLocation == "https://eccoe.test/eqf.json#/anyOf")
        #expect(
            level.message.hasPrefix("`http://data.europa.eu/snb/eqf/9` is not one of the 8 allowed values for EQF level"),
            "\(level.message)")
        #expect(
            level.message.contains("did you mean `http://data.europa.eu/snb/eqf/8`?") || level.message.contains("did you mean"))
        #expect(level.allowedValues.count == 8)
        #expect(level.allowedValues[0] == AllowedValue(json: "\"http://data.europa.eu/snb/eqf/1\"", title: "Level 1"))
    }

    @Test func missingRequiredPropertyPointsAtTheBraceAndNamesTheTitle() throws {
        let text = "  {\"level\": \"http://data.europa.eu/snb/eqf/3\"}"
        let (_, found) = try (SyntaxTree(parsing: text), validator().validate(SyntaxTree(parsing: text)).errors)
        #expect(found.count == 1)
        #expect(found[0].message == "missing required property `legalName` (Legal name)")
        #expect(found[0].range == 2..<3)
        #expect(found[0].instanceLocation == JSONPointer(tokens: []))
        #expect(found[0].keywordLocation.description == "/required")
    }

    @Test func oneObjectOrAnArrayReportsTheBranchThatFits() throws {
        let v = try validator()
        let single = v.validate(
            SyntaxTree(parsing: #"{"legalName": {}, "level": "http://data.europa.eu/snb/eqf/1", "parts": {"title": 5}}"#))
        #expect(single.errors.map(\.message) == ["expected a string, found the number 5"])
        #expect(single.errors[0].instanceLocation.description == "/parts/title")
        #expect(single.errors[0].keywordLocation.description == "/properties/parts/oneOf/0/$ref/properties/title/type")
        let many = v.validate(
            SyntaxTree(parsing: #"{"legalName": {}, "level": "http://data.europa.eu/snb/eqf/1", "parts": [{"title": "a"}, {}]}"#))
        #expect(many.errors.map(\.message) == ["missing required property `title`"])
        #expect(many.errors[0].instanceLocation.description == "/parts/1")
        let wrong = v.validate(
            SyntaxTree(parsing: #"{"legalName": {}, "level": "http://data.europa.eu/snb/eqf/1", "parts": "x"}"#))
        #expect(wrong.errors.map(\.message) == ["expected an object or an array, found the text `x`"])
    }

    @Test func syntaxErrorsAreNotReportedTwice() throws {
        let text = #"{"legalName": {"en": }, "level": , "credits": tru, "note": "ab"#
        let tree = SyntaxTree(parsing: text)
        #expect(tree.hasErrors)
        let result = try validator().validate(tree)
        // The missing and malformed values pass; only real problems remain (none here).
        #expect(result.errors.isEmpty, "\(result.errors.map(\.message))")
    }

    @Test func errorsAreCappedWithACountOfTheRest() throws {
        let schema = #"{"type": "array", "items": {"type": "string"}}"#
        let instance = "[" + (0..<10).map(String.init).joined(separator: ",") + "]"
        let (_, found) = try errors(schema, instance, options: ValidationOptions(maxErrors: 3))
        #expect(found.count == 4)
        #expect(found.prefix(3).map(\.instanceLocation.description) == ["/0", "/1", "/2"])
        #expect(found[3].code == "more-errors" && found[3].message == "7 more errors not shown")
    }

    @Test func repeatedKeysUseTheLastMember() throws {
        let (_, found) = try errors(#"{"properties": {"a": {"type": "string"}}}"#, #"{"a": 1, "a": "x"}"#)
        #expect(found.isEmpty)
        let (_, second) = try errors(#"{"properties": {"a": {"type": "string"}}, "maxProperties": 1}"#, #"{"a": "x", "a": 1}"#)
        #expect(second.map(\.instanceLocation.description) == ["/a"])
    }

    @Test(arguments: [
        (##"{"pattern": "a{"}"##, "not a valid regular expression"),
        (##"{"patternProperties": {"(": {}}}"##, "not a valid regular expression"),
        (##"{"$ref": "other.json"}"##, "cannot resolve the reference `other.json`"),
        (##"{"$ref": "#/$defs/missing"}"##, "does not exist"),
        (##"{"$ref": "#nowhere"}"##, "no `$anchor` `nowhere`"),
        (
            ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##,
            "reference cycle"
        ),
        (##"{"$ref": "#"}"##, "reference cycle"),
        (##"{"type": "text"}"##, "`type` must be one of"),
        (##"{"minLength": -1}"##, "non-negative integer"),
        (##"{"properties": {"a": 5}}"##, "must be a schema"),
        (##"{"$schema": "https://example.org/unknown-meta"}"##, "unknown meta-schema"),
        (##"{"type": "object",}"##, "JSON syntax error"),
    ])
    func badSchemasFailToCompileWithAClearMessage(_ schema: String, _ message: String) throws {
        #expect {
            _ = try compile(schema)
        } throws: { error in
            guard let error = error as? SchemaError else { return false }
            return error.description.contains(message)
        }
    }

    @Test func deepRecursionIsBoundedNotACrash() throws {
        let schema = ##"{"items": {"$ref": "#"}, "type": "array"}"##
        func nested(_ n: Int) -> SyntaxTree {
            SyntaxTree(parsing: String(repeating: "[", count: n) + String(repeating: "]", count: n))
        }
        let deep = nested(100)
        let v = try compile(schema)
        #expect(v.validate(deep).isValid)
        // As deep as the parser allows: valid, or stopped by the stack guard (debug builds use big
        // frames), never a crash.
        let deepest = v.validate(nested(512))
        #expect(deepest.isValid || deepest.errors.map(\.code) == ["depth-limit"])
        let limited = try compile(schema, options: ValidationOptions(maxEvaluationDepth: 50))
        let result = limited.validate(deep)
        #expect(result.errors.map(\.code) == ["depth-limit"])
        // A $dynamicRef loop is only found at run time: it stops at the limit too.
        let dynamic = """
            {"$id": "https://eccoe.test/d", "$dynamicAnchor": "x", "$defs": {"y": {"$dynamicRef": "#x"}},
             "allOf": [{"$ref": "#/$defs/y"}]}
            """
        let d = try compile(dynamic, uri: "https://eccoe.test/d", options: ValidationOptions(maxEvaluationDepth: 40))
        #expect(d.validate(SyntaxTree(parsing: "1")).errors.map(\.code) == ["depth-limit"])
    }

    @Test func chainsOfReferenceOnlySchemasKeepTheirPathsAndDepth() throws {
        // `x` → a → b → c: three schemas holding only `$ref`, each still a step of the evaluation path
        // and a level of depth.
        let schema = ##"""
            {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/c"}, "c": {"type": "string", "minLength": 2}},
             "properties": {"x": {"$ref": "#/$defs/a"}, "y": {"$ref": "#/$defs/c"}}}
            """##
        let (_, found) = try errors(schema, #"{"x": 1, "y": "a"}"#)
        #expect(
            found.map(\.keywordLocation.description) == ["/properties/x/$ref/$ref/$ref/type", "/properties/y/$ref/minLength"])
        #expect(
            found.map(\.absoluteKeywordLocation) == [
                "https://eccoe.test/schema.json#/$defs/c/type",
                "https://eccoe.test/schema.json#/$defs/c/minLength",
            ])
        // The root, `x`'s schema, r1 … r6 and c: nine levels (the smallest limit allowed is 8).
        let hops = (1...6).map { k -> String in
            let next = k < 6 ? "r\(k + 1)" : "c"
            return ##""r\##(k)": {"$ref": "#/$defs/\##(next)"}"##
        }.joined(separator: ", ")
        let chain = #"{"$defs": {"# + hops + ##", "c": {"type": "string"}}, "properties": {"x": {"$ref": "#/$defs/r1"}}}"##
        let enough = try compile(chain, options: ValidationOptions(maxEvaluationDepth: 9))
        #expect(enough.validate(SyntaxTree(parsing: #"{"x": "ok"}"#)).isValid)
        #expect(
            enough.validate(SyntaxTree(parsing: #"{"x": 1}"#)).errors.map(\.keywordLocation.description)
                == ["/properties/x/$ref/$ref/$ref/$ref/$ref/$ref/$ref/type"])
        let tooFew = try compile(chain, options: ValidationOptions(maxEvaluationDepth: 8))
        #expect(tooFew.validate(SyntaxTree(parsing: #"{"x": "ok"}"#)).errors.map(\.code) == ["depth-limit"])
    }

    @Test func formatIsAnAnnotationUnlessAsserted() throws {
        let schema = #"{"format": "date"}"#
        #expect(try errors(schema, #""2024-02-30""#).1.isEmpty)
        let (_, found) = try errors(schema, #""2024-02-30""#, options: ValidationOptions(formatAssertion: true))
        #expect(found.map(\.message) == ["`2024-02-30` is not a date like 2024-09-30 (format `date`)"])
    }

    @Test func bigNumbersCompareExactly() throws {
        #expect(try errors(#"{"maximum": 18446744073709551615}"#, "18446744073709551616").1.count == 1)
        #expect(try errors(#"{"multipleOf": 0.01}"#, "19.99").1.isEmpty)
        #expect(try errors(#"{"multipleOf": 0.01}"#, "19.999").1.count == 1)
        #expect(try errors(#"{"type": "integer"}"#, "1.0e2").1.isEmpty)
        #expect(try errors(#"{"const": 100}"#, "1.0e2").1.isEmpty)
    }

    @Test func annotationsOfferPropertiesAndValues() throws {
        let v = try validator()
        let top = v.annotations(at: JSONPointer(tokens: []))
        let properties = top.flatMap(\.properties)
        #expect(
            properties.first { $0.name == "legalName" }
                == PropertySuggestion(name: "legalName", title: "Legal name", description: nil, required: true))
        #expect(properties.first { $0.name == "credits" }?.required == false)
        let level = v.annotations(at: JSONPointer(tokens: ["level"]))
        let values = level.flatMap(\.allowedValues)
        #expect(values.count == 8)
        #expect(values.last?.title == "Level 8")
        #expect(level.contains { $0.title == "EQF level" })
        // Through "one object or an array": an element of the array form offers the part's properties.
        let tree = SyntaxTree(parsing: #"{"parts": [{}]}"#)
        let part = v.annotations(at: JSONPointer(tokens: ["parts", "0"]), in: tree)
        #expect(part.flatMap(\.properties).map(\.name) == ["title"])
    }

    @Test func validatorIsSendableAndReusableAcrossThreads() async throws {
        let v = try validator()
        let documents = (0..<32).map { n in
            SyntaxTree(parsing: #"{"legalName": {"en": "x"}, "level": "http://data.europa.eu/snb/eqf/\#(n % 10)"}"#)
        }
        let counts = await withTaskGroup(of: Int.self) { group in
            for d in documents { group.addTask { v.validate(d).errors.count } }
            var all: [Int] = []
            for await c in group { all.append(c) }
            return all
        }
        #expect(counts.reduce(0, +) == 7)  // levels 0 (four times) and 9 (three times) do not exist
    }
}

/// What callers read instead of the English message: the property, the suggestion, the pattern and the offending
/// value are data on the error.
@Suite struct StructuredErrorTests {
    @Test func requiredAndAdditionalPropertiesNameTheProperty() throws {
        let schema =
            #"{"type": "object", "required": ["title"], "properties": {"title": {}, "homepage": {}}, "additionalProperties": false}"#
        let (_, found) = try errors(schema, #"{"homepgae": 1}"#)
        let required = try #require(found.first { $0.code == "required" })
        #expect(required.property == "title" && required.actual == nil)
        let additional = try #require(found.first { $0.code == "additional-property" })
        #expect(additional.property == "homepgae" && additional.suggestion == "homepage")
    }

    @Test func patternAndFormatCarryTheValueAsTheMessageQuotesIt() throws {
        let schema =
            #"{"properties": {"iri": {"type": "string", "pattern": "^[a-z]+:"}, "at": {"type": "string", "format": "date-time"}}}"#
        let (_, found) = try errors(
            schema, #"{"iri": "no scheme here", "at": "tuesday"}"#, options: ValidationOptions(formatAssertion: true))
        let pattern = try #require(found.first { $0.code == "pattern" })
        #expect(pattern.pattern == "^[a-z]+:")
        #expect(pattern.actual == "`no scheme here`")
        #expect(pattern.message.hasPrefix(try #require(pattern.actual)))
        let format = try #require(found.first { $0.code == "format" })
        #expect(format.actual == "`tuesday`" && format.pattern == nil)
    }
}
