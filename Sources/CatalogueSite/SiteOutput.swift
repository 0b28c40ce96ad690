import JSONSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A problem with the output folder or a write into it. The build stops; what it says is for the user.
public struct SiteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}

/// The output folder, written safely:
/// - it may not be the source folder, lie inside it (the copied documents would be read as sources next
///   time) or contain it;
/// - a folder that exists must be empty or hold a site this command wrote (its manifest,
///   `.eccoe-catalogue.json`, lists the files it wrote); any other file is never overwritten or deleted,
///   and a planned file that exists without being listed stops the build before anything is written;
/// - a file that replaces another is written to a temporary name and renamed into place, so a reader never
///   sees half a file (into a folder that started empty, files are created under their own names);
/// - the manifest is first written with the old and new files together (so an interrupted build can be run
///   again), and at the end with the new files only, after the old site's leftover files are removed.
public struct SiteOutput: Sendable {
    /// The folder as given.
    public let path: String
    /// Files of the previous build (from its manifest), relative to the folder.
    let previous: Set<String>
    /// True when the folder did not exist or was empty: no file can be in the way, and none needs comparing.
    let startsEmpty: Bool

    public static let manifestName = ".eccoe-catalogue.json"

    /// Checks the folder against the source folder and reads the previous build's manifest. Nothing is
    /// written yet (the folder is created by `prepare`, once there is something to write).
    public init(path: String, sourceFolder: String) throws(SiteError) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let source = SiteOutput.realPath(sourceFolder) else {
            throw SiteError(message: "\(sourceFolder): cannot resolve the source folder: \(String(cString: strerror(errno)))")
        }
        guard let target = SiteOutput.resolvedPath(self.path) else {
            throw SiteError(message: "\(path): cannot resolve the output folder")
        }
        if target == source {
            throw SiteError(
                message:
                    "\(path): the output folder is the source folder; choose another one (the site must not be written among the documents)"
            )
        }
        if target.hasPrefix(source == "/" ? "/" : source + "/") {
            throw SiteError(
                message:
                    "\(path): the output folder lies inside the source folder \(sourceFolder); choose one outside it (its copied documents would be read as sources next time)"
            )
        }
        if source.hasPrefix(target == "/" ? "/" : target + "/") {
            throw SiteError(message: "\(path): the output folder contains the source folder \(sourceFolder); choose another one")
        }
        var info = stat()
        if lstat(self.path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK {
                guard stat(self.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw SiteError(message: "\(path): exists and is not a folder")
                }
            } else if (info.st_mode & S_IFMT) != S_IFDIR {
                throw SiteError(message: "\(path): exists and is not a folder")
            }
            let names = try SiteOutput.names(in: self.path)
            startsEmpty = names.isEmpty
            if names.contains(SiteOutput.manifestName) {
                previous = try SiteOutput.readManifest(self.path + "/" + SiteOutput.manifestName)
            } else if names.isEmpty {
                previous = []
            } else {
                throw SiteError(
                    message:
                        "\(path): the folder is not empty and holds no site written by eccoe catalogue (no \(SiteOutput.manifestName)); choose a new or empty folder, so that no file of yours is overwritten"
                )
            }
        } else {
            previous = []
            startsEmpty = true
        }
    }

    /// Before writing: refuses files that exist without having been written by this command, creates the
    /// folders, and records the old and new files together in the manifest.
    func prepare(_ files: [String]) throws(SiteError) {
        try SiteOutput.makeFolders(path)
        for file in files where !startsEmpty && !previous.contains(file) {
            var info = stat()
            if lstat(path + "/" + file, &info) == 0 {
                throw SiteError(
                    message:
                        "\(path)/\(file): exists but was not written by eccoe catalogue; move it away, or choose another output folder"
                )
            }
        }
        for folder in SitePaths.folders {
            let full = path + "/" + folder
            var info = stat()
            if lstat(full, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw SiteError(message: "\(full): exists and is not a folder (a link or a file); the site's pages go there")
                }
            } else if mkdir(full, 0o755) != 0 {
                throw SiteError(message: "\(full): cannot create the folder: \(String(cString: strerror(errno)))")
            }
        }
        try writeManifest(previous.union(files).sorted())
    }

    /// Writes one file under a temporary name, then renames it into place; a file that already holds
    /// exactly these bytes is left as it is (so a rebuild writes only what changed, and tools such as rsync,
    /// which compare sizes and times, upload only that). Returns whether it wrote. Safe to call from many
    /// threads for different files.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws(SiteError) -> Bool {
        try write(relative, bytes, new: startsEmpty)
    }

    /// `new`: the file cannot exist yet (the folder started empty), so it is created under its own name
    /// (never replacing anything; an interrupted build leaves it listed in the manifest, and the next build
    /// redoes it).
    private func write(_ relative: String, _ bytes: [UInt8], new: Bool) throws(SiteError) -> Bool {
        let final = path + "/" + relative
        if !new && !startsEmpty && SiteOutput.holds(final, bytes) { return false }
        let temporary = new ? final : final + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | (new ? O_EXCL : O_TRUNC) | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd < 0 { throw SiteError(message: "\(final): cannot write: \(String(cString: strerror(errno)))") }
        var offset = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw SiteError(message: "\(final): cannot write: \(String(cString: strerror(failure)))")
        }
        if temporary != final && rename(temporary, final) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SiteError(message: "\(final): cannot move into place: \(reason)")
        }
        return true
    }

    /// A file written while its page is rendered: appended to under a temporary name, then either renamed
    /// into place or, when the existing file holds the same bytes, dropped. Used by one thread.
    final class Stream {
        private let final: String
        private let temporary: String
        private var fd: Int32
        private var failure: Int32 = 0
        private(set) var count = 0

        private let startsEmpty: Bool

        fileprivate init(_ final: String, startsEmpty: Bool) throws(SiteError) {
            self.final = final
            self.startsEmpty = startsEmpty
            temporary = final + ".tmp-\(getpid())"
            fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd < 0 { throw SiteError(message: "\(final): cannot write: \(String(cString: strerror(errno)))") }
        }

        deinit { if fd >= 0 { close(fd); unlink(temporary) } }

        func append(_ bytes: [UInt8]) {
            guard failure == 0 else { return }
            count += bytes.count
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += n
                }
            }
        }

        /// Puts the file in place; returns whether it was written (false: the same bytes were there).
        func finish() throws(SiteError) -> Bool {
            if close(fd) != 0 && failure == 0 { failure = errno }
            fd = -1
            if failure != 0 {
                unlink(temporary)
                throw SiteError(message: "\(final): cannot write: \(String(cString: strerror(failure)))")
            }
            if !startsEmpty && SiteOutput.sameContents(temporary, final) {
                unlink(temporary)
                return false
            }
            if rename(temporary, final) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw SiteError(message: "\(final): cannot move into place: \(reason)")
            }
            return true
        }
    }

    /// A file to write while it is rendered.
    func stream(_ relative: String) throws(SiteError) -> Stream { try Stream(path + "/" + relative, startsEmpty: startsEmpty) }

    /// Whether two regular files hold the same bytes (read in blocks).
    fileprivate static func sameContents(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard lstat(a, &sa) == 0, lstat(b, &sb) == 0, (sb.st_mode & S_IFMT) == S_IFREG, sa.st_size == sb.st_size else {
            return false
        }
        let fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        defer {
            if fa >= 0 { close(fa) }
            if fb >= 0 { close(fb) }
        }
        guard fa >= 0, fb >= 0 else { return false }
        var ba = [UInt8](repeating: 0, count: 1 << 16), bb = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let na = ba.withUnsafeMutableBytes { read(fa, $0.baseAddress, $0.count) }
            guard na >= 0 else { return false }
            var nb = 0
            while nb < na {
                let n = bb.withUnsafeMutableBytes { read(fb, $0.baseAddress! + nb, na - nb) }
                guard n > 0 else { return false }
                nb += n
            }
            if na == 0 { return read(fb, &bb, 1) == 0 }
            if memcmp(ba, bb, na) != 0 { return false }
        }
    }

    /// Whether `file` is a regular file holding exactly `bytes`.
    private static func holds(_ file: String, _ bytes: [UInt8]) -> Bool {
        var info = stat()
        guard lstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count else { return false }
        let fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var existing = [UInt8](repeating: 0, count: bytes.count + 1)
        var filled = 0
        while filled < existing.count {
            let n = existing.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            filled += n
        }
        return filled == bytes.count
            && existing.withUnsafeBytes { a in
                bytes.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, bytes.count) == 0 }
            }
    }

    /// After writing: removes the previous build's files that this build did not write (regular files
    /// only, and only paths this generator makes), then records the new list.
    func finish(_ files: [String]) throws(SiteError) {
        let current = Set(files)
        for old in previous.sorted() where !current.contains(old) && SitePaths.isGenerated(old) {
            var info = stat()
            if lstat(path + "/" + old, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { unlink(path + "/" + old) }
        }
        try writeManifest(files.sorted())
    }

    private func writeManifest(_ files: [String]) throws(SiteError) {
        let value = JSONValue.object([
            ("generator", "eccoe catalogue"),
            (
                "about",
                "The files eccoe catalogue wrote in this folder. A new build replaces and removes only these; keep this file."
            ),
            ("files", .array(files.map { .string($0) })),
        ])
        _ = try write(SiteOutput.manifestName, Array((value.text + "\n").utf8), new: false)
    }

    private static func readManifest(_ file: String) throws(SiteError) -> Set<String> {
        var bytes: [UInt8] = []
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                bytes += chunk[0..<n]
                if bytes.count > 64 << 20 { break }
            }
            close(fd)
        }
        guard case .success(let value) = JSONValue.parse(bytes), let list = value["files"]?.arrayValue else {
            throw SiteError(
                message:
                    "\(file): not a manifest written by eccoe catalogue; remove the folder's contents yourself, or choose another output folder"
            )
        }
        // Only paths this generator makes are trusted: a changed manifest must not make a build delete anything else.
        return Set(list.compactMap(\.stringValue).filter(SitePaths.isGenerated))
    }

    private static func names(in folder: String) throws(SiteError) -> [String] {
        guard let dir = opendir(folder) else {
            throw SiteError(message: "\(folder): cannot read the folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `mkdir -p`.
    private static func makeFolders(_ folder: String) throws(SiteError) {
        var built = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            built += "/" + part
            var info = stat()
            if stat(built, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else { throw SiteError(message: "\(built): exists and is not a folder") }
                continue
            }
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw SiteError(message: "\(built): cannot create the folder: \(String(cString: strerror(errno)))")
            }
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The real path of a folder that may not exist yet: its nearest existing ancestor resolved, the rest
    /// appended (`.` and `..` among the rest taken into account).
    static func resolvedPath(_ path: String) -> String? {
        if let real = realPath(path) { return real }
        var rest: [Substring] = []
        var head = Substring(path)
        while true {
            guard let slash = head.lastIndex(of: "/") else {
                rest.insert(head, at: 0)
                head = "."
                break
            }
            rest.insert(head[head.index(after: slash)...], at: 0)
            head = head[..<slash]
            if head.isEmpty { head = "/"; break }
            if realPath(String(head)) != nil { break }
        }
        guard var resolved = realPath(String(head)) else { return nil }
        for part in rest where !part.isEmpty && part != "." {
            if part == ".." {
                if let slash = resolved.lastIndex(of: "/") {
                    resolved = slash == resolved.startIndex ? "/" : String(resolved[..<slash])
                }
            } else {
                resolved += (resolved == "/" ? "" : "/") + part
            }
        }
        return resolved
    }
}
