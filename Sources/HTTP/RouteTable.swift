/// The one table from (method, path pattern) to handler. Patterns are literal segments and `{name}`
/// parameters (`/api/v1/responses/{id}`), matched segment by segment against the request's path split at
/// `/` first and percent-decoded after, so `%2F` never creates a route. HEAD is answered by the GET handler
/// (the server sends no body). A path that matches with another method gets 405 and an `Allow` header built
/// from the table, so the two can never disagree. Handlers receive a `Context` (the application), so a
/// table can be built once, statically, before any application exists.
public struct RouteTable<Context>: Sendable {
    public typealias Handler = @Sendable (Context, HTTPRequest, RouteParameters) -> HTTPResponse

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        var method: String
        var pattern: String
        var segments: [Segment]
        var handler: Handler
    }

    public enum Resolution: Sendable {
        case found(Handler, RouteParameters)
        /// The path exists with other methods (the `Allow` value lists them).
        case methodNotAllowed(allow: String)
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Adds a route. `pattern` starts with `/`; each `{name}` segment matches any one segment.
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        precondition(
            !routes.contains { $0.method == method && $0.segments == segments }, "route \(method) \(pattern) added twice")
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    /// Every route as `METHOD pattern`, in the order added (for documentation and tests).
    public var patterns: [String] { routes.map { "\($0.method) \($0.pattern)" } }

    public func resolve(_ request: HTTPRequest) -> Resolution {
        let segments = request.pathSegments
        let method = request.method == "HEAD" ? "GET" : request.method
        var allowed: [String] = []
        for route in routes {
            guard let parameters = RouteTable.match(route.segments, segments) else { continue }
            if route.method == method { return .found(route.handler, parameters) }
            allowed.append(route.method)
            if route.method == "GET" { allowed.append("HEAD") }
        }
        if allowed.isEmpty { return .notFound }
        var seen = Set<String>()
        return .methodNotAllowed(allow: allowed.filter { seen.insert($0).inserted }.joined(separator: ", "))
    }

    private static func match(_ pattern: [Segment], _ segments: [String]) -> RouteParameters? {
        guard pattern.count == segments.count else { return nil }
        var parameters = RouteParameters()
        for (p, s) in zip(pattern, segments) {
            switch p {
            case .literal(let text): if text != s { return nil }
            case .parameter(let name): parameters.values[name] = s
            }
        }
        return parameters
    }

    /// Answers a request from the table: the handler's response, 405 with `Allow`, or `notFound`'s answer.
    public func respond(
        to request: HTTPRequest, context: Context, notFound: (HTTPRequest) -> HTTPResponse,
        methodNotAllowed: (HTTPRequest, String) -> HTTPResponse = { _, allow in
            .text(405, "Method not allowed.\n", headers: [("Allow", allow)])
        }
    ) -> HTTPResponse {
        switch resolve(request) {
        case .found(let handler, let parameters): return handler(context, request, parameters)
        case .methodNotAllowed(let allow):
            var response = methodNotAllowed(request, allow)
            if response.header("Allow") == nil { response.headers.append(("Allow", allow)) }
            return response
        case .notFound: return notFound(request)
        }
    }
}

/// The values of a route pattern's `{name}` segments, decoded.
public struct RouteParameters: Sendable {
    public var values: [String: String] = [:]
    public subscript(_ name: String) -> String { values[name] ?? "" }
}
