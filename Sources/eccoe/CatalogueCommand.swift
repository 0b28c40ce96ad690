import CatalogueSite
import Criteria

/// `eccoe catalogue`: the published, static catalogue of the learning opportunities in a folder.
enum CatalogueCommand: Subcommand {
    static let name = "catalogue"
    static let summary = "publish the learning opportunities in a folder as a static, accessible web site"
    static let usage =
        "eccoe catalogue DIR --out SITE_DIR [--base-url URL] [--title TEXT] [--max-file-size BYTES] [--today YYYY-MM-DD]"
    static let help = """
        Reads every learning opportunity in DIR (searched recursively for *.json and *.jsonld, hidden folders
        skipped, as `eccoe check` does), checks each against the quality criteria with the same engine, and
        writes a static site to SITE_DIR that any web server can publish as it is: index.html (every
        opportunity, the quality status of the catalogue, browsing by field, EQF level and provider), one page
        per opportunity (its description in every language it has, key facts, outcomes, assessment, quality
        status, and its ELM JSON-LD embedded), a page per field, level, provider, criterion and quality
        category, a copy of each document under documents/, style.css and sitemap.xml. No script, nothing
        fetched, relative links only; the same documents give byte-identical files.

        Documents of other kinds, unreadable files and learning opportunities that are not valid JSON are
        named on standard error (`path: error|warning: message`) and left out; the rest is still built.

        SITE_DIR must be new, empty, or a site this command wrote before (it keeps a list of its files in
        SITE_DIR/.eccoe-catalogue.json, and replaces or removes only those); it may not be DIR, lie inside
        DIR or contain it.

        options:
          --out SITE_DIR          the folder to write the site to (required)
          --base-url URL          the address the site will be published at (http or https), for the
                                  absolute URLs sitemap.xml needs; without it, sitemap.xml lists the pages
                                  relative to the site's root, and a note says so
          --title TEXT            the site's title (default: "Catalogue of learning opportunities")
          --max-file-size BYTES   skip larger files with one error line (default 33554432, 32 MiB)
          --today YYYY-MM-DD      the day of the check (default: today, UTC)
          --help, --version

        exit status: 0 the site is written and every document was read; 2 usage or I/O error: a file that
        could not be read or is not valid JSON (the site is written without it), an output folder refused,
        or no learning opportunity found (nothing written).
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var out: String?
        var baseURL: String?
        var title = CatalogueBuilder.Options().title
        var maxFileSize = CheckCommand.defaultMaxFileSize
        var today: CalendarDate?
        var folders: [String] = []
        while let item = scanner.next() {
            switch item {
            case .option("--out", let inline):
                out = try scanner.value(for: "--out", inline: inline)
            case .option("--base-url", let inline):
                let value = try scanner.value(for: "--base-url", inline: inline)
                guard let normalized = Sitemap.normalizedBaseURL(value) else {
                    throw UsageError(
                        message: "--base-url needs an absolute http or https URL without query or fragment, not `\(value)`")
                }
                baseURL = normalized
            case .option("--title", let inline):
                title = try scanner.value(for: "--title", inline: inline).trimmingWhitespaceForTitle
                if title.isEmpty { throw UsageError(message: "--title needs a text") }
            case .option("--max-file-size", let inline):
                let value = try scanner.value(for: "--max-file-size", inline: inline)
                guard let n = Int(value), n > 0 else {
                    throw UsageError(message: "--max-file-size needs a positive number of bytes")
                }
                maxFileSize = n
            case .option("--today", let inline):
                today = try CheckCommand.parseToday(try scanner.value(for: "--today", inline: inline))
            case .option(let name, _):
                throw UsageError(message: "unknown option \(name)")
            case .positional(let path):
                folders.append(path)
            }
        }
        guard folders.count == 1, let folder = folders.first else {
            throw UsageError(message: folders.isEmpty ? "missing DIR" : "one DIR only (got \(folders.count))")
        }
        guard let out else { throw UsageError(message: "missing --out SITE_DIR") }

        let files: [String]
        switch DocumentFinder.find(folder) {
        case .file: throw UsageError(message: "DIR must be a folder; \(folder) is a file")
        case .failure(let reason):
            standardError("\(folder): error: cannot read: \(reason)")
            return ExitStatus.usage
        case .folder(let found): files = found
        }
        if files.isEmpty {
            standardError("\(folder): error: no .json or .jsonld documents in this folder; nothing written")
            return ExitStatus.usage
        }
        let engine: CriteriaEngine
        do {
            engine = try CriteriaEngine(options: CheckOptions(today: today))
        } catch {
            standardError("eccoe catalogue: error: the embedded schemas do not compile (a build defect):\n\(error)")
            return ExitStatus.usage
        }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let sources = files.map {
            CatalogueBuilder.Source(path: $0, relativePath: $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : $0)
        }
        let limit = maxFileSize
        let builder = CatalogueBuilder(engine: engine, options: CatalogueBuilder.Options(title: title, baseURL: baseURL))
        let outcome: CatalogueBuilder.Outcome
        do {
            let output = try SiteOutput(path: out, sourceFolder: folder)
            outcome = try builder.build(
                sources,
                read: { path in
                    do throws(InputFile.ReadError) {
                        return .success(try InputFile.read(path, limit: limit))
                    } catch {
                        return .failure(SiteError(message: error.reason))
                    }
                }, into: output, generator: "eccoe \(eccoeVersion)")
        } catch {
            standardError("eccoe catalogue: error: \(error.message)")
            return ExitStatus.usage
        }
        var status = ExitStatus.success
        for problem in outcome.problems {
            standardError("\(problem.path): \(problem.severity.rawValue): \(problem.message)")
            if problem.severity == .error { status = ExitStatus.usage }
        }
        if baseURL == nil {
            standardError(
                "eccoe catalogue: note: sitemap.xml lists pages relative to the site's root; search engines need absolute URLs: build again with --base-url URL (the address the site is published at)"
            )
        }
        let skipped = sources.count - outcome.opportunities
        let megabytes = (Double(outcome.bytesWritten) / 100_000).rounded() / 10
        let unchanged = outcome.files - outcome.filesWritten
        standardError(
            "eccoe catalogue: \(outcome.opportunities) learning opportunit\(outcome.opportunities == 1 ? "y" : "ies") published, \(skipped) other file\(skipped == 1 ? "" : "s") left out; site of \(outcome.files) files in \(out): \(outcome.filesWritten) written (\(megabytes) MB)\(unchanged > 0 ? ", \(unchanged) unchanged" : ""); open \(out.hasSuffix("/") ? out : out + "/")index.html"
        )
        return status
    }
}

extension String {
    fileprivate var trimmingWhitespaceForTitle: String {
        split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
