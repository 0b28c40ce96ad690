import EmbeddedSchemas
import Foundation
import Testing

@Suite struct EmbeddedSchemasTests {
    static let schemas = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas")

    /// The binary carries exactly the files of Schemas/ but the examples, byte for byte.
    @Test func embeddedFilesMatchTheFolder() throws {
        var onDisk: [String] = [], examples = 0
        let walker = try #require(
            FileManager.default.enumerator(at: Self.schemas, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker
        where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true
            && !url.lastPathComponent.hasPrefix(".")
        {
            let relative = String(url.standardizedFileURL.path.dropFirst(Self.schemas.standardizedFileURL.path.count + 1))
            if relative.hasPrefix("examples/") {
                examples += 1
                continue
            }
            onDisk.append(relative)
            #expect(SchemaFiles.bytes(relative) == Array(try Data(contentsOf: url)), "\(relative)")
        }
        #expect(SchemaFiles.paths == onDisk.sorted())
        #expect(SchemaFiles.paths.contains("criteria.json") && SchemaFiles.paths.contains("vocabularies/eqf-levels.json"))
        #expect(SchemaFiles.bytes("no/such/file.json") == nil)
        // The examples (1.2 MB, read only by tests and the schema generators) stay out of the shipped binary.
        #expect(examples > 50)
        #expect(!SchemaFiles.paths.contains { $0.hasPrefix("examples/") })
        #expect(SchemaFiles.bytes("examples/good-credential.jsonld") == nil)
    }
}
