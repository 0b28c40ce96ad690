/// Where a streamed body writes its bytes (the server frames them for the connection).
public struct HTTPBodyWriter {
    let sink: (_ bytes: [UInt8]) throws -> Void

    public init(_ sink: @escaping (_ bytes: [UInt8]) throws -> Void) { self.sink = sink }

    public func write(_ bytes: [UInt8]) throws { try sink(bytes) }
}

/// An HTTP response: status, header fields and a body given whole or streamed. The server adds framing
/// (`Content-Length`, chunked coding or end-of-connection, `Connection`) and its standard headers.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Produced while sending: chunked for HTTP/1.1 clients, delimited by closing the connection for
        /// HTTP/1.0 ones (exports of any size in bounded memory). Not run for HEAD.
        case stream(@Sendable (HTTPBodyWriter) throws -> Void)
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, headers: [(String, String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, text: String, headers: [(String, String)] = []) {
        self.init(status: status, headers: [("Content-Type", contentType)] + headers, body: .bytes(Array(text.utf8)))
    }

    /// A plain-text answer (the server's own errors and refusals use it).
    public static func text(_ status: Int, _ text: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", text: text, headers: headers)
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Whether a response with this status may carry a body at all (RFC 9110 §6.4.1: 1xx, 204 and 304 never do).
    public static func allowsBody(_ status: Int) -> Bool { !(100..<200).contains(status) && status != 204 && status != 304 }

    public static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 303: "See Other"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}

/// How a response is framed on one connection (RFC 9112 §6): decided from the request and the response
/// alone, so every rule is tested without a socket.
public struct ResponseFraming: Sendable, Equatable {
    public enum BodyFraming: Sendable, Equatable {
        /// No body bytes at all (HEAD, 1xx, 204, 304); `Content-Length` still sent when known, except for
        /// 1xx and 204, which must not have one.
        case none(contentLength: Int?)
        case contentLength(Int)
        case chunked
        /// HTTP/1.0 has no chunked coding: the body ends when the connection closes.
        case untilClose
    }

    public var body: BodyFraming
    /// Whether the connection stays open afterwards.
    public var keepAlive: Bool
    /// The `Connection` header to send, if any.
    public var connectionHeader: String?

    /// - Parameters:
    ///   - method: the request's method; `version` its HTTP version; `requestKeepAlive` what the request asked.
    ///   - streamed: whether the body is produced while sending (its length is not known up front).
    public init(status: Int, bodyLength: Int?, streamed: Bool, method: String, version: String, requestKeepAlive: Bool) {
        var keepAlive = requestKeepAlive
        let noBody = method == "HEAD" || !HTTPResponse.allowsBody(status)
        let lengthAllowed = !(100..<200).contains(status) && status != 204
        if noBody {
            body = .none(contentLength: lengthAllowed && !streamed ? bodyLength : nil)
        } else if let bodyLength, !streamed {
            body = .contentLength(bodyLength)
        } else if version == "HTTP/1.1" {
            body = .chunked
        } else {
            body = .untilClose
            keepAlive = false
        }
        self.keepAlive = keepAlive
        if !keepAlive {
            connectionHeader = "close"
        } else if version == "HTTP/1.0" {
            connectionHeader = "keep-alive"
        } else {
            connectionHeader = nil
        }
    }

    /// The status line and header section, ending with the blank line. `standard` headers come first unless
    /// the response sets a field of the same name.
    public func head(for response: HTTPResponse, standard: [(String, String)] = []) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(HTTPResponse.reason(response.status))\r\n"
        let own = Set(response.headers.map { $0.0.lowercased() })
        for (name, value) in standard where !own.contains(name.lowercased()) {
            text += "\(name): \(ResponseFraming.clean(value))\r\n"
        }
        for (name, value) in response.headers {
            let lower = name.lowercased()
            // Framing is ours alone: a handler cannot set it, so it can never contradict the body sent.
            if lower == "content-length" || lower == "transfer-encoding" || lower == "connection" { continue }
            text += "\(ResponseFraming.clean(name)): \(ResponseFraming.clean(value))\r\n"
        }
        switch body {
        case .none(let length): if let length { text += "Content-Length: \(length)\r\n" }
        case .contentLength(let length): text += "Content-Length: \(length)\r\n"
        case .chunked: text += "Transfer-Encoding: chunked\r\n"
        case .untilClose: break
        }
        if let connectionHeader { text += "Connection: \(connectionHeader)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// Header text is ours; still, never let a CR, LF or NUL through (response splitting).
    /// (By scalars: "\r\n" is one `Character`.)
    static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" })
        return String(out)
    }
}
