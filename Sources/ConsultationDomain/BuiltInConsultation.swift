/// The text of the built-in ECCOE consultation, which `eccoe serve` publishes when given no definition.
/// It follows `consultation.schema.json`; only the window is filled in when it is first served.
package enum BuiltInConsultation {
    package static let id = "eccoe-criteria"
    /// How long the built-in consultation stays open after it is first served.
    package static let openDays: Int64 = 120

    package static func json(catalogueVersion: String, opensAt: Timestamp, closesAt: Timestamp) -> String {
        """
        {
          "$schema": "https://eccoe.eu/schemas/consultation.schema.json",
          "id": "\(id)",
          "title": "Public consultation on the ECCOE quality criteria for micro-credentials",
          "introduction": "ECCOE proposes quality criteria for describing micro-credentials, learning opportunities and credit-recognition agreements, so that one institution can trust and recognise the learning certified by another. For each criterion, please tell us whether it is appropriate for a valid and successful credentialisation and recognition at your institution, and what you would change. Every criterion is optional: rate the ones you know about. Answering all of them takes about 30 minutes; you can save a draft and come back.",
          "catalogueVersion": "\(catalogueVersion)",
          "privacy": {
            "version": "1",
            "text": "We store your answers, the profile information you give and the time of your consent, to analyse this consultation. We do not store your IP address or browser details. Results are published in aggregated form only, with groups of fewer than five respondents left out. With the edit link you receive you can view, change or withdraw your response while the consultation is open. The data are deleted one year after the final report."
          },
          "timeZone": "Europe/Brussels",
          "opensAt": "\(opensAt.rfc3339)",
          "closesAt": "\(closesAt.rfc3339)",
          "rating": {
            "min": 1, "max": 5, "noOpinion": true,
            "labels": {"1": "Not appropriate", "2": "Rather not appropriate", "3": "Partly appropriate", "4": "Rather appropriate", "5": "Fully appropriate"}
          },
          "profile": [
            {"id": "capacity", "type": "singleChoice", "label": "I am responding", "required": true,
             "options": [{"value": "individual", "label": "as an individual"}, {"value": "organisation", "label": "on behalf of an organisation"}]},
            {"id": "stakeholderGroup", "type": "singleChoice", "label": "Which group do you belong to?", "required": true,
             "options": [
               {"value": "academic", "label": "Academic staff of a higher education institution"},
               {"value": "recognitionOfficer", "label": "Recognition or admissions officer"},
               {"value": "qaAgency", "label": "Quality assurance agency"},
               {"value": "employer", "label": "Employer"},
               {"value": "learner", "label": "Learner"},
               {"value": "provider", "label": "Credential or platform provider"},
               {"value": "policy", "label": "Policy maker"},
               {"value": "other", "label": "Other"}]},
            {"id": "organisationType", "type": "singleChoice", "label": "Type of organisation", "required": true,
             "help": "Only if you respond on behalf of an organisation.",
             "showIf": {"question": "capacity", "in": ["organisation"]},
             "options": [
               {"value": "hei", "label": "Higher education institution"},
               {"value": "qaAgency", "label": "Quality assurance agency"},
               {"value": "company", "label": "Company"},
               {"value": "publicAuthority", "label": "Public authority"},
               {"value": "ngo", "label": "Non-governmental organisation"},
               {"value": "other", "label": "Other"}]},
            {"id": "country", "type": "singleChoice", "label": "Country", "required": true, "optionsFrom": "countries"},
            {"id": "role", "type": "text", "label": "Your role or position (optional)", "maxLength": 200},
            {"id": "familiarity", "type": "likert", "label": "How familiar are you with digital credentials such as European Digital Credentials or Open Badges?", "required": true,
             "scale": {"min": 1, "max": 5, "minLabel": "Not at all", "maxLabel": "Very familiar"}}
          ],
          "sections": [
            {"id": "credentials", "title": "Describing a micro-credential",
             "description": "The elements the Council Recommendation on micro-credentials asks for, and what ECCOE adds for recognition.",
             "items": {"prefixes": ["MC"]},
             "questions": [
               {"id": "credentialSufficient", "type": "singleChoice", "label": "Together, do these criteria give enough information to decide on recognition?",
                "options": [{"value": "yes", "label": "Yes"}, {"value": "partly", "label": "Partly"}, {"value": "no", "label": "No"}]}]},
            {"id": "learningOpportunities", "title": "Describing a learning opportunity", "items": {"prefixes": ["LO"]}},
            {"id": "agreements", "title": "The credit recognition agreement",
             "description": "The ECCOE model agreement between institutions that recognise each other's micro-credentials.",
             "items": {"prefixes": ["AG"]}},
            {"id": "dataQuality", "title": "Data quality", "items": {"prefixes": ["DQ"]}},
            {"id": "final", "title": "Final comments",
             "questions": [
               {"id": "missingCriteria", "type": "text", "label": "Which criteria are missing, or what else would you change?", "maxLength": 5000},
               {"id": "useAtInstitution", "type": "multipleChoice", "label": "Where would your organisation use the criteria?",
                "showIf": {"question": "capacity", "in": ["organisation"]},
                "options": [
                  {"value": "design", "label": "When designing courses"},
                  {"value": "issuing", "label": "When issuing credentials"},
                  {"value": "recognition", "label": "When deciding on recognition"},
                  {"value": "qa", "label": "In quality assurance"}]}]}
          ]
        }
        """
    }
}
