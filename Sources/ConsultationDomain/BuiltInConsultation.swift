package import CriteriaCatalogue
import JSONSyntax

/// The text of the built-in ECCOE consultation, which `eccoe serve` publishes when given no definition.
/// It follows `consultation.schema.json`; only the window is filled in when it is first served.
package enum BuiltInConsultation {
    package static let id = "eccoe-criteria"

    /// The criteria's titles in French, shown with the catalogue's plain statements on French pages (the catalogue
    /// words titles in English only; its French is the plain statement). Criteria missing here show their English
    /// title, marked as untranslated.
    static let frenchTitles: [String: String] = [
        "MC-01": "Identification de l’apprenant",
        "MC-02": "Titre de la micro-certification",
        "MC-03": "Pays ou région de l’émetteur",
        "MC-04": "Organisme qui décerne la certification",
        "MC-05": "Date de délivrance",
        "MC-06": "Acquis d’apprentissage",
        "MC-07": "Charge de travail théorique",
        "MC-08": "Niveau de l’expérience d’apprentissage",
        "MC-09": "Type d’évaluation",
        "MC-10": "Forme de participation",
        "MC-11": "Type d’assurance qualité",
        "MC-12": "Prérequis",
        "MC-13": "Surveillance et vérification d’identité",
        "MC-14": "Note obtenue",
        "MC-15": "Intégration et cumulabilité",
        "MC-16": "Informations complémentaires",
        "MC-17": "Domaine d’études",
        "MC-18": "Langue d’enseignement et d’évaluation",
        "MC-19": "Cadre d’apprentissage",
        "MC-20": "Système de notation",
        "MC-21": "Conformité au profil d’application EDC",
        "MC-22": "Acquis attestés par une micro-certification",
        "LO-01": "Titre de l’offre de formation",
        "LO-02": "Page web",
        "LO-03": "Prestataire",
        "LO-04": "Spécification des acquis visés",
        "LO-05": "Langue de référence",
        "LO-06": "Domaine d’études",
        "LO-07": "Langue d’enseignement",
        "LO-08": "Acquis d’apprentissage",
        "LO-09": "Charge de travail théorique",
        "LO-10": "Niveau",
        "LO-11": "Type d’évaluation",
        "LO-12": "Forme de participation",
        "LO-13": "Assurance qualité",
        "LO-14": "Prérequis",
        "LO-15": "Surveillance et vérification d’identité",
        "LO-16": "Intégration et cumulabilité",
        "LO-17": "Conformité au profil d’application LOQ",
        "LO-18": "Type d’offre de formation",
        "AG-01": "Parties",
        "AG-02": "Objet et portée",
        "AG-03": "Offres de formation couvertes",
        "AG-04": "Documents référencés trouvés",
        "AG-05": "Documents référencés conformes à leurs critères obligatoires",
        "AG-06": "Tableau des équivalences",
        "AG-07": "Crédits dans la limite des crédits obtenus",
        "AG-08": "Conversion des notes",
        "AG-09": "Preuves exigées",
        "AG-10": "Assurance qualité des parties",
        "AG-11": "Validité",
        "AG-12": "Protection des données et dispositions juridiques",
        "AG-13": "Signatures",
        "AG-14": "Accord bien formé",
        "AG-15": "Droits des apprenants",
        "AG-16": "Pas de double comptage",
        "AG-17": "Limites de la reconnaissance",
        "AG-18": "Inscription au relevé de notes",
        "AG-19": "Couverture des acquis d’apprentissage",
        "AG-20": "Accord à jour des documents qu’il référence",
        "AG-21": "Aucun espace réservé restant",
        "DQ-01": "Crédits ECTS cohérents avec les heures théoriques",
        "DQ-02": "Durées ISO 8601 valides",
        "DQ-03": "Charge de travail exprimée en heures",
        "DQ-04": "Dates dans un ordre plausible",
        "DQ-05": "Fuseau horaire des dates et heures",
        "DQ-06": "Clés de langue en codes ISO 639-1",
        "DQ-07": "Un seul texte par langue",
        "DQ-08": "Pas de caractères trompeurs dans les clés",
        "DQ-09": "Textes dans chaque langue d’affichage",
    ]

    /// The definition's `criteria` member: each criterion's title in English (the catalogue's) and French.
    static func criteriaWording(_ catalogue: Catalogue) -> String {
        let members = catalogue.criteria.compactMap { c -> String? in
            guard let french = frenchTitles[c.id] else { return nil }
            return
                "\"\(c.id)\": {\"title\": {\"en\": \(JSONValue.string(c.title).htmlSafeText), \"fr\": \(JSONValue.string(french).htmlSafeText)}}"
        }
        return "{" + members.joined(separator: ", ") + "}"
    }
    /// How long the built-in consultation stays open after it is first served.
    package static let openDays: Int64 = 120

    package static func json(catalogue: Catalogue, opensAt: Timestamp, closesAt: Timestamp) -> String {
        let catalogueVersion = catalogue.version
        return """
            {
              "$schema": "https://eccoe.eu/schemas/consultation.schema.json",
              "id": "\(id)",
              "languages": ["en", "fr"],
              "title": {"en": "Public consultation on the ECCOE quality criteria for micro-credentials", "fr": "Consultation publique sur les critères de qualité ECCOE pour les micro-certifications"},
              "introduction": {"en": "ECCOE proposes quality criteria for describing micro-credentials, learning opportunities and credit-recognition agreements, so that one institution can trust and recognise the learning certified by another. For each criterion, please tell us whether it is appropriate for a valid and successful credentialisation and recognition at your institution, and what you would change. Every criterion is optional: rate the ones you know about. Answering all of them takes about 30 minutes; you can save a draft and come back.", "fr": "ECCOE propose des critères de qualité pour décrire les micro-certifications, les offres de formation et les accords de reconnaissance de crédits, afin qu’un établissement puisse faire confiance aux acquis certifiés par un autre et les reconnaître. Pour chaque critère, dites-nous s’il est approprié pour une certification et une reconnaissance valables et réussies dans votre établissement, et ce que vous changeriez. Chaque critère est facultatif : évaluez ceux que vous connaissez. Répondre à tous prend environ 30 minutes ; vous pouvez enregistrer un brouillon et revenir plus tard."},
              "catalogueVersion": "\(catalogueVersion)",
              "criteria": \(criteriaWording(catalogue)),
              "privacy": {
                "version": "1",
                "text": {"en": "We store your answers, the profile information you give and the time of your consent, to analyse this consultation. We do not store your IP address or browser details. Results are published in aggregated form only, with groups of fewer than five respondents left out. With the edit link you receive you can view, change or withdraw your response while the consultation is open. The data are deleted one year after the final report.", "fr": "Nous conservons vos réponses, les informations de profil que vous donnez et l’heure de votre consentement, pour analyser cette consultation. Nous ne conservons ni votre adresse IP ni les détails de votre navigateur. Les résultats ne sont publiés que sous forme agrégée, sans les groupes de moins de cinq répondants. Avec le lien de modification que vous recevez, vous pouvez consulter, modifier ou retirer votre réponse tant que la consultation est ouverte. Les données sont supprimées un an après le rapport final."}
              },
              "timeZone": "Europe/Brussels",
              "opensAt": "\(opensAt.rfc3339)",
              "closesAt": "\(closesAt.rfc3339)",
              "rating": {
                "min": 1, "max": 5, "noOpinion": true,
                "labels": {"1": {"en": "Not appropriate", "fr": "Pas approprié"}, "2": {"en": "Rather not appropriate", "fr": "Plutôt pas approprié"}, "3": {"en": "Partly appropriate", "fr": "Partiellement approprié"}, "4": {"en": "Rather appropriate", "fr": "Plutôt approprié"}, "5": {"en": "Fully appropriate", "fr": "Tout à fait approprié"}}
              },
              "profile": [
                {"id": "capacity", "type": "singleChoice", "label": {"en": "I am responding", "fr": "Je réponds"}, "required": true,
                 "options": [{"value": "individual", "label": {"en": "as an individual", "fr": "à titre individuel"}}, {"value": "organisation", "label": {"en": "on behalf of an organisation", "fr": "au nom d’une organisation"}}]},
                {"id": "stakeholderGroup", "type": "singleChoice", "label": {"en": "Which group do you belong to?", "fr": "À quel groupe appartenez-vous ?"}, "required": true,
                 "options": [
                   {"value": "academic", "label": {"en": "Academic staff of a higher education institution", "fr": "Personnel académique d’un établissement d’enseignement supérieur"}},
                   {"value": "recognitionOfficer", "label": {"en": "Recognition or admissions officer", "fr": "Responsable de la reconnaissance ou des admissions"}},
                   {"value": "qaAgency", "label": {"en": "Quality assurance agency", "fr": "Agence d’assurance qualité"}},
                   {"value": "employer", "label": {"en": "Employer", "fr": "Employeur"}},
                   {"value": "learner", "label": {"en": "Learner", "fr": "Apprenant ou apprenante"}},
                   {"value": "provider", "label": {"en": "Credential or platform provider", "fr": "Fournisseur de certifications ou de plateforme"}},
                   {"value": "policy", "label": {"en": "Policy maker", "fr": "Décideur politique"}},
                   {"value": "other", "label": {"en": "Other", "fr": "Autre"}}]},
                {"id": "organisationType", "type": "singleChoice", "label": {"en": "Type of organisation", "fr": "Type d’organisation"}, "required": true,
                 "help": {"en": "Only if you respond on behalf of an organisation.", "fr": "Seulement si vous répondez au nom d’une organisation."},
                 "showIf": {"question": "capacity", "in": ["organisation"]},
                 "options": [
                   {"value": "hei", "label": {"en": "Higher education institution", "fr": "Établissement d’enseignement supérieur"}},
                   {"value": "qaAgency", "label": {"en": "Quality assurance agency", "fr": "Agence d’assurance qualité"}},
                   {"value": "company", "label": {"en": "Company", "fr": "Entreprise"}},
                   {"value": "publicAuthority", "label": {"en": "Public authority", "fr": "Autorité publique"}},
                   {"value": "ngo", "label": {"en": "Non-governmental organisation", "fr": "Organisation non gouvernementale"}},
                   {"value": "other", "label": {"en": "Other", "fr": "Autre"}}]},
                {"id": "country", "type": "singleChoice", "label": {"en": "Country", "fr": "Pays"}, "required": true, "optionsFrom": "countries"},
                {"id": "role", "type": "text", "label": {"en": "Your role or position (optional)", "fr": "Votre rôle ou fonction (facultatif)"}, "maxLength": 200},
                {"id": "familiarity", "type": "likert", "label": {"en": "How familiar are you with digital credentials such as European Digital Credentials or Open Badges?", "fr": "Dans quelle mesure connaissez-vous les certifications numériques telles que les European Digital Credentials ou les Open Badges ?"}, "required": true,
                 "scale": {"min": 1, "max": 5, "minLabel": {"en": "Not at all", "fr": "Pas du tout"}, "maxLabel": {"en": "Very familiar", "fr": "Très bien"}}}
              ],
              "sections": [
                {"id": "credentials", "title": {"en": "Describing a micro-credential", "fr": "Décrire une micro-certification"},
                 "description": {"en": "The elements the Council Recommendation on micro-credentials asks for, and what ECCOE adds for recognition.", "fr": "Les éléments que demande la recommandation du Conseil sur les micro-certifications, et ce qu’ECCOE ajoute pour la reconnaissance."},
                 "items": {"prefixes": ["MC"]},
                 "questions": [
                   {"id": "credentialSufficient", "type": "singleChoice", "label": {"en": "Together, do these criteria give enough information to decide on recognition?", "fr": "Ensemble, ces critères donnent-ils assez d’informations pour décider d’une reconnaissance ?"},
                    "options": [{"value": "yes", "label": {"en": "Yes", "fr": "Oui"}}, {"value": "partly", "label": {"en": "Partly", "fr": "En partie"}}, {"value": "no", "label": {"en": "No", "fr": "Non"}}]}]},
                {"id": "learningOpportunities", "title": {"en": "Describing a learning opportunity", "fr": "Décrire une offre de formation"}, "items": {"prefixes": ["LO"]}},
                {"id": "agreements", "title": {"en": "The credit recognition agreement", "fr": "L’accord de reconnaissance de crédits"},
                 "description": {"en": "The ECCOE model agreement between institutions that recognise each other's micro-credentials.", "fr": "Le modèle d’accord ECCOE entre établissements qui reconnaissent mutuellement leurs micro-certifications."},
                 "items": {"prefixes": ["AG"]}},
                {"id": "dataQuality", "title": {"en": "Data quality", "fr": "Qualité des données"}, "items": {"prefixes": ["DQ"]}},
                {"id": "final", "title": {"en": "Final comments", "fr": "Commentaires finaux"},
                 "questions": [
                   {"id": "missingCriteria", "type": "text", "label": {"en": "Which criteria are missing, or what else would you change?", "fr": "Quels critères manquent, ou que changeriez-vous d’autre ?"}, "maxLength": 5000},
                   {"id": "useAtInstitution", "type": "multipleChoice", "label": {"en": "Where would your organisation use the criteria?", "fr": "Où votre organisation utiliserait-elle les critères ?"},
                    "showIf": {"question": "capacity", "in": ["organisation"]},
                    "options": [
                      {"value": "design", "label": {"en": "When designing courses", "fr": "Lors de la conception des formations"}},
                      {"value": "issuing", "label": {"en": "When issuing credentials", "fr": "Lors de la délivrance des certifications"}},
                      {"value": "recognition", "label": {"en": "When deciding on recognition", "fr": "Lors des décisions de reconnaissance"}},
                      {"value": "qa", "label": {"en": "In quality assurance", "fr": "Dans l’assurance qualité"}}]}]}
              ]
            }
            """
    }
}
