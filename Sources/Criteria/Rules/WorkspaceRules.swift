import JSONSyntax

// Workspace rules: an agreement against the documents it references (AG-04, AG-05, AG-07).

/// AG-04: each referenced file exists, is of the stated kind, and has the stated id.
struct ReferencedDocumentsResolveRule: WorkspaceRule {
    let criterionID = "AG-04"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        var out: [Finding] = []
        for entry in workspace.entries(of: d) {
            guard let pathNode = entry.pathNode, let resolved = entry.resolvedPath else { continue }
            let relative = pathNode.stringValue ?? ""
            guard let tree = entry.tree else {
                out.append(d.finding(criterionID, pathNode.range, "no file at `\(relative)` (looked for \(resolved))"))
                continue
            }
            if let declared = entry.declaredKind, entry.detectedKind != declared {
                out.append(d.finding(criterionID, pathNode.range,
                                     "`\(relative)` is \(entry.detectedKind.map { "a \($0.displayName)" } ?? "not a document ECCOE knows"), not a \(declared.displayName) as `kind` says"))
                continue
            }
            let actual = tree.root.value(forKey: "id")?.stringValue
            if let idNode = entry.node.value(forKey: "id"), let id = idNode.stringValue, actual != id {
                out.append(d.finding(criterionID, idNode.range, "the document at `\(relative)` has the id `\(actual ?? "(none)")`, not `\(id)`",
                                     fix: actual.map { Fix(title: "Use `\($0)`", edits: [FixEdit(range: idNode.range, newText: JSONValue.string($0).text)]) }))
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
            guard let pathNode = entry.pathNode, let resolved = entry.resolvedPath, let tree = entry.tree,
                  let kind = entry.detectedKind, kind == .credential || kind == .learningOpportunity else { continue }
            let failing = workspace.findings(of: resolved, tree: tree).compactMap { f -> String? in
                guard let id = f.criterionID, id.hasPrefix(kind.criterionPrefix), d.catalogue[id]?.level == .mandatory else { return nil }
                return id
            }
            guard !failing.isEmpty else { continue }
            var unique: [String] = []
            for id in failing where !unique.contains(id) { unique.append(id) }
            let named = unique.map { "\($0) \(d.catalogue[$0]?.title ?? "")" }.joined(separator: "; ")
            out.append(d.finding(criterionID, pathNode.range,
                                 "the \(kind.displayName) `\(pathNode.stringValue ?? "")` fails \(unique.count) of its mandatory criteria: \(named)"))
        }
        return out
    }
}

/// AG-07: credits recognised do not exceed the credits the referenced document awards.
struct CreditsWithinAwardedRule: WorkspaceRule {
    let criterionID = "AG-07"

    func check(_ d: DocumentContext, _ workspace: WorkspaceContext) -> [Finding] {
        var out: [Finding] = []
        var byKey: [String: WorkspaceContext.Entry] = [:]
        for entry in workspace.entries(of: d) { if let key = entry.key { byKey[key] = entry } }
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            guard let key = eq.value(forKey: "learningOpportunity")?.stringValue, let entry = byKey[key], let tree = entry.tree,
                  let kind = entry.detectedKind, let recognised = eq.value(forKey: "creditsRecognised"),
                  let value = recognised.doubleValue else { continue }
            let referenced = workspace.engine.context(tree, kind: kind, path: entry.resolvedPath)
            guard let awarded = CreditsWithinAwardedRule.ectsCredits(referenced) else { continue }
            if value > awarded {
                out.append(d.finding(criterionID, recognised.range,
                                     "\(value.plain) credits are recognised, but `\(entry.pathNode?.stringValue ?? key)` awards \(awarded.plain) ECTS credits",
                                     fix: Fix(title: "Recognise \(awarded.plain) credits", edits: [FixEdit(range: recognised.range, newText: awarded.plain)])))
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
            for credit in d.values(holder, key) where d.values(credit, "framework").contains(where: { d.conceptIRI($0) == ectsIRI }) {
                if let s = d.values(credit, "point").first?.stringValue, let v = Double(s) { return v }
            }
        }
        return nil
    }
}
