// Build tool: writes a Swift file holding every file under a folder as a string literal, keyed by its
// relative path. Used by the EmbedSchemas plugin; string literals compile in seconds where byte-array
// literals of the same data take minutes. `--exclude NAME` leaves out a top-level folder (and everything in it).
import Foundation

let usage = "usage: embed-schemas SCHEMAS_DIR OUTPUT.swift [--exclude FOLDER]...\n"
var arguments = Array(CommandLine.arguments.dropFirst())
var excluded: Set<String> = []
while let i = arguments.firstIndex(of: "--exclude") {
    guard i + 1 < arguments.count else {
        FileHandle.standardError.write(Data(usage.utf8))
        exit(2)
    }
    excluded.insert(arguments[i + 1])
    arguments.removeSubrange(i...(i + 1))
}
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let root = URL(fileURLWithPath: arguments[0]).standardizedFileURL
var files: [(String, String)] = []
if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
    for case let url as URL in walker {
        let relative = String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))
        if excluded.contains(relative) {
            walker.skipDescendants()
            continue
        }
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
            !url.lastPathComponent.hasPrefix(".")
        else { continue }
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("embed-schemas: error: \(relative) is not valid UTF-8\n".utf8))
            exit(1)
        }
        files.append((relative, text))
    }
}
files.sort { $0.0 < $1.0 }

func literal(_ text: String) -> String {
    var out = "\""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

var swift = "// Generated at build time by embed-schemas from Schemas/: do not edit.\n\n"
swift += "extension SchemaFiles {\n    static let index: [String: String] = [\n"
for (path, text) in files {
    swift += "        \(literal(path)): \(literal(text)),\n"
}
swift += "    ]\n}\n"
try Data(swift.utf8).write(to: URL(fileURLWithPath: arguments[1]), options: .atomic)
