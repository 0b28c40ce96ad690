/// A request the parser refuses, with the status it is answered with before the connection closes.
public struct HTTPFailure: Error, Sendable, Equatable {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// The HTTP/1.1 request parser (RFC 9112) as a pure state machine: bytes in, requests or a failure out.
/// It holds no socket and reads no clock, so every limit and framing rule is tested with plain bytes (and
/// fuzzed: `Tools/fuzz/fuzz.sh http`). It never traps: every size is checked before it is used.
///
/// What it refuses, and why: anything that two parsers could read two ways (both Transfer-Encoding and
/// Content-Length, differing Content-Lengths, a transfer coding other than `chunked`, obsolete line folding,
/// whitespace before a colon, a chunk size that is not 1 to 16 hexadecimal digits) is a request-smuggling
/// vector, so it gets 400 (or 501) and the connection closes.
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

    /// Where the scan of an incomplete head stopped, so bytes arriving one at a time are each looked at once.
    private struct HeadScan: Sendable {
        /// Empty-line bytes skipped before the request line (they count against `maxHeaderBytes`).
        var skipped = 0
        /// Offset (from `position`) of the request line's first byte, once the empty lines are behind.
        var start: Int?
        /// Offset of the LF ending the request line, once seen.
        var requestLineEnd: Int?
        /// Offset of the current field line's first byte, and how far the scan went.
        var lineStart = 0
        var scanned = 0
    }

    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var position = 0
    private var state = State.head
    private var scan = HeadScan()
    private var head: HTTPRequest?
    private var body: [UInt8] = []
    private var continueSent = false

    public init(limits: HTTPLimits = .default) { self.limits = limits }

    /// True when some bytes of a request have arrived (an empty line before the request line counts) and
    /// the request is not complete: the request deadline is running.
    public var hasPartialRequest: Bool {
        switch state {
        case .head: return position < buffer.count || scan.skipped > 0
        case .failed: return false
        default: return true
        }
    }

    /// Bytes held for requests not yet returned (unparsed input and the body so far): what this connection
    /// costs in memory, for the server's global budget.
    public var bufferedBytes: Int { buffer.count - position + body.count }

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
                case .failure(let f): return fail(f.status, f.reason)
                case .done: continue
                }
            case .fixedBody(let remaining):
                let n = min(buffer.count - position, remaining)
                body.append(contentsOf: buffer[position..<(position + n)])
                position += n
                if n == remaining { return finish() }
                state = .fixedBody(remaining: remaining - n)
                compact()
                return continueIfNeeded()
            case .chunkSize:
                guard let line = readLine(limit: limits.maxChunkLineBytes) else {
                    if pendingLineLength > limits.maxChunkLineBytes { return fail(400, "chunk size line too long") }
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
                let available = buffer.count - position
                if available >= 1 && buffer[position] == 10 {
                    position += 1
                } else if available >= 2 && buffer[position] == 13 && buffer[position + 1] == 10 {
                    position += 2
                } else if available == 0 || (available == 1 && buffer[position] == 13) {
                    return .needMore
                } else {
                    return fail(400, "chunk data not followed by CRLF")
                }
                state = .chunkSize
            case .trailers(let bytes, let count):
                guard let line = readLine(limit: limits.maxHeaderBytes) else {
                    // A line under way counts once it cannot be the empty line that ends the section.
                    let pending = pendingLineLength
                    if pending > 0 && bytes + pending + 2 > limits.maxHeaderBytes {
                        return fail(431, "trailer section too large")
                    }
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
        buffer = []
        body = []
        position = 0
        return .failure(HTTPFailure(status: status, reason: reason))
    }

    private mutating func finish() -> Event {
        guard var request = head else { return fail(400, "no request") }
        request.body = body
        head = nil
        body = []
        continueSent = false
        state = .head
        scan = HeadScan()
        compact()
        return .request(request)
    }

    private mutating func compact() {
        if position > 0 {
            if position == buffer.count && buffer.capacity > 64 * 1024 {
                buffer = []  // let a large body's room go instead of keeping it for the connection's life
            } else {
                buffer.removeFirst(position)
            }
            position = 0
        }
    }

    /// The length of the line under way (no LF yet), not counting a CR at its end that may be the start of its
    /// CRLF: a line refused before its end is one that would be refused once it ends, however the bytes come.
    private var pendingLineLength: Int {
        let n = buffer.count - position
        return n > 0 && buffer[buffer.count - 1] == 13 ? n - 1 : n
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

    /// Scans the head as bytes arrive (each byte once) and parses the request line and header section once
    /// the blank line that ends them is in.
    private mutating func parseHead() -> Event.HeadResult {
        // Empty lines before the request line are skipped but counted (RFC 9112 §2.2 asks a server to
        // ignore at least one; an endless stream of them must not cost memory or escape the deadline).
        if scan.start == nil {
            while position < buffer.count && (buffer[position] == 13 || buffer[position] == 10) {
                position += 1
                scan.skipped += 1
            }
            if scan.skipped > limits.maxHeaderBytes {
                return .failure(
                    HTTPFailure(status: 431, reason: "more than \(limits.maxHeaderBytes) bytes before the request line"))
            }
            compact()
            guard position < buffer.count else { return .needMore }
            scan.start = 0
            scan.scanned = 0
        }
        let start = position
        let headerBudget = limits.maxHeaderBytes - scan.skipped
        if scan.requestLineEnd == nil {
            var i = start + scan.scanned
            while i < buffer.count && buffer[i] != 10 { i += 1 }
            scan.scanned = i - start
            // The line's bytes, a CR before its LF not counted (414 as soon as the limit is passed).
            let length = i - start
            if length > limits.maxRequestLineBytes + 1 || (length == limits.maxRequestLineBytes + 1 && buffer[i - 1] != 13) {
                return .failure(HTTPFailure(status: 414, reason: "request line over \(limits.maxRequestLineBytes) bytes"))
            }
            if i == buffer.count { return .needMore }
            scan.requestLineEnd = i - start
            scan.lineStart = i + 1 - start
            scan.scanned = i + 1 - start
        }
        let requestLineEnd = start + scan.requestLineEnd!
        // Find the blank line ending the header section, within the header budget.
        var j = start + scan.scanned
        var headerEnd: Int?
        var lineStart = start + scan.lineStart
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
            if j - (requestLineEnd + 1) > headerBudget + 2 {
                return .failure(HTTPFailure(status: 431, reason: "header section over \(limits.maxHeaderBytes) bytes"))
            }
        }
        scan.scanned = j - start
        scan.lineStart = lineStart - start
        guard let headerEnd else { return .needMore }
        if lineStart - (requestLineEnd + 1) > headerBudget {
            return .failure(HTTPFailure(status: 431, reason: "header section over \(limits.maxHeaderBytes) bytes"))
        }

        var line = buffer[start..<requestLineEnd]
        if line.last == 13 { line = line.dropLast() }
        let parts = line.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(HTTPRequestParser.isTokenByte), !parts[1].isEmpty,
            parts[1].allSatisfy({ $0 > 32 && $0 < 127 })
        else { return .failure(HTTPFailure(status: 400, reason: "malformed request line")) }
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version.utf8.count == 8, version.hasPrefix("HTTP/"),
            parts[2].dropFirst(5).enumerated().allSatisfy({
                $0.offset == 1 ? $0.element == UInt8(ascii: ".") : (48...57).contains($0.element)
            })
        else { return .failure(HTTPFailure(status: 400, reason: "malformed request line")) }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .failure(HTTPFailure(status: 505, reason: "only HTTP/1.1 and HTTP/1.0 are supported"))
        }
        let method = String(decoding: parts[0], as: UTF8.self)
        guard let (target, authority) = HTTPRequestParser.originForm(parts[1], method: method) else {
            return .failure(HTTPFailure(status: 400, reason: "the request target must be a path or an http(s) URL"))
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
            var valueStart = colon + 1
            var valueEnd = field.endIndex
            while valueStart < valueEnd && (field[valueStart] == 32 || field[valueStart] == 9) { valueStart += 1 }
            while valueEnd > valueStart && (field[valueEnd - 1] == 32 || field[valueEnd - 1] == 9) { valueEnd -= 1 }
            let valueBytes = field[valueStart..<valueEnd]
            if valueBytes.contains(where: { ($0 < 32 && $0 != 9) || $0 == 127 }) {
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
        var request = HTTPRequest(method: method, target: target, version: version, headers: headers)
        request.absoluteAuthority = authority

        let hosts = headers.filter { $0.name == "host" }
        if version == "HTTP/1.1" && hosts.count != 1 {
            return .failure(HTTPFailure(status: 400, reason: "exactly one Host header is required"))
        }
        if hosts.count > 1 { return .failure(HTTPFailure(status: 400, reason: "more than one Host header")) }
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
            compact()
            return .done
        }
        var length = 0
        if !lengths.isEmpty {
            let values = Set(
                lengths.flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingSpaces })
            guard values.count == 1, let v = values.first, !v.isEmpty, v.utf8.count <= 18,
                v.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(v)
            else { return .failure(HTTPFailure(status: 400, reason: "invalid Content-Length")) }
            length = n
        }
        if length > limits.maxBodyBytes {
            return .failure(HTTPFailure(status: 413, reason: "request body over \(limits.maxBodyBytes) bytes"))
        }
        head = request
        state = .fixedBody(remaining: length)
        body.reserveCapacity(length)  // at most maxBodyBytes: one allocation, not a doubling series
        compact()
        return .done
    }

    /// The request target in origin form (path and query) and the authority of an absolute-form target
    /// (RFC 9112 §3.2): `/path?q` as it is; `http://host/path?q` (any case of scheme, `https` too) as
    /// `/path?q` (`/` when the path is empty) with `host`; `*` for OPTIONS. Nil for anything else
    /// (authority form, other schemes, user information in the authority).
    static func originForm(_ raw: ArraySlice<UInt8>, method: String) -> (String, String?)? {
        if raw.first == UInt8(ascii: "/") { return (String(decoding: raw, as: UTF8.self), nil) }
        if raw.elementsEqual("*".utf8) { return method == "OPTIONS" ? ("*", nil) : nil }
        let text = String(decoding: raw, as: UTF8.self)
        let lower = text.lowercased()
        let schemeLength: Int
        if lower.hasPrefix("http://") {
            schemeLength = 7
        } else if lower.hasPrefix("https://") {
            schemeLength = 8
        } else {
            return nil
        }
        let rest = text.utf8.dropFirst(schemeLength)
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let authority = rest[rest.startIndex..<authorityEnd]
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")) else { return nil }
        let remainder = rest[authorityEnd...]
        let target: String
        if remainder.first == UInt8(ascii: "/") {
            target = String(decoding: remainder, as: UTF8.self)
        } else {
            target = "/" + String(decoding: remainder, as: UTF8.self)
        }
        return (target, String(decoding: authority, as: UTF8.self))
    }

    public enum ChunkSize: Equatable, Sendable { case size(Int), tooLarge, invalid }

    /// Reads a chunk-size line (RFC 9112 §7.1: `1*HEXDIG [BWS ";" chunk-ext]`): 1 to 16 hexadecimal digits,
    /// nothing else before the extensions (no sign, no `0x`, no space unless a `;` follows), and a value of at
    /// most `atMost` bytes, checked digit by digit so no size can overflow.
    public static func chunkSize(_ line: [UInt8], atMost: Int) -> ChunkSize {
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
