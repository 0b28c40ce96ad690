public import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one writer of the server's output: every message goes out whole, in the order `send` is called.
/// A mutex serialises writers (tasks on any thread may answer requests).
public final class OutputChannel: Sendable {
    private let fd: Int32
    private let lock = Mutex(())

    public init(fileDescriptor: Int32) { fd = fileDescriptor }

    /// Writes one message, its header then its body (the body is not copied behind a header: an answer
    /// holding a large document's text is written from the one buffer it is encoded into); false if the
    /// peer has gone.
    @discardableResult
    public func send(_ message: JSONValue) -> Bool {
        let body = MessageEncoder.encode(message)
        let header = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        return lock.withLock { _ in writeAll(header) && writeAll(body) }
    }

    /// Writes a message already framed (`Content-Length` header and body).
    @discardableResult
    func send(framed bytes: [UInt8]) -> Bool {
        lock.withLock { _ in writeAll(bytes) }
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

/// Writes a line to standard error: the server's only log channel.
func log(_ text: String) {
    let bytes = Array(("eccoe lsp: " + text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress!, $0.count) }
}

/// Reads the input stream on a thread of its own and turns it into framing events.
enum InputReader {
    /// Blocks reading `fd` until end of input, calling `deliver` for each event, then `finished`.
    static func run(fd: Int32, limits: TransportLimits, deliver: (MessageFramer.Event) -> Void) {
        run(
            limits: limits,
            read: { buffer in
                while true {
                    let n = read(fd, buffer.baseAddress!, buffer.count)
                    if n < 0 && errno == EINTR { continue }
                    return n
                }
            }, deliver: deliver)
    }

    /// Frames what `read` gives until it returns 0 (end of input) or less (an error): `read` fills the start of
    /// the buffer and returns how many bytes it wrote, as POSIX `read` does. Each read's bytes are framed as they
    /// come, so a message may arrive in any number of reads and one read may hold several messages.
    static func run(limits: TransportLimits, read: (UnsafeMutableRawBufferPointer) -> Int, deliver: (MessageFramer.Event) -> Void)
    {
        var framer = MessageFramer(limits: limits)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read($0) }
            if n <= 0 { break }
            for event in framer.feed(chunk[0..<n]) { deliver(event) }
        }
    }
}
