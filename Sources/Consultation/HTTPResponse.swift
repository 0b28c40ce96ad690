/// Where a streamed body (an export) writes its bytes: a socket with chunked encoding, or a file.
public protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
}

/// An HTTP response: status, header fields and a body given whole or streamed.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Produced while sending, with `Transfer-Encoding: chunked` (exports of any size in bounded memory).
        case stream(@Sendable (any ByteSink) throws -> Void)
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

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    static func reason(_ status: Int) -> String {
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

    /// The status line and header section, ending with the blank line.
    func head(keepAlive: Bool, contentLength: Int?) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        for (name, value) in headers {
            // Header values are ours; still, never let a CR or LF through (response splitting).
            text += "\(name): \(value.filter { $0 != "\r" && $0 != "\n" })\r\n"
        }
        if let contentLength { text += "Content-Length: \(contentLength)\r\n" } else { text += "Transfer-Encoding: chunked\r\n" }
        text += keepAlive ? "" : "Connection: close\r\n"
        text += "\r\n"
        return Array(text.utf8)
    }
}
