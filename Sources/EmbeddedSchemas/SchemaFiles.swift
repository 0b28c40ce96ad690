/// The files of the top-level `Schemas/` folder (JSON Schemas, the criteria catalogue, vocabularies and
/// examples), compiled into the binary by the `EmbedSchemas` build plugin, so `eccoe` works when copied
/// alone. Nothing is read from disk.
public enum SchemaFiles {
    /// The bytes of the file at `path`, relative to `Schemas/` (e.g. `"criteria.json"`,
    /// `"vocabularies/eqf-levels.json"`), or nil if there is none.
    public static func bytes(_ path: String) -> [UInt8]? { index[path].map { Array($0.utf8) } }

    /// The text of the file at `path`, relative to `Schemas/`.
    public static func text(_ path: String) -> String? { index[path] }

    /// Every embedded path, sorted.
    public static var paths: [String] { index.keys.sorted() }
}
