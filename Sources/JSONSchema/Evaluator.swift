import JSONSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The instance locations a schema evaluated, for `unevaluatedProperties` / `unevaluatedItems`.
final class Evaluated {
    var properties: Set<Int> = []  // key node indices
    var allProperties = false
    var items: Set<Int> = []  // element positions
    var prefix = 0
    var allItems = false

    func merge(_ other: Evaluated) {
        if other.allProperties { allProperties = true } else { properties.formUnion(other.properties) }
        if other.allItems {
            allItems = true
        } else {
            prefix = max(prefix, other.prefix)
            items.formUnion(other.items)
        }
    }

    func isEvaluated(item k: Int) -> Bool { allItems || k < prefix || items.contains(k) }
}

/// An error as first recorded, before pointers are computed.
struct PendingError {
    var code: String
    /// The instance node's index in the validated tree.
    var instance: Int
    var range: Range<Int>
    var keywordPath: [String]
    var absolute: String
    var message: String
    var allowed: [AllowedValue] = []
    /// For `type` errors: the types the keyword wanted (to merge alternatives' wishes into one message).
    var expectedTypes: TypeMask = []
    /// `ValidationError.property`, `.suggestion` and `.pattern`.
    var property: String? = nil
    var suggestion: String? = nil
    var pattern: String? = nil
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
///
/// Instances are node indices into the tree's borrowed node storage (`st`), so visiting a node costs no
/// reference counting; `SyntaxNode` handles are made only to word error messages.
final class Evaluator {
    let program: Program
    let nodes: [SchemaNode]
    let tree: SyntaxTree
    let st: NodeStorage
    let buf: UnsafeBufferPointer<UInt8>
    let options: ValidationOptions
    @exclusivity(unchecked) var collecting = true
    @exclusivity(unchecked) var errors: [PendingError] = []
    @exclusivity(unchecked) var overflow = 0
    @exclusivity(unchecked) var depth = 0
    /// `$ref`-style hops taken: from node, to node, and the index of the keyword (in `operations`) taken.
    /// A plain buffer (grown by doubling) rather than an array: pushed and popped on every `$ref`.
    @exclusivity(unchecked) var frames: UnsafeMutablePointer<Frame>
    @exclusivity(unchecked) var frameCount = 0
    @exclusivity(unchecked) var frameCapacity = 32
    struct Frame {
        var from: Int32
        var to: Int32
        var keyword: Int32
    }
    @exclusivity(unchecked) var scope: [Int32] = []
    let tracksScope: Bool
    /// Below this depth neither the depth limit nor the stack guard can stop evaluation.
    let depthChecksFrom: Int
    /// Key node indices of members hidden by a later member with the same key.
    @exclusivity(unchecked) var shadowed: Set<Int> = []
    /// Computed when evaluation first gets deep (finding the stack's bounds is not free).
    @exclusivity(unchecked) var stackLimit: UInt?
    @exclusivity(unchecked) var depthExceeded = false
    /// Set whenever evaluation reaches the depth where the depth limit or the stack guard may stop it (a
    /// subtree evaluated that deep is not memoised).
    @exclusivity(unchecked) var deepSeen = false

    /// The memo of a validation with one (`validate(_:memo:)`); `memoising` says whether there is one.
    @exclusivity(unchecked) var memo = MemoState()
    @exclusivity(unchecked) var memoising = false
    @exclusivity(unchecked) var memoMinimumBytes = Int.max
    /// Indices of nodes that are errors, missing, malformed, unterminated or stray, in order: subtrees
    /// holding one are not memoised.
    @exclusivity(unchecked) var badNodes: [Int] = []

    let hot: UnsafeBufferPointer<HotNode>
    let operations: UnsafeBufferPointer<Operation>
    let instructions: UnsafeBufferPointer<Instruction>
    let lists: UnsafeBufferPointer<Int32>

    init(
        program: Program, tree: SyntaxTree, storage: NodeStorage, hot: UnsafeBufferPointer<HotNode>,
        operations: UnsafeBufferPointer<Operation>, instructions: UnsafeBufferPointer<Instruction>,
        lists: UnsafeBufferPointer<Int32>, options: ValidationOptions
    ) {
        self.program = program
        self.hot = hot
        self.operations = operations
        self.instructions = instructions
        self.lists = lists
        self.frames = .allocate(capacity: frameCapacity)
        self.nodes = program.nodes
        self.tree = tree
        self.st = storage
        self.buf = storage.bytes
        self.options = options
        self.tracksScope = program.usesDynamicScope
        self.depthChecksFrom = options.maxEvaluationDepth < 64 ? options.maxEvaluationDepth + 1 : 64
    }

    deinit { frames.deallocate() }

    /// A handle on instance node `i`, for messages (never on the success path).
    func node(_ i: Int) -> SyntaxNode { tree.node(atIndex: i) }

    // MARK: Errors

    func evaluationPath(_ s: Int32, _ extra: [String]) -> [String] {
        var tokens: [String] = []
        var previous = program.root
        for frame in UnsafeBufferPointer(start: frames, count: frameCount) {
            tokens += nodes[Int(frame.from)].documentPointer.dropFirst(nodes[Int(previous)].documentPointer.count)
            tokens.append(program.keywordNames[Int(frame.keyword)])
            previous = frame.to
        }
        tokens += nodes[Int(s)].documentPointer.dropFirst(nodes[Int(previous)].documentPointer.count)
        return tokens + extra
    }

    @discardableResult
    func report(
        _ s: Int32, _ keyword: String?, _ instance: Int, code: String? = nil, range: Range<Int>? = nil,
        _ message: @autoclosure () -> String, allowed: @autoclosure () -> [AllowedValue] = [],
        expected: TypeMask = [], property: @autoclosure () -> String? = nil, suggestion: @autoclosure () -> String? = nil,
        pattern: @autoclosure () -> String? = nil
    ) -> Bool {
        guard collecting else { return false }
        if errors.count >= options.maxCollectedErrors {
            overflow += 1
            return false
        }
        let extra = keyword.map { [$0] } ?? []
        var absolute = nodes[Int(s)].absoluteLocation
        if let keyword {
            absolute += "/" + URIReference.encodeFragment(keyword.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1"))
        }
        errors.append(
            PendingError(
                code: code ?? keyword ?? "false-schema", instance: instance, range: range ?? st.range(instance),
                keywordPath: evaluationPath(s, extra), absolute: absolute, message: message(), allowed: allowed(),
                expectedTypes: expected, property: property(), suggestion: suggestion(), pattern: pattern()))
        return false
    }

    // MARK: Evaluation

    /// Evaluates schema `s` against instance node `instance`; records into `track` what it evaluated.
    func eval(_ s: Int32, _ instance: Int, _ track: Evaluated?) -> Bool {
        let kind = st.kind(instance)
        if kind == .error || kind == .missing { return true }  // the parser already reported it
        var s = s
        var node = hot[Int(s)]
        // A schema whose only keyword is `$ref` hands the instance to its target: take such hops here,
        // doing what evaluating the schema would (a depth level, a frame), without a call per hop. Not
        // with dynamic scope, where each hop's resource must join the scope.
        var depthHops = 0, frameHops = 0
        defer {
            depth -= depthHops
            frameCount -= frameHops
        }
        if !tracksScope {
            while node.count == 1 && node.flags == 0, case .ref(let target) = instructions[Int(node.first)] {
                depth += 1
                depthHops += 1
                if stopsAtDepthLimit(s, instance) { return false }
                pushFrame(s, target, Int(node.first))
                frameHops += 1
                s = target
                node = hot[Int(target)]
            }
        }
        if node.flags & HotNode.isFalse != 0 {
            return report(s, nil, instance, code: "false-schema", "no value is allowed here")
        }
        if node.count == 0 { return true }
        depth += 1
        defer { depth -= 1 }
        if stopsAtDepthLimit(s, instance) { return false }
        let tracks = node.flags & HotNode.tracksEvaluation != 0
        let first = Int(node.first)
        if !tracksScope && !tracks && track == nil {
            // The common case, without tracking: no reference to retain and release per visit.
            var valid = true
            for k in first..<(first + Int(node.count)) where !apply(k, s, instance, kind, nil) {
                valid = false
                if !collecting { return false }
            }
            return valid
        }
        var pushed = false
        if tracksScope && scope.last != node.resource {
            scope.append(node.resource)
            pushed = true
        }
        defer { if pushed { scope.removeLast() } }
        let local: Evaluated? = tracks ? Evaluated() : track
        var valid = true
        for k in first..<(first + Int(node.count)) {
            if !apply(k, s, instance, kind, local) {
                valid = false
                if !collecting { return false }
            }
        }
        if tracks, let track, let local, valid { track.merge(local) }
        return valid
    }

    /// Whether evaluation at the current `depth` (just entered for schema `s`) must stop: past the
    /// configured depth or near the end of the thread's stack. Reports the first time.
    @inline(__always)
    func stopsAtDepthLimit(_ s: Int32, _ instance: Int) -> Bool {
        depth >= depthChecksFrom && depthLimitReached(s, instance)
    }

    @inline(never)
    func depthLimitReached(_ s: Int32, _ instance: Int) -> Bool {
        deepSeen = true
        guard depth > options.maxEvaluationDepth || (depth >= 64 && depth & 7 == 0 && StackGuard.current() < guardLimit()) else {
            return false
        }
        if !depthExceeded {
            depthExceeded = true
            report(
                s, nil, instance, code: "depth-limit",
                depth > options.maxEvaluationDepth
                    ? "the schema nests deeper than \(options.maxEvaluationDepth) levels here; validation stopped"
                    : "the document nests too deeply to validate on this thread's stack; validation stopped")
        }
        return true
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
    func test(_ s: Int32, _ instance: Int, _ track: Evaluated?) -> Bool {
        if !collecting { return eval(s, instance, track) }
        collecting = false
        defer { collecting = true }
        return eval(s, instance, track)
    }

    func follow(_ from: Int32, _ to: Int32, _ keyword: Int, _ instance: Int, _ track: Evaluated?) -> Bool {
        pushFrame(from, to, keyword)
        defer { frameCount -= 1 }
        return eval(to, instance, track)
    }

    @inline(__always)
    func pushFrame(_ from: Int32, _ to: Int32, _ keyword: Int) {
        if frameCount == frameCapacity {
            let larger = UnsafeMutablePointer<Frame>.allocate(capacity: frameCapacity * 2)
            larger.moveInitialize(from: frames, count: frameCount)
            frames.deallocate()
            frames = larger
            frameCapacity *= 2
        }
        frames[frameCount] = Frame(from: from, to: to, keyword: Int32(keyword))
        frameCount += 1
    }

    /// Runs keyword `k` of schema `s`: its fast form when it has one, else the general form. A fast form
    /// that fails (`break`) hands over to the general form to word the errors when they are collected.
    @inline(__always)
    func apply(_ k: Int, _ s: Int32, _ instance: Int, _ kind: SyntaxKind, _ track: Evaluated?) -> Bool {
        switch instructions[k] {
        case .general:
            return applyGeneral(k, s, instance, kind, track)
        case .type(let mask):
            // Every kind but number answers from one bit (numbers may need their value for `integer`).
            let bit = Evaluator.typeBit(kind)
            if bit != 0 ? mask.rawValue & bit != 0 : matches(mask, instance, kind) { return true }
        case .valueSet(let set):
            if set._withUnsafeGuaranteedRef({ $0.contains(instance, st, tree) }) { return true }
        case .minLength(let n):
            if kind != .string { return true }
            // Valid UTF-8 spends at most 4 bytes on a code point: long enough strings need no counting.
            if st.isPlainWellFormedString(instance) && st.end(instance) - st.start(instance) - 2 >= 4 * n { return true }
            if stringLength(instance) >= n { return true }
        case .maxLength(let n):
            if kind != .string { return true }
            // Each counted character has at least one byte.
            if st.isPlainString(instance) && st.end(instance) - st.start(instance) - 2 <= n { return true }
            if stringLength(instance) <= n { return true }
        case .pattern(let regex):
            if kind != .string || withKey(instance, { text in regex._withUnsafeGuaranteedRef { $0.matches(utf8: text) } }) {
                return true
            }
        case .minItems(let n):
            if kind != .array || st.elements(of: instance).count >= n { return true }
        case .maxItems(let n):
            if kind != .array || st.elements(of: instance).count <= n { return true }
        case .uniqueItems:
            if kind != .array || distinctPlainStrings(instance) { return true }
            // The shortcut only proves uniqueness; otherwise decide in full, even when not collecting.
            return applyGeneral(k, s, instance, kind, track)
        case .minProperties(let n):
            if kind != .object || propertyCount(instance, stoppingAt: n) >= n { return true }
        case .maxProperties(let n):
            if kind != .object || propertyCount(instance) <= n { return true }
        case .required(let set):
            guard kind == .object else { return true }
            return set._withUnsafeGuaranteedRef { checkRequired($0, s, instance) }
        case .properties(let rules):
            guard kind == .object else { return true }
            return rules._withUnsafeGuaranteedRef { checkProperties($0, s, instance, track) }
        case .items(let t):
            guard kind == .array else { return true }
            guard !isFalse(t) else { return applyGeneral(k, s, instance, kind, track) }
            var valid = true
            for element in st.elements(of: instance) where !evalChild(t, element) {
                valid = false
                if !collecting { return false }
            }
            if let track { track.allItems = true }
            return valid
        case .ref(let t):
            return follow(s, t, k, instance, track)
        case .allOf(let first, let count):
            var valid = true
            for b in lists[Int(first)..<Int(first + count)] where !eval(b, instance, track) {
                valid = false
                if !collecting { return false }
            }
            return valid
        case .anyOf(let first, let count):
            guard track == nil else { return applyGeneral(k, s, instance, kind, track) }
            let branches = lists[Int(first)..<Int(first + count)]
            for b in branches where test(b, instance, nil) { return true }
            if !collecting { return false }
            return reportBranches(Array(branches), s, "anyOf", instance)
        case .oneOf(let first, let count):
            guard track == nil else { return applyGeneral(k, s, instance, kind, track) }
            var passing = 0
            for b in lists[Int(first)..<Int(first + count)] where test(b, instance, nil) { passing += 1 }
            if passing == 1 { return true }
        case .not(let t):
            if !test(t, instance, nil) { return true }
        }
        if !collecting { return false }
        return applyGeneral(k, s, instance, kind, track)
    }

    @inline(never)
    func applyGeneral(_ k: Int, _ s: Int32, _ instance: Int, _ kind: SyntaxKind, _ track: Evaluated?) -> Bool {
        switch operations[k] {
        case .type(let mask):
            if matches(mask, instance, kind) { return true }
            if !collecting { return false }
            return report(
                s, "type", instance, "expected \(Messages.typeList(mask)), found \(Messages.describe(node(instance)))",
                expected: mask)

        case .enumeration(let set, let fromBranches):
            if set.contains(instance, st, tree) { return true }
            if !collecting { return false }
            if node(instance).containsErrors { return true }
            return report(
                s, program.keywordNames[k], instance, code: fromBranches ? "enum" : nil,
                Messages.notAllowed(node(instance), set, title: nodes[Int(s)].title), allowed: allowedValues(set))

        case .const(let set):
            if set.contains(instance, st, tree) { return true }
            if !collecting { return false }
            if node(instance).containsErrors { return true }
            return report(
                s, "const", instance, "expected \(set.texts[0]), found \(Messages.quoted(node(instance)))",
                allowed: allowedValues(set))

        case .minLength(let n):
            guard kind == .string else { return true }
            let length = stringLength(instance)
            if length >= n { return true }
            return report(
                s, "minLength", instance,
                "text is too short: \(length) \(Messages.plural(length, "character")), at least \(n) required")

        case .maxLength(let n):
            guard kind == .string else { return true }
            let length = stringLength(instance)
            if length <= n { return true }
            return report(
                s, "maxLength", instance,
                "text is too long: \(length) \(Messages.plural(length, "character")), at most \(n) allowed")

        case .pattern(let regex):
            guard kind == .string else { return true }
            if withKey(instance, { regex.matches(utf8: $0) }) { return true }
            return report(
                s, "pattern", instance, "\(Messages.quoted(node(instance))) does not match the pattern `\(regex.source)`",
                pattern: regex.source)

        case .format(let format):
            guard kind == .string else { return true }
            if format.check(node(instance).stringValue ?? "") { return true }
            return report(
                s, "format", instance, "\(Messages.quoted(node(instance))) is not \(format.example) (format `\(format.rawValue)`)"
            )

        case .minimum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, st).compare(bound) >= 0 { return true }
            return report(s, "minimum", instance, "\(node(instance).sourceText) is less than the minimum \(bound.text)")

        case .maximum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, st).compare(bound) <= 0 { return true }
            return report(s, "maximum", instance, "\(node(instance).sourceText) is greater than the maximum \(bound.text)")

        case .exclusiveMinimum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, st).compare(bound) > 0 { return true }
            return report(s, "exclusiveMinimum", instance, "\(node(instance).sourceText) must be greater than \(bound.text)")

        case .exclusiveMaximum(let bound):
            guard kind == .number else { return true }
            if InstanceNumber(instance, st).compare(bound) < 0 { return true }
            return report(s, "exclusiveMaximum", instance, "\(node(instance).sourceText) must be less than \(bound.text)")

        case .multipleOf(let divisor):
            guard kind == .number else { return true }
            let number = InstanceNumber(instance, st)
            let ok: Bool
            if let a = number.int, let b = divisor.int {
                ok = a % b == 0
            } else if let small = SmallDecimal(number.lexeme), let multiple = NumberMath.isMultiple(small, of: divisor.exact) {
                ok = multiple
            } else if let d = decimal(instance) {
                ok = NumberMath.isMultiple(d, of: divisor.exact)
            } else {
                ok = true
            }
            if ok { return true }
            return report(s, "multipleOf", instance, "\(node(instance).sourceText) is not a multiple of \(divisor.text)")

        case .minItems(let n):
            guard kind == .array else { return true }
            let count = st.elements(of: instance).count
            if count >= n { return true }
            return report(
                s, "minItems", instance, "the list has \(count) \(Messages.plural(count, "item")), at least \(n) required")

        case .maxItems(let n):
            guard kind == .array else { return true }
            let count = st.elements(of: instance).count
            if count <= n { return true }
            return report(
                s, "maxItems", instance, "the list has \(count) \(Messages.plural(count, "item")), at most \(n) allowed")

        case .uniqueItems:
            guard kind == .array else { return true }
            return checkUnique(s, instance)

        case .minProperties(let n):
            guard kind == .object else { return true }
            let count = propertyCount(instance)
            if count >= n { return true }
            return report(
                s, "minProperties", instance,
                "the object has \(count) \(Messages.plural(count, "property")), at least \(n) required")

        case .maxProperties(let n):
            guard kind == .object else { return true }
            let count = propertyCount(instance)
            if count <= n { return true }
            return report(
                s, "maxProperties", instance,
                "the object has \(count) \(Messages.plural(count, "property")), at most \(n) allowed")

        case .required(let set):
            guard kind == .object else { return true }
            return checkRequired(set, s, instance)

        case .dependentRequired(let rules):
            guard kind == .object else { return true }
            var valid = true
            for rule in rules where has(instance, rule.name) {
                for name in rule.required where !has(instance, name) {
                    valid = false
                    report(
                        s, program.keywordNames[k], instance, range: opening(instance),
                        "missing property `\(name)`, required when `\(rule.name)` is present", property: name)
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
            for (key, _) in st.members(of: instance) where st.kind(key) == .string {
                if !eval(t, key, nil) {
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
            for element in st.elements(of: instance) {
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
                    report(
                        schema, nil, element, code: "additional-item",
                        "item \(k) is not allowed: the list may have at most \(prefix.count) \(Messages.plural(prefix.count, "item"))"
                    )
                    if !collecting { return false }
                } else if !evalChild(schema, element) {
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
            for element in st.elements(of: instance) {
                if test(t, element, nil) {
                    matched += 1
                    track?.items.insert(k)
                    if track == nil && maximum == nil && matched >= minimum { return true }
                }
                k += 1
            }
            if matched < minimum {
                return report(
                    s, "contains", instance,
                    minimum == 1
                        ? "the list has no item matching the `contains` schema"
                        : "the list has \(matched) matching \(Messages.plural(matched, "item")), at least \(minimum) required")
            }
            if let maximum, matched > maximum {
                return report(s, "contains", instance, "the list has \(matched) matching items, at most \(maximum) allowed")
            }
            return true

        case .ref(let t):
            return follow(s, t, k, instance, track)

        case .dynamicRef(let t, let anchor):
            var target = t
            for resource in scope {
                if let a = program.resources[Int(resource)].dynamicAnchors[anchor] {
                    target = a
                    break
                }
            }
            return follow(s, target, k, instance, track)

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
            return report(
                s, "oneOf", instance,
                "\(Messages.describe(node(instance))) matches \(passing.count) of the alternatives (\(passing.map(String.init).joined(separator: ", "))) but must match exactly one"
            )

        case .not(let t):
            if !test(t, instance, nil) { return true }
            return report(s, "not", instance, "\(Messages.describe(node(instance))) matches a schema it must not match")

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
            for (key, value) in st.members(of: instance) where st.kind(key) == .string && !track.properties.contains(key) {
                if isFalse(t) {
                    valid = false
                    report(
                        t, nil, value, code: "unevaluated-property", range: st.range(key),
                        "property `\(name(key))` is not allowed here", property: name(key))
                    if !collecting { return false }
                } else if !eval(t, value, nil) {
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
            for (k, element) in st.elements(of: instance).enumerated() where !track.isEvaluated(item: k) {
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

    // MARK: Memo

    /// Evaluates schema `s` against an array item or member value (no `unevaluated*` tracking from the
    /// parent), through the memo when there is one and the subtree is large enough to pay.
    @inline(__always)
    func evalChild(_ s: Int32, _ instance: Int) -> Bool {
        if memoising && collecting && st.end(instance) - st.start(instance) >= memoMinimumBytes {
            return evalMemoised(s, instance)
        }
        return eval(s, instance, nil)
    }

    /// Whether the evaluation path at `s` ends in `s`'s own location (its pointer extends that of the last
    /// `$ref` target), so the paths of errors found below `s` are this path plus a part that depends only on
    /// `s` and the subtree: what lets a memoised subtree's errors be re-based on another path.
    @inline(__always)
    func pathExtends(_ s: Int32) -> Bool {
        let previous = frameCount > 0 ? frames[frameCount - 1].to : program.root
        return nodes[Int(previous)].documentPointer.count <= nodes[Int(s)].documentPointer.count
    }

    /// Whether a node in `instance`'s subtree is an error, missing, malformed, unterminated or stray.
    func subtreeHasBadNode(_ instance: Int) -> Bool {
        if badNodes.isEmpty { return false }
        // The first bad node at or after `instance`.
        var low = 0, high = badNodes.count
        while low < high {
            let mid = (low + high) / 2
            if badNodes[mid] < instance { low = mid + 1 } else { high = mid }
        }
        return low < badNodes.count && badNodes[low] < st.next(instance)
    }

    @inline(never)
    func evalMemoised(_ s: Int32, _ instance: Int) -> Bool {
        let kind = st.kind(instance)
        guard kind == .object || kind == .array, pathExtends(s), !subtreeHasBadNode(instance) else {
            return eval(s, instance, nil)
        }
        let range = st.range(instance)
        let nodeCount = st.next(instance) - instance
        let key = MemoState.Key(schema: s, offset: range.lowerBound)
        if let entry = memo.unchangedEntry(schema: s, range: range, nodeCount: nodeCount), depth <= entry.depth {
            memo.next[key] = entry
            memo.reused += 1
            replay(entry, s, instance)
            return entry.valid
        }
        let errorsBefore = errors.count, overflowBefore = overflow, deepBefore = deepSeen
        deepSeen = false
        let valid = eval(s, instance, nil)
        let deep = deepSeen
        deepSeen = deepBefore || deep
        guard !deep, overflow == overflowBefore, errors.count >= errorsBefore else { return valid }
        if memo.next[key] == nil && memo.next.count >= ValidationMemo.maxEntries { return valid }
        var recorded: [PendingError] = []
        if errors.count > errorsBefore {
            let path = evaluationPath(s, [])
            recorded.reserveCapacity(errors.count - errorsBefore)
            for var e in errors[errorsBefore...] {
                guard e.keywordPath.starts(with: path),
                    range.contains(e.range.lowerBound) || e.range.lowerBound == range.upperBound,
                    e.range.upperBound <= range.upperBound, e.instance >= instance, e.instance < instance + nodeCount
                else {
                    return valid
                }
                e.keywordPath.removeFirst(path.count)
                e.instance -= instance
                e.range = (e.range.lowerBound - range.lowerBound)..<(e.range.upperBound - range.lowerBound)
                recorded.append(e)
            }
        }
        memo.next[key] = MemoState.Entry(length: range.count, nodeCount: nodeCount, depth: depth, valid: valid, errors: recorded)
        return valid
    }

    /// Appends a memoised subtree's errors, re-based on `instance`, as evaluating it would have.
    func replay(_ entry: MemoState.Entry, _ s: Int32, _ instance: Int) {
        if entry.errors.isEmpty { return }
        let path = evaluationPath(s, [])
        let start = st.start(instance)
        for e in entry.errors {
            if errors.count >= options.maxCollectedErrors {
                overflow += 1
                continue
            }
            var rebased = e
            rebased.instance += instance
            rebased.range = (e.range.lowerBound + start)..<(e.range.upperBound + start)
            rebased.keywordPath = path + e.keywordPath
            errors.append(rebased)
        }
    }

    // MARK: Keyword helpers

    /// The decoded name of a key node (empty for an error or missing key), for messages.
    func name(_ key: Int) -> String { node(key).stringValue ?? "" }

    /// A number node's exact decimal value.
    func decimal(_ instance: Int) -> ExactDecimal? {
        guard st.kind(instance) == .number else { return nil }
        return ExactDecimal(lexeme: buf[st.range(instance)])
    }

    /// The `TypeMask` bit of an instance kind; 0 for numbers (and kinds never validated).
    @inline(__always)
    static func typeBit(_ kind: SyntaxKind) -> UInt8 {
        switch kind {
        case .object: TypeMask.object.rawValue
        case .array: TypeMask.array.rawValue
        case .string: TypeMask.string.rawValue
        case .true, .false: TypeMask.boolean.rawValue
        case .null: TypeMask.null.rawValue
        default: 0
        }
    }

    func matches(_ mask: TypeMask, _ instance: Int, _ kind: SyntaxKind) -> Bool {
        switch kind {
        case .object: return mask.contains(.object)
        case .array: return mask.contains(.array)
        case .string: return mask.contains(.string)
        case .number:
            if mask.contains(.number) { return true }
            guard mask.contains(.integer) else { return false }
            if st.hasIntegerLexeme(instance) { return true }
            if let small = SmallDecimal(UnsafeBufferPointer(rebasing: buf[st.range(instance)])) { return small.isInteger }
            return decimal(instance)?.isInteger ?? true
        case .true, .false: return mask.contains(.boolean)
        case .null: return mask.contains(.null)
        default: return true
        }
    }

    /// A string's length in Unicode code points, as JSON Schema counts it.
    func stringLength(_ instance: Int) -> Int {
        if st.isPlainString(instance) {
            let r = st.range(instance)
            if st.isASCII(instance) { return r.count - 2 }
            var n = 0
            for k in (r.lowerBound + 1)..<(r.upperBound - 1) where buf[k] & 0xC0 != 0x80 { n += 1 }
            return n
        }
        return node(instance).stringValue?.unicodeScalars.count ?? 0
    }

    /// The decoded bytes of a string or key node (borrowed when it has no escapes).
    @inline(__always)
    func withKey<R>(_ key: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if st.isPlainString(key) {
            let r = st.range(key)
            return body(UnsafeBufferPointer(rebasing: buf[(r.lowerBound + 1)..<(r.upperBound - 1)]))
        }
        var bytes = Array((node(key).stringValue ?? "").utf8)
        return bytes.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
    }

    func has(_ object: Int, _ name: String) -> Bool {
        var target = name
        return target.withUTF8 { wanted in
            for (key, _) in st.members(of: object) where st.kind(key) == .string {
                let equal = withKey(key) { $0.count == wanted.count && $0.elementsEqual(wanted) }
                if equal { return true }
            }
            return false
        }
    }

    /// The number of properties (members with a string key, repeated keys counted once), or `limit`
    /// when there are at least that many.
    func propertyCount(_ object: Int, stoppingAt limit: Int = .max) -> Int {
        var n = 0
        for (key, _) in st.members(of: object) where st.kind(key) == .string && (shadowed.isEmpty || !shadowed.contains(key)) {
            n += 1
            if n >= limit { return n }
        }
        return n
    }

    func opening(_ object: Int) -> Range<Int> {
        let r = st.range(object)
        return r.lowerBound..<min(r.lowerBound + 1, r.upperBound)
    }

    /// True when the array holds at most 16 items, all strings whose bytes are their value, no two equal
    /// (so `uniqueItems` holds without working out canonical keys). False says nothing.
    func distinctPlainStrings(_ array: Int) -> Bool {
        var items: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &items) { raw -> Bool in
            let seen = raw.bindMemory(to: Int.self)
            var n = 0
            for element in st.elements(of: array) {
                guard n < seen.count, st.kind(element) == .string, st.isPlainWellFormedString(element) else { return false }
                let a = st.range(element)
                for k in 0..<n {
                    let b = st.range(seen[k])
                    if a.count == b.count
                        && memcmp(buf.baseAddress! + a.lowerBound, buf.baseAddress! + b.lowerBound, a.count) == 0
                    {
                        return false
                    }
                }
                seen[n] = element
                n += 1
            }
            return true
        }
    }

    func checkUnique(_ s: Int32, _ instance: Int) -> Bool {
        var seen: [[UInt8]: Int] = [:]
        for (k, element) in st.elements(of: instance).enumerated() {
            guard let key = CanonicalValue.key(node(element)) else { continue }
            if let first = seen[key] {
                return report(s, "uniqueItems", instance, "items \(first) and \(k) are equal; the items must be unique")
            }
            seen[key] = k
        }
        return true
    }

    func checkRequired(_ set: RequiredSet, _ s: Int32, _ instance: Int) -> Bool {
        let n = set.names.count
        // A bit set while there are at most 64 names (the usual case), an array beyond.
        var bits: UInt64 = 0
        var found: [Bool] = n > 64 ? [Bool](repeating: false, count: n) : []
        var remaining = n
        for (key, _) in st.members(of: instance) where st.kind(key) == .string {
            guard let found32 = withKey(key, { set.table.lookup($0) }) else { continue }
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
            report(s, "required", instance, range: opening(instance), message, property: set.names[k])
        }
        return false
    }

    func checkProperties(_ rules: PropertyRules, _ s: Int32, _ instance: Int, _ track: Evaluated?) -> Bool {
        var valid = true
        let hasPatterns = !rules.patterns.isEmpty
        for (key, value) in st.members(of: instance) {
            guard st.kind(key) == .string else { continue }
            if !shadowed.isEmpty && shadowed.contains(key) { continue }
            var matched = false
            if let k = withKey(key, { rules.table.lookup($0) }) {
                matched = true
                let schema = rules.schemas[Int(k)]
                if isFalse(schema) {
                    valid = false
                    report(
                        schema, nil, value, code: "additional-property", range: st.range(key),
                        "property `\(name(key))` is not allowed", property: name(key))
                    if !collecting { return false }
                } else if !evalChild(schema, value) {
                    valid = false
                    if !collecting { return false }
                }
            }
            if hasPatterns {
                for (regex, schema) in rules.patterns where withKey(key, { regex.matches(utf8: $0) }) {
                    matched = true
                    if !evalChild(schema, value) {
                        valid = false
                        if !collecting { return false }
                    }
                }
            }
            if !matched, let additional = rules.additional {
                matched = true
                if isFalse(additional) {
                    valid = false
                    if collecting {
                        var message = "property `\(name(key))` is not allowed"
                        let suggestion = rules.names.isEmpty ? nil : Messages.closest(name(key), in: rules.names)
                        if let suggestion { message += "; did you mean `\(suggestion)`?" }
                        report(
                            additional, nil, value, code: "additional-property", range: st.range(key), message,
                            property: name(key), suggestion: suggestion)
                    }
                    if !collecting { return false }
                } else if !evalChild(additional, value) {
                    valid = false
                    if !collecting { return false }
                }
            }
            if matched, let track { track.properties.insert(key) }
        }
        return valid
    }

    func allowedValues(_ set: ValueSet) -> [AllowedValue] {
        (0..<set.count).map { AllowedValue(json: set.texts[$0], title: set.titles[$0], description: set.descriptions[$0]) }
    }

    /// Reports why no branch of an `anyOf`/`oneOf` matched: the errors of the branch that got furthest,
    /// or, when every branch wants another type, one error listing the types.
    @inline(never)
    func reportBranches(_ branches: [Int32], _ s: Int32, _ keyword: String, _ instance: Int) -> Bool {
        var outcomes: [[PendingError]] = []
        let saved = errors
        for b in branches {
            errors = []
            _ = eval(b, instance, nil)
            outcomes.append(errors)
        }
        errors = saved
        func wrongType(_ list: [PendingError]) -> Bool {
            list.contains { $0.instance == instance && ($0.code == "type" || $0.code == "const" || $0.code == "enum") }
        }
        let relevant = outcomes.indices.filter { !outcomes[$0].isEmpty && !wrongType(outcomes[$0]) }
        if relevant.isEmpty {
            var types: TypeMask = []
            for list in outcomes { for e in list where e.instance == instance { types.formUnion(e.expectedTypes) } }
            var allowed: [AllowedValue] = []
            for list in outcomes { for e in list where e.instance == instance { allowed += e.allowed } }
            if !types.isEmpty && allowed.isEmpty {
                return report(
                    s, keyword, instance, "expected \(Messages.typeList(types)), found \(Messages.describe(node(instance)))")
            }
            return report(
                s, keyword, instance,
                "\(Messages.describe(node(instance))) matches none of the \(branches.count) alternatives", allowed: allowed)
        }
        // The branch whose errors sit deepest got furthest; among those, the one with the fewest errors.
        func depthOf(_ list: [PendingError]) -> Int { list.map { st.depth($0.instance) }.max() ?? 0 }
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
