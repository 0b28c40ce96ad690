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
        .target(name: "LanguageServer", dependencies: ["JSONSyntax"]),
        // JSON Schema 2020-12 validation on the syntax tree. Depends on JSONSyntax and Foundation (regex).
        .target(name: "JSONSchema", dependencies: ["JSONSyntax"]),
        // The command-line tool: subcommand dispatch and output formats.
        // JSON Schema 2020-12 validation on the syntax tree. Depends on JSONSyntax and Foundation (regex).
        .executableTarget(name: "eccoe", dependencies: ["JSONSyntax", "JSONSchema", "LanguageServer"]),
        // Benchmarks (release build): `swift run -c release eccoe-bench parse`.
        .executableTarget(name: "eccoe-bench", dependencies: ["JSONSyntax", "JSONSchema", "LanguageServer"]),
        .testTarget(name: "JSONSyntaxTests", dependencies: ["JSONSyntax"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSONSyntax"]),
        .testTarget(name: "CLITests", dependencies: ["eccoe"]),
        .testTarget(name: "LanguageServerTests", dependencies: ["LanguageServer", "JSONSyntax", "eccoe"]),
        .testTarget(name: "EmbeddedSchemasTests", dependencies: ["EmbeddedSchemas"]),
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
