/// A small backtracking matcher for the regular expressions schemas mostly use (literals, `.`, classes
/// with ranges and `\d \w \s`, groups, alternation, greedy and lazy quantifiers, `^` and `$`), run on a
/// string's UTF-8 bytes without bridging to ICU. Patterns using anything else (lookaround,
/// backreferences, `\b`, `\p{…}`, named groups) are left to `NSRegularExpression`: `init` returns nil.
/// Semantics are ECMA-262's for the supported subset (`\d` and `\w` ASCII, `.` excludes line terminators,
/// `$` only at the end).
struct SimpleRegex: Sendable {
    indirect enum Node: Sendable {
        case scalar(UInt32)
        case any
        case set(ScalarSet)
        case sequence([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int, greedy: Bool)
        case start
        case end
    }

    /// A class: ranges of scalar values, possibly negated.
    struct ScalarSet: Sendable {
        var ranges: [ClosedRange<UInt32>]
        var negated: Bool
        func contains(_ v: UInt32) -> Bool {
            var hit = false
            for r in ranges where r.contains(v) {
                hit = true
                break
            }
            return hit != negated
        }
        static let digit = ScalarSet(ranges: [0x30...0x39], negated: false)
        static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A], negated: false)
        static let space = ScalarSet(
            ranges: [
                0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
                0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
            ],
            negated: false)
    }

    let code: [Instruction]
    let ranges: [UInt32]
    let anchoredStart: Bool

    init?(_ pattern: String) {
        var parser = Parser(scalars: Array(pattern.unicodeScalars))
        guard let node = parser.alternation(), parser.i == parser.scalars.count, !parser.failed else { return nil }
        var code: [Instruction] = []
        var ranges: [UInt32] = []
        guard SimpleRegex.emit(node, into: &code, ranges: &ranges) else { return nil }
        code.append(Instruction(op: Instruction.match))
        self.code = code
        self.ranges = ranges
        if case .sequence(let items) = node, case .start = items.first { anchoredStart = true } else { anchoredStart = false }
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        var i = 0
        var failed = false

        mutating func alternation() -> Node? {
            var branches: [Node] = []
            while true {
                guard let s = sequence() else { return nil }
                branches.append(s)
                if i < scalars.count && scalars[i] == "|" {
                    i += 1
                    continue
                }
                break
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        mutating func sequence() -> Node? {
            var items: [Node] = []
            while i < scalars.count && scalars[i] != "|" && scalars[i] != ")" {
                guard let atom = atom() else { return nil }
                guard let quantified = quantifier(atom) else { return nil }
                items.append(quantified)
            }
            return .sequence(items)
        }

        mutating func number() -> Int? {
            var v = 0, digits = 0
            while i < scalars.count,
                let d = scalars[i].properties.numericType == .decimal && scalars[i].isASCII
                    ? Int(scalars[i].value - 0x30) : nil
            {
                v = min(v * 10 + d, 100_000)
                digits += 1
                i += 1
            }
            return digits > 0 ? v : nil
        }

        mutating func quantifier(_ atom: Node) -> Node? {
            guard i < scalars.count else { return atom }
            var minimum = 0, maximum = Int.max
            switch scalars[i] {
            case "*": i += 1
            case "+": minimum = 1; i += 1
            case "?": maximum = 1; i += 1
            case "{":
                let save = i
                i += 1
                guard let n = number() else { i = save; return nil }
                minimum = n
                maximum = n
                if i < scalars.count && scalars[i] == "," {
                    i += 1
                    maximum = number() ?? Int.max
                }
                guard i < scalars.count, scalars[i] == "}", minimum <= maximum else { return nil }
                i += 1
            default:
                return atom
            }
            if case .start = atom { return nil }
            if case .end = atom { return nil }
            var greedy = true
            if i < scalars.count && scalars[i] == "?" {
                greedy = false
                i += 1
            }
            return .repetition(atom, min: minimum, max: maximum, greedy: greedy)
        }

        mutating func atom() -> Node? {
            let c = scalars[i]
            i += 1
            switch c {
            case "^": return .start
            case "$": return .end
            case ".": return .any
            case "(":
                if i < scalars.count && scalars[i] == "?" {
                    guard i + 1 < scalars.count, scalars[i + 1] == ":" else { return nil }
                    i += 2
                }
                guard let inner = alternation(), i < scalars.count, scalars[i] == ")" else { return nil }
                i += 1
                return inner
            case "[": return characterClass()
            case "\\": return escape(inClass: false).map { $0 }
            case ")", "]", "{", "}", "*", "+", "?": return nil
            default: return .scalar(c.value)
            }
        }

        mutating func escape(inClass: Bool) -> Node? {
            guard i < scalars.count else { return nil }
            let e = scalars[i]
            i += 1
            switch e {
            case "d": return .set(.digit)
            case "D": return .set(ScalarSet(ranges: ScalarSet.digit.ranges, negated: true))
            case "w": return .set(.word)
            case "W": return .set(ScalarSet(ranges: ScalarSet.word.ranges, negated: true))
            case "s": return .set(.space)
            case "S": return .set(ScalarSet(ranges: ScalarSet.space.ranges, negated: true))
            case "t": return .scalar(9)
            case "n": return .scalar(10)
            case "v": return .scalar(11)
            case "f": return .scalar(12)
            case "r": return .scalar(13)
            case "u":
                guard i + 4 <= scalars.count, let v = UInt32(String(String.UnicodeScalarView(scalars[i..<(i + 4)])), radix: 16),
                    v < 0xD800 || v > 0xDFFF
                else { return nil }
                i += 4
                return .scalar(v)
            case "-" where inClass: return .scalar(0x2D)
            case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/": return .scalar(e.value)
            default: return nil
            }
        }

        mutating func characterClass() -> Node? {
            var negated = false
            if i < scalars.count && scalars[i] == "^" {
                negated = true
                i += 1
            }
            var ranges: [ClosedRange<UInt32>] = []
            while i < scalars.count && scalars[i] != "]" {
                var low: UInt32
                if scalars[i] == "\\" {
                    i += 1
                    guard let e = escape(inClass: true) else { return nil }
                    switch e {
                    case .scalar(let v): low = v
                    case .set(let s) where !s.negated:
                        ranges += s.ranges
                        continue
                    default: return nil
                    }
                } else if scalars[i] == "[" {
                    return nil
                } else {
                    low = scalars[i].value
                    i += 1
                }
                if i + 1 < scalars.count && scalars[i] == "-" && scalars[i + 1] != "]" {
                    i += 1
                    var high: UInt32
                    if scalars[i] == "\\" {
                        i += 1
                        guard case .scalar(let v)? = escape(inClass: true) else { return nil }
                        high = v
                    } else {
                        high = scalars[i].value
                        i += 1
                    }
                    guard low <= high else { return nil }
                    ranges.append(low...high)
                } else {
                    ranges.append(low...low)
                }
            }
            guard i < scalars.count, scalars[i] == "]", !ranges.isEmpty else { return nil }
            i += 1
            return .set(ScalarSet(ranges: ranges, negated: negated))
        }
    }

    // MARK: Compilation to a flat program

    /// One instruction of the backtracking machine: plain values, so running costs no reference counting.
    struct Instruction: Sendable {
        var op: UInt8
        var a: Int32 = 0
        var b: Int32 = 0
        static let scalar: UInt8 = 0, any: UInt8 = 1, set: UInt8 = 2, negatedSet: UInt8 = 3, split: UInt8 = 4,
            jump: UInt8 = 5, start: UInt8 = 6, end: UInt8 = 7, match: UInt8 = 8
    }

    static func nullable(_ node: Node) -> Bool {
        switch node {
        case .scalar, .any, .set: return false
        case .start, .end: return true
        case .sequence(let items): return items.allSatisfy(nullable)
        case .alternation(let branches): return branches.contains(where: nullable)
        case .repetition(let inner, let minimum, _, _): return minimum == 0 || nullable(inner)
        }
    }

    /// Emits `node`; false when the program would be too large or a loop could spin without consuming.
    static func emit(_ node: Node, into code: inout [Instruction], ranges: inout [UInt32]) -> Bool {
        if code.count > 4_000 { return false }
        switch node {
        case .scalar(let v): code.append(Instruction(op: Instruction.scalar, a: Int32(bitPattern: v)))
        case .any: code.append(Instruction(op: Instruction.any))
        case .set(let set):
            let start = ranges.count
            for r in set.ranges { ranges += [r.lowerBound, r.upperBound] }
            code.append(
                Instruction(
                    op: set.negated ? Instruction.negatedSet : Instruction.set, a: Int32(start),
                    b: Int32(ranges.count)))
        case .start: code.append(Instruction(op: Instruction.start))
        case .end: code.append(Instruction(op: Instruction.end))
        case .sequence(let items):
            for item in items where !emit(item, into: &code, ranges: &ranges) { return false }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = code.count
                    code.append(Instruction(op: Instruction.split, a: Int32(split + 1)))
                    if !emit(branch, into: &code, ranges: &ranges) { return false }
                    jumps.append(code.count)
                    code.append(Instruction(op: Instruction.jump))
                    code[split].b = Int32(code.count)
                } else if !emit(branch, into: &code, ranges: &ranges) {
                    return false
                }
            }
            for j in jumps { code[j].a = Int32(code.count) }
        case .repetition(let inner, let minimum, let maximum, let greedy):
            if nullable(inner) || minimum > 1_000 { return false }
            for _ in 0..<minimum where !emit(inner, into: &code, ranges: &ranges) { return false }
            if maximum == Int.max {
                // loop: split(body, exit); body; jump loop
                let loop = code.count
                code.append(Instruction(op: Instruction.split))
                if !emit(inner, into: &code, ranges: &ranges) { return false }
                code.append(Instruction(op: Instruction.jump, a: Int32(loop)))
                let exit = Int32(code.count)
                code[loop].a = greedy ? Int32(loop + 1) : exit
                code[loop].b = greedy ? exit : Int32(loop + 1)
            } else {
                if maximum - minimum > 1_000 { return false }
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(code.count)
                    code.append(Instruction(op: Instruction.split))
                    if !emit(inner, into: &code, ranges: &ranges) { return false }
                }
                let exit = Int32(code.count)
                for sp in splits {
                    code[sp].a = greedy ? Int32(sp + 1) : exit
                    code[sp].b = greedy ? exit : Int32(sp + 1)
                }
            }
        }
        return true
    }

    // MARK: Matching

    /// Whether the pattern matches anywhere in the UTF-8 text; nil when the search grew too deep or long
    /// (the caller then asks ICU).
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool? {
        code.withUnsafeBufferPointer { code in
            ranges.withUnsafeBufferPointer { ranges in
                var budget = 200_000
                var start = 0
                while true {
                    guard let hit = SimpleRegex.run(code, ranges, text, 0, start, 0, &budget) else { return nil }
                    if hit { return true }
                    if anchoredStart || start >= text.count { return false }
                    start += SimpleRegex.length(text, start)
                }
            }
        }
    }

    static func length(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = t[i]
        let n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
        return min(n, t.count - i)
    }

    @inline(__always)
    static func decode(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b = UInt32(t[i])
        if b < 0x80 { return (b, 1) }
        let n = length(t, i)
        var v: UInt32 = n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07
        var k = 1
        while k < n {
            v = v << 6 | (UInt32(t[i + k]) & 0x3F)
            k += 1
        }
        return (v, n)
    }

    /// The byte length of the one character that `instruction` (a scalar, any, or set) matches at `i`; 0 if none.
    @inline(__always)
    static func matchOne(
        _ instruction: Instruction, _ ranges: UnsafeBufferPointer<UInt32>, _ t: UnsafeBufferPointer<UInt8>,
        _ i: Int
    ) -> Int {
        guard i < t.count else { return 0 }
        let (s, n) = decode(t, i)
        switch instruction.op {
        case Instruction.scalar:
            return s == UInt32(bitPattern: instruction.a) ? n : 0
        case Instruction.any:
            return s == 0x0A || s == 0x0D || s == 0x2028 || s == 0x2029 ? 0 : n
        default:
            var hit = false
            var r = Int(instruction.a)
            while r < Int(instruction.b) {
                if s >= ranges[r] && s <= ranges[r + 1] {
                    hit = true
                    break
                }
                r += 2
            }
            return hit != (instruction.op == Instruction.negatedSet) ? n : 0
        }
    }

    /// Runs from `pc` at byte `i`; recursion only at `split`s (the alternative waits on the Swift stack).
    static func run(
        _ code: UnsafeBufferPointer<Instruction>, _ ranges: UnsafeBufferPointer<UInt32>,
        _ t: UnsafeBufferPointer<UInt8>, _ startPC: Int, _ startIndex: Int, _ depth: Int,
        _ budget: inout Int
    ) -> Bool? {
        if depth > 2_000 { return nil }
        var pc = startPC, i = startIndex
        while true {
            budget -= 1
            if budget < 0 { return nil }
            let instruction = code[pc]
            switch instruction.op {
            case Instruction.scalar:
                guard i < t.count else { return false }
                let v = UInt32(bitPattern: instruction.a)
                if v < 0x80 {
                    guard t[i] == UInt8(v) else { return false }
                    i += 1
                } else {
                    let (s, n) = decode(t, i)
                    guard s == v else { return false }
                    i += n
                }
                pc += 1
            case Instruction.any:
                guard i < t.count else { return false }
                let (s, n) = decode(t, i)
                if s == 0x0A || s == 0x0D || s == 0x2028 || s == 0x2029 { return false }
                i += n
                pc += 1
            case Instruction.set, Instruction.negatedSet:
                guard i < t.count else { return false }
                let (s, n) = decode(t, i)
                var hit = false
                var r = Int(instruction.a)
                while r < Int(instruction.b) {
                    if s >= ranges[r] && s <= ranges[r + 1] {
                        hit = true
                        break
                    }
                    r += 2
                }
                guard hit != (instruction.op == Instruction.negatedSet) else { return false }
                i += n
                pc += 1
            case Instruction.split:
                // A greedy loop over one character (`[^\s]*`, `.*`, `[0-9]+`'s tail): consume as many as
                // match, then try the rest from the longest run down, without one recursion per character.
                if instruction.a == Int32(pc + 1), instruction.b == Int32(pc + 3), pc + 2 < code.count,
                    code[pc + 2].op == Instruction.jump, code[pc + 2].a == Int32(pc), code[pc + 1].op <= Instruction.negatedSet
                {
                    let body = code[pc + 1]
                    var j = i
                    while j < t.count {
                        let n = matchOne(body, ranges, t, j)
                        if n == 0 { break }
                        j += n
                        budget -= 1
                    }
                    if budget < 0 { return nil }
                    let exit = pc + 3
                    if code[exit].op == Instruction.end {
                        // Only the longest run can reach the end of the text.
                        guard j == t.count else { return false }
                        i = j
                        pc = exit
                        continue
                    }
                    var k = j
                    while true {
                        guard let rest = run(code, ranges, t, exit, k, depth + 1, &budget) else { return nil }
                        if rest { return true }
                        if k == i { return false }
                        k -= 1
                        while k > i && t[k] & 0xC0 == 0x80 { k -= 1 }  // back one whole character
                    }
                }
                guard let first = run(code, ranges, t, Int(instruction.a), i, depth + 1, &budget) else { return nil }
                if first { return true }
                pc = Int(instruction.b)
            case Instruction.jump:
                pc = Int(instruction.a)
            case Instruction.start:
                guard i == 0 else { return false }
                pc += 1
            case Instruction.end:
                guard i == t.count else { return false }
                pc += 1
            default:
                return true
            }
        }
    }
}
