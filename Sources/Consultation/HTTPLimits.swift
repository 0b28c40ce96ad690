/// The HTTP server's limits: every bound on what a client may send or how long it may take, with the
/// status each one is answered with. Defaults suit a public consultation form; tests use smaller values.
public struct HTTPLimits: Sendable {
    /// Longest request line (method, target, version), in bytes: longer gets 414 URI Too Long.
    public var maxRequestLineBytes = 8 * 1024
    /// Most bytes in the header section (all field lines with their CRLFs, not the blank line that ends
    /// them; or a chunked body's trailers): more gets
    /// 431 Request Header Fields Too Large.
    public var maxHeaderBytes = 32 * 1024
    /// Most header fields: more gets 431.
    public var maxHeaderCount = 100
    /// Largest request body, in bytes (declared by Content-Length, or decoded from chunks): larger gets
    /// 413 Content Too Large. A response to all 67 criteria with long comments is well under this.
    public var maxBodyBytes = 4 * 1024 * 1024
    /// Longest chunk-size line of a chunked body (size plus extensions): longer gets 400.
    public var maxChunkLineBytes = 1024
    /// Time allowed from a request's first byte to its last: a client still sending after that gets
    /// 408 Request Timeout and the connection is closed (slow-client protection).
    public var requestDeadlineSeconds = 30.0
    /// How long an idle keep-alive connection stays open waiting for the next request.
    public var idleTimeoutSeconds = 60.0
    /// How long writing a response may block on a client that does not read.
    public var writeTimeoutSeconds = 30.0
    /// Most simultaneous connections: one more is answered 503 Service Unavailable and closed.
    public var maxConnections = 512
    /// How long a graceful stop waits for requests in flight before closing their connections.
    public var drainTimeoutSeconds = 10.0

    public init() {}

    public static let `default` = HTTPLimits()
}
