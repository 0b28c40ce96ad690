/// Every bound the HTTP server puts on what clients may send, how long they may take and how many of them
/// may be connected, with the status each one is answered with. The defaults suit a public form on the open
/// internet; tests use smaller values. Each limit has a test at its value and one past it.
public struct HTTPLimits: Sendable, Equatable {
    // MARK: Sizes

    /// Longest request line (method, target, version), in bytes: longer gets 414 URI Too Long, sent as soon
    /// as the limit is passed (the server does not wait for the line to end).
    public var maxRequestLineBytes = 8 * 1024
    /// Most bytes in the head apart from the request line: the empty lines a client sends before the request
    /// line (RFC 9112 §2.2 lets a server ignore them, not accept them without end) plus the header section's
    /// field lines with their line ends (not the blank line that ends them); or a chunked body's trailer
    /// section. More gets 431 Request Header Fields Too Large.
    public var maxHeaderBytes = 32 * 1024
    /// Most header fields (or trailer fields): more gets 431.
    public var maxHeaderCount = 100
    /// Largest request body, in bytes, declared by Content-Length or decoded from chunks: larger gets 413
    /// Content Too Large before the body is read. A response rating all 67 criteria with long comments is
    /// well under this.
    public var maxBodyBytes = 4 * 1024 * 1024
    /// Longest chunk-size line of a chunked body (1 to 16 hexadecimal digits plus extensions): longer gets 400.
    public var maxChunkLineBytes = 1024
    /// Most bytes all connections together may hold of requests not yet answered (heads and bodies being
    /// received): the request that would pass it gets 503 Service Unavailable and its connection closes.
    /// Bounds the server's memory under many slow large uploads, whatever the number of addresses.
    public var maxBufferedBytes = 256 * 1024 * 1024

    // MARK: Time

    /// How long a new connection may wait before sending its first byte: then it is closed without an
    /// answer (a socket opened only to hold a slot costs its holder a reconnection every so often).
    public var firstByteTimeoutSeconds = 10.0
    /// Time allowed from a request's first byte (an empty line before the request line counts) to its last:
    /// a client still sending after that gets 408 Request Timeout and the connection closes.
    public var requestDeadlineSeconds = 30.0
    /// How long a keep-alive connection may stay idle between requests.
    public var idleTimeoutSeconds = 30.0
    /// How long writing a response may block on a client that does not read.
    public var writeTimeoutSeconds = 30.0
    /// How long a graceful stop waits for requests in flight before closing their connections.
    public var drainTimeoutSeconds = 10.0

    // MARK: Connections

    /// Most connections open at once. When all are taken, a new connection takes the place of the connection
    /// idle the longest (between requests, or not yet sent a byte), which is closed; when none is idle, the
    /// new one is answered 503 Service Unavailable and closed.
    public var maxConnections = 512
    /// Most connections open at once from one address (an IPv4 address, or an IPv6 /64 network, which one
    /// subscriber usually holds whole). Past it, a new connection from that address takes the place of that
    /// address's connection idle the longest; when none is idle it is answered 429 Too Many Requests and
    /// closed. So one address never holds more than this share of `maxConnections` (an eighth), and the
    /// sockets it holds idle are the first to go. 64 leaves room for a large institution behind one address
    /// and for the load benchmark's 64 connections.
    public var maxConnectionsPerAddress = 64
    /// Requests whose body is at least `largeBodyBytes` are handled at most `maxConcurrentLargeRequests` at
    /// a time (the others wait their turn): parsing and checking a body of megabytes costs many times its
    /// size in memory, so many of them at once must not add up. Ordinary submissions are a few kilobytes.
    public var largeBodyBytes = 256 * 1024
    public var maxConcurrentLargeRequests = 4

    public init() {}

    public static let `default` = HTTPLimits()
}
