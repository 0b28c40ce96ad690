import Dispatch
public import JSONSyntax
import PercentEncoding

/// One version of an open document: an immutable value that any task may read.
public struct DocumentSnapshot: Sendable {
    public let uri: String
    public let version: Int
    public let languageID: String
    public let text: SourceText
    /// When the edit that made this version arrived and how far its analysis got (`--log-timings`); nil for
    /// versions that did not come from an edit.
    public var timings: StageClock?

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
        return PercentEncoding.decode(String(rest))
    }

    public static func uri(forPath path: String) -> String {
        "file://" + PercentEncoding.encode(path) { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/") }
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}

/// Monotonic times (nanoseconds) of the stages between an edit's arrival and its diagnostics going out, for
/// `eccoe lsp --log-timings` and the latency benchmark.
public struct StageClock: Sendable {
    /// The reader completed the `didChange` message's frame.
    public var framed: UInt64
    /// The server's actor took the message (then parsed it).
    public var received: UInt64
    /// The edit was applied to the text.
    public var edited: UInt64
    /// The analysis task began (after waiting for a thread).
    public var started: UInt64 = 0
    public var parsed: UInt64 = 0
    /// The checks were done.
    public var checked: UInt64 = 0

    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// One log line: `timings vN: queue …, edit …, wait …, parse …, check …, hand-over …, encode …, write …, total … ms,
    /// B bytes` (queue: from the frame to the actor; edit: reading the message and applying it).
    func summary(version: Int, publishing: UInt64, encoded: UInt64, written: UInt64, bytes: Int) -> String {
        func ms(_ a: UInt64, _ b: UInt64) -> String {
            let v = b >= a ? Double(b - a) / 1e6 : 0
            return String(Int(v)) + "." + String(Int(v * 1000) % 1000).leftPadded(3)
        }
        return
            "timings v\(version): queue \(ms(framed, received)), edit \(ms(received, edited)), wait \(ms(edited, started)), parse \(ms(started, parsed)), "
            + "check \(ms(parsed, checked)), hand-over \(ms(checked, publishing)), encode \(ms(publishing, encoded)), "
            + "write \(ms(encoded, written)), total \(ms(framed, written)) ms, \(bytes) bytes"
    }
}
