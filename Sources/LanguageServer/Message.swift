public import JSONSyntax

/// A JSON-RPC request id: a number or a string.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case string(String)

    init?(_ value: JSONValue?) {
        switch value {
        case .int(let i)?: self = .int(i)
        case .string(let s)?: self = .string(s)
        case .double(let d)? where d.rounded() == d && abs(d) < 9.0e15: self = .int(Int(d))
        default: return nil
        }
    }

    var json: JSONValue {
        switch self {
        case .int(let i): .int(i)
        case .string(let s): .string(s)
        }
    }

    public var description: String {
        switch self {
        case .int(let i): String(i)
        case .string(let s): "\"\(s)\""
        }
    }
}

/// JSON-RPC and LSP error codes.
public enum ErrorCode: Int, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestFailed = -32803
    case serverCancelled = -32802
    case contentModified = -32801
    case requestCancelled = -32800
}

/// An error answer to a request.
public struct ResponseError: Error, Sendable {
    public var code: ErrorCode
    public var message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    var json: JSONValue { ["code": .int(code.rawValue), "message": .string(message)] }
}

/// One decoded JSON-RPC message.
public enum Message: Sendable {
    case request(id: RequestID, method: String, params: JSONValue)
    case notification(method: String, params: JSONValue)
    case response(id: RequestID?, result: JSONValue?, error: JSONValue?)

    /// Classifies a parsed body; a body that is no JSON-RPC message gives the error to answer with
    /// (and the id, when one could be read).
    struct DecodingError: Error {
        var id: RequestID?
        var error: ResponseError
    }

    static func decode(_ value: JSONValue) -> Result<Message, DecodingError> {
        guard case .object = value else {
            return .failure(DecodingError(id: nil, error: ResponseError(.invalidRequest, "a JSON-RPC message must be an object")))
        }
        let id = RequestID(value["id"])
        if let method = value["method"] {
            guard case .string(let name) = method else {
                return .failure(DecodingError(id: id, error: ResponseError(.invalidRequest, "`method` must be a string")))
            }
            let params = value["params"] ?? .null
            if let idValue = value["id"], !idValue.isNull {
                guard let id else {
                    return .failure(
                        DecodingError(id: nil, error: ResponseError(.invalidRequest, "`id` must be a number or a string")))
                }
                return .success(.request(id: id, method: name, params: params))
            }
            return .success(.notification(method: name, params: params))
        }
        if value["result"] != nil || value["error"] != nil {
            return .success(.response(id: id, result: value["result"], error: value["error"]))
        }
        return .failure(
            DecodingError(id: id, error: ResponseError(.invalidRequest, "a message needs `method`, or `result` or `error`")))
    }
}

/// Frames a message body with its `Content-Length` header.
func frame(_ body: JSONValue) -> [UInt8] { MessageEncoder.frame(body) }
