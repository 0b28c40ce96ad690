import Foundation
import JSONSyntax
import Testing

@testable import JSONSchema

/// The allocation-free reading of short number lexemes (`SmallDecimal`) must agree with the exact one
/// (`ExactDecimal`) and with `strtod` wherever it gives an answer.
@Suite struct NumberTests {
    static let lexemes = [
        "0", "-0", "0.0", "-0.000", "1", "-1", "10", "100e-2", "75.9", "0.1", "0.30", "-2.5E-3", "1e10", "1E+2", "12.5e1",
        "9007199254740993", "9007199254740993.0", "0.000001", "123456789.123456789", "1234567890123456789",
        "12345678901234567890", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "1e19", "1e18", "9.2e18", "1e22", "1e23", "4.35", "1e-22", "1.5e-30", "1e1000000", "1e999999", "00", "1.", ".5", "-",
        "1e", "1x", "1e99999999999999999999999999", "-1E-0000001",
    ]

    @Test(arguments: lexemes)
    func smallDecimalAgreesWithExactDecimal(_ lexeme: String) {
        let bytes = Array(lexeme.utf8)
        bytes.withUnsafeBufferPointer { buf in
            let exact = ExactDecimal(lexeme: bytes)
            guard let small = SmallDecimal(buf) else {
                // Declining is always allowed, except for short valid lexemes it was built for.
                let parts = lexeme.lowercased().split(separator: "e").map { $0.filter(\.isNumber).count }
                let significand = parts.first ?? 0, exponentDigits = parts.count > 1 ? parts[1] : 0
                #expect(exact == nil || significand > 19 || exponentDigits > 6, "\(lexeme)")
                return
            }
            guard let exact else {
                Issue.record("\(lexeme) read as a number but is not one")
                return
            }
            #expect(small.isInteger == exact.isInteger, "\(lexeme)")
            #expect(small.int64Value == exact.int64Value, "\(lexeme)")
            #expect(small.mantissa == exact.digits.reduce(0) { $0 * 10 + UInt64($1) }, "\(lexeme)")
            #expect(small.exponent == exact.exponent && small.negative == exact.negative, "\(lexeme)")
            if let double = small.exactDouble {
                #expect(double == NumberMath.strtod(buf, 0..<buf.count), "\(lexeme)")
            }
        }
    }

    @Test func smallMultipleAgreesWithExactMultiple() {
        let divisors = ["0.1", "0.01", "2", "3", "1.5", "0.0001", "1e-5", "7e3", "123456789012345678"]
        let values = ["0", "0.3", "75.9", "1.25", "4.5", "3e4", "-0.7", "1e-5", "12.34", "7000", "1e300", "0.00030"]
        for d in divisors {
            let divisor = ExactDecimal(lexeme: Array(d.utf8))!
            for v in values {
                let bytes = Array(v.utf8)
                let expected = NumberMath.isMultiple(ExactDecimal(lexeme: bytes)!, of: divisor)
                let small = bytes.withUnsafeBufferPointer { SmallDecimal($0) }!
                if let fast = NumberMath.isMultiple(small, of: divisor) {
                    #expect(fast == expected, "\(v) multiple of \(d)")
                }
            }
        }
    }

    @Test func numberKeywordsOnDecimals() throws {
        let schema =
            #"{"properties": {"w": {"type": "number", "multipleOf": 0.1, "minimum": 0, "maximum": 100}, "#
            + #""i": {"type": "integer"}}}"#
        let validator = try compile(schema)
        for (instance, valid) in [
            (#"{"w": 75.9, "i": 3.0}"#, true), (#"{"w": 75.95}"#, false), (#"{"w": 100.1}"#, false),
            (#"{"w": -0.1}"#, false), (#"{"i": 2.5}"#, false), (#"{"i": 1e2, "w": 1e1}"#, true),
        ] {
            #expect(validator.validate(SyntaxTree(parsing: instance)).isValid == valid, "\(instance)")
        }
    }
}
