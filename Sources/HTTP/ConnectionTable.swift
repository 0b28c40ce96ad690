/// The server's open connections: which address holds each, which are idle, and which one makes room when
/// a cap is reached. A pure value (no sockets, no clock), so the admission rules are tested directly.
///
/// A connection is idle from its opening until its first byte, and again between requests; it is busy from
/// the first byte of a request until its answer is sent. At `maxConnectionsPerAddress`, a new connection
/// from that address takes the place of that address's connection idle the longest; at `maxConnections`,
/// of the connection idle the longest whatever its address. Only when no such connection is idle is the new
/// one refused: 429 at the address's cap, 503 at the global one. So sockets opened only to hold slots are
/// the first to go, and one address never holds more than its share.
public struct ConnectionTable: Sendable {
    public struct ID: Hashable, Sendable, Comparable {
        public let value: Int
        public static func < (a: ID, b: ID) -> Bool { a.value < b.value }
    }

    public enum Admission: Equatable, Sendable {
        /// Admitted; `evicting` names the idle connection to close to make room.
        case admitted(ID, evicting: ID?)
        /// Refused: answer with `status` and close.
        case refused(status: Int, reason: String)
    }

    private struct Entry: Sendable {
        var address: String
        /// Order in which the connection last became idle (smaller: idle longer); nil while busy.
        var idleOrder: Int?
    }

    public let maxConnections: Int
    public let maxConnectionsPerAddress: Int
    private var entries: [ID: Entry] = [:]
    private var perAddress: [String: Int] = [:]
    private var nextID = 0
    private var order = 0

    public init(maxConnections: Int, maxConnectionsPerAddress: Int) {
        self.maxConnections = max(1, maxConnections)
        self.maxConnectionsPerAddress = max(1, min(maxConnectionsPerAddress, maxConnections))
    }

    public init(limits: HTTPLimits) {
        self.init(maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress)
    }

    /// Connections open now.
    public var count: Int { entries.count }

    /// Connections open now from `address` (as `addressKey` groups addresses).
    public func count(from address: String) -> Int { perAddress[ConnectionTable.addressKey(address)] ?? 0 }

    /// Whether connection `id` is open and idle.
    public func isIdle(_ id: ID) -> Bool { entries[id]?.idleOrder != nil }

    /// Admits a new connection from `address` (numeric host), making room if a cap is reached. An evicted
    /// connection leaves the table at once (its slot is the new one's); the caller closes its socket.
    public mutating func admit(address: String) -> Admission {
        let key = ConnectionTable.addressKey(address)
        var evict: ID?
        if (perAddress[key] ?? 0) >= maxConnectionsPerAddress {
            guard let victim = longestIdle(where: { $0.address == key }) else {
                return .refused(status: 429, reason: "\(maxConnectionsPerAddress) connections from one address are busy")
            }
            evict = victim
        } else if entries.count >= maxConnections {
            guard let victim = longestIdle(where: { _ in true }) else {
                return .refused(status: 503, reason: "all \(maxConnections) connections are busy")
            }
            evict = victim
        }
        if let evict { remove(evict) }
        let id = ID(value: nextID)
        nextID += 1
        order += 1
        entries[id] = Entry(address: key, idleOrder: order)
        perAddress[key, default: 0] += 1
        return .admitted(id, evicting: evict)
    }

    /// A request began on `id`: it may not be evicted until its answer is sent.
    public mutating func markBusy(_ id: ID) {
        entries[id]?.idleOrder = nil
    }

    /// `id` answered its request and waits for the next (or has not sent its first byte).
    public mutating func markIdle(_ id: ID) {
        guard entries[id] != nil else { return }
        order += 1
        entries[id]?.idleOrder = order
    }

    /// `id` closed (a no-op if it was evicted already).
    public mutating func remove(_ id: ID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        let left = (perAddress[entry.address] ?? 1) - 1
        perAddress[entry.address] = left > 0 ? left : nil
    }

    private func longestIdle(where include: (Entry) -> Bool) -> ID? {
        var best: (ID, Int)?
        for (id, entry) in entries {
            guard let o = entry.idleOrder, include(entry) else { continue }
            if best == nil || o < best!.1 { best = (id, o) }
        }
        return best?.0
    }

    /// The key addresses are counted under: an IPv4 address as it is (an IPv4-mapped IPv6 address as its
    /// IPv4 form); an IPv6 address by its /64 network, the block one subscriber is usually given.
    public static func addressKey(_ address: String) -> String {
        var text = address
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }  // zone index
        guard text.contains(":") else { return text }
        let lower = text.lowercased()
        if lower.hasPrefix("::ffff:"), lower.dropFirst(7).contains(".") { return String(lower.dropFirst(7)) }
        // Expand `::` to get the first four groups.
        let bytes = Array(lower.utf8)
        let gap = bytes.indices.dropLast().first { bytes[$0] == UInt8(ascii: ":") && bytes[$0 + 1] == UInt8(ascii: ":") }
        func groups(_ part: ArraySlice<UInt8>) -> [String] {
            part.split(separator: UInt8(ascii: ":")).map { String(decoding: $0, as: UTF8.self) }
        }
        let head = groups(gap.map { bytes[..<$0] } ?? bytes[...])
        let tail = gap.map { groups(bytes[($0 + 2)...]) } ?? []
        let missing = gap == nil ? 0 : max(0, 8 - head.count - tail.count)
        let groups = head + Array(repeating: "0", count: missing) + tail
        let network = groups.prefix(4).map { String(Int($0, radix: 16) ?? 0, radix: 16) }
        return network.joined(separator: ":") + "::/64"
    }
}
