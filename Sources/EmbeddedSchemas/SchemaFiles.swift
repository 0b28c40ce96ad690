/// The files of the top-level `Schemas/` folder (JSON Schemas, the criteria catalogue and vocabularies), compiled
/// into the binary by the `EmbedSchemas` build plugin, so `eccoe` works when copied alone. Nothing is read from
/// disk. `Schemas/examples/` is not compiled in: tests read the examples from the source tree.
public enum SchemaFiles {
    /// The bytes of the file at `path`, relative to `Schemas/` (e.g. `"criteria.json"`,
    /// `"vocabularies/eqf-levels.json"`), or nil if there is none.
    public static func bytes(_ path: String) -> [UInt8]? { index[path].map { Array($0.utf8) } }

    /// The text of the file at `path`, relative to `Schemas/`.
    public static func text(_ path: String) -> String? { index[path] }

    /// Every embedded path, sorted.
    public static var paths: [String] { index.keys.sorted() }
}
