public import ConsultationDomain
import HTMLText
import HTTP

/// The fixed texts of a registration form's pages, per language (the form's own texts come from `FormStrings`; the
/// event's from the definition). Like `FormStrings`, one value per language; `RegistrationStrings.catalogues` lists
/// them and `MessageCatalogueTests` checks every one is translated.
public struct RegistrationStrings: MessageCatalogue {
    public var when = "When"
    public var location = "Where"
    public var places = "Places"
    /// `%1` places left of `%2`.
    public var placesLeft = "%1 of %2 places left."
    public var full =
        "All places are taken. If you register now, you join the waiting list: when a place is freed, the first on the list gets it."
    public var waitingSoFar = "%1 people are on the waiting list."
    public var waitingOne = "1 person is on the waiting list."
    public var joinWaitingList = "Join the waiting list"
    public var registrationOpenUntil = "Registration is open until"
    public var register = "Register"
    public var purpose = "Use of your personal data"
    /// `%1` days after the event, on `%2`.
    public var retention = "Your personal data are deleted %1 days after the event, on %2."
    public var confirmedTitle = "Your place is confirmed"
    public var waitingTitle = "You are on the waiting list"
    public var status = "Status"
    public var confirmed = "Confirmed"
    /// `%1`: the position.
    public var waitingPosition = "Waiting list, position %1"
    public var waitingExplanation =
        "When a registrant cancels, the first on the waiting list gets the place automatically. Open your private link to see where you stand."
    public var registeredOn = "Registered on"
    public var registrationID = "Registration number"
    public var whatYouRegistered = "What you registered"
    public var privateLink =
        "Your private link to this page. Keep it: it shows your registration and is the only way to cancel it. Anybody with the link can see your details."
    public var cancelLink = "Cancel my registration"
    public var cancelTitle = "Cancel your registration?"
    public var cancelExplanation =
        "Your place (or your position on the waiting list) is given up, and your details are deleted. This cannot be undone."
    public var cancelButton = "Yes, cancel my registration"
    public var keepLink = "No, keep my registration"
    public var cancelledTitle = "Your registration is cancelled"
    public var cancelledText = "Your registration and your details have been deleted."
    public var cancelledPromotedText = "Your place has gone to the first person on the waiting list."
    public var tooLateTitle = "The event has started"
    public var tooLateText = "Registrations can no longer be cancelled once the event has started."
    public var notFoundText = "There is no registration at this link: it may have been cancelled, or the link is not complete."

    public static let english = RegistrationStrings()

    public static let french: RegistrationStrings = {
        var s = RegistrationStrings()
        s.when = "Quand"
        s.location = "Où"
        s.places = "Places"
        s.placesLeft = "Il reste %1 places sur %2."
        s.full =
            "Toutes les places sont prises. Si vous vous inscrivez maintenant, vous rejoignez la liste d’attente : quand une place se libère, la première personne de la liste l’obtient."
        s.waitingSoFar = "%1 personnes sont sur la liste d’attente."
        s.waitingOne = "1 personne est sur la liste d’attente."
        s.joinWaitingList = "Rejoindre la liste d’attente"
        s.registrationOpenUntil = "Les inscriptions sont ouvertes jusqu’au"
        s.register = "M’inscrire"
        s.purpose = "Utilisation de vos données personnelles"
        s.retention = "Vos données personnelles sont supprimées %1 jours après l’événement, le %2."
        s.confirmedTitle = "Votre place est confirmée"
        s.waitingTitle = "Vous êtes sur la liste d’attente"
        s.status = "Statut"
        s.confirmed = "Confirmée"
        s.waitingPosition = "Liste d’attente, position %1"
        s.waitingExplanation =
            "Quand une personne inscrite annule, la première de la liste d’attente obtient sa place automatiquement. Ouvrez votre lien privé pour voir où vous en êtes."
        s.registeredOn = "Inscription le"
        s.registrationID = "Numéro d’inscription"
        s.whatYouRegistered = "Ce que vous avez indiqué"
        s.privateLink =
            "Votre lien privé vers cette page. Conservez-le : il montre votre inscription et c’est le seul moyen de l’annuler. Toute personne qui a le lien peut voir vos données."
        s.cancelLink = "Annuler mon inscription"
        s.cancelTitle = "Annuler votre inscription ?"
        s.cancelExplanation =
            "Votre place (ou votre position sur la liste d’attente) est abandonnée et vos données sont supprimées. C’est définitif."
        s.cancelButton = "Oui, annuler mon inscription"
        s.keepLink = "Non, garder mon inscription"
        s.cancelledTitle = "Votre inscription est annulée"
        s.cancelledText = "Votre inscription et vos données ont été supprimées."
        s.cancelledPromotedText = "Votre place a été attribuée à la première personne de la liste d’attente."
        s.tooLateTitle = "L’événement a commencé"
        s.tooLateText = "Une inscription ne peut plus être annulée une fois l’événement commencé."
        s.notFoundText = "Il n’y a pas d’inscription à ce lien : elle a peut-être été annulée, ou le lien est incomplet."
        return s
    }()

    /// Every language with its strings, by tag.
    public static let catalogues: [String: RegistrationStrings] = ["en": .english, "fr": .french]
}

/// What the registration pages show besides the definition: the places and how they are taken.
package struct PlacesModel: Sendable {
    package var places: Int
    package var confirmed: Int
    package var waiting: Int
    package init(places: Int, confirmed: Int, waiting: Int) {
        self.places = places
        self.confirmed = confirmed
        self.waiting = waiting
    }
}

/// A registration form's pages: the event box on the form, the confirmation page (what was registered, the status,
/// the private link), the cancellation page and its answer. Everything escaped through `HTMLText`; no script.
extension FormRenderer {
    package var registrationStrings: RegistrationStrings { RegistrationStrings.catalogue(for: strings.languageTag) }

    private func eventTime(_ r: RegistrationSettings) -> String {
        let zone = definition.timeZone, language = definition.language
        let start = r.startsAt.display(in: zone, language: language)
        guard let end = r.endsAt else { return start }
        let endText = end.display(in: zone, language: language)
        // The same day: "10 March 2027, 10:00 – 15:00 (Europe/Brussels)".
        if let a = start.firstRange(of: ", "), let b = endText.firstRange(of: ", "),
            start[..<a.lowerBound] == endText[..<b.lowerBound],
            let zone = start.firstRange(of: " (")
        {
            return String(start[..<zone.lowerBound]) + " – " + String(endText[b.upperBound...])
        }
        return start + " – " + endText
    }

    /// The event box shown at the top of a registration form: when, where, places left (or the waiting list).
    package func registrationBox(_ places: PlacesModel?) -> String {
        guard let r = definition.registration else { return "" }
        let s = registrationStrings
        var out = "<div class=\"event\">\n<dl>\n"
        out += "<dt>\(HTML.escape(s.when))</dt><dd>\(HTML.escape(eventTime(r)))</dd>\n"
        if let l = r.location { out += "<dt>\(HTML.escape(s.location))</dt><dd>\(HTML.escape(l))</dd>\n" }
        if let p = places {
            let free = max(0, p.places - p.confirmed)
            out += "<dt>\(HTML.escape(s.places))</dt><dd>"
            if free > 0 && p.waiting == 0 {
                out += HTML.escape(FormStrings.format(s.placesLeft, String(free), String(p.places)))
            } else {
                out += "<strong>\(HTML.escape(s.full))</strong>"
                if p.waiting > 0 {
                    out +=
                        " " + HTML.escape(p.waiting == 1 ? s.waitingOne : FormStrings.format(s.waitingSoFar, String(p.waiting)))
                }
            }
            out += "</dd>\n"
        }
        out += "</dl>\n</div>\n"
        return out
    }

    /// The submit button's label: "Register", or "Join the waiting list" once the places are taken.
    package func registerLabel(_ places: PlacesModel?) -> String {
        guard let p = places, p.confirmed >= p.places || p.waiting > 0 else { return registrationStrings.register }
        return registrationStrings.joinWaitingList
    }

    /// The window line of a registration form ("Registration is open until …").
    package func registrationWindow(_ now: Timestamp) -> String? {
        guard definition.registration != nil, definition.state(at: now) == "open" else { return nil }
        return "<p class=\"window\">\(HTML.escape(registrationStrings.registrationOpenUntil)) "
            + "\(HTML.escape(definition.effectiveClosesAt.display(in: definition.timeZone, language: definition.language))).</p>"
    }

    /// The purpose and retention of the personal data, shown above the privacy statement.
    package func registrationPurpose() -> String {
        guard let r = definition.registration else { return "" }
        let s = registrationStrings
        return "<div class=\"purpose\"><h3>\(HTML.escape(s.purpose))</h3>\n\(HTML.paragraphs(r.purpose))\n<p>"
            + HTML.escape(
                FormStrings.format(
                    s.retention, String(r.retentionDays),
                    r.erasureAt.display(in: definition.timeZone, language: definition.language)))
            + "</p></div>\n"
    }

    /// The confirmation page: the status (a confirmed place or the position on the waiting list), the event, what
    /// this registrant registered (and nobody else's), the private link and the way to cancel.
    package func registrationConfirmation(
        id: String, status: RegistrationStatus, registeredAt: Timestamp, content: ResponseContent, privateLink: String?,
        cancelAction: String
    ) -> String {
        let s = registrationStrings
        let title: String
        let statusText: String
        switch status {
        case .confirmed:
            title = s.confirmedTitle
            statusText = s.confirmed
        case .waiting(let p):
            title = s.waitingTitle
            statusText = FormStrings.format(s.waitingPosition, String(p))
        }
        var out = "<h1>\(HTML.escape(title))</h1>\n"
        out += "<p class=\"lead\">\(HTML.escape(definition.title))</p>\n"
        out += "<div class=\"notice receipt\(status == .confirmed ? "" : " waiting")\" role=\"status\">\n<dl>\n"
        out += "<dt>\(HTML.escape(s.status))</dt><dd class=\"status\">\(HTML.escape(statusText))</dd>\n"
        if let r = definition.registration {
            out += "<dt>\(HTML.escape(s.when))</dt><dd>\(HTML.escape(eventTime(r)))</dd>\n"
            if let l = r.location { out += "<dt>\(HTML.escape(s.location))</dt><dd>\(HTML.escape(l))</dd>\n" }
        }
        out +=
            "<dt>\(HTML.escape(s.registeredOn))</dt><dd>\(HTML.escape(registeredAt.display(in: definition.timeZone, language: definition.language)))</dd>\n"
        out += "<dt>\(HTML.escape(s.registrationID))</dt><dd><code>\(HTML.escape(id))</code></dd>\n"
        out += "</dl>\n"
        if case .waiting = status { out += "<p>\(HTML.escape(s.waitingExplanation))</p>\n" }
        out += "</div>\n"
        out += "<h2>\(HTML.escape(s.whatYouRegistered))</h2>\n<dl class=\"registered\">\n"
        for (question, value) in content.profile.compactMap({ p in definition.profileQuestion(p.0).map { ($0, p.1) } })
            + content.questions.compactMap({ q in definition.freeQuestion(q.0).map { ($0, q.1) } })
        {
            out += "<dt>\(HTML.escape(question.label))</dt><dd>\(HTML.escape(shown(value, of: question)))</dd>\n"
        }
        out += "</dl>\n"
        if let link = privateLink {
            out += "<div class=\"notice\"><p>\(HTML.escape(s.privateLink))</p>\n"
            out += "<p><a class=\"edit-link\" href=\"\(HTML.escape(link))\">\(HTML.escape(link))</a></p></div>\n"
        }
        out += registrationPurpose()
        out += "<p><a class=\"cancel-link\" href=\"\(HTML.escape(cancelAction))\">\(HTML.escape(s.cancelLink))</a></p>\n"
        return page(title: title, body: out)
    }

    /// An answer as the registrant sees it: choices by their labels.
    private func shown(_ value: AnswerValue, of question: Question) -> String {
        func label(_ v: String) -> String { question.options.first { $0.value == v }?.label ?? v }
        switch value {
        case .text(let t): return question.type == .singleChoice ? label(t) : t
        case .choices(let list): return list.map(label).joined(separator: "; ")
        case .number(let n): return String(n)
        }
    }

    /// The page that asks before cancelling: a POST form (CSRF token and the registration's token as hidden fields).
    package func cancelConfirmation(id: String, token: String, csrfToken: String, status: RegistrationStatus, backLink: String)
        -> String
    {
        let s = registrationStrings
        var out = "<h1>\(HTML.escape(s.cancelTitle))</h1>\n<p class=\"lead\">\(HTML.escape(definition.title))</p>\n"
        let statusText: String =
            switch status {
            case .confirmed: s.confirmed
            case .waiting(let p): FormStrings.format(s.waitingPosition, String(p))
            }
        out += "<dl><dt>\(HTML.escape(s.status))</dt><dd>\(HTML.escape(statusText))</dd></dl>\n"
        out += "<p>\(HTML.escape(s.cancelExplanation))</p>\n"
        out += "<form method=\"post\" action=\"/registration/\(HTML.escape(FormDecoding.encode(id)))/cancel\">\n"
        out += "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrfToken))\">\n"
        out += "<input type=\"hidden\" name=\"token\" value=\"\(HTML.escape(token))\">\n"
        out += "<input type=\"hidden\" name=\"lang\" value=\"\(HTML.escape(definition.language))\">\n"
        out +=
            "<div class=\"actions\"><button type=\"submit\" name=\"confirm\" value=\"yes\" class=\"danger\">\(HTML.escape(s.cancelButton))</button>"
        out += "<a class=\"keep\" href=\"\(HTML.escape(backLink))\">\(HTML.escape(s.keepLink))</a></div>\n</form>\n"
        return page(title: s.cancelTitle, body: out)
    }

    /// After a cancellation.
    package func cancelled(promoted: Bool) -> String {
        let s = registrationStrings
        var body =
            "<h1>\(HTML.escape(s.cancelledTitle))</h1>\n<div class=\"notice\" role=\"status\"><p>\(HTML.escape(s.cancelledText))</p>"
        if promoted { body += "<p>\(HTML.escape(s.cancelledPromotedText))</p>" }
        body += "</div>\n"
        return page(title: s.cancelledTitle, body: body)
    }

    /// The stylesheet's rules for the registration pages.
    package static let registrationCSS = """
        input[type=email] { width: 100%; max-width: 100%; font: inherit; padding: .4rem; border: 2px solid var(--ink); }
        .event { background: var(--soft); padding: .5rem 1rem; margin: 1rem 0; border-inline-start: 4px solid var(--accent); }
        .event dl, .receipt dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        .event dd, .receipt dd { margin: 0; }
        @media (max-width: 30rem) { .event dl, .receipt dl { grid-template-columns: 1fr; gap: 0; } .event dd, .receipt dd { margin-bottom: .5rem; } }
        .lead { font-size: 1.125rem; color: var(--muted); margin-top: -.5rem; }
        .receipt .status { font-size: 1.25rem; font-weight: 700; }
        .receipt.waiting { border-color: #b58105; }
        .registered dd { white-space: pre-line; }
        .purpose { background: var(--soft); padding: .5rem 1rem; margin: 1rem 0; }
        .purpose h3 { font-size: 1rem; }
        .actions .keep { align-self: center; }

        """
}
