public import JSONSyntax

/// One version of an open document: an immutable value that any task may read.
public struct DocumentSnapshot: Sendable {
    public let uri: String
    public let version: Int
    public let languageID: String
    public let text: SourceText

    public init(uri: String, version: Int, languageID: String, text: SourceText) {
        self.uri = uri
        self.version = version
        self.languageID = languageID
        self.text = text
    }

    /// JSONC for the `jsonc` language id and `.jsonc` files; strict JSON otherwise.
    public var dialect: Dialect {
        languageID == "jsonc" || uri.hasSuffix(".jsonc") ? .jsonc : .json
    }

    /// The file-system path of a `file://` URI (percent-decoded), else nil.
    public var path: String? { DocumentURI.path(of: uri) }
}

/// Converting between `file://` URIs and paths.
public enum DocumentURI {
    public static func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Substring(uri.dropFirst(7))
        if let slash = rest.firstIndex(of: "/") { rest = rest[slash...] } else { return nil }  // drop an authority
        return percentDecoded(String(rest))
    }

    public static func uri(forPath path: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/".utf8)
        var out = "file://"
        for b in path.utf8 {
            if allowed.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static func percentDecoded(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == 0x25, it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
