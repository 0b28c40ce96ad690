extension ReportStrings {
    /// The report in French, the coordinator's language.
    public static let french: ReportStrings = {
        var s = ReportStrings()
        s.languageTag = "fr"
        s.title = "Rapport : %1"
        s.overview = "Consultation %1, catalogue de critères %2, ouverte du %3 au %4."
        s.responses = "%1 réponses"
        s.asOf = " au %1"
        s.duplicatesApart =
            "%1 autres, signalées comme identiques à une réponse antérieure, sont %2 et exclues de tous les chiffres."
        s.listedApart = "listées à part"
        s.sharesNote =
            "Les parts portent sur les évaluations données ; « sans avis » est compté à part. Les groupes et cellules de moins de %1 répondants ne sont pas affichés."
        s.contents = "Sommaire"
        s.timelineHeading = "Réponses au fil du temps"
        s.profileHeading = "Qui a répondu"
        s.criteriaHeading = "Les critères, les plus contestés d’abord"
        s.byQuestion = "Selon « %1 »"
        s.duplicatesHeading = "Doublons signalés"
        s.criteriaOrder =
            "Triés par part des évaluations 4–5, la plus faible d’abord ; à égalité, par part des évaluations 1–2, la plus forte d’abord. Les critères que personne n’a évalués viennent en dernier."
        s.allChartTitle = "Évaluations de chaque critère, les plus contestés d’abord"
        s.allTableCaption = "Évaluations de chaque critère (données du graphique)"
        s.noResponses = "Aucune réponse pour l’instant."
        s.perDay = "Réponses par jour"
        s.perWeek = "Réponses par semaine"
        s.perDayTable = "Réponses par jour (données du graphique)"
        s.perWeekTable = "Réponses par semaine (données du graphique)"
        s.timelineDescription =
            "Colonnes, une par période (UTC) du %1 au %2 ; la plus haute compte %3 réponses. Le tableau ci-dessous donne tous les chiffres."
        s.dayColumn = "Jour"
        s.weekColumn = "Semaine du"
        s.responsesColumn = "Réponses"
        s.profileIntro =
            "Les répondants selon leurs réponses aux questions de profil. Les groupes de moins de %1 sont comptés ensemble comme « petits groupes »."
        s.answerColumn = "Réponse"
        s.respondentsColumn = "Répondants"
        s.shareColumn = "Part"
        s.smallerGroupOne = "1 petit groupe, regroupé"
        s.smallerGroupsMany = "%1 petits groupes, regroupés"
        s.notAnswered = "Sans réponse"
        s.technicalDetails = "Détails techniques"
        s.whereInData = "Où dans les données : %1"
        s.untranslated = "non traduit : affiché en anglais"
        s.criterionNumbers =
            "n = %1 évaluations ; médiane %2 ; %3 l’évaluent à 4–5 ; %4 sans avis ; commentaires : %5 ; reformulations proposées : %6."
        s.comments = "Commentaires"
        s.suggestions = "Reformulations proposées"
        s.firstShown = "Les %1 premiers sur %2 sont affichés ; l’export les contient tous."
        s.noOpinion = "Sans avis"
        s.noOpinionShort = "s/a"
        s.ratingsOf = "Évaluations de %1"
        s.ratingsOfTable = "Évaluations de %1 (données du graphique)"
        s.distributionDescription = "Colonnes pour les évaluations 1 à 5 et sans avis : %1."
        s.medianColumn = "Médiane"
        s.share45Column = "Part 4–5"
        s.criterionColumn = "Critère"
        s.commentsColumn = "Commentaires"
        s.suggestionsColumn = "Reformulations"
        s.duplicatesOne =
            "1 réponse était identique en tout point à une réponse antérieure. Elle est conservée pour examen et exclue de tous les chiffres ci-dessus."
        s.duplicatesMany =
            "%1 réponses étaient identiques en tout point à une réponse antérieure. Elles sont conservées pour examen et exclues de tous les chiffres ci-dessus."
        s.responseColumn = "Réponse"
        s.receivedColumn = "Reçue le"
        s.identicalToColumn = "Identique à"
        s.firstListed = "Les %1 premières sur %2 sont listées ; l’export les signale toutes."
        s.barsDescription =
            "Barres empilées, une par critère, de la part de chaque évaluation, de 1 (à gauche) à 5 et sans avis (à droite). %1."
        s.barDescription = "%1 : %2 évaluations, %3 l’évaluent à 4–5, médiane %4, %5 sans avis"
        s.ratingN = "évaluation %1"
        s.noOpinionLower = "sans avis"
        s.noGroupYet = "Aucun groupe ne compte encore %1 répondants ou plus."
        s.noGroupYetSmaller = "Aucun groupe ne compte encore %1 répondants ou plus (%2 petits groupes non affichés)."
        s.groupsNotShown = "Groupes de moins de %1 répondants non affichés : %2."
        s.shareBy = "Part des évaluations 4–5 (n) selon « %1 »"
        return s
    }()
}
