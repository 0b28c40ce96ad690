public import ConsultationDomain

/// A read-only connection to a collector's database, for one long read by one owner (an export, the
/// statistics, a report): what the analysts' outputs read through, so SQL stays in the store. WAL lets it
/// read while the collector commits.
public final class ResponseReader {
    let connection: SQLiteConnection

    init(connection: SQLiteConnection) { self.connection = connection }

    /// Opens a database file read-only (`eccoe export`, `eccoe report`).
    public convenience init(databasePath: String) throws {
        self.init(connection: try SQLiteConnection(path: databasePath, readOnly: true))
    }

    /// The consultation the database holds (the one most recently served).
    public func storedDefinition() throws -> ConsultationDefinition {
        let rows = try connection.query(
            "SELECT definition, builtin, opens_at FROM consultations ORDER BY created_at DESC, id LIMIT 1"
        ) {
            ($0.text(0), $0.int(1) == 1, Timestamp(milliseconds: $0.int(2)))
        }
        guard let (source, builtin, opensAt) = rows.first else {
            throw StoreError(description: "the database holds no consultation (has `eccoe serve` used it?)")
        }
        if builtin { return ConsultationDefinition.builtIn(opensAt: opensAt) }
        switch ConsultationDefinition.load(Array(source.utf8)) {
        case .success(let d): return d
        case .failure(let e):
            throw StoreError(
                description: "the stored definition no longer loads: \(e.problems.map(\.description).joined(separator: "; "))")
        }
    }

    /// Walks the responses of `definition` received by `asOf` (all when nil) in arrival order: see
    /// `ResponseStream`.
    package func forEach(definition: ConsultationDefinition, asOf: Timestamp?, _ body: (ResponseStream.StoredRow) throws -> Void)
        throws
    {
        try ResponseStream(definition: definition, reader: connection).forEach(asOf: asOf, body)
    }
}

/// Reads a consultation's responses in arrival order, each with its profile, question and criterion
/// answers: the one pass behind the exports and the statistics, so they always agree.
///
/// Three cursors walk `responses`, `question_answers` and `answers` in `response_seq` order (each table's
/// own key order, so SQLite sorts nothing) and are merged one response at a time, inside one read
/// transaction so a collector committing meanwhile cannot tear the snapshot. Memory holds one response.
package struct ResponseStream {
    let definition: ConsultationDefinition
    let reader: SQLiteConnection

    /// Distinct stored answer values (profile choices, countries, scale points) decoded once and reused;
    /// past this many, values are decoded each time (free texts rarely repeat).
    static let decodedValueCacheLimit = 4096

    /// One stored response with everything it answered, as the export and the statistics read it.
    package struct StoredRow {
        package var id: String
        package var consultationID: String
        package var catalogueVersion: String
        package var channel: String
        package var receivedAt: Timestamp
        package var updatedAt: Timestamp
        package var consentVersion: String
        package var consentAt: Timestamp
        package var duplicateOf: String?
        /// The language the response was given in.
        package var language = "en"
        package var content = ResponseContent()
    }

    static let responsesQuery = """
        SELECT seq, id, consultation_id, catalogue_version, channel, received_at, updated_at, consent_version, consent_at, duplicate_of, language
        FROM responses WHERE consultation_id = ? AND received_at <= ? ORDER BY seq
        """
    static let valuesQuery = "SELECT response_seq, part, question_id, value_json FROM question_answers ORDER BY response_seq"
    static let answersQuery =
        "SELECT response_seq, criterion_id, rating, comment, suggestion FROM answers ORDER BY response_seq"

    /// Walks the responses in arrival order, merging in each one's profile, question and criterion answers
    /// from the two other cursors, sorted into the definition's order (answers to criteria a later definition
    /// dropped come last, by id).
    func forEach(asOf: Timestamp?, _ body: (StoredRow) throws -> Void) throws {
        try reader.readTransaction {
            let responses = try reader.prepare(ResponseStream.responsesQuery)
            let values = try reader.prepare(ResponseStream.valuesQuery)
            let answers = try reader.prepare(ResponseStream.answersQuery)
            defer {
                responses.reset()
                values.reset()
                answers.reset()
            }
            try responses.bind([.text(definition.id), .int(asOf?.milliseconds ?? Int64.max)])
            try values.bind([])
            try answers.bind([])
            var moreValues = try values.step(), moreAnswers = try answers.step()
            var decoded: [String: AnswerValue] = [:]
            while try responses.step() {
                let seq = responses.int(0)
                var row = StoredRow(
                    id: responses.text(1), consultationID: responses.text(2), catalogueVersion: responses.text(3),
                    channel: responses.text(4), receivedAt: Timestamp(milliseconds: responses.int(5)),
                    updatedAt: Timestamp(milliseconds: responses.int(6)), consentVersion: responses.text(7),
                    consentAt: Timestamp(milliseconds: responses.int(8)), duplicateOf: responses.optionalText(9),
                    language: responses.text(10))
                row.content.consentVersion = row.consentVersion
                row.content.consentGiven = true
                while moreValues && values.int(0) < seq { moreValues = try values.step() }
                while moreValues && values.int(0) == seq {
                    let json = values.text(3)
                    var value = decoded[json]
                    if value == nil {
                        value = AnswerValue(json: json)
                        if let value, decoded.count < ResponseStream.decodedValueCacheLimit { decoded[json] = value }
                    }
                    if let value {
                        let isProfile = values.withText(1) { $0.first == UInt8(ascii: "p") }
                        if isProfile {
                            row.content.profile.append((values.text(2), value))
                        } else {
                            row.content.questions.append((values.text(2), value))
                        }
                    }
                    moreValues = try values.step()
                }
                while moreAnswers && answers.int(0) < seq { moreAnswers = try answers.step() }
                while moreAnswers && answers.int(0) == seq {
                    row.content.answers.append(
                        (
                            answers.text(1),
                            CriterionAnswer(
                                rating: answers.optionalInt(2).map { Int($0) }, comment: answers.optionalText(3),
                                suggestion: answers.optionalText(4))
                        ))
                    moreAnswers = try answers.step()
                }
                row.content.arrange(in: definition)
                try body(row)
            }
        }
    }
}
