public import ConsultationDomain

/// Every fixed text of the analysts' report, one catalogue per language like the form's `FormStrings`:
/// `ReportStrings.english` here, the others in `ReportStrings+LANGUAGE.swift`, all listed in
/// `ReportStrings.catalogues`. `%1`, `%2` … stand for the numbers and names filled in; `MessageCatalogueTests`
/// fails while a string of a listed catalogue is not translated or loses a placeholder.
public struct ReportStrings: MessageCatalogue {
    public var languageTag = "en"
    public var title = "Report: %1"
    public var overview = "Consultation %1, criteria catalogue %2, open from %3 to %4."
    public var responses = "%1 responses"
    public var asOf = " as of %1"
    public var duplicatesApart = "%1 more flagged as identical to an earlier response are %2 and left out of every number."
    public var listedApart = "listed apart"
    public var sharesNote =
        "Shares are of the ratings given; “no opinion” is counted apart. Groups and cells with fewer than %1 respondents are not shown."
    public var contents = "Contents"
    public var timelineHeading = "Responses over time"
    public var profileHeading = "Who responded"
    public var criteriaHeading = "The criteria, most contested first"
    public var byQuestion = "By “%1”"
    public var duplicatesHeading = "Flagged duplicates"
    public var criteriaOrder =
        "Sorted by the share of ratings 4–5, lowest first; ties by the share of ratings 1–2, highest first. Criteria nobody rated come last."
    public var allChartTitle = "Ratings of every criterion, most contested first"
    public var allTableCaption = "Ratings of every criterion (data of the chart)"
    public var noResponses = "No responses yet."
    public var perDay = "Responses per day"
    public var perWeek = "Responses per week"
    public var perDayTable = "Responses per day (data of the chart)"
    public var perWeekTable = "Responses per week (data of the chart)"
    public var timelineDescription =
        "Columns, one per period (UTC) from %1 to %2; the highest has %3 responses. The table below gives every number."
    public var dayColumn = "Day"
    public var weekColumn = "Week from"
    public var responsesColumn = "Responses"
    public var profileIntro =
        "Respondents by their answers to the profile questions. Groups of fewer than %1 are counted together as “smaller groups”."
    public var answerColumn = "Answer"
    public var respondentsColumn = "Respondents"
    public var shareColumn = "Share"
    public var smallerGroupOne = "1 smaller group together"
    public var smallerGroupsMany = "%1 smaller groups together"
    public var notAnswered = "Not answered"
    public var technicalDetails = "Technical details"
    public var whereInData = "Where in the data: %1"
    public var untranslated = "not translated: shown in English"
    public var criterionNumbers =
        "n = %1 ratings; median %2; %3 rate it 4–5; %4 no opinion; comments: %5; suggested rewordings: %6."
    public var comments = "Comments"
    public var suggestions = "Suggested rewordings"
    public var firstShown = "The first %1 of %2 are shown; the export has them all."
    public var noOpinion = "No opinion"
    public var noOpinionShort = "n/o"
    public var ratingsOf = "Ratings of %1"
    public var ratingsOfTable = "Ratings of %1 (data of the chart)"
    public var distributionDescription = "Columns for ratings 1 to 5 and no opinion: %1."
    public var medianColumn = "Median"
    public var share45Column = "Share 4–5"
    public var criterionColumn = "Criterion"
    public var commentsColumn = "Comments"
    public var suggestionsColumn = "Suggestions"
    public var duplicatesOne =
        "1 response was identical in every answer to an earlier one. It is kept for review and left out of every number above."
    public var duplicatesMany =
        "%1 responses were identical in every answer to an earlier one. They are kept for review and left out of every number above."
    public var responseColumn = "Response"
    public var receivedColumn = "Received"
    public var identicalToColumn = "Identical to"
    public var firstListed = "The first %1 of %2 are listed; the export marks them all."
    public var barsDescription =
        "Stacked bars, one per criterion, of the share of each rating from 1 (left) to 5 and no opinion (right). %1."
    public var barDescription = "%1: %2 ratings, %3 rate 4–5, median %4, %5 no opinion"
    public var ratingN = "rating %1"
    public var noOpinionLower = "no opinion"
    public var noGroupYet = "No group has %1 or more respondents yet."
    public var noGroupYetSmaller = "No group has %1 or more respondents yet (%2 smaller groups not shown)."
    public var groupsNotShown = "Groups with fewer than %1 respondents not shown: %2."
    public var shareBy = "Share rating 4–5 (n) by “%1”"

    public static let english = ReportStrings()

    /// Every report language, by tag.
    public static let catalogues: [String: ReportStrings] = ["en": .english, "fr": .french]
}
