import EmbeddedSchemas
import Foundation
import Testing

@Suite struct EmbeddedSchemasTests {
    static let schemas = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas")

    /// The binary carries exactly the files of Schemas/, byte for byte.
    @Test func embeddedFilesMatchTheFolder() throws {
        var onDisk: [String] = []
        let walker = try #require(FileManager.default.enumerator(at: Self.schemas, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true
            && !url.lastPathComponent.hasPrefix(".") {
            let relative = String(url.standardizedFileURL.path.dropFirst(Self.schemas.standardizedFileURL.path.count + 1))
            onDisk.append(relative)
            #expect(SchemaFiles.bytes(relative) == Array(try Data(contentsOf: url)), "\(relative)")
        }
        #expect(SchemaFiles.paths == onDisk.sorted())
        #expect(SchemaFiles.paths.contains("examples/good-credential.jsonld"))
        #expect(SchemaFiles.bytes("no/such/file.json") == nil)
    }
}
