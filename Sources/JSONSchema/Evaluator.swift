#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSONSyntax

/// The instance locations a schema evaluated, for `unevaluatedProperties` / `unevaluatedItems`.
final class Evaluated {
    var properties: Set<Int> = []  // key node indices
    var allProperties = false
    var items: Set<Int> = []  // element positions
    var prefix = 0
    var allItems = false

    func merge(_ other: Evaluated) {
        if other.allProperties { allProperties = true } else { properties.formUnion(other.properties) }
        if other.allItems { allItems = true } else {
            prefix = max(prefix, other.prefix)
            items.formUnion(other.items)
        }
    }

    func isEvaluated(item k: Int) -> Bool { allItems || k < prefix || items.contains(k) }
}

/// An error as first recorded, before pointers are computed.
struct PendingError {
    var code: String
    var instance: SyntaxNode
    var range: Range<Int>
    var keywordPath: [String]
    var absolute: String
    var message: String
    var allowed: [AllowedValue] = []
    /// For `type` errors: the types the keyword wanted (to merge alternatives' wishes into one message).
    var expectedTypes: TypeMask = []
}

/// The lowest stack address evaluation may reach on the current thread (with a safety margin), so deep
/// schemas or documents end in a `depth-limit` error rather than a stack overflow, whatever the thread's
/// stack size. Zero when the platform does not say.
enum StackGuard {
    static func limit(margin: UInt = 192 * 1024) -> UInt {
        let here = current()
        // Without the thread's bounds, allow 512 KiB below the entry point (safe on any common stack).
        let fallback = here > 512 * 1024 ? here - 512 * 1024 : 0
        #if canImport(Glibc)
        typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        // `pthread_getattr_np` is a GNU extension the Glibc module does not import: look it up at run time.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return fallback }
        let getattr = unsafeBitCast(symbol, to: GetAttr.self)
        var attributes = pthread_attr_t()
        guard getattr(pthread_self(), &attributes) == 0 else { return fallback }
        defer { pthread_attr_destroy(&attributes) }
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base else { return fallback }
        let low = UInt(bitPattern: base)
        guard here > low, here - low <= UInt(size) else { return fallback }
        return low + min(margin, UInt(size) / 2)
        #elseif canImport(Darwin)
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let size = UInt(pthread_get_stacksize_np(pthread_self()))
        return top - size + min(margin, size / 2)
        #else
        return fallback
        #endif
    }

    /// An address in the caller's frame.
    @inline(never)
    static func current() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }
}

/// Runs a `Program` over one syntax tree. One evaluator per validation, used by one thread, whose
/// accesses never overlap: its state skips the run-time exclusivity checks.
final class Evaluator {
    let program: Program
    let nodes: [SchemaNode]
    let buf: UnsafeBufferPointer<UInt8>
    let options: ValidationOptions
    @exclusivity(unchecked) var collecting = true
    @exclusivity(unchecked) var errors: [PendingError] = []
    @exclusivity(unchecked) var overflow = 0
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var frames: [(from: Int32, to: Int32, keyword: String)] = []
    @exclusivity(unchecked) var scope: [Int32] = []
    let tracksScope: Bool
    /// Key node indices of members hidden by a later member with the same key.
    @exclusivity(unchecked) var shadowed: Set<Int> = []
    /// Computed when evaluation first gets deep (finding the stack's bounds is not free).
    @exclusivity(unchecked) var stackLimit: UInt?
    @exclusivity(unchecked) var depthExceeded = false

    let hot: UnsafeBufferPointer<HotNode>
    let operations: UnsafeBufferPointer<Operation>

    init(program: Program, hot: UnsafeBufferPointer<HotNode>, operations: UnsafeBufferPointer<Operation>,
         buf: UnsafeBufferPointer<UInt8>, options: ValidationOptions) {
        self.program = program
        self.hot = hot
        self.operations = operations
        self.nodes = program.nodes
        self.buf = buf
        self.options = options
        self.tracksScope = program.usesDynamicScope
    }

    // MARK: Errors

    func evaluationPath(_ s: Int32, _ extra: [String]) -> [String] {
        var tokens: [String] = []
        var previous = program.root
        for frame in frames {
            tokens += nodes[Int(frame.from)].documentPointer.dropFirst(nodes[Int(previous)].documentPointer.count)
            tokens.append(frame.keyword)
            previous = frame.to
        }
        tokens += nodes[Int(s)].documentPointer.dropFirst(nodes[Int(previous)].documentPointer.count)
        return tokens + extra
    }

    @discardableResult
    func report(_ s: Int32, _ keyword: String?, _ instance: SyntaxNode, code: String? = nil, range: Range<Int>? = nil,
                _ message: String, allowed: [AllowedValue] = [], expected: TypeMask = []) -> Bool {
        guard collecting else { return false }
        if errors.count >= options.maxCollectedErrors {
            overflow += 1
            return false
        }
        let extra = keyword.map { [$0] } ?? []
        var absolute = nodes[Int(s)].absoluteLocation
        if let keyword { absolute += "/" + URIReference.encodeFragment(keyword.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")) }
        errors.append(PendingError(code: code ?? keyword ?? "false-schema", instance: instance, range: range ?? instance.range,
                                   keywordPath: evaluationPath(s, extra), absolute: absolute, message: message, allowed: allowed,
                                   expectedTypes: expected))
        return false
    }

    // MARK: Evaluation

    /// Evaluates schema `s` against `instance`; records into `track` what it evaluated.
    func eval(_ s: Int32, _ instance: SyntaxNode, _ track: Evaluated?) -> Bool {
        let kind = instance.kind
        if kind == .error || kind == .missing { return true }  // the parser already reported it
        let node = hot[Int(s)]
        if node.flags & HotNode.isFalse != 0 {
            return report(s, nil, instance, code: "false-schema", "no value is allowed here")
        }
        if node.count == 0 { return true }
        depth += 1
        defer { depth -= 1 }
        if depth > options.maxEvaluationDepth || (depth >= 64 && depth & 7 == 0 && StackGuard.current() < guardLimit()) {
            if !depthExceeded {
                depthExceeded = true
                report(s, nil, instance, code: "depth-limit", depth > options.maxEvaluationDepth
                       ? "the schema nests deeper than \(options.maxEvaluationDepth) levels here; validation stopped"
                       : "the document nests too deeply to validate on this thread's stack; validation stopped")
            }
            return false
        }
        var pushed = false
        if tracksScope && scope.last != node.resource {
            scope.append(node.resource)
            pushed = true
        }
        defer { if pushed { scope.removeLast() } }
        let tracks = node.flags & HotNode.tracksEvaluation != 0
        let local: Evaluated? = tracks ? Evaluated() : track
        var valid = true
        let first = Int(node.first)
        for k in first..<(first + Int(node.count)) {
            if !apply(k, s, instance, kind, local) {
                valid = false
                if !collecting { return false }
            }
        }
        if tracks, let track, let local, valid { track.merge(local) }
        return valid
    }

    func guardLimit() -> UInt {
        if let stackLimit { return stackLimit }
        let limit = StackGuard.limit()
        stackLimit = limit
        return limit
    }

    @inline(__always)
    func isFalse(_ s: Int32) -> Bool { hot[Int(s)].flags & HotNode.isFalse != 0 }

    /// Evaluates without recording errors (for `not`, `if`, `contains`, and trying branches).
    func test(_ s: Int32, _ instance: SyntaxNode, _ track: Evaluated?) -> Bool {
        if !collecting { return eval(s, instance, track) }
        collecting = false
        defer { collecting = true }
        return eval(s, instance, track)
    }

    func follow(_ from: Int32, _ to: Int32, _ keyword: String, _ instance: SyntaxNode, _ track: Evaluated?) -> Bool {
        frames.append((from, to, keyword))
        defer { frames.removeLast() }
        return eval(to, instance, track)
    }

    func apply(_ k: Int, _ s: Int32, _ instance: SyntaxNode, _ kind: SyntaxKind, _ track: Evaluated?) -> Bool {
        switch operations[k] {
        case .type(let mask):
            if matches(mask, instance, kind) { return true }
            if !collecting { return false }
            return report(s, "type", instance, "expected \(Messages.typeList(mask)), found \(Messages.describe(instance))",
                          expected: mask)

        case .enumeration(let set, let fromBranches):
            if set.contains(instance, in: buf) { return true }
            if !collecting { return false }
            if instance.containsErrors { return true }
            return report(s, program.keywordNames[k], instance, code: fromBranches ? "enum" : nil,
                          Messages.notAllowed(instance, set, title: nodes[Int(s)].title), allowed: allowedValues(set))

        case .const(let set):
            if set.contains(instance, in: buf) { return true }
            if !collecting { return false }
            if instance.containsErrors { return true }
            return report(s, "const", instance, "expected \(set.texts[0]), found \(Messages.quoted(instance))",
                          allowed: allowedValues(set))

        case .minLength(let n):
            guard kind == .string else { return true }
            let length = stringLength(instance)
            if length >= n { return true }
            return report(s, "minLength", instance, "text is too short: \(length) \(Messages.plural(length, "character")), at least \(n) required")

        case .maxLength(let n):
            guard kind == .string else { return true }
            let length = stringLength(instance)
            if length <= n { return true }
            return report(s, "maxLength", instance, "text is too long: \(length) \(Messages.plural(length, "character")), at most \(n) allowed")

        case .pattern(let regex):
            guard kind == .string else { return true }
            if withKey(instance, { regex.matches(utf8: $0) }) { return true }
            return report(s, "pattern", instance, "\(Messages.quoted(instance)) does not match the pattern `\(regex.source)`")

        case .format(let format):
            guard kind == .string else { return true }
            if format.check(instance.stringValue ?? "") { return true }
            return report(s, "format", instance, "\(Messages.quoted(instance)) is not \(format.example) (format `\(format.rawValue)`)")

        case .minimum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, buf).compare(bound) >= 0 { return true }
            return report(s, "minimum", instance, "\(instance.sourceText) is less than the minimum \(bound.text)")

        case .maximum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, buf).compare(bound) <= 0 { return true }
            return report(s, "maximum", instance, "\(instance.sourceText) is greater than the maximum \(bound.text)")

        case .exclusiveMinimum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, buf).compare(bound) > 0 { return true }
            return report(s, "exclusiveMinimum", instance, "\(instance.sourceText) must be greater than \(bound.text)")

        case .exclusiveMaximum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, buf).compare(bound) < 0 { return true }
            return report(s, "exclusiveMaximum", instance, "\(instance.sourceText) must be less than \(bound.text)")

        case .multipleOf(let divisor):
            guard kind == .number else { return true }
            let number = InstanceNumber(instance, buf)
            let ok: Bool
            if let a = number.int, let b = divisor.int {
                ok = a % b == 0
            } else if let d = instance.decimalValue {
                ok = NumberMath.isMultiple(d, of: divisor.exact)
            } else {
                ok = true
            }
            if ok { return true }
            return report(s, "multipleOf", instance, "\(instance.sourceText) is not a multiple of \(divisor.text)")

        case .minItems(let n):
            guard kind == .array else { return true }
            let count = instance.elements.count
            if count >= n { return true }
            return report(s, "minItems", instance, "the list has \(count) \(Messages.plural(count, "item")), at least \(n) required")

        case .maxItems(let n):
            guard kind == .array else { return true }
            let count = instance.elements.count
            if count <= n { return true }
            return report(s, "maxItems", instance, "the list has \(count) \(Messages.plural(count, "item")), at most \(n) allowed")

        case .uniqueItems:
            guard kind == .array else { return true }
            var seen: [[UInt8]: Int] = [:]
            for (k, element) in instance.elements.enumerated() {
                guard let key = CanonicalValue.key(element) else { continue }
                if let first = seen[key] {
                    return report(s, "uniqueItems", instance, "items \(first) and \(k) are equal; the items must be unique")
                }
                seen[key] = k
            }
            return true

        case .minProperties(let n):
            guard kind == .object else { return true }
            let count = propertyCount(instance)
            if count >= n { return true }
            return report(s, "minProperties", instance, "the object has \(count) \(Messages.plural(count, "property")), at least \(n) required")

        case .maxProperties(let n):
            guard kind == .object else { return true }
            let count = propertyCount(instance)
            if count <= n { return true }
            return report(s, "maxProperties", instance, "the object has \(count) \(Messages.plural(count, "property")), at most \(n) allowed")

        case .required(let set):
            guard kind == .object else { return true }
            return checkRequired(set, s, instance)

        case .dependentRequired(let rules):
            guard kind == .object else { return true }
            var valid = true
            for rule in rules where has(instance, rule.name) {
                for name in rule.required where !has(instance, name) {
                    valid = false
                    report(s, program.keywordNames[k], instance, range: opening(instance),
                           "missing property `\(name)`, required when `\(rule.name)` is present")
                    if !collecting { return false }
                }
            }
            return valid

        case .properties(let rules):
            guard kind == .object else { return true }
            return checkProperties(rules, s, instance, track)

        case .propertyNames(let t):
            guard kind == .object else { return true }
            var valid = true
            for member in instance.members where member.key.kind == .string {
                if !eval(t, member.key, nil) {
                    valid = false
                    if !collecting { return false }
                }
            }
            return valid

        case .dependentSchemas(let rules):
            guard kind == .object else { return true }
            var valid = true
            for rule in rules where has(instance, rule.name) {
                if !eval(rule.schema, instance, track) {
                    valid = false
                    if !collecting { return false }
                }
            }
            return valid

        case .items(let prefix, let rest):
            guard kind == .array else { return true }
            var valid = true
            var k = 0
            for element in instance.elements {
                let schema: Int32
                if k < prefix.count {
                    schema = prefix[k]
                } else if let rest {
                    schema = rest
                } else {
                    break
                }
                if isFalse(schema) {
                    valid = false
                    report(schema, nil, element, code: "additional-item",
                           "item \(k) is not allowed: the list may have at most \(prefix.count) \(Messages.plural(prefix.count, "item"))")
                    if !collecting { return false }
                } else if !eval(schema, element, nil) {
                    valid = false
                    if !collecting { return false }
                }
                k += 1
            }
            if let track {
                if rest != nil { track.allItems = true } else { track.prefix = max(track.prefix, min(k, prefix.count)) }
            }
            return valid

        case .contains(let t, let minimum, let maximum):
            guard kind == .array else { return true }
            var matched = 0
            var k = 0
            for element in instance.elements {
                if test(t, element, nil) {
                    matched += 1
                    track?.items.insert(k)
                    if track == nil && maximum == nil && matched >= minimum { return true }
                }
                k += 1
            }
            if matched < minimum {
                return report(s, "contains", instance, minimum == 1
                              ? "the list has no item matching the `contains` schema"
                              : "the list has \(matched) matching \(Messages.plural(matched, "item")), at least \(minimum) required")
            }
            if let maximum, matched > maximum {
                return report(s, "contains", instance, "the list has \(matched) matching items, at most \(maximum) allowed")
            }
            return true

        case .ref(let t):
            return follow(s, t, program.keywordNames[k], instance, track)

        case .dynamicRef(let t, let anchor):
            var target = t
            for resource in scope {
                if let a = program.resources[Int(resource)].dynamicAnchors[anchor] {
                    target = a
                    break
                }
            }
            return follow(s, target, "$dynamicRef", instance, track)

        case .allOf(let branches):
            var valid = true
            for b in branches where !eval(b, instance, track) {
                valid = false
                if !collecting { return false }
            }
            return valid

        case .anyOf(let branches):
            var valid = false
            for b in branches {
                let branchTrack = track.map { _ in Evaluated() }
                if test(b, instance, branchTrack) {
                    valid = true
                    if let track, let branchTrack { track.merge(branchTrack) } else { break }
                }
            }
            if valid { return true }
            if !collecting { return false }
            return reportBranches(branches, s, "anyOf", instance)

        case .oneOf(let branches):
            var passing: [Int] = []
            var passingTrack: Evaluated?
            for (k, b) in branches.enumerated() {
                let branchTrack = track.map { _ in Evaluated() }
                if test(b, instance, branchTrack) {
                    passing.append(k)
                    passingTrack = branchTrack
                }
            }
            if passing.count == 1 {
                if let track, let passingTrack { track.merge(passingTrack) }
                return true
            }
            if !collecting { return false }
            if passing.isEmpty { return reportBranches(branches, s, "oneOf", instance) }
            return report(s, "oneOf", instance,
                          "\(Messages.describe(instance)) matches \(passing.count) of the alternatives (\(passing.map(String.init).joined(separator: ", "))) but must match exactly one")

        case .not(let t):
            if !test(t, instance, nil) { return true }
            return report(s, "not", instance, "\(Messages.describe(instance)) matches a schema it must not match")

        case .conditional(let condition, let then, let otherwise):
            if then == nil && otherwise == nil && track == nil { return true }
            let conditionTrack = track.map { _ in Evaluated() }
            if test(condition, instance, conditionTrack) {
                if let track, let conditionTrack { track.merge(conditionTrack) }
                guard let then else { return true }
                return eval(then, instance, track)
            }
            guard let otherwise else { return true }
            return eval(otherwise, instance, track)

        case .unevaluatedProperties(let t):
            guard kind == .object, let track else { return true }
            if track.allProperties { return true }
            var valid = true
            for member in instance.members where member.key.kind == .string && !track.properties.contains(member.key.index) {
                if isFalse(t) {
                    valid = false
                    report(t, nil, member.value, code: "unevaluated-property", range: member.key.range,
                           "property `\(member.name)` is not allowed here")
                    if !collecting { return false }
                } else if !eval(t, member.value, nil) {
                    valid = false
                    if !collecting { return false }
                }
            }
            track.allProperties = true
            return valid

        case .unevaluatedItems(let t):
            guard kind == .array, let track else { return true }
            if track.allItems { return true }
            var valid = true
            for (k, element) in instance.elements.enumerated() where !track.isEvaluated(item: k) {
                if isFalse(t) {
                    valid = false
                    report(t, nil, element, code: "unevaluated-item", "item \(k) is not allowed here")
                    if !collecting { return false }
                } else if !eval(t, element, nil) {
                    valid = false
                    if !collecting { return false }
                }
            }
            track.allItems = true
            return valid
        }
    }

    // MARK: Keyword helpers

    func matches(_ mask: TypeMask, _ instance: SyntaxNode, _ kind: SyntaxKind) -> Bool {
        switch kind {
        case .object: return mask.contains(.object)
        case .array: return mask.contains(.array)
        case .string: return mask.contains(.string)
        case .number:
            if mask.contains(.number) { return true }
            guard mask.contains(.integer) else { return false }
            if !instance.flags.contains(.nonIntegerLexeme) { return true }
            return instance.decimalValue?.isInteger ?? true
        case .true, .false: return mask.contains(.boolean)
        case .null: return mask.contains(.null)
        default: return true
        }
    }

    /// A string's length in Unicode code points, as JSON Schema counts it.
    func stringLength(_ instance: SyntaxNode) -> Int {
        let flags = instance.flags
        if !flags.contains(.hasEscapes) && !flags.contains(.unterminated) {
            let r = instance.range
            if !flags.contains(.nonASCII) { return r.count - 2 }
            var n = 0
            for k in (r.lowerBound + 1)..<(r.upperBound - 1) where buf[k] & 0xC0 != 0x80 { n += 1 }
            return n
        }
        return instance.stringValue?.unicodeScalars.count ?? 0
    }

    /// The key bytes of a member's key node (borrowed when it has no escapes).
    @inline(__always)
    func withKey<R>(_ key: SyntaxNode, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let flags = key.flags
        if !flags.contains(.hasEscapes) && !flags.contains(.unterminated) {
            let r = key.range
            return body(UnsafeBufferPointer(rebasing: buf[(r.lowerBound + 1)..<(r.upperBound - 1)]))
        }
        var bytes = Array((key.stringValue ?? "").utf8)
        return bytes.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
    }

    func has(_ object: SyntaxNode, _ name: String) -> Bool {
        var target = name
        return target.withUTF8 { wanted in
            for member in object.members where member.key.kind == .string {
                let equal = withKey(member.key) { $0.count == wanted.count && $0.elementsEqual(wanted) }
                if equal { return true }
            }
            return false
        }
    }

    func propertyCount(_ object: SyntaxNode) -> Int {
        var n = 0
        for member in object.members where member.key.kind == .string && !shadowed.contains(member.key.index) { n += 1 }
        return n
    }

    func opening(_ object: SyntaxNode) -> Range<Int> {
        let start = object.range.lowerBound
        return start..<min(start + 1, object.range.upperBound)
    }

    func checkRequired(_ set: RequiredSet, _ s: Int32, _ instance: SyntaxNode) -> Bool {
        let n = set.names.count
        // A bit set while there are at most 64 names (the usual case), an array beyond.
        var bits: UInt64 = 0
        var found: [Bool] = n > 64 ? [Bool](repeating: false, count: n) : []
        var remaining = n
        for member in instance.members where member.key.kind == .string {
            guard let found32 = withKey(member.key, { set.table.lookup($0) }) else { continue }
            let k = Int(found32)
            if n <= 64 {
                if bits & (1 << UInt64(k)) != 0 { continue }
                bits |= 1 << UInt64(k)
            } else {
                if found[k] { continue }
                found[k] = true
            }
            remaining -= 1
            if remaining == 0 { return true }
        }
        if !collecting { return false }
        for k in 0..<n where n <= 64 ? bits & (1 << UInt64(k)) == 0 : !found[k] {
            var message = "missing required property `\(set.names[k])`"
            if let title = set.titles[k], !title.isEmpty { message += " (\(title))" }
            report(s, "required", instance, range: opening(instance), message)
        }
        return false
    }

    func checkProperties(_ rules: PropertyRules, _ s: Int32, _ instance: SyntaxNode, _ track: Evaluated?) -> Bool {
        var valid = true
        let hasPatterns = !rules.patterns.isEmpty
        for member in instance.members {
            let key = member.key
            guard key.kind == .string else { continue }
            if !shadowed.isEmpty && shadowed.contains(key.index) { continue }
            var matched = false
            if let k = withKey(key, { rules.table.lookup($0) }) {
                matched = true
                let schema = rules.schemas[Int(k)]
                if isFalse(schema) {
                    valid = false
                    report(schema, nil, member.value, code: "additional-property", range: key.range,
                           "property `\(member.name)` is not allowed")
                    if !collecting { return false }
                } else if !eval(schema, member.value, nil) {
                    valid = false
                    if !collecting { return false }
                }
            }
            if hasPatterns {
                for (regex, schema) in rules.patterns where withKey(key, { regex.matches(utf8: $0) }) {
                    matched = true
                    if !eval(schema, member.value, nil) {
                        valid = false
                        if !collecting { return false }
                    }
                }
            }
            if !matched, let additional = rules.additional {
                matched = true
                if isFalse(additional) {
                    valid = false
                    var message = "property `\(member.name)` is not allowed"
                    if !rules.names.isEmpty {
                        if let suggestion = Messages.closest(member.name, in: rules.names) {
                            message += "; did you mean `\(suggestion)`?"
                        }
                    }
                    report(additional, nil, member.value, code: "additional-property", range: key.range, message)
                    if !collecting { return false }
                } else if !eval(additional, member.value, nil) {
                    valid = false
                    if !collecting { return false }
                }
            }
            if matched, let track { track.properties.insert(key.index) }
        }
        return valid
    }

    func allowedValues(_ set: ValueSet) -> [AllowedValue] {
        (0..<set.count).map { AllowedValue(json: set.texts[$0], title: set.titles[$0], description: set.descriptions[$0]) }
    }

    /// Reports why no branch of an `anyOf`/`oneOf` matched: the errors of the branch that got furthest,
    /// or, when every branch wants another type, one error listing the types.
    func reportBranches(_ branches: [Int32], _ s: Int32, _ keyword: String, _ instance: SyntaxNode) -> Bool {
        var outcomes: [[PendingError]] = []
        let saved = errors
        for b in branches {
            errors = []
            _ = eval(b, instance, nil)
            outcomes.append(errors)
        }
        errors = saved
        func wrongType(_ list: [PendingError]) -> Bool {
            list.contains { $0.instance.index == instance.index && ($0.code == "type" || $0.code == "const" || $0.code == "enum") }
        }
        let relevant = outcomes.indices.filter { !outcomes[$0].isEmpty && !wrongType(outcomes[$0]) }
        if relevant.isEmpty {
            var types: TypeMask = []
            for list in outcomes { for e in list where e.instance.index == instance.index { types.formUnion(e.expectedTypes) } }
            var allowed: [AllowedValue] = []
            for list in outcomes { for e in list where e.instance.index == instance.index { allowed += e.allowed } }
            if !types.isEmpty && allowed.isEmpty {
                return report(s, keyword, instance, "expected \(Messages.typeList(types)), found \(Messages.describe(instance))")
            }
            return report(s, keyword, instance,
                          "\(Messages.describe(instance)) matches none of the \(branches.count) alternatives", allowed: allowed)
        }
        // The branch whose errors sit deepest got furthest; among those, the one with the fewest errors.
        func depthOf(_ list: [PendingError]) -> Int { list.map { $0.instance.depth }.max() ?? 0 }
        let best = relevant.max { a, b in
            let da = depthOf(outcomes[a]), db = depthOf(outcomes[b])
            if da != db { return da < db }
            return outcomes[a].count > outcomes[b].count
        }!
        for e in outcomes[best] {
            if errors.count >= options.maxCollectedErrors { overflow += 1 } else { errors.append(e) }
        }
        return false
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
