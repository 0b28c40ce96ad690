import Criteria

/// `eccoe criteria`: the criteria catalogue, for reading or for other tools.
enum CriteriaCommand: Subcommand {
    static let name = "criteria"
    static let summary = "print the quality-criteria catalogue"
    static let usage = "eccoe criteria [--format markdown|json]"
    static let help = """
        Prints the catalogue of quality criteria that `eccoe check` and the language server apply and the
        consultation asks about.

        options:
          --format markdown|json  markdown (default): one section per document kind, each criterion with its
                                  level, requirement, rationale and source; json: the catalogue exactly as
                                  embedded (Schemas/criteria.json)
          --help, --version
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var format = "markdown"
        while let item = scanner.next() {
            switch item {
            case .option("--format", let inline):
                format = try scanner.value(for: "--format", inline: inline)
                guard format == "markdown" || format == "json" else {
                    throw UsageError(message: "--format must be `markdown` or `json`, not `\(format)`")
                }
            case .option(let name, _):
                throw UsageError(message: "unknown option \(name)")
            case .positional(let value):
                throw UsageError(message: "unexpected argument `\(value)`")
            }
        }
        let catalogue = Catalogue.standard
        if format == "json" {
            CheckCommand.writeStandardOutput(catalogue.json.hasSuffix("\n") ? catalogue.json : catalogue.json + "\n")
        } else {
            CheckCommand.writeStandardOutput(markdown(catalogue))
        }
        return ExitStatus.success
    }

    static func markdown(_ catalogue: Catalogue) -> String {
        var out = "# \(catalogue.title)\n\nCatalogue version \(catalogue.version). \(catalogue.description)\n"
        let groups: [(String, String)] = [
            ("MC-", "Credentials (micro-credentials)"), ("LO-", "Learning opportunities"), ("AG-", "Recognition agreements"),
            ("DQ-", "Data quality"), ("CO-", "Consultation definitions"),
        ]
        for (prefix, heading) in groups {
            let criteria = catalogue.criteria.filter { $0.id.hasPrefix(prefix) }
            guard !criteria.isEmpty else { continue }
            out += "\n## \(heading)\n\n| ID | Criterion | Level | Applies to |\n|---|---|---|---|\n"
            for c in criteria {
                out +=
                    "| \(c.id) | \(c.title.escapedForTable) | \(c.level.rawValue) | \(c.kinds.map(\.rawValue).joined(separator: ", ")) |\n"
            }
            for c in criteria {
                out +=
                    "\n### \(c.id) \(c.title)\n\n*\(c.level.rawValue)*, applies to \(c.kinds.map(\.rawValue).joined(separator: ", "))"
                if !c.claimTypes.isEmpty { out += " (claims: \(c.claimTypes.joined(separator: ", ")))" }
                if c.isWorkspaceScoped { out += "; checked against the referenced documents" }
                out += ".\n\n\(c.requirement)\n\n**Why:** \(c.rationale)\n\n**Source:** \(c.source)\n"
            }
        }
        return out
    }
}

extension String {
    var escapedForTable: String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
