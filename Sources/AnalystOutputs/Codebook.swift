import CollectorStore
public import ConsultationDomain
import CriteriaCatalogue
import HTMLText
import JSONSyntax

/// The files that travel with a CSV export: a codebook (every column: label, type, values), SPSS and R
/// syntax that read the CSV with labels and missing values, and a manifest with row counts and SHA-256.
public struct Codebook {
    let definition: ConsultationDefinition
    let format: ExportFormat

    public init(definition: ConsultationDefinition, format: ExportFormat) {
        self.definition = definition
        self.format = format
    }

    enum Kind { case text, integer, flag, timestamp }

    struct Variable {
        var name: String
        var label: String
        var kind: Kind
        var values: [(String, String)] = []
        /// The longest text, for SPSS string widths.
        var width = 255
    }

    var ratingValues: [(String, String)] { definition.ratingLabels.enumerated().map { (String($0 + 1), $1) } }

    var variables: [Variable] {
        var v: [Variable] = [
            Variable(name: "response_id", label: "Response id (random, 128 bits)", kind: .text, width: 32),
            Variable(name: "consultation_id", label: "Consultation id", kind: .text, width: 64),
            Variable(name: "catalogue_version", label: "Criteria catalogue version answered", kind: .text, width: 16),
            Variable(
                name: "channel", label: "Submitted through", kind: .text, values: [("form", "web form"), ("api", "JSON API")],
                width: 4),
            Variable(name: "received_at", label: "Received (UTC, RFC 3339)", kind: .timestamp, width: 24),
            Variable(name: "updated_at", label: "Last changed (UTC, RFC 3339)", kind: .timestamp, width: 24),
            Variable(name: "consent_version", label: "Privacy statement version consented to", kind: .text, width: 32),
            Variable(name: "consent_at", label: "Consent given (UTC, RFC 3339)", kind: .timestamp, width: 24),
            Variable(
                name: "duplicate_of", label: "Earlier response with identical answers (flag for review; empty if none)",
                kind: .text, width: 32),
            Variable(
                name: "language", label: "Language the response was given in (BCP 47 tag)", kind: .text,
                values: definition.languages.map { ($0, Codebook.languageName($0)) }, width: 35),
        ]
        func question(_ q: Question, _ prefix: String) -> Variable {
            switch q.type {
            case .likert:
                var values: [(String, String)] = []
                if let s = q.scale {
                    values = (s.min...s.max).map { n in
                        (String(n), n == s.min ? s.minLabel ?? "" : n == s.max ? s.maxLabel ?? "" : "")
                    }
                }
                return Variable(name: prefix + q.id, label: q.label, kind: .integer, values: values)
            case .singleChoice:
                return Variable(
                    name: prefix + q.id, label: q.label, kind: .text, values: q.options.map { ($0.value, $0.label) },
                    width: max(8, q.options.map(\.value.utf8.count).max() ?? 8))
            case .multipleChoice:
                return Variable(
                    name: prefix + q.id, label: q.label + " (values joined with ;)", kind: .text,
                    values: q.options.map { ($0.value, $0.label) }, width: 1024)
            case .text:
                return Variable(name: prefix + q.id, label: q.label, kind: .text, width: min(32767, (q.maxLength ?? 10_000) * 4))
            case .email:
                return Variable(
                    name: prefix + q.id, label: q.label + " (e-mail address)", kind: .text, width: EmailAddress.maxBytes)
            case .organisation:
                return Variable(name: prefix + q.id, label: q.label, kind: .text, width: min(32767, (q.maxLength ?? 300) * 4))
            }
        }
        v += definition.profile.map { question($0, "profile_") }
        v += definition.questions.map { question($0, "question_") }
        switch format {
        case .csv:
            v.append(
                Variable(
                    name: "criterion_id", label: "Criterion rated (catalogue ID)", kind: .text,
                    values: definition.items.map { ($0.id, $0.title) }, width: 8))
            v.append(
                Variable(
                    name: "rating", label: "Appropriateness of the criterion (empty: no opinion)", kind: .integer,
                    values: ratingValues))
            v.append(Variable(name: "no_opinion", label: "No opinion given", kind: .flag, values: [("0", "no"), ("1", "yes")]))
            v.append(Variable(name: "comment", label: "Comment on the criterion", kind: .text, width: 32767))
            v.append(Variable(name: "suggestion", label: "Suggested rewording of the criterion", kind: .text, width: 32767))
        case .csvWide:
            for c in definition.items {
                v.append(
                    Variable(
                        name: "\(c.id)_rating", label: "\(c.id) \(c.title): appropriateness (empty: not rated or no opinion)",
                        kind: .integer, values: ratingValues))
                v.append(
                    Variable(
                        name: "\(c.id)_no_opinion", label: "\(c.id): no opinion (empty: criterion not answered)", kind: .flag,
                        values: [("0", "no"), ("1", "yes")]))
                v.append(Variable(name: "\(c.id)_comment", label: "\(c.id): comment", kind: .text, width: 32767))
                v.append(Variable(name: "\(c.id)_suggestion", label: "\(c.id): suggested rewording", kind: .text, width: 32767))
            }
        case .jsonl:
            break
        }
        return v
    }

    /// The codebook as CSV with columns `kind,name,label,type,values,text,plain`: one `column` row per column of
    /// the export, in the export's order (values as `code=label` joined with ` | `); one `criterion` row per
    /// criterion with its title, its formal requirement (`text`) and its plain statement as participants read it
    /// (`plain`, in the definition's language, else English); and a `note` on formula protection.
    public var csv: String {
        var lines = ["kind,name,label,type,values,text,plain"]
        for v in variables {
            let type =
                switch v.kind {
                case .text: "string"
                case .integer: "integer"
                case .flag: "0/1"
                case .timestamp: "date-time"
                }
            let values = v.values.map { "\($0.0)=\($0.1)" }.joined(separator: " | ")
            lines.append(["column", v.name, v.label, type, values, "", ""].map(Exporter.csvCell).joined(separator: ","))
        }
        for c in definition.items {
            let plain = c.plainStatement(in: definition.language)?.text ?? ""
            lines.append(["criterion", c.id, c.title, "", "", c.requirement, plain].map(Exporter.csvCell).joined(separator: ","))
        }
        lines.append(
            [
                "note", "",
                "Cells whose text starts with = + - @ tab or carriage return are prefixed with ' (spreadsheet formula protection); the JSON Lines export has the exact text.",
                "", "", "", "",
            ].map(Exporter.csvCell).joined(separator: ","))
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// SPSS names: letters, digits and _ only, starting with a letter.
    static func spssName(_ name: String) -> String {
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        return cleaned.first?.isLetter == true ? cleaned : "v_" + cleaned
    }

    static func spssString(_ text: String) -> String { "'" + text.replacingOccurrences("'", "''") + "'" }

    /// SPSS syntax that reads the CSV (UTF-8) and sets variable and value labels.
    public func spss(dataFile: String) -> String {
        var out = "* ECCOE export of consultation \(definition.id) (catalogue \(definition.catalogueVersion)).\n"
        out += "* Written by eccoe export. Ratings: 1-5; empty = no opinion or not rated (see the no_opinion columns).\n"
        out += "SET UNICODE=ON.\nGET DATA /TYPE=TXT /FILE=\(Codebook.spssString(dataFile)) /ENCODING='UTF8' /DELCASE=LINE\n"
        out += "  /DELIMITERS=\",\" /QUALIFIER='\"' /ARRANGEMENT=DELIMITED /FIRSTCASE=2\n  /VARIABLES=\n"
        for v in variables {
            let type =
                switch v.kind {
                case .integer, .flag: "F2.0"
                case .timestamp: "A24"
                case .text: "A\(max(1, min(32767, v.width)))"
                }
            out += "    \(Codebook.spssName(v.name)) \(type)\n"
        }
        out += ".\nVARIABLE LABELS\n"
        out +=
            variables.map { "  \(Codebook.spssName($0.name)) \(Codebook.spssString($0.label))" }.joined(separator: "\n") + ".\n"
        let labelled = variables.filter { !$0.values.isEmpty && ($0.kind == .integer || $0.kind == .flag) }
        if !labelled.isEmpty {
            out += "VALUE LABELS\n"
            out +=
                labelled.map { v in
                    "  \(Codebook.spssName(v.name)) "
                        + v.values.map { "\($0.0) \(Codebook.spssString($0.1))" }.joined(separator: " ")
                }.joined(separator: "\n  /") + ".\n"
        }
        out += "EXECUTE.\n"
        return out
    }

    /// R syntax that reads the CSV (UTF-8) and turns ratings into ordered factors.
    public func r(dataFile: String) -> String {
        func rString(_ s: String) -> String {
            "\"" + s.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"") + "\""
        }
        var out =
            "# ECCOE export of consultation \(definition.id) (catalogue \(definition.catalogueVersion)), written by eccoe export.\n"
        out +=
            "eccoe <- read.csv(\(rString(dataFile)), encoding = \"UTF-8\", fileEncoding = \"UTF-8-BOM\", check.names = FALSE,\n"
        out += "                  stringsAsFactors = FALSE, na.strings = \"\", colClasses = \"character\")\n"
        let labels = "c(" + definition.ratingLabels.map(rString).joined(separator: ", ") + ")"
        for v in variables where v.kind == .integer || v.kind == .flag {
            if v.values.count == 5 && v.name.hasSuffix("rating") {
                out +=
                    "eccoe[[\(rString(v.name))]] <- factor(as.integer(eccoe[[\(rString(v.name))]]), levels = 1:5, labels = \(labels), ordered = TRUE)\n"
            } else {
                out += "eccoe[[\(rString(v.name))]] <- as.integer(eccoe[[\(rString(v.name))]])\n"
            }
        }
        out += "attr(eccoe, \"variable.labels\") <- c(\n"
        out += variables.map { "  \(rString($0.name)) = \(rString($0.label))" }.joined(separator: ",\n") + "\n)\n"
        return out
    }

    /// What an export was asked for, recorded in its manifest.
    public struct Parameters: Sendable {
        public var format: ExportFormat
        public var byteOrderMark: Bool
        public var asOf: Timestamp?

        public init(format: ExportFormat, byteOrderMark: Bool, asOf: Timestamp?) {
            self.format = format
            self.byteOrderMark = byteOrderMark
            self.asOf = asOf
        }
    }

    /// The manifest: the parameters, and what each written file holds with its SHA-256. Deterministic (no
    /// export time), so the same database and parameters give the same manifest.
    public static func manifest(
        consultation: ConsultationDefinition, parameters: Parameters,
        files: [(name: String, rows: Int?, bytes: Int, sha256: String)]
    ) -> String {
        let value = JSONValue.object([
            ("consultationId", .string(consultation.id)), ("catalogueVersion", .string(consultation.catalogueVersion)),
            (
                "parameters",
                .object([
                    ("format", .string(parameters.format.rawValue)), ("byteOrderMark", .bool(parameters.byteOrderMark)),
                    ("asOf", parameters.asOf.map { .string($0.rfc3339) } ?? .null),
                ])
            ),
            ("generator", .string("eccoe export")),
            (
                "files",
                .array(
                    files.map { f in
                        .object([
                            ("name", .string(f.name)), ("rows", f.rows.map { .int($0) } ?? .null),
                            ("bytes", .int(f.bytes)),
                            ("sha256", .string(f.sha256)),
                        ])
                    })
            ),
        ])
        return value.htmlSafeText + "\n"
    }
}

extension Codebook {
    /// A language tag's English name for analysts (the tag itself when not listed).
    static func languageName(_ tag: String) -> String {
        let names = [
            "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
            "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "he": "Hebrew",
            "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "mt": "Maltese",
            "nl": "Dutch", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian",
            "sv": "Swedish", "uk": "Ukrainian",
        ]
        return names[tag] ?? tag
    }
}
