// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ECCOE",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "eccoe", targets: ["eccoe"]),
        .library(name: "JSONSyntax", targets: ["JSONSyntax"]),
    ],
    targets: [
        // The lossless, error-tolerant JSON/JSONC syntax layer. Depends on nothing but the stdlib.
        .target(name: "JSONSyntax"),
        // Schemas/ (schemas, criteria catalogue, vocabularies, examples) compiled into the binary.
        .target(name: "EmbeddedSchemas", plugins: ["EmbedSchemas"]),
        .executableTarget(name: "embed-schemas", path: "Sources/embed-schemas"),
        .plugin(name: "EmbedSchemas", capability: .buildTool(), dependencies: ["embed-schemas"]),
        // The language server: JSON-RPC, LSP, open documents. The only module that knows the protocol.
        .target(name: "LanguageServer", dependencies: ["JSONSyntax", "PercentEncoding"]),
        // JSON Schema 2020-12 validation on the syntax tree. Depends on JSONSyntax and Foundation (regex).
        .target(name: "JSONSchema", dependencies: ["JSONSyntax", "PercentEncoding"]),
        // The criteria catalogue (`Schemas/criteria.json` parsed), the document kinds and the bundled vocabularies: what
        // the collector needs of the criteria, without the engine and the validator. `Criteria` re-exports it.
        .target(name: "CriteriaCatalogue", dependencies: ["JSONSyntax", "EmbeddedSchemas"]),
        // The criteria engine: vocabularies, schema attribution, rules, workspace pass (and the catalogue, re-exported).
        .target(name: "CivilCalendar"),
        .target(
            name: "Criteria",
            dependencies: [
                "CivilCalendar", "PercentEncoding", "CriteriaCatalogue", "JSONSyntax", "JSONSchema", "EmbeddedSchemas",
            ]),
        // Recognition agreements: drafting from learning opportunities (`eccoe agreement new`) and the printable
        // HTML (`eccoe agreement render`). The Criteria engine checks agreements; this module makes them.
        .target(name: "RecognitionAgreements", dependencies: ["Criteria", "JSONSyntax"]),
        // The criteria engine behind the language server: completion, hover, fixes, definitions.
        .target(
            name: "EditorFeatures",
            dependencies: ["LanguageServer", "Criteria", "JSONSchema", "JSONSyntax", "RecognitionAgreements"]),
        // The command-line tool: subcommand dispatch and output formats.
        .executableTarget(
            name: "eccoe",
            dependencies: [
                "JSONSyntax", "JSONSchema", "LanguageServer", "HTTP", "Consultation", "ConsultationDomain", "CollectorStore",
                "AnalystOutputs", "Criteria", "EditorFeatures", "RecognitionAgreements", "CatalogueSite",
            ]),
        // Benchmarks (release build): `swift run -c release eccoe-bench parse`.
        .executableTarget(
            name: "eccoe-bench",
            dependencies: ["JSONSyntax", "JSONSchema", "LanguageServer", "Criteria", "EditorFeatures", "CredentialCorpus"]),
        // Deterministic credential-like documents and a seeded generator, for the benchmarks and the tests.
        .target(name: "CredentialCorpus"),
        .testTarget(name: "JSONSyntaxTests", dependencies: ["JSONSyntax", "CredentialCorpus"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSONSyntax"]),
        .testTarget(
            name: "CriteriaTests",
            dependencies: ["Criteria", "CivilCalendar", "ConsultationDomain", "JSONSyntax", "JSONSchema", "CredentialCorpus"],
            exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["eccoe"]),
        .testTarget(name: "RecognitionAgreementsTests", dependencies: ["RecognitionAgreements", "Criteria", "JSONSyntax"]),
        .testTarget(
            name: "LanguageServerTests", dependencies: ["LanguageServer", "EditorFeatures", "Criteria", "JSONSyntax", "eccoe"]),
        .testTarget(name: "EmbeddedSchemasTests", dependencies: ["EmbeddedSchemas"]),
        // The system's SQLite (libsqlite3-dev), imported as a C module: no package.
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // HTTP/1.1 on POSIX sockets: parser, limits, connection caps, route table, injected clock. Knows no consultation.
        .target(name: "PercentEncoding"),
        .testTarget(name: "PercentEncodingTests", dependencies: ["PercentEncoding"]),
        .target(name: "HTTP", dependencies: ["PercentEncoding"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "HTTPTestSupport", "PercentEncoding"]),
        // A raw socket client (any bytes, any pace, any loopback source address) and a hand-moved clock, for tests.
        .target(name: "HTTPTestSupport", dependencies: ["HTTP"], path: "Tests/HTTPTestSupport"),
        // The consultation collector, one module per concern, each depending only on those before it:
        // the domain (definitions, responses and their validation, time, hashing), the SQLite store, the analysts'
        // outputs (exports, statistics, report, codebook), the form's pages, and the application (routes, limits).
        .target(
            name: "ConsultationDomain", dependencies: ["CivilCalendar", "CriteriaCatalogue", "JSONSyntax", "EmbeddedSchemas"]),
        .target(name: "CollectorStore", dependencies: ["ConsultationDomain", "CSQLite", "JSONSyntax"]),
        .target(
            name: "AnalystOutputs",
            dependencies: ["CollectorStore", "ConsultationDomain", "CriteriaCatalogue", "JSONSyntax", "HTMLText"]),
        .target(name: "ConsultationPages", dependencies: ["ConsultationDomain", "CriteriaCatalogue", "HTTP", "HTMLText"]),
        .target(
            name: "Consultation",
            dependencies: [
                "HTTP", "ConsultationDomain", "CollectorStore", "AnalystOutputs", "ConsultationPages", "CriteriaCatalogue",
                "JSONSyntax",
                "HTMLText",
            ]),
        .testTarget(
            name: "ConsultationTests",
            dependencies: [
                "Consultation", "ConsultationDomain", "CollectorStore", "AnalystOutputs", "ConsultationPages", "HTTP",
                "HTTPTestSupport",
                "CSQLite", "JSONSyntax", "Criteria", "HTMLText",
            ]),
        // The one HTML escaper, shared by the collector's pages and the published catalogue.
        .target(name: "HTMLText"),
        // `eccoe catalogue`: the static, accessible site of the learning opportunities in a folder.
        .target(name: "CatalogueSite", dependencies: ["JSONSyntax", "Criteria", "HTMLText"]),
        .testTarget(name: "CatalogueSiteTests", dependencies: ["CatalogueSite", "Criteria", "JSONSyntax", "HTMLText", "eccoe"]),
    ]
)

for target in package.targets where target.type != .plugin && target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
