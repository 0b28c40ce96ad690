package import ConsultationDomain
package import CriteriaCatalogue
import HTMLText
import HTTP

/// The names and ids of the form's controls. Names: `profile.ID`, `question.ID`, `rating.CRITERION`
/// (`1`…`5` or `none`), `comment.CRITERION`, `suggestion.CRITERION`, `consent`. The id of a control is
/// `f-` plus its name with dots as dashes; in a radio or checkbox group that is the first control's id, the
/// others add `-2`, `-3`… Error links point at that id.
package enum FormFieldNames {
    package static func id(_ name: String) -> String { "f-" + name.replacingCharacters(".", "-") }

    /// The form control name for an API JSON Pointer.
    package static func name(forPointer pointer: String) -> String {
        let parts = pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard let first = parts.first else { return "" }
        switch first {
        case "profile" where parts.count >= 2: return "profile.\(parts[1])"
        case "questions" where parts.count >= 2: return "question.\(parts[1])"
        case "answers" where parts.count >= 2:
            let field = parts.count >= 3 ? parts[2] : "rating"
            return "\(field == "comment" || field == "suggestion" ? field : "rating").\(parts[1])"
        case "consent": return "consent"
        default: return ""
        }
    }

    package static func id(forPointer pointer: String) -> String {
        let n = name(forPointer: pointer)
        return n.isEmpty ? "errors" : id(n)
    }
}

extension FieldError {
    /// The id of the form control the error belongs to.
    package var formFieldID: String { FormFieldNames.id(forPointer: pointer) }
}

/// The form's submitted or saved fields: each name with its values, in order.
package struct FormValues: Sendable {
    package var pairs: [(String, String)]

    package init(_ pairs: [(String, String)] = []) { self.pairs = pairs }

    package func values(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
    package func value(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    /// The fields worth keeping in a draft: answers only, never the security fields.
    package var answerFields: [(String, String)] {
        pairs.filter { k, v in
            !v.isEmpty
                && (k.hasPrefix("profile.") || k.hasPrefix("question.") || k.hasPrefix("rating.") || k.hasPrefix("comment.")
                    || k.hasPrefix("suggestion."))
        }
    }

    /// The response's content, read with the definition's question types. Shape errors use the same
    /// pointers as the API so they land next to the right field.
    package func content(for d: ConsultationDefinition, strings: FormStrings) -> (ResponseContent, [FieldError]) {
        var c = ResponseContent()
        var errors: [FieldError] = []
        func answer(_ q: Question, _ name: String, _ pointer: String) -> AnswerValue? {
            let vs = values(name).filter { !$0.isEmpty }
            guard !vs.isEmpty else { return nil }
            switch q.type {
            case .multipleChoice: return .choices(vs)
            case .likert:
                guard let n = Int(vs[0]) else {
                    errors.append(FieldError(pointer, strings.numberInvalid))
                    return nil
                }
                return .number(n)
            case .singleChoice, .text, .email, .organisation: return .text(vs[0])
            }
        }
        for q in d.profile {
            if let v = answer(q, "profile.\(q.id)", "/profile/\(q.id)") { c.profile.append((q.id, v)) }
        }
        for q in d.questions {
            if let v = answer(q, "question.\(q.id)", "/questions/\(q.id)") { c.questions.append((q.id, v)) }
        }
        for item in d.items {
            let rating = value("rating.\(item.id)") ?? ""
            let comment = value("comment.\(item.id)").flatMap { $0.isEmpty ? nil : $0 }
            let suggestion = value("suggestion.\(item.id)").flatMap { $0.isEmpty ? nil : $0 }
            switch rating {
            case "":
                if comment != nil || suggestion != nil {
                    errors.append(FieldError("/answers/\(item.id)/rating", FormStrings.format(strings.ratingNeeded, item.id)))
                }
            case "none":
                c.answers.append((item.id, CriterionAnswer(rating: nil, comment: comment, suggestion: suggestion)))
            default:
                guard let n = Int(rating), (1...5).contains(n) else {
                    errors.append(FieldError("/answers/\(item.id)/rating", FormStrings.format(strings.ratingInvalid, item.id)))
                    continue
                }
                c.answers.append((item.id, CriterionAnswer(rating: n, comment: comment, suggestion: suggestion)))
            }
        }
        c.consentGiven = value("consent") == "yes"
        c.consentVersion = value("privacyVersion")
        return (c, errors)
    }

    /// The fields that show a stored response in the form.
    package init(_ content: ResponseContent) {
        var pairs: [(String, String)] = []
        for (part, list) in [("profile", content.profile), ("question", content.questions)] {
            for (id, v) in list {
                switch v {
                case .text(let s): pairs.append(("\(part).\(id)", s))
                case .number(let n): pairs.append(("\(part).\(id)", String(n)))
                case .choices(let l): pairs += l.map { ("\(part).\(id)", $0) }
                }
            }
        }
        for (id, a) in content.answers {
            pairs.append(("rating.\(id)", a.rating.map(String.init) ?? "none"))
            if let c = a.comment { pairs.append(("comment.\(id)", c)) }
            if let s = a.suggestion { pairs.append(("suggestion.\(id)", s)) }
        }
        self.pairs = pairs
    }
}

/// What a form page needs besides the definition: the values to show, errors, the hidden fields.
package struct FormPageModel {
    package var values = FormValues()
    package var errors: [FieldError] = []
    /// A message shown in the error summary that belongs to no field (CSRF, rate limit, honeypot).
    package var generalError: String?
    package var csrfToken: String
    package var submissionKey: String
    package var draftToken: String?
    package var draftLink: String?
    package var notice: String?
    /// For the edit page: where the form posts and the edit token it carries.
    package var editing: (id: String, token: String)?
    package var now: Timestamp
    /// A criterion the page was linked to (`?criterion=MC-07`, from the editor): its comments are open and
    /// its comment box has the focus when the page loads, without script.
    package var focusCriterion: String?
    /// A registration form's places and how they are taken (shown at the top of the form).
    package var places: PlacesModel?

    package init(values: FormValues, csrfToken: String, submissionKey: String, now: Timestamp) {
        self.values = values
        self.csrfToken = csrfToken
        self.submissionKey = submissionKey
        self.now = now
    }
}

/// Renders the consultation's pages as server-side HTML: no script, one stylesheet, every text escaped.
package struct FormRenderer {
    package let definition: ConsultationDefinition
    package let strings: FormStrings

    package init(definition: ConsultationDefinition, strings: FormStrings) {
        self.definition = definition
        self.strings = strings
    }

    package func page(title: String, body: String, hasErrors: Bool = false) -> String {
        let language = definition.language
        let direction = ConsultationDefinition.isRightToLeft(language) ? " dir=\"rtl\"" : ""
        return """
            <!doctype html>
            <html lang="\(HTML.escape(language))"\(direction)>
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(hasErrors ? HTML.escape(strings.errorTitlePrefix) : "")\(HTML.escape(title))</title>
            <link rel="stylesheet" href="/assets/form.css">
            </head>
            <body>
            <a class="skip" href="#main">\(HTML.escape(strings.skipLink))</a>
            <header class="banner"><p class="brand">ECCOE</p>\(languageSwitch())</header>
            <main id="main">
            \(interfaceFallbackNotice())\(body)
            </main>
            </body>
            </html>

            """
    }

    /// Links to the page in each of the consultation's languages (plain links: a saved draft lives in its cookie and
    /// comes back in the new language; `?lang=` keeps the page's path).
    private func languageSwitch() -> String {
        guard definition.languages.count > 1 else { return "" }
        var out = "<nav class=\"languages\" aria-label=\"\(HTML.escape(strings.languageSwitch))\"><ul>"
        for l in definition.languages {
            let name = HTML.escape(FormStrings.name(of: l))
            if l == definition.language {
                out += "<li><a href=\"?lang=\(HTML.escape(l))\" lang=\"\(HTML.escape(l))\" aria-current=\"page\">\(name)</a></li>"
            } else {
                out +=
                    "<li><a href=\"?lang=\(HTML.escape(l))\" lang=\"\(HTML.escape(l))\" hreflang=\"\(HTML.escape(l))\">\(name)</a></li>"
            }
        }
        return out + "</ul></nav>"
    }

    /// When the interface has no message catalogue in the page's language, say so (its strings are English).
    private func interfaceFallbackNotice() -> String {
        guard strings.languageTag != definition.language,
            strings.languageTag != definition.language.split(separator: "-").first.map(String.init)
        else { return "" }
        return
            "<p class=\"untranslated-notice\" lang=\"en\" dir=\"ltr\">The buttons and messages of this page are not translated into "
            + "\(HTML.escape(FormStrings.name(of: definition.language))) yet: they are shown in English.</p>\n"
    }

    /// A definition text as inline HTML (`html`, already escaped), marked when it is shown in the fallback
    /// language because it has no translation: in that language's `lang`, followed by a visible note.
    private func marked(_ text: String, _ html: String) -> String {
        guard definition.untranslated.contains(text) else { return html }
        let l = HTML.escape(definition.fallbackLanguage)
        return
            "<span lang=\"\(l)\" dir=\"auto\">\(html)</span> <span class=\"untranslated\">(\(HTML.escape(strings.untranslated)))</span>"
    }

    /// The same for a block of text (paragraphs).
    private func markedBlock(_ text: String, _ html: String) -> String {
        guard definition.untranslated.contains(text) else { return html }
        let l = HTML.escape(definition.fallbackLanguage)
        return "<p class=\"untranslated\">(\(HTML.escape(strings.untranslated)))</p><div lang=\"\(l)\" dir=\"auto\">\(html)</div>"
    }

    private func windowText(_ now: Timestamp) -> String {
        switch definition.state(at: now) {
        case "draft":
            "<p class=\"window closed\">\(HTML.escape(strings.opensOn)) \(HTML.escape(definition.opensAt.display(in: definition.timeZone, language: definition.language))). "
                + "\(HTML.escape(strings.notYetOpenExplanation))</p>"
        case "closed":
            "<p class=\"window closed\">\(HTML.escape(strings.closedOn)) \(HTML.escape(definition.closesAt.display(in: definition.timeZone, language: definition.language))). "
                + "\(HTML.escape(strings.closedExplanation))</p>"
        default:
            "<p class=\"window\">\(HTML.escape(strings.openUntil)) \(HTML.escape(definition.closesAt.display(in: definition.timeZone, language: definition.language))).</p>"
        }
    }

    /// The questionnaire: profile, each section's criteria and questions, consent, submit and draft buttons.
    package func form(_ m: FormPageModel) -> String {
        let errorNames = Dictionary(
            m.errors.map { (FormFieldNames.name(forPointer: $0.pointer), strings.message(for: $0)) },
            uniquingKeysWith: { a, _ in a })
        var out = "<h1>\(marked(definition.title, HTML.escape(definition.title)))</h1>\n"
        out += (registrationWindow(m.now) ?? windowText(m.now)) + "\n"
        out += registrationBox(m.places)
        if m.generalError != nil || !m.errors.isEmpty {
            out += "<div class=\"error-summary\" id=\"errors\" role=\"alert\" tabindex=\"-1\" aria-labelledby=\"errors-title\">\n"
            out += "<h2 id=\"errors-title\">\(HTML.escape(strings.errorSummaryTitle))</h2>\n"
            if let g = m.generalError { out += "<p>\(HTML.escape(g))</p>\n" }
            if !m.errors.isEmpty {
                out += "<p>\(HTML.escape(strings.errorSummaryHint))</p>\n<ul>\n"
                // In the order of the form, so the list reads like the page.
                let order = fieldOrder
                let sorted = m.errors.enumerated().sorted {
                    (order[FormFieldNames.name(forPointer: $0.element.pointer)] ?? Int.max, $0.offset)
                        < (order[FormFieldNames.name(forPointer: $1.element.pointer)] ?? Int.max, $1.offset)
                }.map(\.element)
                for e in sorted {
                    out +=
                        "<li><a href=\"#\(HTML.escape(e.formFieldID))\">\(HTML.escape(label(forPointer: e.pointer)))\(HTML.escape(strings.labelSeparator))\(HTML.escape(strings.message(for: e)))</a></li>\n"
                }
                out += "</ul>\n"
            }
            out += "</div>\n"
        }
        if let notice = m.notice { out += "<div class=\"notice\" role=\"status\"><p>\(HTML.escape(notice))</p></div>\n" }
        if let link = m.draftLink {
            out +=
                "<div class=\"notice\" role=\"status\"><p>\(HTML.escape(strings.draftSaved))</p>"
                + "<p><a class=\"draft-link\" href=\"\(HTML.escape(link))\">\(HTML.escape(link))</a></p></div>\n"
        }
        if m.editing == nil, let intro = definition.introduction {
            out += "<div class=\"intro\">\(markedBlock(intro, HTML.paragraphs(intro)))</div>\n"
        }
        if m.editing != nil { out += "<p>\(HTML.escape(strings.editIntro))</p>\n" }

        let sections = definition.sections
        let partCount = sections.count + 2
        out += "<nav aria-label=\"\(HTML.escape(strings.partsNavigation))\"><ol class=\"parts\">\n"
        out += "<li><a href=\"#s-profile\">\(HTML.escape(strings.aboutYou))</a></li>\n"
        for s in sections { out += "<li><a href=\"#s-\(HTML.escape(s.id))\">\(marked(s.title, HTML.escape(s.title)))</a></li>\n" }
        out += "<li><a href=\"#s-submit\">\(HTML.escape(strings.privacyAndSubmit))</a></li>\n</ol></nav>\n"

        let total = definition.items.count
        let rated = definition.items.filter { !(m.values.value("rating.\($0.id)") ?? "").isEmpty }.count
        if total > 0 {
            out +=
                "<div class=\"progress\"><label for=\"progress\">\(HTML.escape(strings.progressLabel))</label> "
                + "<progress id=\"progress\" max=\"\(total)\" value=\"\(rated)\">\(rated) / \(total)</progress> "
                + "<span>\(HTML.escape(FormStrings.format(strings.progressText, String(rated), String(total))))</span></div>\n"
        }

        let action = m.editing.map { "/edit/\(FormDecoding.encode($0.id))" } ?? "/"
        out += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>\n"
        out +=
            hidden("csrf", m.csrfToken) + hidden("submissionKey", m.submissionKey)
            + hidden("privacyVersion", definition.privacyVersion) + hidden("lang", definition.language)
        if let t = m.draftToken { out += hidden("draft", t) }
        if let e = m.editing { out += hidden("token", e.token) }
        out +=
            "<div class=\"hp\" aria-hidden=\"true\"><label for=\"f-website\">\(HTML.escape(strings.honeypotLabel))</label>"
            + "<input type=\"text\" id=\"f-website\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"

        out +=
            "<section id=\"s-profile\" aria-labelledby=\"h-profile\">\n<h2 id=\"h-profile\"><span class=\"part\">\(HTML.escape(strings.part)) 1 "
            + "\(HTML.escape(strings.of)) \(partCount)</span> \(HTML.escape(strings.aboutYou))</h2>\n"
        for q in definition.profile { out += question(q, name: "profile.\(q.id)", values: m.values, errors: errorNames) }
        out += "</section>\n"

        for (index, s) in sections.enumerated() {
            out += "<section id=\"s-\(HTML.escape(s.id))\" aria-labelledby=\"h-\(HTML.escape(s.id))\">\n"
            out +=
                "<h2 id=\"h-\(HTML.escape(s.id))\"><span class=\"part\">\(HTML.escape(strings.part)) \(index + 2) \(HTML.escape(strings.of)) "
                + "\(partCount)</span> \(marked(s.title, HTML.escape(s.title)))</h2>\n"
            if let d = s.description { out += "<p class=\"section-description\">\(marked(d, HTML.inlineCode(d)))</p>\n" }
            for c in s.items { out += criterion(c, values: m.values, errors: errorNames, focus: c.id == m.focusCriterion) }
            for q in s.questions { out += question(q, name: "question.\(q.id)", values: m.values, errors: errorNames) }
            out += "</section>\n"
        }

        out +=
            "<section id=\"s-submit\" aria-labelledby=\"h-submit\">\n<h2 id=\"h-submit\"><span class=\"part\">\(HTML.escape(strings.part)) "
            + "\(partCount) \(HTML.escape(strings.of)) \(partCount)</span> \(HTML.escape(strings.privacyAndSubmit))</h2>\n"
        out += registrationPurpose()
        out +=
            "<div class=\"privacy\"><h3>\(HTML.escape(strings.privacyVersion)) \(HTML.escape(definition.privacyVersion))</h3>\n"
            + markedBlock(definition.privacyText, HTML.paragraphs(definition.privacyText)) + "</div>\n"
        let consentError = errorNames["consent"]
        out += "<div class=\"field consent\(consentError != nil ? " invalid" : "")\">"
        if let consentError { out += "<p class=\"field-error\" id=\"err-f-consent\">\(HTML.escape(consentError))</p>" }
        out +=
            "<input type=\"checkbox\" id=\"f-consent\" name=\"consent\" value=\"yes\"\(m.values.value("consent") == "yes" ? " checked" : "")"
            + "\(consentError != nil ? " aria-invalid=\"true\" aria-describedby=\"err-f-consent\"" : "")>"
            + "<label for=\"f-consent\">\(HTML.escape(strings.consentLabel))</label></div>\n"
        out += "<div class=\"actions\">"
        if m.editing != nil {
            out += "<button type=\"submit\" name=\"action\" value=\"submit\">\(HTML.escape(strings.update))</button>"
        } else {
            out +=
                "<button type=\"submit\" name=\"action\" value=\"submit\">\(HTML.escape(definition.registration == nil ? strings.submit : registerLabel(m.places)))</button>"
                + "<button type=\"submit\" name=\"action\" value=\"draft\" class=\"secondary\">\(HTML.escape(strings.saveDraft))</button>"
        }
        out += "</div>\n</section>\n</form>\n"
        if let e = m.editing {
            out +=
                "<form method=\"post\" action=\"/edit/\(HTML.escape(FormDecoding.encode(e.id)))/withdraw\" class=\"withdraw\">\n"
                + "<h2>\(HTML.escape(strings.withdrawTitle))</h2>\n" + hidden("csrf", m.csrfToken) + hidden("token", e.token)
                + "<div class=\"field\"><input type=\"checkbox\" id=\"f-confirm\" name=\"confirm\" value=\"yes\">"
                + "<label for=\"f-confirm\">\(HTML.escape(strings.withdrawConfirm))</label></div>\n"
                + "<div class=\"actions\"><button type=\"submit\" class=\"danger\">\(HTML.escape(strings.withdrawButton))</button></div>\n</form>\n"
        }
        return page(title: definition.title, body: out, hasErrors: m.generalError != nil || !m.errors.isEmpty)
    }

    /// The position of each field name in the form.
    package var fieldOrder: [String: Int] {
        var names = definition.profile.map { "profile.\($0.id)" }
        for section in definition.sections {
            for c in section.items { names += ["rating.\(c.id)", "comment.\(c.id)", "suggestion.\(c.id)"] }
            names += section.questions.map { "question.\($0.id)" }
        }
        names.append("consent")
        return Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(HTML.escape(name))\" value=\"\(HTML.escape(value))\">\n"
    }

    /// The label of the field an error pointer names, for the error summary.
    package func label(forPointer pointer: String) -> String {
        let name = FormFieldNames.name(forPointer: pointer)
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return name == "consent" ? strings.privacyAndSubmit : definition.title }
        switch parts[0] {
        case "profile": return definition.profileQuestion(parts[1])?.label ?? parts[1]
        case "question": return definition.freeQuestion(parts[1])?.label ?? parts[1]
        case "comment": return "\(parts[1]) – \(strings.commentLabel)"
        case "suggestion": return "\(parts[1]) – \(strings.suggestionLabel)"
        default: return "\(parts[1]) \(definition.item(parts[1])?.title ?? "")"
        }
    }

    private func errorAttributes(_ id: String, _ error: String?) -> String {
        error == nil ? "" : " aria-invalid=\"true\" aria-describedby=\"err-\(id)\""
    }

    private func errorParagraph(_ id: String, _ error: String?) -> String {
        guard let error else { return "" }
        return "<p class=\"field-error\" id=\"err-\(id)\">\(HTML.escape(error))</p>\n"
    }

    private func conditionClass(_ q: Question) -> String {
        guard let c = q.showIf else { return "" }
        return " conditional cond-\(c.question)-" + c.values.map { $0.replacingCharacters(".", "_") }.joined(separator: "-")
    }

    /// Text questions whose `maxLength` is at most this get a one-line input instead of a textarea.
    package static let maxSingleLineLength = 200

    /// A profile or free question: radios in a fieldset, checkboxes in a fieldset, a select for long
    /// option lists, a textarea for text (a one-line input for short text, e-mail and organisation).
    package func question(_ q: Question, name: String, values: FormValues, errors: [String: String]) -> String {
        let id = FormFieldNames.id(name)
        let error = errors[name]
        let required = q.required ? " <span class=\"required\">\(HTML.escape(strings.requiredMarker))</span>" : ""
        let help = q.help.map { "<p class=\"help\" id=\"help-\(id)\">\(marked($0, HTML.escape($0)))</p>\n" } ?? ""
        let cls = "field\(error != nil ? " invalid" : "")\(conditionClass(q))"
        let selected = Set(values.values(name))
        switch q.type {
        case .text where (q.maxLength ?? Int.max) <= FormRenderer.maxSingleLineLength:
            // A short answer (a name, a role) is one line.
            let v = values.value(name) ?? ""
            return
                "<div class=\"\(cls)\">\n<label for=\"\(id)\">\(marked(q.label, HTML.escape(q.label)))\(required)</label>\n\(help)\(errorParagraph(id, error))"
                + "<input type=\"text\" id=\"\(id)\" name=\"\(HTML.escape(name))\" maxlength=\"\(q.maxLength ?? 0)\" value=\"\(HTML.escape(v))\"\(errorAttributes(id, error))>\n</div>\n"
        case .text:
            let v = values.value(name) ?? ""
            let limit = q.maxLength.map { " maxlength=\"\($0)\"" } ?? ""
            return
                "<div class=\"\(cls)\">\n<label for=\"\(id)\">\(marked(q.label, HTML.escape(q.label)))\(required)</label>\n\(help)\(errorParagraph(id, error))"
                + "<textarea id=\"\(id)\" name=\"\(HTML.escape(name))\" rows=\"3\"\(limit)\(errorAttributes(id, error))>\(HTML.escape(v))</textarea>\n</div>\n"
        case .email, .organisation:
            // One line, with the input type and autocomplete token that let browsers and password managers fill it.
            let v = values.value(name) ?? ""
            let attributes =
                q.type == .email
                ? " type=\"email\" autocomplete=\"email\" inputmode=\"email\" spellcheck=\"false\" maxlength=\"\(EmailAddress.maxBytes)\""
                : " type=\"text\" autocomplete=\"organization\"" + (q.maxLength.map { " maxlength=\"\($0)\"" } ?? "")
            return
                "<div class=\"\(cls)\">\n<label for=\"\(id)\">\(marked(q.label, HTML.escape(q.label)))\(required)</label>\n\(help)\(errorParagraph(id, error))"
                + "<input id=\"\(id)\" name=\"\(HTML.escape(name))\"\(attributes) value=\"\(HTML.escape(v))\"\(errorAttributes(id, error))>\n</div>\n"
        case .singleChoice where q.options.count > 12:
            var out =
                "<div class=\"\(cls)\">\n<label for=\"\(id)\">\(marked(q.label, HTML.escape(q.label)))\(required)</label>\n\(help)\(errorParagraph(id, error))"
            out +=
                "<select id=\"\(id)\" name=\"\(HTML.escape(name))\"\(errorAttributes(id, error))>\n<option value=\"\">\(HTML.escape(strings.chooseCountry))</option>\n"
            for o in q.options {
                out +=
                    "<option value=\"\(HTML.escape(o.value))\"\(selected.contains(o.value) ? " selected" : "")>\(HTML.escape(o.label))\(definition.untranslated.contains(o.label) ? " (\(HTML.escape(strings.untranslated)))" : "")</option>\n"
            }
            return out + "</select>\n</div>\n"
        case .singleChoice, .multipleChoice, .likert:
            var options = q.options
            if q.type == .likert, let s = q.scale {
                options = (s.min...s.max).map { n in
                    let label =
                        n == s.min ? s.minLabel.map { "\(n) – \($0)" } : n == s.max ? s.maxLabel.map { "\(n) – \($0)" } : nil
                    return ChoiceOption(value: String(n), label: label ?? String(n))
                }
            }
            let inputType = q.type == .multipleChoice ? "checkbox" : "radio"
            var out =
                "<fieldset class=\"\(cls)\(q.type == .likert ? " scale" : "")\"\(error != nil ? " aria-describedby=\"err-\(id)\"" : "")>\n"
                + "<legend>\(marked(q.label, HTML.escape(q.label)))\(required)</legend>\n\(help)\(errorParagraph(id, error))<div class=\"options\">\n"
            for (i, o) in options.enumerated() {
                let oid = i == 0 ? id : "\(id)-\(i + 1)"
                out +=
                    "<div class=\"option\"><input type=\"\(inputType)\" id=\"\(oid)\" name=\"\(HTML.escape(name))\" value=\"\(HTML.escape(o.value))\""
                    + "\(selected.contains(o.value) ? " checked" : "")\(i == 0 && error != nil ? " aria-invalid=\"true\"" : "")>"
                    + "<label for=\"\(oid)\">\(marked(o.label, HTML.escape(o.label)))</label></div>\n"
            }
            return out + "</div>\n</fieldset>\n"
        }
    }

    /// One criterion: a fieldset whose legend is the criterion, led by its plain statement (in the page language,
    /// or marked as untranslated), then two disclosures, "why this criterion" (the rationale) and "technical
    /// details" (the formal requirement and where the element lives in the data), both plain `<details>` that work
    /// without script, the rating radios with "no opinion", and the comment and suggestion in a disclosure.
    /// Its id is `criterion-ID`, the fragment of the editor's deep link; with `focus` the disclosure is open and
    /// the comment box has `autofocus` (the browser scrolls it into view and puts the cursor there).
    package func criterion(_ c: Criterion, values: FormValues, errors: [String: String], focus: Bool = false) -> String {
        let name = "rating.\(c.id)"
        let id = FormFieldNames.id(name)
        let error = errors[name]
        let current = values.value(name) ?? ""
        let cid = HTML.escape(c.id)
        let plain = c.plainStatement(in: definition.language)
        let describedBy = plain != nil ? "plain-\(cid)" : "req-\(cid)"
        var out =
            "<fieldset class=\"criterion\(error != nil ? " invalid" : "")\" id=\"criterion-\(cid)\" aria-describedby=\"\(describedBy)"
            + "\(error != nil ? " err-\(id)" : "")\">\n"
        out +=
            "<legend><span class=\"cid\">\(cid)</span> \(marked(c.title, HTML.escape(c.title))) <span class=\"level\">(\(HTML.escape(strings.level(c.level.rawValue))))</span></legend>\n"
        if let plain {
            out += "<p class=\"plain\" id=\"plain-\(cid)\">\(marked(plain.text, HTML.escape(plain.text)))</p>\n"
        }
        if !c.rationale.isEmpty {
            out +=
                "<details class=\"why\"><summary>\(HTML.escape(strings.criterionWhy))</summary><p>\(marked(c.rationale, HTML.inlineCode(c.rationale)))</p></details>\n"
        }
        out += "<details class=\"technical\"><summary>\(HTML.escape(strings.technicalDetails))</summary>\n"
        out += "<p class=\"technical-label\">\(HTML.escape(strings.technicalRequirement))</p>\n"
        out += "<p class=\"requirement\" id=\"req-\(cid)\">\(marked(c.requirement, HTML.inlineCode(c.requirement)))</p>\n"
        if !c.elmPaths.isEmpty {
            out +=
                "<p class=\"technical-label\">\(HTML.escape(strings.technicalPaths))</p>\n<ul class=\"paths\" lang=\"en\" dir=\"ltr\">"
            for p in c.elmPaths { out += "<li><code>\(HTML.escape(p))</code></li>" }
            out += "</ul>\n"
        }
        out += "</details>\n"
        out += "<p class=\"rating-question\">\(HTML.escape(strings.ratingQuestion))</p>\n" + errorParagraph(id, error)
        out += "<div class=\"options rating\">\n"
        let choices =
            (1...5).map { (String($0), "\($0) – \(definition.ratingLabels[$0 - 1])") }
            + (definition.noOpinion ? [("none", strings.noOpinion)] : [])
        for (i, (value, label)) in choices.enumerated() {
            let oid = i == 0 ? id : "\(id)-\(i + 1)"
            out +=
                "<div class=\"option\"><input type=\"radio\" id=\"\(oid)\" name=\"\(HTML.escape(name))\" value=\"\(value)\""
                + "\(current == value ? " checked" : "")\(i == 0 && error != nil ? " aria-invalid=\"true\"" : "")>"
                + "<label for=\"\(oid)\">\(HTML.escape(label))</label></div>\n"
        }
        out += "</div>\n"
        let comment = values.value("comment.\(c.id)") ?? "", suggestion = values.value("suggestion.\(c.id)") ?? ""
        let commentError = errors["comment.\(c.id)"], suggestionError = errors["suggestion.\(c.id)"]
        let open = focus || !comment.isEmpty || !suggestion.isEmpty || commentError != nil || suggestionError != nil
        let commentID = FormFieldNames.id("comment.\(c.id)"), sid = FormFieldNames.id("suggestion.\(c.id)")
        out +=
            "<details class=\"texts\"\(open ? " open" : "")><summary>\(HTML.escape(strings.commentToggle))</summary>\n"
            + "<label for=\"\(commentID)\">\(HTML.escape(strings.commentLabel))</label>\n\(errorParagraph(commentID, commentError))"
            + "<textarea id=\"\(commentID)\" name=\"comment.\(HTML.escape(c.id))\" rows=\"3\"\(focus ? " autofocus" : "")\(errorAttributes(commentID, commentError))>\(HTML.escape(comment))</textarea>\n"
            + "<label for=\"\(sid)\">\(HTML.escape(strings.suggestionLabel))</label>\n\(errorParagraph(sid, suggestionError))"
            + "<textarea id=\"\(sid)\" name=\"suggestion.\(HTML.escape(c.id))\" rows=\"3\"\(errorAttributes(sid, suggestionError))>\(HTML.escape(suggestion))</textarea>\n"
            + "</details>\n</fieldset>\n"
        return out
    }

    /// The receipt: response id, time, and the edit link shown this once.
    package func receipt(_ r: Receipt, editLink: String) -> String {
        let body = """
            <h1>\(HTML.escape(strings.receiptTitle))</h1>
            <div class="notice receipt" role="status">
            <dl>
            <dt>\(HTML.escape(strings.receiptID))</dt><dd><code>\(HTML.escape(r.id))</code></dd>
            <dt>\(HTML.escape(strings.receiptReceived))</dt><dd>\(HTML.escape(r.receivedAt.display(in: definition.timeZone, language: definition.language)))</dd>
            </dl>
            <p>\(HTML.escape(strings.receiptEditLink))</p>
            <p><a class="edit-link" href="\(HTML.escape(editLink))">\(HTML.escape(editLink))</a></p>
            </div>
            <p><a href="/">\(HTML.escape(strings.receiptBack))</a></p>
            """
        return page(title: strings.receiptTitle, body: body)
    }

    /// A short page with a title and a message (withdrawn, not found, closed).
    package func message(title: String, text: String) -> String {
        page(
            title: title,
            body:
                "<h1>\(HTML.escape(title))</h1>\n<p>\(HTML.escape(text))</p>\n<p><a href=\"/\">\(HTML.escape(strings.receiptBack))</a></p>"
        )
    }

    /// The stylesheet. Conditional questions are hidden only where the browser supports `:has()`, so
    /// without it every question stays visible (and the server still applies the conditions).
    package func stylesheet() -> String {
        var css = FormRenderer.baseCSS + FormRenderer.registrationCSS
        var conditions: [String] = []
        for q in definition.profile + definition.questions {
            guard let c = q.showIf else { continue }
            let cls = conditionClass(q).split(separator: " ").last.map(String.init) ?? ""
            let selectors = c.values.map { "form:has(input[name=\"profile.\(c.question)\"][value=\"\($0)\"]:checked) .\(cls)" }
            conditions.append("  .\(cls) { display: none; }\n  \(selectors.joined(separator: ",\n  ")) { display: block; }")
        }
        if !conditions.isEmpty {
            css += "@supports selector(:has(a)) {\n" + Set(conditions).sorted().joined(separator: "\n") + "\n}\n"
        }
        return css
    }

    package static let baseCSS = """
        :root { --ink: #1b1b1b; --muted: #505a5f; --accent: #1d4f91; --error: #b3261e; --paper: #fff; --line: #b1b4b6; --soft: #f3f2f1; }
        * { box-sizing: border-box; }
        html { font-size: 100%; }
        body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: var(--paper); }
        main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
        .banner { background: var(--accent); color: #fff; padding: .5rem 1rem; }
        .brand { margin: 0; font-weight: 700; letter-spacing: .05em; max-width: 48rem; margin: 0 auto; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: .5rem 0 1rem; }
        h2 { font-size: 1.375rem; margin: 2rem 0 1rem; border-top: 4px solid var(--accent); padding-top: .75rem; }
        .part { display: block; font-size: 1rem; color: var(--muted); font-weight: 400; }
        a { color: var(--accent); }
        a:focus, input:focus, textarea:focus, select:focus, button:focus, summary:focus { outline: 3px solid #fd0; outline-offset: 2px; }
        .skip { position: absolute; inset-inline-start: -999px; top: 0; background: #fd0; color: #000; padding: .5rem; }
        .skip:focus { inset-inline-start: 0; }
        .window { background: var(--soft); padding: .5rem .75rem; border-inline-start: 4px solid var(--accent); }
        .window.closed { border-inline-start-color: var(--error); }
        .error-summary { border: 4px solid var(--error); padding: 1rem; margin: 1rem 0; }
        .error-summary h2 { border: 0; margin: 0 0 .5rem; padding: 0; }
        .error-summary a { color: var(--error); font-weight: 700; }
        .notice { border: 4px solid #00703c; padding: 1rem; margin: 1rem 0; overflow-wrap: anywhere; }
        .field-error { color: var(--error); font-weight: 700; margin: .25rem 0; }
        .invalid { border-inline-start: 4px solid var(--error); padding-inline-start: .75rem; }
        fieldset { border: 1px solid var(--line); margin: 0 0 1.25rem; padding: .75rem 1rem 1rem; min-width: 0; }
        legend { font-weight: 700; padding: 0 .25rem; max-width: 100%; }
        .cid { display: inline-block; font-family: ui-monospace, monospace; background: var(--soft); padding: 0 .3rem; margin-right: .25rem; }
        .level { color: var(--muted); font-weight: 400; }
        .requirement { margin-top: .25rem; }
        .plain { margin: .25rem 0 .5rem; font-size: 1.0625rem; }
        .technical[open] { background: var(--soft); padding: 0 .75rem .5rem; }
        .technical-label { font-weight: 700; color: var(--muted); font-size: .875rem; margin: .5rem 0 .125rem; }
        .paths { margin: 0; padding-inline-start: 1.25rem; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; background: var(--soft); padding: 0 .2rem; overflow-wrap: anywhere; }
        .rating-question, .help { color: var(--muted); margin: .5rem 0; }
        .options { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
        .rating .option, .scale .option { flex: 1 1 9rem; }
        .option { display: flex; align-items: flex-start; gap: .4rem; padding: .2rem 0; }
        .option input { width: 1.25rem; height: 1.25rem; margin: .15rem 0 0; flex: none; }
        .field { margin: 0 0 1.25rem; }
        .field > label, .texts label { display: block; font-weight: 700; margin: .5rem 0 .25rem; }
        textarea, select, input[type=text] { width: 100%; max-width: 100%; font: inherit; padding: .4rem; border: 2px solid var(--ink); }
        legend, label, .plain, .requirement, h1, h2 { overflow-wrap: anywhere; }
        .option label { min-width: 0; }
        details { margin: .5rem 0; }
        summary { cursor: pointer; color: var(--accent); text-decoration: underline; }
        .parts { padding-inline-start: 1.5rem; }
        .banner { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .25rem 1rem; }
        .languages ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
        .languages a { color: #fff; }
        .languages a[aria-current] { font-weight: 700; text-decoration: none; }
        .untranslated { color: var(--muted); font-size: .875rem; font-weight: 400; font-style: italic; }
        .untranslated-notice { background: var(--soft); padding: .5rem .75rem; }
        h1, h2, legend, label, .plain, .requirement, .help, .intro, .privacy { hyphens: auto; }
        .progress { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0; }
        progress { width: 12rem; height: 1rem; }
        .privacy { background: var(--soft); padding: .5rem 1rem; }
        .privacy h3 { font-size: 1rem; }
        .consent { display: flex; gap: .5rem; align-items: flex-start; flex-wrap: wrap; }
        .consent input { width: 1.5rem; height: 1.5rem; flex: none; }
        .consent label { flex: 1 1 15rem; font-weight: 700; }
        .consent .field-error { flex-basis: 100%; }
        .actions { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1.5rem 0; }
        button { font: inherit; font-weight: 700; padding: .6rem 1.2rem; border: 0; background: #00703c; color: #fff; cursor: pointer; box-shadow: 0 2px 0 #002d18; }
        button.secondary { background: var(--soft); color: var(--ink); box-shadow: 0 2px 0 #929191; }
        button.danger { background: var(--error); }
        .withdraw { margin-top: 3rem; }
        .hp { position: absolute; inset-inline-start: -10000px; width: 1px; height: 1px; overflow: hidden; }
        dt { font-weight: 700; }
        dd { margin: 0 0 .5rem; overflow-wrap: anywhere; }
        @media (max-width: 30rem) { main { padding: .5rem; } h1 { font-size: 1.4rem; } fieldset { padding: .5rem; } }

        """
}
