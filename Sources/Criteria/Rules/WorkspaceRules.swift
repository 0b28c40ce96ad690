import JSONSyntax

// Workspace rules: an agreement against the documents it references (AG-04, AG-05, AG-07, AG-16, AG-20).
// A covered learning opportunity is found by its `id`: at its `path` hint when the document there has that id,
// otherwise among the other documents of the workspace (`WorkspaceContext.entries`).

/// AG-04: each reference leads to a document of the stated kind with the stated id.
struct ReferencedDocumentsResolveRule: WorkspaceRule {
    let criterionID = "AG-04"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        var out: [Finding] = []
        for entry in workspace.entries(of: d) {
            let relative = entry.pathNode?.stringValue
            guard let tree = entry.tree else {
                let idText = entry.id.map { "`\($0)`" } ?? "its id"
                if let pathNode = entry.pathNode, entry.resolvedPath != nil {
                    out.append(
                        d.finding(
                            criterionID, pathNode.range,
                            "no file at `\(relative ?? "")` (looked for \(entry.resolvedPath!)), and no other document checked with the agreement has the id \(idText)"
                        ))
                } else if let idNode = entry.node.value(forKey: "id"), entry.id != nil {
                    out.append(
                        d.finding(
                            criterionID, idNode.range,
                            "no document with the id \(idText) was found among the documents checked with the agreement; give the `path` of its file"
                        ))
                }
                continue
            }
            if let declared = entry.declaredKind, entry.detectedKind != declared {
                out.append(
                    d.finding(
                        criterionID, (entry.pathNode ?? entry.node).range,
                        "`\(relative ?? entry.foundPath ?? "")` is \(entry.detectedKind.map { "a \($0.displayName)" } ?? "not a document ECCOE knows"), not a \(declared.displayName) as `kind` says"
                    ))
                continue
            }
            let actual = tree.root.value(forKey: "id")?.stringValue
            if let idNode = entry.node.value(forKey: "id"), let id = idNode.stringValue, actual != id {
                out.append(
                    d.finding(
                        criterionID, idNode.range,
                        "the document at `\(relative ?? "")` has the id `\(actual ?? "(none)")`, not `\(id)`, and no other document checked with the agreement has the id `\(id)`",
                        fix: actual.map {
                            Fix(title: "Use `\($0)`", edits: [FixEdit(range: idNode.range, newText: JSONValue.string($0).text)])
                        }))
            }
        }
        return out
    }
}

/// AG-05: each referenced document passes the mandatory criteria of its own kind.
struct ReferencedDocumentsMeetMandatoryCriteriaRule: WorkspaceRule {
    let criterionID = "AG-05"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        var out: [Finding] = []
        for entry in workspace.entries(of: d) {
            guard let found = entry.foundPath, let tree = entry.tree, entry.matchesID,
                let kind = entry.detectedKind, kind == .credential || kind == .learningOpportunity
            else { continue }
            let failing = workspace.findings(of: found, tree: tree).compactMap { f -> String? in
                guard let id = f.criterionID, id.hasPrefix(kind.criterionPrefix), d.catalogue[id]?.level == .mandatory else {
                    return nil
                }
                return id
            }
            guard !failing.isEmpty else { continue }
            var unique: [String] = []
            for id in failing where !unique.contains(id) { unique.append(id) }
            let named = unique.map { "\($0) \(d.catalogue[$0]?.title ?? "")" }.joined(separator: "; ")
            let name = entry.pathNode?.stringValue ?? entry.id ?? found
            out.append(
                d.finding(
                    criterionID, (entry.pathNode ?? entry.node.value(forKey: "id") ?? entry.node).range,
                    "the \(kind.displayName) `\(name)` fails \(unique.count) of its mandatory criteria: \(named)"))
        }
        return out
    }
}

/// AG-07: credits recognised do not exceed the credits the referenced document awards.
struct CreditsWithinAwardedRule: WorkspaceRule {
    let criterionID = "AG-07"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        var out: [Finding] = []
        let byKey = workspace.entriesByKey(of: d)
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            guard let key = eq.value(forKey: "learningOpportunity")?.stringValue, let entry = byKey[key],
                let recognised = eq.value(forKey: "creditsRecognised"), let value = recognised.doubleValue,
                let awarded = workspace.awardedCredits(entry)
            else { continue }
            if value > awarded {
                out.append(
                    d.finding(
                        criterionID, recognised.range,
                        "\(value.plain) credits are recognised, but `\(entry.displayName)` awards \(awarded.plain) ECTS credits",
                        fix: Fix(
                            title: "Recognise \(awarded.plain) credits",
                            edits: [FixEdit(range: recognised.range, newText: awarded.plain)])))
            }
        }
        return out
    }

    /// The ECTS credits a learning opportunity's specification or a credential's claim awards.
    static func ectsCredits(_ d: DocumentContext) -> Double? {
        var holders: [(SyntaxNode, String)] = []
        if d.kind == .learningOpportunity {
            holders = d.learningOpportunitySpecifications.map { ($0, "creditPoint") }
        } else {
            for claim in d.claims {
                holders.append((claim, "creditReceived"))
                if let spec = d.value(claim, "specifiedBy") { holders.append((spec, "creditPoint")) }
            }
        }
        for (holder, key) in holders {
            for credit in d.values(holder, key)
            where d.values(credit, "framework").contains(where: { d.conceptIRI($0) == ectsIRI }) {
                if let s = d.values(credit, "point").first?.stringValue, let v = Double(s) { return v }
            }
        }
        return nil
    }
}

/// AG-16: the equivalences of one learning opportunity together recognise no more than its credits.
struct NoDoubleCountingRule: WorkspaceRule {
    let criterionID = "AG-16"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        let byKey = workspace.entriesByKey(of: d)
        var groups: [(key: String, credits: [(node: SyntaxNode, value: Double)])] = []
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            guard let key = eq.value(forKey: "learningOpportunity")?.stringValue,
                let node = eq.value(forKey: "creditsRecognised"), let value = node.doubleValue
            else { continue }
            if let i = groups.firstIndex(where: { $0.key == key }) {
                groups[i].credits.append((node, value))
            } else {
                groups.append((key, [(node, value)]))
            }
        }
        var out: [Finding] = []
        for group in groups where group.credits.count > 1 {
            guard let entry = byKey[group.key] else { continue }
            let awarded = workspace.awardedCredits(entry) ?? entry.node.value(forKey: "credits")?.doubleValue
            guard let awarded else { continue }
            var sum = 0.0
            for (i, c) in group.credits.enumerated() {
                sum += c.value
                guard sum > awarded, i > 0 else { continue }
                let terms = group.credits.prefix(i + 1).map(\.value.plain).joined(separator: " + ")
                out.append(
                    d.finding(
                        criterionID, c.node.range,
                        "`\(group.key)` is recognised for \(terms) = \(sum.plain) credits across \(i + 1) equivalences, but awards \(awarded.plain) ECTS credits: the same learning counts once"
                    ))
                break
            }
        }
        return out
    }
}

/// AG-20: the path hint leads to the document, and what the agreement records of it matches the document.
struct AgreementInStepRule: WorkspaceRule {
    let criterionID = "AG-20"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        var out: [Finding] = []
        for entry in workspace.entries(of: d) {
            guard let tree = entry.tree, let found = entry.foundPath, entry.matchesID else { continue }
            let name = entry.key.map { "`\($0)`" } ?? "the learning opportunity"
            if entry.resolvedBy == .id, entry.resolvedPath != nil, let pathNode = entry.pathNode, let base = d.path {
                let relative = RelativePath.relative(to: found, from: base)
                out.append(
                    d.finding(
                        criterionID, pathNode.range,
                        "the document with the id `\(entry.id ?? "")` is at `\(relative ?? found)`, not at `\(pathNode.stringValue ?? "")`",
                        fix: relative.map {
                            Fix(
                                title: "Point the path at `\($0)`",
                                edits: [FixEdit(range: pathNode.range, newText: JSONValue.string($0).text)])
                        }))
            }
            guard let kind = entry.detectedKind, kind == .learningOpportunity || kind == .credential else { continue }
            let document = workspace.engine.context(tree, kind: kind, path: found)
            if let recorded = entry.node.value(forKey: "credits"), let value = recorded.doubleValue,
                let actual = workspace.awardedCredits(entry), actual != value
            {
                out.append(
                    d.finding(
                        criterionID, recorded.range,
                        "the agreement records \(value.plain) credits for \(name), but its document now awards \(actual.plain)",
                        fix: Fix(
                            title: "Record \(actual.plain) credits",
                            edits: [FixEdit(range: recorded.range, newText: actual.plain)])))
            }
            let specifications =
                kind == .learningOpportunity
                ? document.learningOpportunitySpecifications
                : document.claims.compactMap { document.value($0, "specifiedBy") }
            if let recorded = entry.node.value(forKey: "eqfLevel"), let level = recorded.stringValue {
                let actual = specifications.lazy.compactMap { document.value($0, "eqfLevel").flatMap(document.conceptIRI) }.first
                if let actual, actual != level {
                    out.append(
                        d.finding(
                            criterionID, recorded.range,
                            "the agreement records the level `\(level)` for \(name), but its document now gives `\(actual)`",
                            fix: Fix(
                                title: "Record `\(actual)`",
                                edits: [FixEdit(range: recorded.range, newText: JSONValue.string(actual).text)])))
                }
            }
            if let recorded = entry.node.value(forKey: "learningOutcomes"), recorded.kind == .array {
                let actual = specifications.flatMap { document.values($0, "learningOutcome") }
                let actualIDs = actual.compactMap { $0.value(forKey: "id")?.stringValue }
                let recordedIDs = recorded.elements.compactMap { $0.value(forKey: "id")?.stringValue }
                let gone = recordedIDs.filter { !actualIDs.contains($0) }
                let added = actualIDs.filter { !recordedIDs.contains($0) }
                if !gone.isEmpty || !added.isEmpty || (actualIDs.isEmpty && actual.count != recordedIDs.count) {
                    var parts: [String] = []
                    if !gone.isEmpty { parts.append("no longer has \(gone.map { "`\($0)`" }.joined(separator: ", "))") }
                    if !added.isEmpty { parts.append("now also has \(added.map { "`\($0)`" }.joined(separator: ", "))") }
                    if parts.isEmpty { parts.append("has \(actual.count) learning outcomes, not \(recordedIDs.count)") }
                    out.append(
                        d.finding(
                            criterionID, recorded.range,
                            "the learning outcomes of \(name) have changed since the agreement recorded them: its document \(parts.joined(separator: " and ")); review the coverage"
                        ))
                }
            }
        }
        return out
    }
}
