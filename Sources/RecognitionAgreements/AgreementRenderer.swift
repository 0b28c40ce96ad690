public import Criteria
public import JSONSyntax

/// Renders a recognition agreement as one self-contained, printable HTML document for signature: no script,
/// no outside resource, an A4 print layout with running headers and page numbers. The sections follow the
/// Model Credit Recognition Agreement: parties, purpose and scope, the learning opportunities covered, the
/// equivalence table with the coverage of learning outcomes, recognition and grading, learner rights,
/// evidence, quality assurance, validity and termination, data protection and applicable law, signatures.
/// Every text of the agreement is escaped; placeholders `[[…]]` print as marked blanks with their hint; what
/// the agreement does not state prints as "not stated". The same agreement always gives the same bytes.
public struct AgreementRenderer {
    let document: JSONValue
    let vocabularies: Vocabularies
    /// Languages in the order texts are shown: the agreement's `languages`, then English.
    let languages: [String]
    private var placeholderCount = 0

    public init(document: JSONValue, vocabularies: Vocabularies = .standard) {
        self.document = document
        self.vocabularies = vocabularies
        var languages = (document["languages"]?.arrayValue ?? []).compactMap(\.stringValue).filter {
            HTMLText.languageTag($0) != nil
        }
        if !languages.contains("en") { languages.append("en") }
        self.languages = languages
    }

    /// The whole HTML document.
    public func html() -> String {
        var r = self
        let body = r.renderBody()
        return r.head() + body + "</body>\n</html>\n"
    }

    // MARK: Reading the agreement

    private func strings(_ value: JSONValue?) -> [String] { (value?.arrayValue ?? []).compactMap(\.stringValue) }
    private func objects(_ value: JSONValue?) -> [JSONValue] { (value?.arrayValue ?? []).filter { $0.objectMembers != nil } }

    private var parties: [JSONValue] { objects(document["parties"]) }

    private func party(_ key: String?) -> JSONValue? { key.flatMap { k in parties.first { $0["id"]?.stringValue == k } } }

    /// A party's name for running text (its legal name in the first shown language), or its key.
    private func partyName(_ key: String?) -> String {
        guard let key else { return "" }
        let name = LanguageText(party(key)?["legalName"]).text(languages)
        return name.isEmpty ? key : name
    }

    private var title: String {
        let t = LanguageText(document["title"]).text(languages)
        return t.isEmpty ? "Credit recognition agreement" : t
    }

    private var allPlaceholders: Int {
        var n = 0
        var stack: [JSONValue] = [document]
        while let v = stack.popLast() {
            switch v {
            case .string(let s): if AgreementPlaceholder.isPlaceholder(s) { n += 1 }
            case .array(let items): stack += items
            case .object(let members): stack += members.map(\.1)
            default: break
            }
        }
        return n
    }

    // MARK: Inline pieces

    /// A string value: escaped text, or a blank marked with its hint for a placeholder.
    private mutating func value(_ s: String?) -> String {
        guard let s, !s.trimmingSpaces.isEmpty else { return notStated }
        if let hint = AgreementPlaceholder.hint(of: s) {
            placeholderCount += 1
            return "<span class=\"blank\">to be completed: \(HTMLText.escape(hint.isEmpty ? "a value" : hint))</span>"
        }
        return HTMLText.escape(s)
    }

    private var notStated: String { "<span class=\"missing\">not stated</span>" }

    /// A language map: the text in the first shown language, then the others as translations, each with its
    /// `lang`. `block`: as paragraphs.
    private mutating func text(_ map: JSONValue?, block: Bool = false) -> String {
        let t = LanguageText(map)
        guard !t.isEmpty else { return block ? "<p>\(notStated)</p>" : notStated }
        var ordered: [(String, String)] = []
        for l in languages { if let x = t.texts.first(where: { $0.language == l }) { ordered.append(x) } }
        for x in t.texts where !ordered.contains(where: { $0.0 == x.language }) { ordered.append(x) }
        var out = ""
        for (i, (language, text)) in ordered.enumerated() {
            let lang = HTMLText.languageTag(language).map { " lang=\"\($0)\"" } ?? ""
            let cls = i == 0 ? "" : " class=\"translation\""
            let tag = i == 0 ? "" : "<span class=\"langtag\">\(HTMLText.escape(language.uppercased()))</span> "
            let content = value(text)
            if block {
                out += "<p\(lang)\(cls)>\(tag)\(content)</p>\n"
            } else {
                out += (i == 0 ? "" : " ") + "<span\(lang)\(cls)>\(tag)\(content)</span>"
            }
        }
        return out
    }

    /// A web address: a link when it is http(s), else text.
    private mutating func link(_ url: String?) -> String {
        guard let url else { return notStated }
        if AgreementPlaceholder.isPlaceholder(url) || !HTMLText.isLinkable(url) { return value(url) }
        let e = HTMLText.escape(url)
        return "<a href=\"\(e)\">\(e)</a>"
    }

    /// A vocabulary value by its label (with its IRI kept in a title attribute).
    private mutating func concept(_ iri: String?, notation: Bool = false) -> String {
        guard let iri else { return notStated }
        if AgreementPlaceholder.isPlaceholder(iri) { return value(iri) }
        guard let c = vocabularies.concept(forIRI: iri) else { return value(iri) }
        let concept = vocabularies.concept(iri, in: c.vocabulary)
        let label = notation ? [concept?.notation ?? "", c.label].filter { !$0.isEmpty }.joined(separator: " ") : c.label
        return "<span title=\"\(HTMLText.escape(iri))\">\(HTMLText.escape(label))</span>"
    }

    private mutating func number(_ v: JSONValue?) -> String {
        switch v {
        case .int(let i)?: return String(i)
        case .double(let d)?: return d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s)?: return value(s)
        default: return notStated
        }
    }

    /// An ISO 8601 duration in words ("30 days", "6 months", "1 year and 6 months"); other texts as they are.
    static func durationWords(_ text: String) -> String? {
        var rest = Substring(text)
        guard rest.hasPrefix("P"), rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var parts: [String] = []
        var inTime = false
        var digits = ""
        let names: [Character: (String, String)] = ["Y": ("year", "years"), "W": ("week", "weeks"), "D": ("day", "days")]
        for c in rest {
            if c == "T" { inTime = true; continue }
            if c.isASCII && c.isNumber { digits.append(c); continue }
            guard let n = Int(digits) else { return nil }
            digits = ""
            let unit: (String, String)?
            switch (c, inTime) {
            case ("M", false): unit = ("month", "months")
            case ("H", true): unit = ("hour", "hours")
            case ("M", true): unit = ("minute", "minutes")
            case ("S", true): unit = ("second", "seconds")
            case (_, false): unit = names[c]
            default: unit = nil
            }
            guard let unit else { return nil }
            parts.append("\(n) \(n == 1 ? unit.0 : unit.1)")
        }
        guard digits.isEmpty, !parts.isEmpty, !rest.hasSuffix("T") else { return nil }
        return parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
    }

    private mutating func duration(_ v: JSONValue?) -> String {
        guard let s = v?.stringValue else { return notStated }
        if AgreementPlaceholder.isPlaceholder(s) { return value(s) }
        return Self.durationWords(s).map(HTMLText.escape) ?? value(s)
    }

    private func words(_ key: String?, _ table: [String: String]) -> String {
        guard let key else { return notStated }
        return HTMLText.escape(table[key] ?? key)
    }

    private static let roleWords = [
        "provider": "provides the learning", "awarding": "awards the credits",
        "recognising": "recognises the learning",
    ]
    private static let recognitionTypeWords = [
        "creditTransfer": "credits counted towards a programme", "exemption": "exemption from a module",
        "admission": "admission to a programme", "priorLearning": "validation of prior learning",
        "transcriptInclusion": "inclusion in the transcript of records",
    ]
    private static let methodWords = [
        "ectsGradingTable": "with the grade distribution tables of the parties (ECTS grading tables)",
        "egracons": "with the EGRACONS grade conversion tool", "passFail": "as pass or fail: no grade is carried over",
        "conversionTable": "by the conversion table below", "nationalScale": "by the national conversion scale",
    ]
    private static let formatWords = [
        "edcSealed": "a sealed European Digital Credential", "openBadge3": "an Open Badges 3.0 credential with its proof",
        "transcriptPdf": "a transcript of records signed by the awarding institution",
        "other": "other evidence, as the notes say",
    ]
    private static let recordedAsWords = [
        "targetComponent": "under the title and code of the recognised module",
        "learningOpportunity": "under the title of the learning opportunity as awarded",
        "both": "under the title and code of the recognised module, with the learning opportunity named",
    ]
    private static let gradeWords = [
        "converted": "the converted grade", "original": "the grade as awarded",
        "passOnly": "passed, without a grade", "notRecorded": "no grade recorded",
    ]
    private static let schemeWords = [
        "erasmusCode": "Erasmus code", "pic": "PIC", "schac": "SCHAC code", "eidas": "eIDAS identifier",
        "vat": "VAT number", "national": "National identifier", "other": "Identifier",
    ]

    // MARK: The document

    private func head() -> String {
        let id = document["id"]?.stringValue ?? ""
        let version = document["version"]?.stringValue
        let draft = allPlaceholders > 0
        let right = [draft ? "DRAFT" : nil, version.map { "version \($0)" }].compactMap { $0 }.joined(separator: " · ")
        let lang = HTMLText.languageTag(languages.first ?? "en") ?? "en"
        let sans = "\"DejaVu Sans\", \"Liberation Sans\", Arial, sans-serif"
        return """
            <!DOCTYPE html>
            <html lang="\(lang)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="eccoe agreement render">
            <title>\(HTMLText.escape(title))</title>
            <style>
            @page {
              size: A4;
              margin: 22mm 18mm 20mm 18mm;
              @top-left { content: "Model Credit Recognition Agreement"; font: 7.5pt \(sans); color: #555; }
              @top-right { content: \(HTMLText.cssString(right)); font: bold 7.5pt \(sans); color: \(draft ? "#8a1c1c" : "#555"); }
              @bottom-left { content: \(HTMLText.cssString(id)); font: 6.5pt "DejaVu Sans Mono", "Liberation Mono", monospace; color: #555; }
              @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 7.5pt \(sans); color: #555; }
            }
            \(Self.css)
            </style>
            </head>
            <body>

            """
    }

    static let css = """
        :root { color-scheme: light; }
        body { font: 10.5pt/1.45 "DejaVu Serif", "Liberation Serif", Georgia, serif; color: #111; margin: 0 auto; max-width: 46em; padding: 1.5em; }
        @media print { body { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; } }
        h1, h2, h3, .kind, th, dt, .status, .caption, .langtag { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
        h1 { font-size: 17pt; line-height: 1.25; margin: .2em 0 .4em; }
        h2 { font-size: 12.5pt; margin: 1.6em 0 .5em; padding-bottom: .15em; border-bottom: 1.5px solid #1d3b5c; color: #1d3b5c; break-after: avoid; }
        h3 { font-size: 10.5pt; margin: 1em 0 .3em; break-after: avoid; }
        p { margin: .35em 0; orphans: 3; widows: 3; }
        .kind { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: #1d3b5c; margin: 0; }
        .cover { border-bottom: 3px double #1d3b5c; padding-bottom: .8em; margin-bottom: 1em; }
        .translation { color: #333; font-style: italic; }
        h1 .translation, h3 .translation, th .translation { display: block; }
        .keep-spaces { white-space: pre-wrap; }
        p.translation { font-size: 9.5pt; }
        .langtag { font-size: 6.5pt; font-style: normal; border: 1px solid #999; border-radius: 2px; padding: 0 .25em; vertical-align: .15em; color: #555; }
        dl.facts { display: grid; grid-template-columns: 11em 1fr; gap: .15em .8em; margin: .4em 0; }
        dl.facts dt { font-size: 8.5pt; color: #444; padding-top: .15em; }
        dl.facts dd { margin: 0; }
        code, .id { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; word-break: break-all; }
        .party, .opportunity, .signature { break-inside: avoid; }
        .party { border-left: 3px solid #1d3b5c; padding: .1em 0 .1em .8em; margin: .8em 0; }
        .role { font-style: italic; margin: 0 0 .3em; }
        table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: 9.5pt; }
        th, td { border: 1px solid #9aa6b2; padding: .3em .45em; vertical-align: top; text-align: left; }
        th { background: #e8edf2; font-size: 8pt; font-weight: bold; }
        tr { break-inside: avoid; }
        thead { display: table-header-group; }
        td.num { text-align: right; white-space: nowrap; }
        ul.outcomes { list-style: none; margin: .3em 0 .3em .8em; padding: 0; }
        ul.outcomes li { margin: .15em 0; display: flex; gap: .3em; }
        ul.outcomes li .ref { flex: 0 0 2.6em; padding-top: .2em; }
        .ref { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 7.5pt; font-weight: bold; color: #1d3b5c; }
        .blank { border-bottom: 1px dashed #8a1c1c; background: #fbeeee; color: #8a1c1c; font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8pt; font-style: italic; padding: 0 .2em; }
        .missing { color: #777; font-style: italic; }
        .status { border: 1.5px solid; border-radius: 3px; padding: .4em .7em; font-size: 9pt; margin: .8em 0 0; break-inside: avoid; }
        .status.draft { border-color: #8a1c1c; color: #8a1c1c; background: #fbeeee; }
        .status.ready { border-color: #1d3b5c; color: #1d3b5c; }
        .status.signed { border-color: #2d6a3e; color: #2d6a3e; }
        .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2em 2em; margin-top: 1em; }
        .signature { border: 1px solid #9aa6b2; padding: .6em .8em .8em; }
        .signature h3 { margin-top: 0; }
        .signature dl.facts { grid-template-columns: 4.5em 1fr; }
        .signature { display: flex; flex-direction: column; }
        .signature h3 { flex: 1 0 auto; }
        .sigline { height: 3.4em; border-bottom: 1px solid #111; margin-top: .2em; }
        .caption { font-size: 7.5pt; color: #444; margin: .15em 0 .5em; }
        .line { display: inline-block; min-width: 12em; border-bottom: 1px solid #111; }
        """

    private mutating func renderBody() -> String {
        var out = ""
        out += cover()
        out += "<main>\n"
        out += partiesSection()
        out += purposeSection()
        out += opportunitiesSection()
        out += equivalenceSection()
        out += gradingSection()
        out += rightsSection()
        out += evidenceSection()
        out += qualitySection()
        out += validitySection()
        out += dataProtectionSection()
        out += signatureSection()
        out += "</main>\n"
        return out
    }

    private mutating func cover() -> String {
        var out = "<header class=\"cover\">\n<p class=\"kind\">Model Credit Recognition Agreement</p>\n"
        let t = LanguageText(document["title"])
        out += "<h1>\(t.isEmpty ? HTMLText.escape(title) : text(document["title"]))</h1>\n"
        out += "<dl class=\"facts\">\n"
        out += "<dt>Agreement identifier</dt><dd><span class=\"id\">\(value(document["id"]?.stringValue))</span></dd>\n"
        if let version = document["version"]?.stringValue { out += "<dt>Version</dt><dd>\(value(version))</dd>\n" }
        let names = strings(document["languages"]).map { code -> String in
            vocabularies.vocabularies["language-codes-iso639-1"]?.concepts.first {
                $0.notation == code || $0.iri.hasSuffix("/" + code)
            }?.label ?? code
        }
        if !names.isEmpty { out += "<dt>Concluded in</dt><dd>\(HTMLText.escape(names.joined(separator: ", ")))</dd>\n" }
        out += "</dl>\n"
        let open = allPlaceholders
        let signatures = objects(document["signatures"])
        let partyKeys = parties.compactMap { $0["id"]?.stringValue }
        let signed = partyKeys.filter { k in
            signatures.contains { $0["party"]?.stringValue == k && $0["date"]?.stringValue != nil }
        }
        if open > 0 {
            out +=
                "<p class=\"status draft\"><strong>Draft.</strong> \(open) item\(open == 1 ? " is" : "s are") still to be completed, marked <span class=\"blank\">to be completed</span> below. Not for signature until every item is completed and the parties have agreed the text.</p>\n"
        } else if !partyKeys.isEmpty && signed.count == partyKeys.count {
            out += "<p class=\"status signed\"><strong>Signed</strong> by every party.</p>\n"
        } else {
            out +=
                "<p class=\"status ready\"><strong>For signature.</strong> The text is complete; each party signs in section 11.</p>\n"
        }
        out += "</header>\n"
        return out
    }

    private mutating func partiesSection() -> String {
        var out =
            "<section id=\"parties\">\n<h2>1. Parties</h2>\n<p>This agreement is concluded between the following institutions, each a party to it:</p>\n"
        if parties.isEmpty { out += "<p>\(notStated)</p>\n" }
        for p in parties {
            out += "<div class=\"party\">\n<h3>\(text(p["legalName"]))</h3>\n"
            let roles = strings(p["roles"]).map { Self.roleWords[$0] ?? $0 }
            out +=
                "<p class=\"role\">\(roles.isEmpty ? notStated : HTMLText.escape("The institution that " + AgreementDraft.list(roles)))</p>\n"
            out += "<dl class=\"facts\">\n"
            out += "<dt>Country</dt><dd>\(concept(p["country"]?.stringValue))</dd>\n"
            for identifier in objects(p["identifiers"]) {
                let scheme = identifier["scheme"]?.stringValue ?? "other"
                let label = identifier["schemeName"]?.stringValue ?? Self.schemeWords[scheme] ?? scheme
                out +=
                    "<dt>\(HTMLText.escape(label))</dt><dd><span class=\"keep-spaces\">\(value(identifier["value"]?.stringValue))</span></dd>\n"
            }
            if let address = p["address"]?.stringValue { out += "<dt>Address</dt><dd>\(value(address))</dd>\n" }
            if let homepage = p["homepage"]?.stringValue { out += "<dt>Website</dt><dd>\(link(homepage))</dd>\n" }
            if let rep = p["legalRepresentative"] {
                out +=
                    "<dt>Legal representative</dt><dd>\(value(rep["name"]?.stringValue)), \(value(rep["function"]?.stringValue))</dd>\n"
            }
            if let contact = p["contact"] {
                var parts = [value(contact["name"]?.stringValue)]
                if let role = contact["role"]?.stringValue { parts.append(value(role)) }
                parts.append(value(contact["email"]?.stringValue))
                if let phone = contact["phone"]?.stringValue { parts.append(value(phone)) }
                out += "<dt>Recognition contact</dt><dd>\(parts.joined(separator: ", "))</dd>\n"
            } else {
                out += "<dt>Recognition contact</dt><dd>\(notStated)</dd>\n"
            }
            out += "</dl>\n</div>\n"
        }
        out += "</section>\n"
        return out
    }

    private mutating func purposeSection() -> String {
        let scope = document["scope"]
        var out = "<section id=\"purpose\">\n<h2>2. Purpose and scope</h2>\n"
        let recognising = parties.filter { strings($0["roles"]).contains("recognising") }.compactMap { $0["id"]?.stringValue }
            .map(partyName)
        let others = parties.filter { !strings($0["roles"]).contains("recognising") }.compactMap { $0["id"]?.stringValue }.map(
            partyName)
        switch scope?["direction"]?.stringValue {
        case "mutual"?:
            out +=
                "<p>The recognition is <strong>mutual</strong>: each party recognises the learning opportunities of the others covered by this agreement.</p>\n"
        case "unilateral"?:
            out +=
                "<p>The recognition is <strong>unilateral</strong>: \(HTMLText.escape(AgreementDraft.list(recognising))) recognise\(recognising.count == 1 ? "s" : "") the learning opportunities of \(HTMLText.escape(AgreementDraft.list(others))) covered by this agreement.</p>\n"
        default:
            out += "<p>Direction of recognition: \(notStated).</p>\n"
        }
        let types = strings(scope?["recognitionTypes"]).map { Self.recognitionTypeWords[$0] ?? $0 }
        out +=
            "<p>Recognition takes the form of: \(types.isEmpty ? notStated : HTMLText.escape(types.joined(separator: "; "))).</p>\n"
        switch scope?["decision"]?.stringValue {
        case "automatic"?:
            out +=
                "<p>Recognition follows from this agreement, without a further individual assessment of the learner's case.</p>\n"
        case "caseByCase"?: out += "<p>Each application is still assessed individually, against this agreement.</p>\n"
        default: out += "<p>How decisions are taken: \(notStated).</p>\n"
        }
        if scope?["description"] != nil { out += text(scope?["description"], block: true) }
        out += "</section>\n"
        return out
    }

    /// The covered learning opportunities with their numbers (C1, C2 …) by key.
    private var opportunityNumbers: [String: Int] {
        var numbers: [String: Int] = [:]
        for (i, o) in objects(document["learningOpportunities"]).enumerated() {
            if let key = o["key"]?.stringValue, numbers[key] == nil { numbers[key] = i + 1 }
        }
        return numbers
    }

    private func outcomeRef(_ opportunity: Int, _ index: Int) -> String {
        var letters = ""
        var n = index
        repeat {
            letters = String(UnicodeScalar(UInt8(97 + n % 26))) + letters
            n = n / 26 - 1
        } while n >= 0
        return "C\(opportunity).\(letters)"
    }

    private mutating func opportunitiesSection() -> String {
        var out = "<section id=\"opportunities\">\n<h2>3. Learning opportunities covered</h2>\n"
        out +=
            "<p>The agreement covers the following learning opportunities, identified by their identifiers; the details below are those recorded when the agreement was drawn up.</p>\n"
        let list = objects(document["learningOpportunities"])
        if list.isEmpty { out += "<p>\(notStated)</p>\n" }
        for (i, o) in list.enumerated() {
            out +=
                "<div class=\"opportunity\">\n<h3><span class=\"ref\">C\(i + 1)</span> \(text(o["title"]))</h3>\n<dl class=\"facts\">\n"
            out +=
                "<dt>Provided by</dt><dd>\(HTMLText.escape(partyName(o["provider"]?.stringValue ?? "")).nonEmpty ?? notStated)</dd>\n"
            out += "<dt>Identifier</dt><dd><span class=\"id\">\(value(o["id"]?.stringValue))</span></dd>\n"
            if o["kind"]?.stringValue == "credential" { out += "<dt>Kind</dt><dd>credential</dd>\n" }
            out += "<dt>ECTS credits</dt><dd>\(number(o["credits"]))</dd>\n"
            out += "<dt>Level</dt><dd>\(concept(o["eqfLevel"]?.stringValue))</dd>\n"
            let fields = strings(o["fieldsOfEducation"])
            var fieldTexts: [String] = []
            for f in fields { fieldTexts.append(concept(f, notation: true)) }
            out += "<dt>Fields of education</dt><dd>\(fields.isEmpty ? notStated : fieldTexts.joined(separator: "; "))</dd>\n"
            let langs = strings(o["languages"])
            var langTexts: [String] = []
            for l in langs { langTexts.append(concept(l)) }
            out += "<dt>Languages</dt><dd>\(langs.isEmpty ? notStated : langTexts.joined(separator: ", "))</dd>\n"
            if let homepage = o["homepage"]?.stringValue { out += "<dt>Web page</dt><dd>\(link(homepage))</dd>\n" }
            out += "</dl>\n"
            let outcomes = objects(o["learningOutcomes"])
            if outcomes.isEmpty {
                out += "<p>Learning outcomes: \(notStated).</p>\n"
            } else {
                out += "<p>Learning outcomes:</p>\n<ul class=\"outcomes\">\n"
                for (j, outcome) in outcomes.enumerated() {
                    out += "<li><span class=\"ref\">\(outcomeRef(i + 1, j))</span><span>\(text(outcome["title"]))</span></li>\n"
                }
                out += "</ul>\n"
            }
            out += "</div>\n"
        }
        out += "</section>\n"
        return out
    }

    private mutating func equivalenceSection() -> String {
        var out = "<section id=\"equivalences\">\n<h2>4. Equivalence table</h2>\n"
        out += "<p>Each covered learning opportunity counts at the recognising party as follows.</p>\n"
        let equivalences = objects(document["equivalences"])
        let numbers = opportunityNumbers
        let opportunities = objects(document["learningOpportunities"])
        if equivalences.isEmpty {
            out += "<p>\(notStated)</p>\n</section>\n"
            return out
        }
        out +=
            "<table>\n<thead><tr><th>Learning opportunity</th><th>Recognised at</th><th>As the module</th><th>ECTS credits recognised</th><th>Recognition</th></tr></thead>\n<tbody>\n"
        for eq in equivalences {
            let key = eq["learningOpportunity"]?.stringValue
            let n = key.flatMap { numbers[$0] }
            let o = n.map { opportunities[$0 - 1] }
            let target = eq["targetComponent"]
            var lo = n.map { "<span class=\"ref\">C\($0)</span> " } ?? ""
            lo += o.map { text($0["title"]) } ?? value(key)
            var module = ""
            if let code = target?["code"]?.stringValue { module += "\(value(code))<br>" }
            module += text(target?["title"])
            if target?["credits"] != nil {
                module += "<br><span class=\"caption\">\(number(target?["credits"])) ECTS credits</span>"
            }
            let type = eq["recognitionType"]?.stringValue.map { Self.recognitionTypeWords[$0] ?? $0 }
            out +=
                "<tr><td>\(lo)</td><td>\(HTMLText.escape(partyName(eq["recognisingParty"]?.stringValue)))</td><td>\(module)</td><td class=\"num\">\(number(eq["creditsRecognised"]))</td><td>\(type.map(HTMLText.escape) ?? notStated)</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"

        // Coverage of the modules' learning outcomes, and any conditions.
        for (i, eq) in equivalences.enumerated() {
            let key = eq["learningOpportunity"]?.stringValue
            let n = key.flatMap { numbers[$0] }
            let loOutcomes = n.map { objects(opportunities[$0 - 1]["learningOutcomes"]) } ?? []
            let targetOutcomes = objects(eq["targetComponent"]?["learningOutcomes"])
            let coverage = objects(eq["outcomeCoverage"])
            let hasMore = !targetOutcomes.isEmpty || !coverage.isEmpty || eq["coverageNote"] != nil || eq["conditions"] != nil
            guard hasMore else { continue }
            out +=
                "<div class=\"equivalence\">\n<h3>Line \(i + 1): \(n.map { "<span class=\"ref\">C\($0)</span> " } ?? "")\(text(eq["targetComponent"]?["title"]))</h3>\n"
            if !targetOutcomes.isEmpty {
                out +=
                    "<table>\n<thead><tr><th>Learning outcome of the module</th><th>Covered by the learning opportunity's outcomes</th></tr></thead>\n<tbody>\n"
                for t in targetOutcomes {
                    let id = t["id"]?.stringValue
                    let by = coverage.filter { $0["targetOutcome"]?.stringValue == id }.flatMap { strings($0["coveredBy"]) }
                    var cells: [String] = []
                    for ref in by {
                        if let j = loOutcomes.firstIndex(where: { $0["id"]?.stringValue == ref }), let n {
                            cells.append("<span class=\"ref\">\(outcomeRef(n, j))</span> \(text(loOutcomes[j]["title"]))")
                        } else {
                            cells.append("<span class=\"id\">\(value(ref))</span>")
                        }
                    }
                    out +=
                        "<tr><td>\(text(t["title"]))</td><td>\(cells.isEmpty ? "<span class=\"missing\">not covered</span>" : cells.joined(separator: "<br>"))</td></tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            if eq["coverageNote"] != nil { out += text(eq["coverageNote"], block: true) }
            if eq["conditions"] != nil { out += "<p><strong>Conditions.</strong></p>\n" + text(eq["conditions"], block: true) }
            out += "</div>\n"
        }
        out += "</section>\n"
        return out
    }

    private mutating func gradingSection() -> String {
        var out = "<section id=\"grading\">\n<h2>5. Recognition, grading and the transcript</h2>\n"
        let conversion = document["gradeConversion"]
        out +=
            "<h3>Grade conversion</h3>\n<p>Grades are converted \(words(conversion?["method"]?.stringValue, Self.methodWords)).</p>\n"
        let rules = objects(conversion?["rules"])
        if !rules.isEmpty {
            out += "<table>\n<thead><tr><th>Grade awarded</th><th>Grade recorded</th><th>Note</th></tr></thead>\n<tbody>\n"
            for rule in rules {
                out +=
                    "<tr><td>\(value(rule["from"]?.stringValue))</td><td>\(value(rule["to"]?.stringValue))</td><td>\(rule["note"]?.stringValue.map { value($0) } ?? "")</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        if conversion?["description"] != nil { out += text(conversion?["description"], block: true) }
        if let reference = conversion?["reference"]?.stringValue { out += "<p>Reference: \(link(reference))</p>\n" }

        out += "<h3>Recording on the transcript</h3>\n"
        if let transcript = document["transcript"] {
            out +=
                "<dl class=\"facts\">\n<dt>Recorded</dt><dd>\(words(transcript["recordedAs"]?.stringValue, Self.recordedAsWords))</dd>\n"
            if let grade = transcript["grade"]?.stringValue { out += "<dt>Grade</dt><dd>\(words(grade, Self.gradeWords))</dd>\n" }
            if let shown = transcript["showsAwardingInstitution"]?.boolValue {
                out +=
                    "<dt>Awarding institution</dt><dd>\(shown ? "named on the transcript" : "not named on the transcript")</dd>\n"
            }
            out += "</dl>\n" + text(transcript["description"], block: true)
        } else {
            out += "<p>\(notStated)</p>\n"
        }

        out += "<h3>Limits</h3>\n"
        if let limits = document["limits"] {
            var items: [String] = []
            if limits["maxTotalCredits"] != nil {
                items.append(
                    "At most \(number(limits["maxTotalCredits"])) ECTS credits are recognised for one learner under this agreement."
                )
            }
            if let age = limits["maxCredentialAge"] {
                items.append("Credentials older than \(duration(age)) when recognition is requested are assessed case by case.")
            }
            out += items.map { "<p>\($0)</p>\n" }.joined()
            if limits["description"] != nil { out += text(limits["description"], block: true) }
        } else {
            out += "<p>No limit applies to the credits recognised for one learner or to the age of a credential.</p>\n"
        }
        out += "</section>\n"
        return out
    }

    private mutating func rightsSection() -> String {
        var out = "<section id=\"rights\">\n<h2>6. Learner rights</h2>\n"
        guard let rights = document["learnerRights"] else {
            out += "<p>\(notStated)</p>\n</section>\n"
            return out
        }
        out +=
            "<h3>Decision</h3>\n<p>A complete application is decided within \(duration(rights["decisionPeriod"])).</p>\n"
            + text(rights["reasonedDecision"], block: true)
        out += "<h3>Appeal</h3>\n"
        if let period = rights["appealPeriod"] { out += "<p>An appeal is lodged within \(duration(period)).</p>\n" }
        out += text(rights["appeal"], block: true)
        out += "<h3>Burden of proof</h3>\n" + text(rights["burdenOfProof"], block: true)
        out += "</section>\n"
        return out
    }

    private mutating func evidenceSection() -> String {
        let evidence = document["evidence"]
        var out = "<section id=\"evidence\">\n<h2>7. Evidence</h2>\n"
        let formats = strings(evidence?["acceptedFormats"]).map { Self.formatWords[$0] ?? $0 }
        out +=
            "<p>The learner shows the learning with \(formats.isEmpty ? notStated : HTMLText.escape(formats.count == 1 ? formats[0] : formats.dropLast().joined(separator: ", ") + " or " + formats.last!)).</p>\n"
        out += text(evidence?["verificationProcedure"], block: true)
        if let deadline = evidence?["submissionDeadline"] {
            out += "<p>The evidence is submitted within \(duration(deadline)).</p>\n"
        }
        if evidence?["notes"] != nil { out += text(evidence?["notes"], block: true) }
        out += "</section>\n"
        return out
    }

    private mutating func qualitySection() -> String {
        let qa = document["qualityAssurance"]
        var out = "<section id=\"quality\">\n<h2>8. Quality assurance</h2>\n"
        let entries = objects(qa?["parties"])
        if entries.isEmpty {
            out += "<p>\(notStated)</p>\n"
        } else {
            out +=
                "<table>\n<thead><tr><th>Party</th><th>External quality assurance</th><th>Registered in EQAR</th><th>Reference</th></tr></thead>\n<tbody>\n"
            for e in entries {
                let eqar: String
                switch e["eqarRegistered"]?.boolValue {
                case true?: eqar = "yes"
                case false?: eqar = "no"
                default: eqar = "not stated"
                }
                out +=
                    "<tr><td>\(HTMLText.escape(partyName(e["party"]?.stringValue)))</td><td>\(value(e["agency"]?.stringValue))</td><td>\(eqar)</td><td>\(e["reference"]?.stringValue.map { link($0) } ?? "")</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        out += "<h3>Changes to the learning opportunities</h3>\n" + text(qa?["reviewProcedure"], block: true)
        if qa?["changeNotification"] != nil { out += text(qa?["changeNotification"], block: true) }
        out += "</section>\n"
        return out
    }

    private mutating func validitySection() -> String {
        let validity = document["validity"]
        var out = "<section id=\"validity\">\n<h2>9. Validity, renewal and termination</h2>\n"
        out +=
            "<p>This agreement applies from <strong>\(value(validity?["validFrom"]?.stringValue))</strong> to <strong>\(value(validity?["validUntil"]?.stringValue))</strong>.</p>\n"
        out += "<p>A party may terminate it by written notice of \(duration(validity?["terminationNotice"])).</p>\n"
        out += "<h3>Renewal</h3>\n" + text(validity?["renewal"], block: true)
        if validity?["amendmentProcedure"] != nil {
            out += "<h3>Amendments</h3>\n" + text(validity?["amendmentProcedure"], block: true)
        }
        out += "</section>\n"
        return out
    }

    private mutating func dataProtectionSection() -> String {
        let dp = document["dataProtection"]
        var out = "<section id=\"data-protection\">\n<h2>10. Data protection and applicable law</h2>\n"
        out += "<h3>Legal basis</h3>\n" + text(dp?["legalBasis"], block: true)
        let controllers = strings(dp?["controllers"]).map(partyName)
        out +=
            "<p>Controllers of the personal data processed for recognition: \(controllers.isEmpty ? notStated : HTMLText.escape(AgreementDraft.list(controllers))). Records of recognition decisions are kept for \(duration(dp?["retentionPeriod"])).</p>\n"
        if let contact = dp?["contact"]?.stringValue { out += "<p>Data-protection contact: \(value(contact))</p>\n" }
        out += "<h3>Applicable law</h3>\n" + text(dp?["applicableLaw"], block: true)
        if dp?["disputeResolution"] != nil { out += "<h3>Disputes</h3>\n" + text(dp?["disputeResolution"], block: true) }
        out += "</section>\n"
        return out
    }

    private mutating func signatureSection() -> String {
        var out =
            "<section id=\"signatures\">\n<h2>11. Signatures</h2>\n<p>Signed by the persons authorised to represent each party.</p>\n<div class=\"signatures\">\n"
        let signatures = objects(document["signatures"])
        var keys = parties.compactMap { $0["id"]?.stringValue }
        for s in signatures { if let k = s["party"]?.stringValue, !keys.contains(k) { keys.append(k) } }
        for key in keys {
            let s = signatures.first { $0["party"]?.stringValue == key }
            let signatory = s?["signatory"]
            out += "<div class=\"signature\">\n<h3>For \(HTMLText.escape(partyName(key)))</h3>\n<dl class=\"facts\">\n"
            let blankLine = "<span class=\"line\"></span>"
            out += "<dt>Place</dt><dd>\(s?["place"]?.stringValue.map { value($0) } ?? blankLine)</dd>\n"
            out += "<dt>Date</dt><dd>\(s?["date"]?.stringValue.map { value($0) } ?? blankLine)</dd>\n"
            out += "</dl>\n<div class=\"sigline\"></div>\n<p class=\"caption\">Signature</p>\n<dl class=\"facts\">\n"
            out += "<dt>Name</dt><dd>\(signatory?["name"]?.stringValue.map { value($0) } ?? blankLine)</dd>\n"
            out += "<dt>Function</dt><dd>\(signatory?["function"]?.stringValue.map { value($0) } ?? blankLine)</dd>\n"
            out += "</dl>\n</div>\n"
        }
        out += "</div>\n</section>\n"
        return out
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
