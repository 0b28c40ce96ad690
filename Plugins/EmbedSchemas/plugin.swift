import Foundation
import PackagePlugin

/// Compiles the files of the top-level `Schemas/` folder into the target as string constants, so the
/// binary needs no files at run time. Runs again whenever a file under `Schemas/` changes.
/// `Schemas/examples/` is left out: only tests and `check_schemas.py` read the examples, from the source tree.
@main
struct EmbedSchemas: BuildToolPlugin {
    /// Folders of `Schemas/` that are not compiled in.
    static let excluded = ["examples"]

    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let schemas = context.package.directoryURL.appending(path: "Schemas")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: schemas, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker {
                if Self.excluded.contains(url.lastPathComponent),
                    url.deletingLastPathComponent().standardizedFileURL == schemas.standardizedFileURL
                {
                    walker.skipDescendants()
                    continue
                }
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { inputs.append(url) }
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "SchemaFiles+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files of Schemas/",
                executable: try context.tool(named: "embed-schemas").url,
                arguments: [schemas.path, output.path] + Self.excluded.flatMap { ["--exclude", $0] },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
