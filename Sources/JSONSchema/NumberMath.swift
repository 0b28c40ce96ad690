import JSONSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A number from a schema (`minimum`, `multipleOf`, …) kept both exactly and as fast approximations.
struct SchemaNumber: Sendable {
    var exact: ExactDecimal
    var double: Double
    var int: Int64?

    init?(_ node: SyntaxNode) {
        guard node.kind == .number, let d = node.decimalValue else { return nil }
        exact = d
        double = node.doubleValue ?? 0
        int = d.int64Value
    }

    var text: String { NumberMath.render(exact) }
}

/// A number read from an instance: an exact Int64 when the lexeme is a plain integer, else a Double,
/// with the exact decimal computed only when the Double cannot decide.
struct InstanceNumber {
    var int: Int64?
    var double: Double
    let lexeme: UnsafeBufferPointer<UInt8>

    /// Reads number node `index` of a tree through its node storage.
    init(_ index: Int, _ storage: NodeStorage) {
        let buf = storage.bytes
        let r = storage.range(index)
        lexeme = UnsafeBufferPointer(rebasing: buf[r])
        if !storage.flags(index).contains(.nonIntegerLexeme), r.count <= 18 {
            var i = r.lowerBound
            var negative = false
            if buf[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            var v: Int64 = 0
            while i < r.upperBound {
                v = v * 10 + Int64(buf[i] &- 0x30)
                i += 1
            }
            int = negative ? -v : v
            double = Double(int!)
            return
        }
        int = nil
        // Most lexemes with a fraction or exponent have few digits: read them without allocating.
        if let small = SmallDecimal(lexeme) {
            int = small.int64Value
            double = small.exactDouble ?? NumberMath.strtod(buf, r)
            return
        }
        double = NumberMath.strtod(buf, r)
        if let d = ExactDecimal(lexeme: lexeme), let i = d.int64Value { int = i }
    }

    /// -1, 0 or 1 as the instance is below, equal to or above `bound`.
    func compare(_ bound: SchemaNumber) -> Int {
        if let a = int, let b = bound.int { return a < b ? -1 : (a == b ? 0 : 1) }
        if double < bound.double { return -1 }
        if double > bound.double { return 1 }
        guard let exact = ExactDecimal(lexeme: lexeme) else { return 0 }
        return NumberMath.compare(exact, bound.exact)
    }
}

/// A number lexeme with at most 19 significant digits, read without allocating:
/// `(-1)^negative × mantissa × 10^exponent`, the mantissa free of trailing zeros (zero is 0 × 10^0).
/// The same value as `ExactDecimal(lexeme:)` gives, for the lexemes it accepts.
struct SmallDecimal {
    var negative = false
    var mantissa: UInt64 = 0
    var exponent = 0

    /// Nil when the lexeme is not a JSON number, has more than 19 significant digits, or an exponent
    /// of more than six digits.
    init?(_ lexeme: UnsafeBufferPointer<UInt8>) {
        let n = lexeme.count
        var i = 0
        if i < n && lexeme[i] == 0x2D {
            negative = true
            i += 1
        }
        var digits = 0
        @inline(__always) func take(_ d: UInt8) -> Bool {
            guard mantissa != 0 || d != 0 else { return true }  // leading zeros are not significant
            guard digits < 19 else { return false }
            mantissa = mantissa * 10 + UInt64(d)
            digits += 1
            return true
        }
        let integerStart = i
        while i < n && lexeme[i] &- 0x30 < 10 {
            guard take(lexeme[i] &- 0x30) else { return nil }
            i += 1
        }
        guard i > integerStart else { return nil }
        if i < n && lexeme[i] == 0x2E {
            i += 1
            let fractionStart = i
            while i < n && lexeme[i] &- 0x30 < 10 {
                guard take(lexeme[i] &- 0x30) else { return nil }
                exponent -= 1
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        if i < n && lexeme[i] | 0x20 == 0x65 {
            i += 1
            var negativeExponent = false
            if i < n && (lexeme[i] == 0x2B || lexeme[i] == 0x2D) {
                negativeExponent = lexeme[i] == 0x2D
                i += 1
            }
            let exponentStart = i
            var e = 0
            while i < n && lexeme[i] &- 0x30 < 10 {
                guard i - exponentStart < 6 else { return nil }
                e = e * 10 + Int(lexeme[i] &- 0x30)
                i += 1
            }
            guard i > exponentStart else { return nil }
            exponent += negativeExponent ? -e : e
        }
        guard i == n else { return nil }
        if mantissa == 0 {
            negative = false
            exponent = 0
            return
        }
        while mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
    }

    var isInteger: Bool { exponent >= 0 }

    /// The value as Int64 when it is a whole number in range (as `ExactDecimal.int64Value`).
    var int64Value: Int64? {
        guard exponent >= 0, exponent <= 19 else { return nil }
        return Int64(magnitude: mantissa, timesTenToThe: Int(exponent), negative: negative)
    }

    /// The value as the nearest Double when one multiplication or division by an exact power of ten
    /// gives it (mantissa below 2^53, |exponent| at most 22), else nil.
    var exactDouble: Double? {
        guard mantissa < 1 << 53, exponent >= -22, exponent <= 22 else { return nil }
        var power = 1.0
        for _ in 0..<abs(exponent) { power *= 10 }  // exact: 10^22 is representable
        let magnitude = exponent < 0 ? Double(mantissa) / power : Double(mantissa) * power
        return negative ? -magnitude : magnitude
    }
}

enum NumberMath {
    /// `isMultiple(_:of:)` for an instance read as a `SmallDecimal`; nil when the divisor has too many digits.
    static func isMultiple(_ value: SmallDecimal, of divisor: ExactDecimal) -> Bool? {
        if value.mantissa == 0 { return true }
        if divisor.isZero { return false }
        let e = min(value.exponent, divisor.exponent)
        let divisorShift = divisor.exponent - e
        let valueShift = value.exponent - e
        guard divisor.digits.count + divisorShift <= 18 else { return nil }
        var m: UInt64 = 0
        for d in divisor.digits { m = m * 10 + UInt64(d) }
        for _ in 0..<divisorShift { m *= 10 }
        let r = value.mantissa % m
        if r == 0 { return true }
        return mulMod(r, powMod(10, valueShift, m), m) == 0
    }

    /// Parses a validated JSON number lexeme without allocating.
    static func strtod(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Double {
        let n = r.count
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { tmp in
            for k in 0..<n { tmp[k] = CChar(bitPattern: buf[r.lowerBound + k]) }
            tmp[n] = 0
            #if canImport(Glibc)
                return Glibc.strtod(tmp.baseAddress!, nil)
            #else
                return Darwin.strtod(tmp.baseAddress!, nil)
            #endif
        }
    }

    /// Exact comparison of two decimals: -1, 0 or 1.
    static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero && b.isZero { return 0 }
        let signA = a.isZero ? 0 : (a.negative ? -1 : 1)
        let signB = b.isZero ? 0 : (b.negative ? -1 : 1)
        if signA != signB { return signA < signB ? -1 : 1 }
        let magnitude = compareMagnitude(a, b)
        return signA < 0 ? -magnitude : magnitude
    }

    static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero { return b.isZero ? 0 : -1 }
        if b.isZero { return 1 }
        // The position of the most significant digit decides first.
        let ma = a.digits.count + a.exponent, mb = b.digits.count + b.exponent
        if ma != mb { return ma < mb ? -1 : 1 }
        let n = max(a.digits.count, b.digits.count)
        for k in 0..<n {
            let da = k < a.digits.count ? a.digits[k] : 0
            let db = k < b.digits.count ? b.digits[k] : 0
            if da != db { return da < db ? -1 : 1 }
        }
        return 0
    }

    /// Whether `value` is an integer multiple of `divisor` (> 0), computed exactly.
    static func isMultiple(_ value: ExactDecimal, of divisor: ExactDecimal) -> Bool {
        if value.isZero { return true }
        if divisor.isZero { return false }
        // value = V·10^ev, divisor = D·10^ed. With e = min(ev, ed): V·10^(ev-e) mod D·10^(ed-e) == 0.
        let e = min(value.exponent, divisor.exponent)
        let divisorShift = divisor.exponent - e
        let valueShift = value.exponent - e
        if divisor.digits.count + divisorShift <= 18 {
            var m: UInt64 = 0
            for d in divisor.digits { m = m * 10 + UInt64(d) }
            for _ in 0..<divisorShift { m *= 10 }
            var r: UInt64 = 0
            for d in value.digits { r = (r * 10 + UInt64(d)) % m }
            if r == 0 { return true }
            return mulMod(r, powMod(10, valueShift, m), m) == 0
        }
        // A divisor past 18 digits: big-integer long division by repeated subtraction of digit strings.
        var dividend = value.digits
        dividend.append(contentsOf: repeatElement(0, count: min(valueShift, 100_000)))
        var modulus = divisor.digits
        modulus.append(contentsOf: repeatElement(0, count: divisorShift))
        return bigRemainderIsZero(dividend, modulus)
    }

    static func mulMod(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high % m, low)).remainder
    }

    static func powMod(_ base: UInt64, _ exponent: Int, _ m: UInt64) -> UInt64 {
        if m == 1 { return 0 }
        var result: UInt64 = 1, b = base % m, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = mulMod(result, b, m) }
            b = mulMod(b, b, m)
            e >>= 1
        }
        return result
    }

    /// Schoolbook remainder on decimal digit arrays (most significant first).
    static func bigRemainderIsZero(_ dividend: [UInt8], _ divisor: [UInt8]) -> Bool {
        var remainder: [UInt8] = []
        func geq(_ a: [UInt8], _ b: [UInt8]) -> Bool {
            let a = Array(a.drop { $0 == 0 }), b = Array(b.drop { $0 == 0 })
            if a.count != b.count { return a.count > b.count }
            return !a.lexicographicallyPrecedes(b)
        }
        func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
            var a = Array(a.drop { $0 == 0 })
            let b = Array(b.drop { $0 == 0 })
            var borrow = 0
            for k in 0..<a.count {
                let ai = a.count - 1 - k
                let bv = k < b.count ? Int(b[b.count - 1 - k]) : 0
                var v = Int(a[ai]) - bv - borrow
                borrow = v < 0 ? 1 : 0
                if v < 0 { v += 10 }
                a[ai] = UInt8(v)
            }
            return Array(a.drop { $0 == 0 })
        }
        for digit in dividend {
            remainder.append(digit)
            remainder = Array(remainder.drop { $0 == 0 })
            while geq(remainder, divisor) { remainder = subtract(remainder, divisor) }
        }
        return remainder.isEmpty
    }

    /// A decimal as JSON number text (`1.5`, `-20`, `1e+400`).
    static func render(_ d: ExactDecimal) -> String {
        if d.isZero { return "0" }
        var s = d.negative ? "-" : ""
        let digits = String(d.digits.map { Character(Unicode.Scalar($0 + 0x30)) })
        if d.exponent >= 0 && d.exponent + d.digits.count <= 21 {
            s += digits + String(repeating: "0", count: d.exponent)
        } else if d.exponent < 0 && -d.exponent < d.digits.count {
            let cut = d.digits.count + d.exponent
            s += String(digits.prefix(cut)) + "." + String(digits.dropFirst(cut))
        } else if d.exponent < 0 && -d.exponent - d.digits.count < 6 {
            s += "0." + String(repeating: "0", count: -d.exponent - d.digits.count) + digits
        } else {
            s += digits + "e" + String(d.exponent)
        }
        return s
    }
}
