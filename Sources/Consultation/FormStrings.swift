/// Every fixed text of the form and its pages, in one table so translations can follow (one value per
/// language). Texts from the definition and the catalogue come from there, not from here.
public struct FormStrings: Sendable {
    var languageTag = "en"
    var skipLink = "Skip to the questionnaire"
    var errorSummaryTitle = "There is a problem with your answers"
    var errorSummaryHint = "Everything you typed is kept. Please correct the following and submit again:"
    var errorTitlePrefix = "Error: "
    var openUntil = "Open for responses until"
    var opensOn = "This consultation opens on"
    var closedOn = "This consultation closed on"
    var closedExplanation = "Responses can no longer be submitted, changed or withdrawn."
    var notYetOpenExplanation = "You can read the questionnaire now; responses are accepted from the opening time."
    var partsNavigation = "Parts of the questionnaire"
    var part = "Part"
    var of = "of"
    var aboutYou = "About you"
    var privacyAndSubmit = "Privacy and submission"
    var progressLabel = "Criteria rated"
    var progressText = "You have rated %1 of %2 criteria."
    var requiredMarker = "(required)"
    var noOpinion = "No opinion"
    var criterionWhy = "Why this criterion"
    var commentToggle = "Add a comment or suggest a rewording"
    var commentLabel = "Comment"
    var suggestionLabel = "Suggested rewording"
    var ratingQuestion =
        "Is this criterion appropriate for a valid and successful credentialisation and recognition at your institution?"
    var chooseCountry = "Choose a country"
    var honeypotLabel = "Leave this field empty"
    var privacyVersion = "Privacy statement, version"
    var consentLabel = "I have read the privacy statement above and agree that my answers are processed as it describes."
    var submit = "Submit my response"
    var saveDraft = "Save a draft and continue later"
    var update = "Save my changes"
    var draftSaved =
        "Your draft is saved. To continue later, keep this link (it works on any device while the consultation is open):"
    var draftNotFound = "This draft link is not known (it may have been used for a submission already)."
    var receiptTitle = "Thank you: your response is recorded"
    var receiptReceived = "Received on"
    var receiptID = "Response id"
    var receiptEditLink =
        "Your private edit link. It is shown only once: keep it to view, change or withdraw your response while the consultation is open."
    var receiptBack = "Back to the questionnaire"
    var editTitle = "Your response"
    var editIntro =
        "You can change your answers and save them, or withdraw your response entirely, while the consultation is open."
    var updatedNotice = "Your changes are saved."
    var withdrawTitle = "Withdraw my response"
    var withdrawConfirm = "Yes, delete my response. This cannot be undone."
    var withdrawButton = "Withdraw my response"
    var withdrawnTitle = "Your response was withdrawn"
    var withdrawnText = "Your response and all its answers have been deleted."
    var notFoundTitle = "Not found"
    var notFoundText = "There is no response at this link, or the link is not complete."
    var csrfProblem =
        "Your browser did not send the form's security cookie, or the page was too old. Your answers are kept below: please submit again (cookies for this site must be allowed)."
    var rateLimited =
        "Too many submissions came from your network in the last minute. Your answers are kept: please wait %1 seconds and submit again."
    var honeypotProblem = "The form could not be accepted. If you filled in the hidden field, leave it empty and submit again."
    var closedProblem = "The consultation is not open, so nothing was saved."
    var withdrawNeedsConfirmation = "Tick the box to confirm that you want to delete your response."
    var ratingNeeded = "Choose a rating (or “No opinion”) to go with your comment or suggestion on %1"
    var ratingInvalid = "Choose one of the ratings offered for %1"
    var numberInvalid = "Choose one of the values offered"

    public static let english = FormStrings()

    /// `text` with `%1`, `%2` replaced.
    static func format(_ text: String, _ values: String...) -> String {
        var out = text
        for (i, v) in values.enumerated() { out = out.replacingOccurrences("%\(i + 1)", v) }
        return out
    }
}
