/// One HTTP/1.1 request, as parsed from the wire.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent (origin form: path and query).
    public var target: String
    public var version: String
    /// Field names lowercased, values with surrounding whitespace removed, in the order received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
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

    /// The path part of the target, without the query.
    public var path: String { String(target.prefix { $0 != "?" }) }

    /// The decoded query parameters.
    public var query: [(String, String)] {
        guard let q = target.firstIndex(of: "?") else { return [] }
        return FormDecoding.pairs(Array(target[target.index(after: q)...].utf8))
    }

    public func queryValue(_ name: String) -> String? { query.first { $0.0 == name }?.1 }

    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let tokens = headers.filter { $0.name == "connection" }.flatMap { $0.value.lowercased().split(separator: ",") }
            .map { $0.trimmingSpaces }
        if tokens.contains("close") { return false }
        return version == "HTTP/1.1" || tokens.contains("keep-alive")
    }
}

/// A request the parser refuses, with the status it is answered with before the connection closes.
public struct HTTPFailure: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String
}

/// The HTTP/1.1 request parser (RFC 9112) as a pure state machine: bytes in, requests or a failure out.
/// It holds no socket, so every limit and framing rule is tested with plain byte strings.
public struct HTTPRequestParser: Sendable {
    public enum Event: Sendable {
        /// More bytes are needed.
        case needMore
        /// The head asked `Expect: 100-continue` and the body has not arrived: send `100 Continue`.
        case expectsContinue
        case request(HTTPRequest)
        /// The request is refused; answer with the status and close the connection.
        case failure(HTTPFailure)
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int, count: Int)
        case failed
    }

    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var position = 0
    private var state = State.head
    private var head: HTTPRequest?
    private var body: [UInt8] = []
    private var continueSent = false

    public init(limits: HTTPLimits = .default) { self.limits = limits }

    /// True when some bytes of a request have arrived but the request is not complete (the request
    /// deadline is running).
    public var hasPartialRequest: Bool {
        if case .head = state { return buffer[position...].contains { $0 != 13 && $0 != 10 } }
        if case .failed = state { return false }
        return true
    }

    public mutating func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// The next event from the bytes fed so far.
    public mutating func next() -> Event {
        while true {
            switch state {
            case .failed:
                return .failure(HTTPFailure(status: 400, reason: "connection already failed"))
            case .head:
                switch parseHead() {
                case .needMore: return .needMore
                case .failure(let f):
                    state = .failed
                    return .failure(f)
                case .done: continue
                }
            case .fixedBody(let remaining):
                let available = buffer.count - position
                let n = min(available, remaining)
                body.append(contentsOf: buffer[position..<(position + n)])
                position += n
                if n == remaining { return finish() }
                state = .fixedBody(remaining: remaining - n)
                compact()
                return continueIfNeeded()
            case .chunkSize:
                guard let line = readLine(limit: limits.maxChunkLineBytes) else {
                    if buffer.count - position > limits.maxChunkLineBytes { return fail(400, "chunk size line too long") }
                    return continueIfNeeded()
                }
                guard let lineBytes = line else { return fail(400, "chunk size line too long") }
                switch HTTPRequestParser.chunkSize(lineBytes, atMost: limits.maxBodyBytes - body.count) {
                case .invalid: return fail(400, "invalid chunk size")
                case .tooLarge: return fail(413, "request body over \(limits.maxBodyBytes) bytes")
                case .size(0): state = .trailers(bytes: 0, count: 0)
                case .size(let size): state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let n = min(buffer.count - position, remaining)
                body.append(contentsOf: buffer[position..<(position + n)])
                position += n
                if n < remaining {
                    state = .chunkData(remaining: remaining - n)
                    compact()
                    return continueIfNeeded()
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard buffer.count - position >= 2 else {
                    if buffer.count - position == 1 && buffer[position] != 13 && buffer[position] != 10 {
                        return fail(400, "chunk data not followed by CRLF")
                    }
                    return .needMore
                }
                if buffer[position] == 13 && buffer[position + 1] == 10 {
                    position += 2
                } else if buffer[position] == 10 {
                    position += 1
                } else {
                    return fail(400, "chunk data not followed by CRLF")
                }
                state = .chunkSize
            case .trailers(let bytes, let count):
                guard let line = readLine(limit: limits.maxHeaderBytes) else {
                    if bytes + buffer.count - position > limits.maxHeaderBytes { return fail(431, "trailer section too large") }
                    return .needMore
                }
                guard let lineBytes = line else { return fail(431, "trailer section too large") }
                if lineBytes.isEmpty { return finish() }
                let total = bytes + lineBytes.count + 2
                if total > limits.maxHeaderBytes || count + 1 > limits.maxHeaderCount {
                    return fail(431, "trailer section too large")
                }
                state = .trailers(bytes: total, count: count + 1)
            }
        }
    }

    private mutating func continueIfNeeded() -> Event {
        if !continueSent, let head, head.header("expect")?.lowercased() == "100-continue" {
            continueSent = true
            return .expectsContinue
        }
        return .needMore
    }

    private mutating func fail(_ status: Int, _ reason: String) -> Event {
        state = .failed
        return .failure(HTTPFailure(status: status, reason: reason))
    }

    private mutating func finish() -> Event {
        guard var request = head else { return fail(400, "no request") }
        request.body = body
        head = nil
        body = []
        continueSent = false
        state = .head
        compact()
        return .request(request)
    }

    private mutating func compact() {
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
    }

    /// The next line (without its CRLF or LF), advancing past it. Nil when no line end has arrived yet;
    /// `.some(nil)` when the line is longer than `limit`.
    private mutating func readLine(limit: Int) -> [UInt8]?? {
        let end = buffer.count
        var i = position
        while i < end && buffer[i] != 10 {
            i += 1
            if i - position > limit + 1 { return .some(nil) }
        }
        guard i < end else { return nil }
        var lineEnd = i
        if lineEnd > position && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
        if lineEnd - position > limit { return .some(nil) }
        let line = Array(buffer[position..<lineEnd])
        position = i + 1
        return .some(line)
    }

    /// Parses the request line and header section once the blank line that ends them has arrived.
    private mutating func parseHead() -> Event.HeadResult {
        // Ignore empty lines before the request line (RFC 9112 §2.2).
        while position < buffer.count && (buffer[position] == 13 || buffer[position] == 10) { position += 1 }
        let start = position
        // Find the end of the request line first, to answer 414 before waiting for more.
        var i = start
        while i < buffer.count && buffer[i] != 10 { i += 1 }
        if i == buffer.count {
            if i - start > limits.maxRequestLineBytes {
                return .failure(HTTPFailure(status: 414, reason: "request line too long"))
            }
            return .needMore
        }
        let requestLineEnd = i
        if requestLineEnd - start > limits.maxRequestLineBytes + 1 {
            return .failure(HTTPFailure(status: 414, reason: "request line too long"))
        }
        // Find the blank line ending the header section, within the header limit.
        var j = requestLineEnd + 1
        var headerEnd: Int?
        var lineStart = j
        while j < buffer.count {
            if buffer[j] == 10 {
                let length = j - lineStart
                if length == 0 || (length == 1 && buffer[lineStart] == 13) {
                    headerEnd = j + 1
                    break
                }
                lineStart = j + 1
            }
            j += 1
            // Field lines with their line ends count; the blank line that ends the section does not.
            if j - (requestLineEnd + 1) > limits.maxHeaderBytes + 2 {
                return .failure(HTTPFailure(status: 431, reason: "header section over \(limits.maxHeaderBytes) bytes"))
            }
        }
        guard let headerEnd else { return .needMore }
        if lineStart - (requestLineEnd + 1) > limits.maxHeaderBytes {
            return .failure(HTTPFailure(status: 431, reason: "header section over \(limits.maxHeaderBytes) bytes"))
        }

        var line = Array(buffer[start..<requestLineEnd])
        if line.last == 13 { line.removeLast() }
        let parts = line.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(HTTPRequestParser.isTokenByte), !parts[1].isEmpty,
            parts[1].allSatisfy({ $0 > 32 && $0 < 127 })
        else { return .failure(HTTPFailure(status: 400, reason: "malformed request line")) }
        if parts[1].count > limits.maxRequestLineBytes {
            return .failure(HTTPFailure(status: 414, reason: "request target too long"))
        }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version.hasPrefix("HTTP/") else { return .failure(HTTPFailure(status: 400, reason: "malformed request line")) }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .failure(HTTPFailure(status: 505, reason: "only HTTP/1.1 and HTTP/1.0 are supported"))
        }
        let target = String(decoding: parts[1], as: UTF8.self)
        guard target.hasPrefix("/") || (target == "*" && parts[0].elementsEqual("OPTIONS".utf8)) else {
            return .failure(HTTPFailure(status: 400, reason: "the request target must be a path"))
        }

        var headers: [(name: String, value: String)] = []
        var k = requestLineEnd + 1
        while k < headerEnd {
            var e = k
            while buffer[e] != 10 { e += 1 }
            var fieldEnd = e
            if fieldEnd > k && buffer[fieldEnd - 1] == 13 { fieldEnd -= 1 }
            let field = buffer[k..<fieldEnd]
            k = e + 1
            if field.isEmpty { break }
            if field.first == 32 || field.first == 9 {
                return .failure(HTTPFailure(status: 400, reason: "obsolete line folding is not accepted"))
            }
            guard let colon = field.firstIndex(of: UInt8(ascii: ":")), colon > field.startIndex,
                field[field.startIndex..<colon].allSatisfy(HTTPRequestParser.isTokenByte)
            else { return .failure(HTTPFailure(status: 400, reason: "malformed header field")) }
            let valueBytes = field[(colon + 1)...].drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 }.reversed()
            if valueBytes.contains(where: { $0 == 0 || $0 == 13 || $0 == 10 || ($0 < 32 && $0 != 9) || $0 == 127 }) {
                return .failure(HTTPFailure(status: 400, reason: "invalid character in a header value"))
            }
            headers.append(
                (
                    String(decoding: field[field.startIndex..<colon], as: UTF8.self).lowercased(),
                    String(decoding: valueBytes, as: UTF8.self)
                ))
            if headers.count > limits.maxHeaderCount {
                return .failure(HTTPFailure(status: 431, reason: "more than \(limits.maxHeaderCount) header fields"))
            }
        }
        position = headerEnd
        var request = HTTPRequest(
            method: String(decoding: parts[0], as: UTF8.self), target: target, version: version, headers: headers)
        request.body = []

        let hosts = headers.filter { $0.name == "host" }
        if version == "HTTP/1.1" && hosts.count != 1 {
            return .failure(HTTPFailure(status: 400, reason: "exactly one Host header is required"))
        }
        let transferEncodings = headers.filter { $0.name == "transfer-encoding" }
        let lengths = headers.filter { $0.name == "content-length" }
        if !transferEncodings.isEmpty {
            // A message with both is a request-smuggling vector: refuse rather than guess (RFC 9112 §6.3).
            if !lengths.isEmpty { return .failure(HTTPFailure(status: 400, reason: "both Transfer-Encoding and Content-Length")) }
            if version == "HTTP/1.0" {
                return .failure(HTTPFailure(status: 400, reason: "Transfer-Encoding in an HTTP/1.0 request"))
            }
            let codings = transferEncodings.flatMap { $0.value.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
            guard codings == ["chunked"] else {
                return .failure(
                    HTTPFailure(
                        status: codings.last == "chunked" ? 501 : 400,
                        reason: "only the chunked transfer coding is supported"))
            }
            head = request
            state = .chunkSize
            return .done
        }
        var length = 0
        if !lengths.isEmpty {
            let values = Set(
                lengths.flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingSpaces })
            guard values.count == 1, let v = values.first, !v.isEmpty, v.count <= 18, v.allSatisfy({ $0.isASCII && $0.isNumber }),
                let n = Int(v)
            else { return .failure(HTTPFailure(status: 400, reason: "invalid Content-Length")) }
            length = n
        }
        if length > limits.maxBodyBytes {
            return .failure(HTTPFailure(status: 413, reason: "request body over \(limits.maxBodyBytes) bytes"))
        }
        head = request
        state = .fixedBody(remaining: length)
        return .done
    }

    enum ChunkSize: Equatable { case size(Int), tooLarge, invalid }

    /// Reads a chunk-size line (RFC 9112 §7.1: `1*HEXDIG [BWS ";" chunk-ext]`): 1 to 16 hexadecimal digits,
    /// nothing else before the extensions (no sign, no `0x`, no space unless a `;` follows), and a value of at
    /// most `atMost` bytes, checked digit by digit so no size can overflow.
    static func chunkSize(_ line: [UInt8], atMost: Int) -> ChunkSize {
        var value = 0
        var tooLarge = false
        var i = 0
        while i < line.count, let d = hexValue(line[i]) {
            if i == 16 { return .invalid }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 16)
            let (next, o2) = shifted.addingReportingOverflow(d)
            if o1 || o2 || next > atMost { tooLarge = true } else { value = next }
            i += 1
        }
        guard i > 0 else { return .invalid }
        var j = i
        while j < line.count && (line[j] == 32 || line[j] == 9) { j += 1 }
        if j < line.count ? line[j] != UInt8(ascii: ";") : j != i { return .invalid }
        return tooLarge ? .tooLarge : .size(value)
    }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}

extension HTTPRequestParser.Event {
    enum HeadResult { case needMore, done, failure(HTTPFailure) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
