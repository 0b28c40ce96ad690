// libFuzzer entry for the HTTP module: the request parser and the form decoder. Built by fuzz.sh with the
// sources of Sources/HTTP. For every input:
//  - the parser never traps, whatever the bytes and however they are split;
//  - fed whole, fed in pieces (split points drawn from the input) and fed one byte at a time, it gives the
//    same events (requests with the same heads and bodies, the same failure);
//  - every request respects the limits (body, header count), no header holds a CR or LF, and while waiting for
//    more bytes the parser holds no more than one request's worth;
//  - the form decoder never traps, and encoding then decoding any decoded text gives it back;
//  - path segments, queries, the route table and the chunk-size reader never trap.

import PercentEncoding

/// The events of one parse, as comparable text.
private func run(_ bytes: [UInt8], limits: HTTPLimits, pieces: [Int]) -> [String] {
    var parser = HTTPRequestParser(limits: limits)
    var out: [String] = []
    var offset = 0
    var cuts = pieces.makeIterator()
    func drain() -> Bool {
        while true {
            switch parser.next() {
            case .needMore:
                // Waiting for more, it holds at most one request's worth: head, body, a chunk line.
                let bound = limits.maxRequestLineBytes + limits.maxHeaderBytes + limits.maxBodyBytes + limits.maxChunkLineBytes + 8
                if parser.bufferedBytes > bound { fatalError("holding \(parser.bufferedBytes) bytes, more than the limits allow") }
                return true
            case .expectsContinue: out.append("continue")
            case .request(let r):
                if r.body.count > limits.maxBodyBytes { fatalError("body over the limit") }
                if r.headers.count > limits.maxHeaderCount { fatalError("too many headers") }
                for (name, value) in r.headers {
                    if name.utf8.contains(where: { $0 == 13 || $0 == 10 }) || value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                        fatalError("CR or LF inside a header")
                    }
                }
                _ = r.pathSegments
                _ = r.query
                _ = r.keepAlive
                out.append("\(r.method) \(r.target) \(r.version) \(r.headers.map { "\($0.name)=\($0.value)" }) \(r.body)")
            case .failure(let f):
                out.append("failure \(f.status)")
                return false
            }
        }
    }
    while offset < bytes.count {
        let step = max(1, cuts.next() ?? bytes.count)
        let end = min(bytes.count, offset + step)
        parser.feed(bytes[offset..<end])
        offset = end
        if !drain() { break }
    }
    return out
}

private let routes: RouteTable<Int> = {
    var t = RouteTable<Int>()
    t.add("GET", "/") { _, _, _ in .text(200, "") }
    t.add("POST", "/api/v1/responses") { _, _, _ in .text(201, "") }
    t.add("GET", "/api/v1/responses/{id}") { _, _, p in .text(200, p["id"]) }
    t.add("POST", "/edit/{id}/withdraw") { _, _, _ in .text(200, "") }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 256
    limits.maxHeaderBytes = 512
    limits.maxHeaderCount = 12
    limits.maxBodyBytes = 1024
    limits.maxChunkLineBytes = 32

    let whole = run(bytes, limits: limits, pieces: [])
    let cuts = bytes.prefix(16).map { Int($0 % 23) + 1 }
    if run(bytes, limits: limits, pieces: cuts) != whole { fatalError("pieces differ from the whole") }
    if size <= 1024, run(bytes, limits: limits, pieces: Array(repeating: 1, count: size)) != whole {
        fatalError("byte by byte differs from the whole")
    }

    // The form decoder: on the raw bytes, and its round trip.
    for (name, value) in FormDecoding.pairs(bytes) {
        for text in [name, value] {
            let encoded = FormDecoding.encode(text)
            if FormDecoding.decode(ArraySlice(encoded.utf8)) != text { fatalError("form round trip") }
            if PercentEncoding.decode(Array(encoded.utf8)) != text { fatalError("percent round trip") }
        }
    }
    // Any bytes as a target: segments, query, routing.
    let target = "/" + String(decoding: bytes.prefix(512), as: UTF8.self)
    let request = HTTPRequest(method: size % 2 == 0 ? "GET" : "POST", target: target)
    _ = request.pathSegments
    _ = request.query
    _ = routes.respond(to: request, context: 0) { _ in .text(404, "") }
    _ = HTTPRequestParser.chunkSize(Array(bytes.prefix(40)), atMost: Int(size) * 1000)
    return 0
}
