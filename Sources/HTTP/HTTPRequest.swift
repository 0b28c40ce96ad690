import PercentEncoding

/// One HTTP/1.1 request, as parsed from the wire.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target in origin form (path and query, as sent: nothing decoded). A target sent in
    /// absolute form (`http://host/path?q`) is kept here as its path and query; its authority goes to
    /// `absoluteAuthority`.
    public var target: String
    public var version: String
    /// Field names lowercased, values with surrounding whitespace removed, in the order received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The authority of a target sent in absolute form, else nil.
    public var absoluteAuthority: String?
    /// The peer's address, held in memory only (rate limiting); never stored or logged.
    public var remoteAddress: String = ""

    public init(
        method: String, target: String, version: String = "HTTP/1.1", headers: [(name: String, value: String)] = [],
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The first value of a header field (name case-insensitive).
    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        return headers.first { $0.name == n }?.value
    }

    /// The path part of the target, without the query, exactly as sent (percent-encoding kept).
    public var path: String { String(target.prefix { $0 != "?" }) }

    /// The path's segments, each percent-decoded on its own after the path is split at `/`: an encoded
    /// slash (`%2F`) stays inside its segment and never creates a route. `/a/b%2Fc` is `["a", "b/c"]`;
    /// `/` is `[""]`.
    public var pathSegments: [String] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst().map {
            PercentEncoding.decode($0)
        }
    }

    /// The decoded query parameters.
    public var query: [(String, String)] {
        guard let q = target.firstIndex(of: "?") else { return [] }
        return FormDecoding.pairs(Array(target[target.index(after: q)...].utf8))
    }

    public func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// The `Connection` header's options, lowercased.
    var connectionOptions: [String] {
        headers.filter { $0.name == "connection" }.flatMap { $0.value.lowercased().split(separator: ",") }.map {
            $0.trimmingSpaces
        }
    }

    /// Whether the connection stays open after the response (RFC 9112 §9.3): HTTP/1.1 unless the client
    /// sent `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let options = connectionOptions
        if options.contains("close") { return false }
        return version == "HTTP/1.1" || options.contains("keep-alive")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    public var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
