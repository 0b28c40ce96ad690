public import JSONSyntax

/// Where a recognition agreement stands, as `eccoe check` reports it for each agreement file: drafts are
/// managed as files, and this is what tells them apart.
public struct AgreementStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Something is still missing or wrong besides the signatures: an error, or a placeholder `[[…]]`.
        case draft
        /// Complete and free of errors; only signatures are missing.
        case readyToSign
        /// Every party has signed (a date not later than the day of the check, and a place).
        case signed
        /// The validity period ended before the day of the check.
        case expired

        /// Words for text output: "draft", "ready to sign", "signed", "expired".
        public var label: String { self == .readyToSign ? "ready to sign" : rawValue }
    }

    public var state: State
    /// Placeholders `[[…]]` still in the text.
    public var placeholders: Int
    /// Parties (by their key in the agreement) without a dated signature.
    public var unsignedParties: [String]
    /// Errors other than missing signatures.
    public var errors: Int
    /// `validity.validFrom` and `validity.validUntil` as written, when they are dates.
    public var validFrom: String?
    public var validUntil: String?
}

extension CriteriaEngine {
    /// The status of an agreement, from its text and every finding of its check (the document's own and the
    /// workspace pass's). Nil for documents that are not agreements. Expired wins over the rest; then signed
    /// (every party has signed); then ready to sign (no error but pending signatures, no placeholder); else draft.
    public func agreementStatus(_ tree: SyntaxTree, path: String?, findings: [Finding]) -> AgreementStatus? {
        guard kind(of: tree, path: path) == .agreement, tree.root.kind == .object else { return nil }
        let d = context(tree, kind: .agreement, path: path)
        let facts = d.signatureFacts
        let placeholders = d.placeholders.count
        // The pending-signature finding is AG-13's only error that a complete draft has; any other AG-13
        // error is a defect of a signature block (`SignatureFacts.defects`) or a signed text with placeholders.
        let errors = findings.filter { $0.severity == .error && $0.criterionID != "AG-13" }.count + facts.defects.count
        let validity = tree.root.value(forKey: "validity")
        func date(_ key: String) -> String? {
            guard let s = validity?.value(forKey: key)?.stringValue, s.utf8.count == 10, ISODateTime(s) != nil else { return nil }
            return s
        }
        let from = date("validFrom"), until = date("validUntil")
        let state: AgreementStatus.State
        if let until, let end = ISODateTime(until), end < ISODateTime("\(d.today)")! {
            state = .expired
        } else if !facts.signed.isEmpty && facts.pending.isEmpty {
            state = .signed
        } else if errors == 0 && placeholders == 0 && !tree.hasErrors {
            state = .readyToSign
        } else {
            state = .draft
        }
        return AgreementStatus(
            state: state, placeholders: placeholders, unsignedParties: facts.pending, errors: errors,
            validFrom: from, validUntil: until)
    }
}
