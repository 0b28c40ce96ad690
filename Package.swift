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
        // The command-line tool: subcommand dispatch and output formats.
        .executableTarget(name: "eccoe", dependencies: ["JSONSyntax"]),
        // Benchmarks (release build): `swift run -c release eccoe-bench parse`.
        .executableTarget(name: "eccoe-bench", dependencies: ["JSONSyntax"]),
        .testTarget(name: "JSONSyntaxTests", dependencies: ["JSONSyntax"]),
        .testTarget(name: "CLITests", dependencies: ["eccoe"]),
        .testTarget(name: "EmbeddedSchemasTests", dependencies: ["EmbeddedSchemas"]),
    ]
)

for target in package.targets where target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
