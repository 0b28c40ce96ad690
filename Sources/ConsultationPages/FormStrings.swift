public import ConsultationDomain

/// Every fixed text of the form and its pages, in one table so translations can follow (one value per
/// language). Texts from the definition and the catalogue come from there, not from here.
///
/// One catalogue per language: `FormStrings.english` here, the others in `FormStrings+LANGUAGE.swift`, all listed
/// in `FormStrings.catalogues`. To add a language, copy `FormStrings+French.swift`, translate every value, and
/// add the catalogue to that list; `MessageCatalogueTests` fails until every string is translated.
public struct FormStrings: MessageCatalogue {
    public var languageTag = "en"
    /// The language's name in itself, for the language switch.
    public var languageName = "English"
    public var languageSwitch = "Language"
    /// Shown after a definition text that has no translation into the page's language.
    public var untranslated = "not translated: shown in English"
    public var skipLink = "Skip to the questionnaire"
    public var errorSummaryTitle = "There is a problem with your answers"
    public var errorSummaryHint = "Everything you typed is kept. Please correct the following and submit again:"
    public var errorTitlePrefix = "Error: "
    public var openUntil = "Open for responses until"
    public var opensOn = "This consultation opens on"
    public var closedOn = "This consultation closed on"
    public var closedExplanation = "Responses can no longer be submitted, changed or withdrawn."
    public var notYetOpenExplanation = "You can read the questionnaire now; responses are accepted from the opening time."
    public var partsNavigation = "Parts of the questionnaire"
    public var part = "Part"
    public var of = "of"
    public var aboutYou = "About you"
    public var privacyAndSubmit = "Privacy and submission"
    public var progressLabel = "Criteria rated"
    public var progressText = "You have rated %1 of %2 criteria."
    public var requiredMarker = "(required)"
    public var noOpinion = "No opinion"
    public var criterionWhy = "Why this criterion"
    /// The disclosure that holds a criterion's formal requirement and its data paths, under the plain statement.
    public var technicalDetails = "Technical details"
    public var technicalRequirement = "Formal requirement (what the checker tests)"
    public var technicalPaths = "Where in the data (European Learning Model property paths)"
    public var commentToggle = "Add a comment or suggest a rewording"
    public var commentLabel = "Comment"
    public var suggestionLabel = "Suggested rewording"
    public var ratingQuestion =
        "Is this criterion appropriate for a valid and successful credentialisation and recognition at your institution?"
    public var chooseCountry = "Choose a country"
    public var honeypotLabel = "Leave this field empty"
    public var privacyVersion = "Privacy statement, version"
    public var consentLabel = "I have read the privacy statement above and agree that my answers are processed as it describes."
    public var submit = "Submit my response"
    public var saveDraft = "Save a draft and continue later"
    public var update = "Save my changes"
    public var draftSaved =
        "Your draft is saved. To continue later, keep this link (it works on any device while the consultation is open):"
    public var draftNotFound = "This draft link is not known (it may have been used for a submission already)."
    public var receiptTitle = "Thank you: your response is recorded"
    public var receiptReceived = "Received on"
    public var receiptID = "Response id"
    public var receiptEditLink =
        "Your private edit link. It is shown only once: keep it to view, change or withdraw your response while the consultation is open."
    public var receiptBack = "Back to the questionnaire"
    public var editTitle = "Your response"
    public var editIntro =
        "You can change your answers and save them, or withdraw your response entirely, while the consultation is open."
    public var updatedNotice = "Your changes are saved."
    public var withdrawTitle = "Withdraw my response"
    public var withdrawConfirm = "Yes, delete my response. This cannot be undone."
    public var withdrawButton = "Withdraw my response"
    public var withdrawnTitle = "Your response was withdrawn"
    public var withdrawnText = "Your response and all its answers have been deleted."
    public var notFoundTitle = "Not found"
    public var notFoundText = "There is no response at this link, or the link is not complete."
    public var csrfProblem =
        "Your browser did not send the form's security cookie, or the page was too old. Your answers are kept below: please submit again (cookies for this site must be allowed)."
    public var rateLimited =
        "Too many submissions came from your network in the last minute. Your answers are kept: please wait %1 seconds and submit again."
    public var honeypotProblem =
        "The form could not be accepted. If you filled in the hidden field, leave it empty and submit again."
    public var closedProblem = "The consultation is not open, so nothing was saved."
    public var withdrawNeedsConfirmation = "Tick the box to confirm that you want to delete your response."
    public var ratingNeeded = "Choose a rating (or “No opinion”) to go with your comment or suggestion on %1"
    public var ratingInvalid = "Choose one of the ratings offered for %1"
    public var numberInvalid = "Choose one of the values offered"
    /// Between a field's label and its problem in the error summary.
    public var labelSeparator = ": "
    public var changeNotStored = "Your changes could not be stored; please try again."
    public var notWithdrawnTitle = "Not withdrawn"
    public var notWithdrawnText = "Your response could not be withdrawn; please try again."
    public var alreadySubmitted = "This form was submitted already. To change your answers, use the edit link from your receipt."
    // A participant's answers that the collector refuses (the form's error summary and the API's `fields` list).
    public var fieldConsentRequired = "Give your consent to the privacy statement to submit your response."
    public var fieldPrivacyVersion = "the privacy statement is at version %1; consent to that version"
    public var fieldAnswerRequired = "An answer is required."
    public var fieldOnlyForSomeAnswers = "“%1” applies only to some answers of the profile; leave it empty"
    public var fieldTooLong = "is %1 characters long; at most %2 are accepted"
    public var fieldControlCharacter = "contains the control character %1; remove it"
    public var fieldChooseOne = "choose one of the offered options"
    public var fieldChooseAmong = "choose among the offered options, each at most once"
    public var fieldWholeNumber = "must be a whole number from %1 to %2"
    public var fieldEmailTooLong = "is %1 bytes long; an e-mail address has at most %2"
    public var fieldNotAnEmail = "“%1” is not an e-mail address: %2"
    public var fieldOneLine = "must be one line, without tabs or control characters"
    // Why a text is not an e-mail address (`EmailProblem`), after `fieldNotAnEmail`.
    public var emailEmpty = "it is empty"
    public var emailTooLong = "it is %1 bytes long, and an address has at most %2"
    public var emailSpace = "it contains a space"
    public var emailControlCharacter = "it contains a control character"
    public var emailNoAt = "it has no @ (an address looks like name@example.org)"
    public var emailSeveralAt = "it has more than one @"
    public var emailNothingBeforeAt = "nothing comes before the @"
    public var emailNothingAfterAt = "nothing comes after the @"
    public var emailLocalPartTooLong = "the part before the @ is %1 bytes long; at most %2 are allowed"
    public var emailLocalPartDotAtEnd = "the part before the @ cannot start or end with a dot"
    public var emailTwoDotsInLocalPart = "it has two dots in a row before the @"
    public var emailLocalPartCharacter = "the part before the @ contains “%1”, which an address cannot hold"
    public var emailIPAddress = "write the domain's name after the @, not an IP address"
    public var emailDomainWithoutDot = "the domain after the @ has no dot; it looks like example.org"
    public var emailDomainEmptyPart = "the domain after the @ has an empty part (two dots in a row, or a dot at an end)"
    public var emailDomainPartTooLong = "a part of the domain is %1 bytes long; at most %2 are allowed"
    public var emailDomainCharacters = "the domain after the @ may hold only letters, digits, hyphens and dots"
    public var emailDomainPartHyphen = "a part of the domain cannot start or end with a hyphen"
    public var emailNumericTopLevel = "the domain after the @ ends in digits; write its name, such as example.org"
    // The JSON API's error messages (`error.message`; `error.code` is the same in every language).
    public var apiNoSuchEndpoint = "no such endpoint"
    public var apiNotFound = "no response with this id and edit token"
    public var apiUnsupportedMediaType = "send the response as application/json (Content-Type: application/json)"
    public var apiEmptyBody = "the body is empty; send a JSON object as described by consultation-response.schema.json"
    public var apiMalformedJSON = "malformed JSON at line %1, column %2 (byte %3): %4"
    public var apiInvalidResponseOne = "1 problem with the answers"
    public var apiInvalidResponseMany = "%1 problems with the answers"
    public var apiRateLimited = "too many writes from your address; retry in %1 s"
    public var apiAnalystRateLimited = "too many failed attempts from your address; retry in %1 s"
    public var apiUnauthorised = "this endpoint needs the analyst token (Authorization: Bearer TOKEN)"
    public var apiInvalidIdempotencyKey = "the Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is ideal)"
    public var apiIdempotencyKeyReused = "this Idempotency-Key was already used with a different body"
    public var apiWithdrawn = "the response sent with this Idempotency-Key has been withdrawn"
    public var apiNotStored = "the response could not be stored; nothing was saved, please retry (with the same Idempotency-Key)"
    public var apiChangeNotStored = "the change could not be stored; nothing was changed, please retry"
    public var apiOpensAt = "the consultation opens at %1; nothing was saved"
    public var apiClosedAt = "the consultation closed at %1; nothing was saved"
    public var apiInvalidAsOf = "as-of must be an RFC 3339 time such as 2027-02-01T00:00:00Z"
    public var apiInvalidFormat = "format must be csv, csv-wide or jsonl"
    public var apiStatisticsFailed = "statistics could not be computed: %1"
    public var apiReportFailed = "the report could not be built: %1"
    // The analysts' sign-in page.
    public var signInTitle = "Sign in to the report"
    public var signInIntro =
        "The report is for the consultation’s analysts. Enter the analyst token (the one printed when the database was created, or set in ECCOE_ANALYST_TOKEN); you stay signed in on this browser for %1 hours."
    public var signInTokenLabel = "Analyst token"
    public var signInButton = "Sign in"
    public var signInTooManyFailures = "Too many wrong tokens came from your address. Please wait %1 seconds and try again."
    public var signInStale = "The page was too old or your browser did not send its cookie; please sign in again."
    public var signInWrongToken = "That is not the analyst token."
    public var unsupportedEncodingTitle = "Unsupported form encoding"
    public var unsupportedEncodingText = "Send the form as application/x-www-form-urlencoded."
    public var levelMandatory = "mandatory"
    public var levelRecommended = "recommended"
    public var levelOptional = "optional"

    /// A criterion level's name (`mandatory`, `recommended`, `optional`) in this language.
    public func level(_ raw: String) -> String {
        switch raw {
        case "mandatory": levelMandatory
        case "recommended": levelRecommended
        case "optional": levelOptional
        default: raw
        }
    }

    /// A refused answer's message in this language (the collector's own problems), else the message as given.
    public func message(for error: FieldError) -> String {
        switch error.problem {
        case nil: error.message
        case .consentRequired: fieldConsentRequired
        case .privacyVersion(let v): FormStrings.format(fieldPrivacyVersion, v)
        case .answerRequired: fieldAnswerRequired
        case .onlyForSomeAnswers(let label): FormStrings.format(fieldOnlyForSomeAnswers, label)
        case .tooLong(let length, let limit): FormStrings.format(fieldTooLong, String(length), String(limit))
        case .controlCharacter(let code): FormStrings.format(fieldControlCharacter, code)
        case .chooseOne: fieldChooseOne
        case .chooseAmong: fieldChooseAmong
        case .wholeNumber(let min, let max): FormStrings.format(fieldWholeNumber, String(min), String(max))
        case .emailTooLong(let bytes, let limit): FormStrings.format(fieldEmailTooLong, String(bytes), String(limit))
        case .notAnEmail(let shown, let problem): FormStrings.format(fieldNotAnEmail, shown, reason(problem))
        case .oneLine: fieldOneLine
        }
    }

    /// Why a text is not an e-mail address, in this language.
    public func reason(_ problem: EmailProblem) -> String {
        switch problem {
        case .empty: emailEmpty
        case .tooLong(let bytes, let limit): FormStrings.format(emailTooLong, String(bytes), String(limit))
        case .space: emailSpace
        case .controlCharacter: emailControlCharacter
        case .noAt: emailNoAt
        case .severalAt: emailSeveralAt
        case .nothingBeforeAt: emailNothingBeforeAt
        case .nothingAfterAt: emailNothingAfterAt
        case .localPartTooLong(let bytes, let limit): FormStrings.format(emailLocalPartTooLong, String(bytes), String(limit))
        case .localPartDotAtEnd: emailLocalPartDotAtEnd
        case .twoDotsInLocalPart: emailTwoDotsInLocalPart
        case .localPartCharacter(let c): FormStrings.format(emailLocalPartCharacter, c)
        case .ipAddress: emailIPAddress
        case .domainWithoutDot: emailDomainWithoutDot
        case .domainEmptyPart: emailDomainEmptyPart
        case .domainPartTooLong(let bytes, let limit): FormStrings.format(emailDomainPartTooLong, String(bytes), String(limit))
        case .domainCharacters: emailDomainCharacters
        case .domainPartHyphen: emailDomainPartHyphen
        case .numericTopLevel: emailNumericTopLevel
        }
    }

    public static let english = FormStrings()

    /// Every interface language, by tag.
    public static let catalogues: [String: FormStrings] = ["en": .english, "fr": .french]

    /// A language's name in itself: its catalogue's, else from a short list, else the tag.
    public static func name(of language: String) -> String {
        if let c = catalogues[language] { return c.languageName }
        let known = [
            "ar": "العربية", "bg": "български", "cs": "čeština", "da": "dansk", "de": "Deutsch", "el": "Ελληνικά",
            "es": "español",
            "et": "eesti", "fa": "فارسی", "fi": "suomi", "ga": "Gaeilge", "he": "עברית", "hr": "hrvatski", "hu": "magyar",
            "it": "italiano", "lt": "lietuvių", "lv": "latviešu", "mt": "Malti", "nl": "Nederlands", "pl": "polski",
            "pt": "português", "ro": "română", "sk": "slovenčina", "sl": "slovenščina", "sv": "svenska", "uk": "українська",
        ]
        return known[language] ?? language
    }

}
