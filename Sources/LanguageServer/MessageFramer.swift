/// Limits of the JSON-RPC transport, with documented defaults.
public struct TransportLimits: Sendable, Hashable {
    /// Largest header block (all header lines of one message) in bytes.
    public var maxHeaderBytes: Int
    /// Largest message body in bytes; a larger `Content-Length` is refused and its body skipped.
    public var maxBodyBytes: Int

    /// Defaults: 8 KiB of headers, 256 MiB bodies (a 50 MB document fits, with room for escaping).
    public static let `default` = TransportLimits(maxHeaderBytes: 8 << 10, maxBodyBytes: 256 << 20)

    public init(maxHeaderBytes: Int, maxBodyBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

/// The `Content-Length` framing of JSON-RPC over a byte stream, as a pure state machine: feed it bytes
/// in any chunking, take out whole message bodies or framing errors. No I/O, so tests drive it with bytes.
public struct MessageFramer: Sendable {
    public enum Event: Sendable, Equatable {
        /// One complete message body.
        case message([UInt8])
        /// A header block that could not be used; the framer has skipped it and goes on.
        case framingError(String)
    }

    private enum State: Sendable {
        case header
        case body(length: Int)
        /// Discarding the body of a message that was too large.
        case skipping(remaining: Int)
    }

    public let limits: TransportLimits
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var state: State = .header

    public init(limits: TransportLimits = .default) { self.limits = limits }

    /// Bytes buffered but not yet part of a complete message.
    public var pendingByteCount: Int { buffer.count - consumed }

    /// Appends bytes and returns every event they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Event] {
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        loop: while true {
            switch state {
            case .header:
                guard let end = headerEnd() else {
                    if buffer.count - consumed > limits.maxHeaderBytes {
                        events.append(.framingError("header block longer than \(limits.maxHeaderBytes) bytes; skipped"))
                        // Keep the tail: a real header may start inside it.
                        consumed = buffer.count - 3
                        resync()
                    }
                    break loop
                }
                let blockStart = consumed
                let block = Array(buffer[consumed..<end.blockEnd])
                consumed = end.nextStart
                if block.count > limits.maxHeaderBytes {
                    events.append(.framingError("header block longer than \(limits.maxHeaderBytes) bytes; skipped"))
                    continue
                }
                switch Self.contentLength(block) {
                case .success(let length):
                    if length > limits.maxBodyBytes {
                        events.append(
                            .framingError("message of \(length) bytes exceeds the limit of \(limits.maxBodyBytes) bytes; skipped")
                        )
                        state = .skipping(remaining: length)
                    } else {
                        state = .body(length: length)
                    }
                case .failure(let error):
                    events.append(.framingError(error.message))
                    // The bad block may hold the start of a good header (after a short Content-Length).
                    consumed = blockStart + 1
                    resync()
                }
            case .body(let length):
                guard buffer.count - consumed >= length else { break loop }
                events.append(.message(Array(buffer[consumed..<(consumed + length)])))
                consumed += length
                state = .header
            case .skipping(let remaining):
                let available = buffer.count - consumed
                if available >= remaining {
                    consumed += remaining
                    state = .header
                } else {
                    consumed = buffer.count
                    state = .skipping(remaining: remaining - available)
                    break loop
                }
            }
        }
        compact()
        return events
    }

    /// After bad input, resume at the next `Content-Length` header, if one is buffered.
    mutating func resync() {
        let needle = Array("content-length".utf8)
        var i = consumed
        while i + needle.count <= buffer.count {
            var match = true
            for k in 0..<needle.count where buffer[i + k] | 0x20 != needle[k] {
                match = false
                break
            }
            if match {
                consumed = i
                return
            }
            i += 1
        }
        // Keep a possible partial header name at the end.
        consumed = max(consumed, buffer.count - needle.count)
    }

    private mutating func compact() {
        if consumed > 0 && (consumed > 1 << 16 || consumed == buffer.count) {
            buffer.removeSubrange(0..<consumed)
            consumed = 0
        }
    }

    /// Finds the blank line ending the header block. Accepts `\r\n\r\n` and, leniently, `\n\n`.
    private func headerEnd() -> (blockEnd: Int, nextStart: Int)? {
        var i = consumed
        while i < buffer.count {
            if buffer[i] == 0x0A {
                if i + 1 < buffer.count && buffer[i + 1] == 0x0A { return (i, i + 2) }
                if i + 2 < buffer.count && buffer[i + 1] == 0x0D && buffer[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }

    /// Reads `Content-Length` from a header block (any header-name case; other headers ignored).
    static func contentLength(_ block: [UInt8]) -> Result<Int, HeaderError> {
        let text = String(decoding: block, as: UTF8.self)
        var length: Int?
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(" \r\t")
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(HeaderError(message: "malformed header line `\(line.prefix(60))`: expected `Name: value`"))
            }
            let name = line[..<colon].trimmingCharacters(" \t").lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(" \t")
            if name == "content-length" {
                guard let n = Int(value), n >= 0 else {
                    return .failure(HeaderError(message: "invalid Content-Length `\(value.prefix(40))`"))
                }
                length = n
            }
        }
        guard let length else { return .failure(HeaderError(message: "header block without Content-Length")) }
        return .success(length)
    }
}

struct HeaderError: Error {
    var message: String
}

extension StringProtocol {
    func trimmingCharacters(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
