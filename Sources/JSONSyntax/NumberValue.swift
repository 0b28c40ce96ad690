#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Number conversions from a validated JSON number lexeme.
enum NumberValue {
    static func double(_ bytes: [UInt8], _ range: Range<Int>) -> Double {
        var text = Array(bytes[range])
        text.append(0)
        return text.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { strtod($0, nil) }
        }
    }

    static func exactInteger(_ bytes: [UInt8], _ range: Range<Int>) -> Int64? {
        guard let d = ExactDecimal(lexeme: bytes[range]) else { return nil }
        return d.int64Value
    }
}

/// A JSON number's exact value: `(-1)^negative × digits × 10^exponent`, with `digits` free of
/// leading and trailing zeros (zero is `digits == []`). Lets callers compare and divide numbers
/// beyond Double's precision.
public struct ExactDecimal: Sendable, Hashable {
    public var negative: Bool
    /// Decimal digits, most significant first, each 0...9; empty for zero.
    public var digits: [UInt8]
    public var exponent: Int

    public init(negative: Bool, digits: [UInt8], exponent: Int) {
        var d = digits
        var e = exponent
        while let f = d.first, f == 0 { d.removeFirst() }
        while let l = d.last, l == 0 {
            d.removeLast()
            e += 1
        }
        self.negative = d.isEmpty ? false : negative
        self.digits = d
        self.exponent = d.isEmpty ? 0 : e
    }

    /// Parses a JSON number lexeme; nil if it is not one.
    public init?<C: Collection>(lexeme: C) where C.Element == UInt8 {
        var it = Array(lexeme)[...]
        var negative = false
        if it.first == 0x2D {
            negative = true
            it = it.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var sawDigit = false
        while let b = it.first, b >= 0x30 && b <= 0x39 {
            digits.append(b - 0x30)
            sawDigit = true
            it = it.dropFirst()
        }
        guard sawDigit else { return nil }
        if it.first == 0x2E {
            it = it.dropFirst()
            var fraction = false
            while let b = it.first, b >= 0x30 && b <= 0x39 {
                digits.append(b - 0x30)
                exponent -= 1
                fraction = true
                it = it.dropFirst()
            }
            guard fraction else { return nil }
        }
        if let b = it.first, b == 0x65 || b == 0x45 {
            it = it.dropFirst()
            var expNegative = false
            if let s = it.first, s == 0x2B || s == 0x2D {
                expNegative = s == 0x2D
                it = it.dropFirst()
            }
            var e = 0
            var sawExp = false
            while let b = it.first, b >= 0x30 && b <= 0x39 {
                // Saturate: exponents past a billion are outside anything we can represent anyway.
                if e < 1_000_000_000 { e = e * 10 + Int(b - 0x30) }
                sawExp = true
                it = it.dropFirst()
            }
            guard sawExp else { return nil }
            exponent += expNegative ? -e : e
        }
        guard it.isEmpty else { return nil }
        self.init(negative: negative, digits: digits, exponent: exponent)
    }

    public var isZero: Bool { digits.isEmpty }
    /// True when the value is a whole number.
    public var isInteger: Bool { exponent >= 0 }

    /// The value as Int64 when it is a whole number in range.
    public var int64Value: Int64? {
        guard isInteger, digits.count + exponent <= 19 else { return digits.isEmpty ? 0 : nil }
        var v: UInt64 = 0
        for d in digits {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = a
        }
        return Int64(magnitude: v, timesTenToThe: exponent, negative: negative)
    }
}

extension Int64 {
    /// `±magnitude × 10^exponent` when it fits in Int64 (Int64.min included), else nil. Shared by the exact
    /// decimal types of the syntax layer and the validator.
    public init?(magnitude: UInt64, timesTenToThe exponent: Int, negative: Bool) {
        var v = magnitude
        for _ in 0..<Swift.max(0, exponent) {
            let (m, overflow) = v.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            v = m
        }
        if negative {
            if v == UInt64(Int64.max) + 1 {
                self = Int64.min
                return
            }
            guard v <= UInt64(Int64.max) else { return nil }
            self = -Int64(v)
        } else {
            guard v <= UInt64(Int64.max) else { return nil }
            self = Int64(v)
        }
    }
}
