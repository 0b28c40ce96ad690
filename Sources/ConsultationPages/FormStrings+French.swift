extension FormStrings {
    /// The interface in French, the coordinator's language.
    public static let french: FormStrings = {
        var s = FormStrings()
        s.languageTag = "fr"
        s.languageName = "Français"
        s.languageSwitch = "Langue"
        s.untranslated = "non traduit : affiché en anglais"
        s.skipLink = "Aller au questionnaire"
        s.errorSummaryTitle = "Vos réponses posent un problème"
        s.errorSummaryHint = "Tout ce que vous avez saisi est conservé. Veuillez corriger les points suivants et envoyer à nouveau :"
        s.errorTitlePrefix = "Erreur : "
        s.openUntil = "Ouvert aux réponses jusqu’au"
        s.opensOn = "Cette consultation ouvre le"
        s.closedOn = "Cette consultation a fermé le"
        s.closedExplanation = "Les réponses ne peuvent plus être envoyées, modifiées ni retirées."
        s.notYetOpenExplanation = "Vous pouvez lire le questionnaire dès maintenant ; les réponses sont acceptées à partir de l’ouverture."
        s.partsNavigation = "Parties du questionnaire"
        s.part = "Partie"
        s.of = "sur"
        s.aboutYou = "Vous concernant"
        s.privacyAndSubmit = "Confidentialité et envoi"
        s.progressLabel = "Critères évalués"
        s.progressText = "Vous avez évalué %1 critères sur %2."
        s.requiredMarker = "(obligatoire)"
        s.noOpinion = "Sans avis"
        s.criterionWhy = "Pourquoi ce critère"
        s.commentToggle = "Ajouter un commentaire ou proposer une reformulation"
        s.commentLabel = "Commentaire"
        s.suggestionLabel = "Reformulation proposée"
        s.ratingQuestion =
            "Ce critère est-il approprié pour une certification et une reconnaissance valables et réussies dans votre établissement ?"
        s.chooseCountry = "Choisissez un pays"
        s.honeypotLabel = "Laissez ce champ vide"
        s.privacyVersion = "Déclaration de confidentialité, version"
        s.consentLabel =
            "J’ai lu la déclaration de confidentialité ci-dessus et j’accepte que mes réponses soient traitées comme elle le décrit."
        s.submit = "Envoyer ma réponse"
        s.saveDraft = "Enregistrer un brouillon et continuer plus tard"
        s.update = "Enregistrer mes modifications"
        s.draftSaved =
            "Votre brouillon est enregistré. Pour continuer plus tard, gardez ce lien (il fonctionne sur tout appareil tant que la consultation est ouverte) :"
        s.draftNotFound = "Ce lien de brouillon est inconnu (il a peut-être déjà servi à un envoi)."
        s.receiptTitle = "Merci : votre réponse est enregistrée"
        s.receiptReceived = "Reçue le"
        s.receiptID = "Identifiant de la réponse"
        s.receiptEditLink =
            "Votre lien de modification personnel. Il n’est affiché qu’une fois : gardez-le pour consulter, modifier ou retirer votre réponse tant que la consultation est ouverte."
        s.receiptBack = "Retour au questionnaire"
        s.editTitle = "Votre réponse"
        s.editIntro =
            "Vous pouvez modifier vos réponses et les enregistrer, ou retirer entièrement votre réponse, tant que la consultation est ouverte."
        s.updatedNotice = "Vos modifications sont enregistrées."
        s.withdrawTitle = "Retirer ma réponse"
        s.withdrawConfirm = "Oui, supprimer ma réponse. Cette action est définitive."
        s.withdrawButton = "Retirer ma réponse"
        s.withdrawnTitle = "Votre réponse a été retirée"
        s.withdrawnText = "Votre réponse et toutes ses réponses aux questions ont été supprimées."
        s.notFoundTitle = "Introuvable"
        s.notFoundText = "Il n’y a aucune réponse à ce lien, ou le lien est incomplet."
        s.csrfProblem =
            "Votre navigateur n’a pas envoyé le cookie de sécurité du formulaire, ou la page était trop ancienne. Vos réponses sont conservées ci-dessous : veuillez envoyer à nouveau (les cookies de ce site doivent être autorisés)."
        s.rateLimited =
            "Trop d’envois sont venus de votre réseau au cours de la dernière minute. Vos réponses sont conservées : attendez %1 secondes puis envoyez à nouveau."
        s.honeypotProblem =
            "Le formulaire n’a pas pu être accepté. Si vous avez rempli le champ caché, laissez-le vide et envoyez à nouveau."
        s.closedProblem = "La consultation n’est pas ouverte : rien n’a été enregistré."
        s.withdrawNeedsConfirmation = "Cochez la case pour confirmer que vous voulez supprimer votre réponse."
        s.ratingNeeded = "Choisissez une évaluation (ou « Sans avis ») pour accompagner votre commentaire ou votre proposition sur %1"
        s.ratingInvalid = "Choisissez l’une des évaluations proposées pour %1"
        s.numberInvalid = "Choisissez l’une des valeurs proposées"
        s.levelMandatory = "obligatoire"
        s.levelRecommended = "recommandé"
        s.levelOptional = "facultatif"
        return s
    }()
}
