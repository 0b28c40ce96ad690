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
        // The command-line tool: subcommand dispatch and output formats.
        .executableTarget(name: "eccoe", dependencies: ["JSONSyntax"]),
        // Benchmarks (release build): `swift run -c release eccoe-bench parse`.
        .executableTarget(name: "eccoe-bench", dependencies: ["JSONSyntax"]),
        .testTarget(name: "JSONSyntaxTests", dependencies: ["JSONSyntax"]),
        .testTarget(name: "CLITests", dependencies: ["eccoe"]),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
