package import JSONSyntax

/// What makes a definition a registration form (`registration` in consultation.schema.json): a number of places,
/// with a waiting list once they are taken, for an event at a given time, and how long the registrants' personal
/// data are kept after it.
///
/// The decision between a place and the waiting list is the store's (`ConsultationStore.submit`), made inside the
/// transaction that stores the registration; this type only says what the definition asks for.
public struct RegistrationSettings: Sendable, Hashable {
    /// Places offered; registrations beyond them go on the waiting list.
    public var places: Int
    /// When the event starts; registrants can cancel until then.
    public var startsAt: Timestamp
    /// When the event ends (nil: not stated); retention counts from here, else from `startsAt`.
    public var endsAt: Timestamp?
    /// Where it takes place, as shown to registrants (for example "Online: the joining instructions are sent by e-mail").
    public var location: String?
    /// Days after the event after which the registrants' personal data are deleted.
    public var retentionDays: Int
    /// What the personal data are used for, shown on the form and the confirmation page.
    public var purpose: String

    /// Most places a definition may offer (a bound on the store's counting, and far beyond any webinar).
    public static let maxPlaces = 100_000
    /// Longest retention a definition may ask for, in days (ten years).
    public static let maxRetentionDays = 3650

    public init(
        places: Int, startsAt: Timestamp, endsAt: Timestamp? = nil, location: String? = nil, retentionDays: Int, purpose: String
    ) {
        self.places = places
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.location = location
        self.retentionDays = retentionDays
        self.purpose = purpose
    }

    /// When the registrants' personal data are deleted: `retentionDays` after the event's end (or start).
    public var erasureAt: Timestamp { (endsAt ?? startsAt).adding(seconds: Int64(retentionDays) * 86_400) }

    /// Registrants may cancel (freeing their place for the first on the waiting list) until the event starts.
    public func canCancel(at now: Timestamp) -> Bool { now < startsAt }
}

/// Where a registration stands: a confirmed place, or a position on the waiting list (1 is next).
public enum RegistrationStatus: Sendable, Hashable {
    case confirmed
    case waiting(position: Int)

    package var json: JSONValue {
        switch self {
        case .confirmed: .object([("status", .string("confirmed"))])
        case .waiting(let p): .object([("status", .string("waiting")), ("position", .int(p))])
        }
    }
}

/// The syntax of an e-mail address as registration forms accept it: `local@domain`, the local part a dot-atom
/// (RFC 5322 §3.2.3; quoted local parts are refused), the domain a host name with at least one dot (RFC 1035 labels),
/// letters beyond ASCII allowed in both (RFC 6531). Nothing is sent and no DNS is asked: this only catches typing
/// mistakes, with a message that says which one.
public enum EmailAddress {
    /// Longest address in bytes (RFC 5321 §4.5.3.1.3: a path of 256 octets, less its angle brackets).
    public static let maxBytes = 254
    /// Longest local part in bytes (RFC 5321 §4.5.3.1.1).
    public static let maxLocalBytes = 64
    /// Longest label of the domain in bytes (RFC 1035 §2.3.4).
    public static let maxLabelBytes = 63

    /// What is wrong with `text` as an e-mail address (worded by `EmailProblem.english` and the message
    /// catalogues); nil when it is well formed.
    public static func problem(_ text: String) -> EmailProblem? {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return .empty }
        if bytes.count > maxBytes { return .tooLong(bytes: bytes.count, limit: maxBytes) }
        if let c = text.unicodeScalars.first(where: {
            $0.value <= 32 || $0.value == 0x7F || ($0.value >= 0x80 && $0.value < 0xA0)
        }) {
            return c == " " ? .space : .controlCharacter
        }
        let at = bytes.indices.filter { bytes[$0] == UInt8(ascii: "@") }
        guard let split = at.last else { return .noAt }
        if at.count > 1 { return .severalAt }
        let local = bytes[..<split], domain = bytes[(split + 1)...]
        if local.isEmpty { return .nothingBeforeAt }
        if domain.isEmpty { return .nothingAfterAt }
        if local.count > maxLocalBytes {
            return .localPartTooLong(bytes: local.count, limit: maxLocalBytes)
        }
        let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)
        func isAlphanumeric(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b >= 0x80
        }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") {
            return .localPartDotAtEnd
        }
        var previous: UInt8 = 0
        for b in local {
            if b == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return .twoDotsInLocalPart }
            guard isAlphanumeric(b) || atext.contains(b) || b == UInt8(ascii: ".") else {
                return .localPartCharacter(String(decoding: [b], as: UTF8.self))
            }
            previous = b
        }
        if domain.first == UInt8(ascii: "[") { return .ipAddress }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        if labels.count < 2 { return .domainWithoutDot }
        for label in labels {
            if label.isEmpty { return .domainEmptyPart }
            if label.count > maxLabelBytes {
                return .domainPartTooLong(bytes: label.count, limit: maxLabelBytes)
            }
            guard label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
                return .domainCharacters
            }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return .domainPartHyphen
            }
        }
        if let top = labels.last, top.allSatisfy({ (0x30...0x39).contains($0) }) {
            return .numericTopLevel
        }
        return nil
    }
}

/// Why a text is not an e-mail address, in the participant's terms. `english` words it in English; the
/// interface's message catalogues (`FormStrings`) word it in every language of the form.
public enum EmailProblem: Sendable, Hashable, CaseIterable {
    case empty
    case tooLong(bytes: Int, limit: Int)
    case space
    case controlCharacter
    case noAt
    case severalAt
    case nothingBeforeAt
    case nothingAfterAt
    case localPartTooLong(bytes: Int, limit: Int)
    case localPartDotAtEnd
    case twoDotsInLocalPart
    /// A character the part before the @ cannot hold.
    case localPartCharacter(String)
    case ipAddress
    case domainWithoutDot
    case domainEmptyPart
    case domainPartTooLong(bytes: Int, limit: Int)
    case domainCharacters
    case domainPartHyphen
    case numericTopLevel

    /// One example of each problem (for the message catalogues' tests).
    public static let allCases: [EmailProblem] = [
        .empty, .tooLong(bytes: 255, limit: 254), .space, .controlCharacter, .noAt, .severalAt, .nothingBeforeAt,
        .nothingAfterAt, .localPartTooLong(bytes: 65, limit: 64), .localPartDotAtEnd, .twoDotsInLocalPart,
        .localPartCharacter("\""), .ipAddress, .domainWithoutDot, .domainEmptyPart,
        .domainPartTooLong(bytes: 64, limit: 63), .domainCharacters, .domainPartHyphen, .numericTopLevel,
    ]

    public var english: String {
        switch self {
        case .empty: "it is empty"
        case .tooLong(let bytes, let limit): "it is \(bytes) bytes long, and an address has at most \(limit)"
        case .space: "it contains a space"
        case .controlCharacter: "it contains a control character"
        case .noAt: "it has no @ (an address looks like name@example.org)"
        case .severalAt: "it has more than one @"
        case .nothingBeforeAt: "nothing comes before the @"
        case .nothingAfterAt: "nothing comes after the @"
        case .localPartTooLong(let bytes, let limit): "the part before the @ is \(bytes) bytes long; at most \(limit) are allowed"
        case .localPartDotAtEnd: "the part before the @ cannot start or end with a dot"
        case .twoDotsInLocalPart: "it has two dots in a row before the @"
        case .localPartCharacter(let c): "the part before the @ contains “\(c)”, which an address cannot hold"
        case .ipAddress: "write the domain's name after the @, not an IP address"
        case .domainWithoutDot: "the domain after the @ has no dot; it looks like example.org"
        case .domainEmptyPart: "the domain after the @ has an empty part (two dots in a row, or a dot at an end)"
        case .domainPartTooLong(let bytes, let limit): "a part of the domain is \(bytes) bytes long; at most \(limit) are allowed"
        case .domainCharacters: "the domain after the @ may hold only letters, digits, hyphens and dots"
        case .domainPartHyphen: "a part of the domain cannot start or end with a hyphen"
        case .numericTopLevel: "the domain after the @ ends in digits; write its name, such as example.org"
        }
    }
}
