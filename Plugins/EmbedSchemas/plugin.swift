import Foundation
import PackagePlugin

/// Compiles the files of the top-level `Schemas/` folder into the target as string constants, so the
/// binary needs no files at run time. Runs again whenever a file under `Schemas/` changes.
@main
struct EmbedSchemas: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let schemas = context.package.directoryURL.appending(path: "Schemas")
        var inputs: [URL] = []
        if let walker = FileManager.default.enumerator(at: schemas, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(url)
            }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "SchemaFiles+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files of Schemas/",
                executable: try context.tool(named: "embed-schemas").url,
                arguments: [schemas.path, output.path],
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
