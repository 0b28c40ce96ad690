#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a named file (or `-` for standard input) as bytes, with errors a person can act on.
enum InputFile {
    struct ReadError: Error {
        var path: String
        var reason: String
    }

    /// Reads `path` whole. Refuses directories and files over `limit` bytes without reading them.
    static func read(_ path: String, limit: Int) throws(ReadError) -> [UInt8] {
        if path == "-" { return try readAll(fd: 0, path: "<stdin>", limit: limit) }
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw ReadError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw ReadError(path: path, reason: "is a directory") }
            if Int(info.st_size) > limit {
                throw ReadError(path: path, reason: "file is \(info.st_size) bytes, over the limit of \(limit) bytes")
            }
        }
        return try readAll(fd: fd, path: path, limit: limit)
    }

    private static func readAll(fd: Int32, path: String, limit: Int) throws(ReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                throw ReadError(path: path, reason: "input is over the limit of \(limit) bytes")
            }
        }
        return bytes
    }
}
