public import Criteria
import Dispatch
import JSONSyntax
import Synchronization

/// Builds the published catalogue: reads the learning opportunities among the given documents, checks
/// each with the criteria engine of `eccoe check`, and writes the static site (`index.html`, a page per
/// opportunity with its document, a page per field, EQF level, provider, criterion and quality category,
/// `style.css`, `sitemap.xml`).
///
/// Two passes over the documents, both in parallel: the first reads what the lists need (id, title,
/// provider, field, level, credits) and keeps only that; the second reads each document again, checks it,
/// renders its page and writes the page and the copy. Memory therefore holds one small entry per
/// opportunity plus the documents in flight, whatever the size of the catalogue. Output depends only on
/// the documents and the options: sources are sorted by path, lists by title and slug.
public struct CatalogueBuilder: Sendable {
    public struct Options: Sendable {
        /// The site's title (every page's header and the index's `<h1>`).
        public var title: String
        /// The absolute URL the site will be published at (normalised by `Sitemap.normalizedBaseURL`), for
        /// `sitemap.xml`; nil: the sitemap lists paths relative to the site's root.
        public var baseURL: String?
        /// URLs per sitemap file (the protocol's limit, 50,000; lower only in tests).
        public var maxURLsPerSitemap: Int

        public init(
            title: String = "Catalogue of learning opportunities", baseURL: String? = nil,
            maxURLsPerSitemap: Int = Sitemap.maxURLsPerFile
        ) {
            self.title = title
            self.baseURL = baseURL
            self.maxURLsPerSitemap = maxURLsPerSitemap
        }
    }

    /// One document to consider.
    public struct Source: Sendable {
        /// The path to read it from.
        public var path: String
        /// Its path relative to the catalogue's folder (shown on its page; sources are ordered by it).
        public var relativePath: String

        public init(path: String, relativePath: String) {
            self.path = path
            self.relativePath = relativePath
        }
    }

    /// Something the user should know about one document; the rest of the site is still built.
    public struct Problem: Error, Sendable, Hashable {
        public enum Severity: String, Sendable { case error, warning }
        public var path: String
        public var severity: Severity
        public var message: String
    }

    /// What a build did.
    public struct Outcome: Sendable {
        public var opportunities: Int
        public var problems: [Problem]
        /// Files of the site (the manifest not counted).
        public var files: Int
        /// Files written by this build (the others already held the same bytes), and their size.
        public var filesWritten: Int
        public var bytesWritten: Int
    }

    /// Reads a document's bytes, or says why it cannot (`InputFile` in the CLI: size limit, directories).
    public typealias Reader = @Sendable (String) -> Result<[UInt8], SiteError>

    public let engine: CriteriaEngine
    public let options: Options
    let labels: Labels
    let criteria: QualityCriteria

    public init(engine: CriteriaEngine, options: Options = Options()) {
        self.engine = engine
        self.options = options
        labels = Labels(vocabularies: engine.vocabularies)
        criteria = QualityCriteria(catalogue: engine.catalogue)
    }

    public func build(_ sources: [Source], read: Reader, into output: SiteOutput, generator: String) throws(SiteError) -> Outcome
    {
        let sources = sources.sorted { $0.relativePath < $1.relativePath }
        var problems: [Problem] = []

        // Pass 1: what the lists need. Documents of one provider share one copy of its details.
        let firstPass = Slots<Result<Entry, Problem>?>(count: sources.count, initial: nil)
        let providerLists = Interner<[Provider]>(), fieldLists = Interner<[Field]>()
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            var result = summarize(sources[i], position: i, read: read)
            if case .success(var entry) = result {
                entry.providers = providerLists.intern(entry.providers)
                entry.fields = fieldLists.intern(entry.fields)
                result = .success(entry)
            }
            firstPass.set(i, result)
        }
        var entries: [Entry] = []
        for result in firstPass.all {
            switch result {
            case .success(let entry): entries.append(entry)
            case .failure(let problem): problems.append(problem)
            case nil: break
            }
        }
        guard !entries.isEmpty else {
            throw SiteError(
                message:
                    "no learning opportunities among the \(sources.count) document\(sources.count == 1 ? "" : "s") found; nothing written"
            )
        }

        // The plan: slugs, groups, every path.
        var plan = makePlan(&entries)
        var firstWithID: [String: String] = [:]
        for e in plan.entries.sorted(by: { $0.relativePath < $1.relativePath }) {
            guard let id = e.id else { continue }
            if let first = firstWithID[id] {
                problems.append(
                    Problem(
                        path: e.relativePath, severity: .warning,
                        message: "the same id as \(first) (\(id)); both are published, under different page names"))
            } else {
                firstWithID[id] = e.relativePath
            }
        }
        let site = SiteContext(
            title: options.title, labels: labels, criteria: criteria, catalogueVersion: engine.catalogue.version,
            generator: generator, providerSlugs: Dictionary(uniqueKeysWithValues: plan.providers.map { ($0.key, $0.slug) }),
            entryCount: plan.entries.count)
        let pages = [SitePaths.index] + plan.entries.map { SitePaths.opportunity($0.slug) } + plan.browsePaths(criteria: criteria)
        let sitemaps = Sitemap.files(pages: pages, baseURL: options.baseURL, maxURLsPerFile: options.maxURLsPerSitemap)
        let files =
            pages + plan.entries.map { SitePaths.document($0.slug, extension: $0.fileExtension) } + [Stylesheet.fileName]
            + sitemaps.map(\.path)
        try output.prepare(files)

        // Pass 2: check, render and write each opportunity.
        let tally = WriteTally()
        let secondPass = Slots<(QualityStatus, Problem?, SiteError?)>(
            count: plan.entries.count, initial: (QualityStatus(missed: []), nil, nil))
        let frozen = plan
        DispatchQueue.concurrentPerform(iterations: frozen.entries.count) { i in
            let entry = frozen.entries[i]
            do throws(SiteError) {
                let (status, problem) = try publish(
                    entry, source: sources[entry.source], read: read, site: site, output: output, tally: tally)
                secondPass.set(i, (status, problem, nil))
            } catch {
                secondPass.set(i, (QualityStatus(missed: []), nil, error))
            }
        }
        for (i, result) in secondPass.all.enumerated() {
            if let error = result.2 { throw error }
            plan.entries[i].status = result.0
            if let p = result.1 { problems.append(p) }
        }

        // The index and the browse pages, each written while it is rendered.
        let browse = BrowsePages(plan: plan, site: site)
        var jobs: [(String, @Sendable (inout HTMLWriter) -> Void)] = [(SitePaths.index, { browse.index(into: &$0) })]
        jobs += plan.fields.keys.sorted().map { key in (SitePaths.field(key), { browse.fieldPage(key, into: &$0) }) }
        jobs += plan.levels.keys.sorted(by: SitePlan.levelOrder).map { level in
            (SitePaths.level(level), { browse.levelPage(level, into: &$0) })
        }
        jobs += plan.providers.map { group in (SitePaths.provider(group.slug), { browse.providerPage(group, into: &$0) }) }
        jobs += criteria.criteria.indices.map { i in
            (SitePaths.criterion(criteria.criteria[i].id), { browse.criterionPage(i, into: &$0) })
        }
        jobs += QualityStatus.Category.allCases.map { c in (SitePaths.status(c), { browse.statusPage(c, into: &$0) }) }
        jobs.append((Stylesheet.fileName, { $0.append(rendered: Array(Stylesheet.css.utf8)) }))
        for map in sitemaps { jobs.append((map.path, { $0.append(rendered: map.bytes) })) }
        let failures = Slots<SiteError?>(count: jobs.count, initial: nil)
        let work = jobs
        DispatchQueue.concurrentPerform(iterations: work.count) { i in
            do throws(SiteError) {
                let stream = try output.stream(work[i].0)
                var w = HTMLWriter(sink: { stream.append($0) })
                work[i].1(&w)
                stream.append(w.bytes)
                tally.count(try stream.finish(), stream.count)
            } catch {
                failures.set(i, error)
            }
        }
        if let error = failures.all.compactMap({ $0 }).first { throw error }
        try output.finish(files)
        return Outcome(
            opportunities: plan.entries.count, problems: problems.sorted { ($0.path, $0.message) < ($1.path, $1.message) },
            files: files.count, filesWritten: tally.files.load(ordering: .relaxed),
            bytesWritten: tally.bytes.load(ordering: .relaxed))
    }

    // MARK: Pass 1

    /// Reads a document; an opportunity gives its entry, anything else a problem.
    func summarize(_ source: Source, position: Int, read: Reader) -> Result<Entry, Problem> {
        switch parse(source, read: read) {
        case .failure(let problem): return .failure(problem)
        case .success(let (tree, _)):
            return .success(
                Entry(
                    source: position, relativePath: source.relativePath,
                    opportunity: Opportunity(tree, labels: labels, summaryOnly: true)))
        }
    }

    /// Reads and parses a document and makes sure it is a learning opportunity without JSON syntax errors.
    func parse(_ source: Source, read: Reader) -> Result<(SyntaxTree, [UInt8]), Problem> {
        let bytes: [UInt8]
        switch read(source.path) {
        case .failure(let error):
            return .failure(Problem(path: source.path, severity: .error, message: "cannot read: \(error.message)"))
        case .success(let b): bytes = b
        }
        if bytes.contains(0) {
            return .failure(
                Problem(
                    path: source.path, severity: .error,
                    message: "binary file (it contains NUL bytes), not a JSON document; skipped"))
        }
        let tree = SyntaxTree(parsing: bytes, dialect: .json)
        let kind = engine.kind(of: tree, path: source.path)
        if kind != .learningOpportunity {
            let what =
                kind.map { "a \($0.displayName), not a learning opportunity" }
                ?? "not a learning opportunity (JSON of no kind ECCOE knows)"
            return .failure(Problem(path: source.path, severity: .warning, message: "\(what); not in the catalogue"))
        }
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            let p = tree.position(of: error.range.lowerBound, encoding: .utf8)
            return .failure(
                Problem(
                    path: source.path, severity: .error,
                    message:
                        "\(p.line + 1):\(p.character + 1): \(error.message); a learning opportunity that is not valid JSON is left out of the catalogue (`eccoe check` shows every problem)"
                ))
        }
        return .success((tree, bytes))
    }

    // MARK: Plan

    func makePlan(_ entries: inout [Entry]) -> SitePlan {
        // Opportunity slugs from ids (or, without one, from the file's path).
        let bases = entries.map { e in
            (
                base: Slug.make(e.id ?? e.relativePath.droppingExtension, fallback: "opportunity"),
                key: e.id ?? "path:" + e.relativePath,
                tiebreak: e.relativePath
            )
        }
        for (i, slug) in Slug.unique(bases).enumerated() { entries[i].slug = slug }
        entries.sort { $0.sortKey < $1.sortKey }

        // Providers: grouped by key; the name shown is the one most documents give (ties: the first in order).
        var groups: [String: (names: [LocalText: Int], country: ConceptValue?, homepage: String?, id: String?, members: [Int])] =
            [:]
        for (i, e) in entries.enumerated() {
            var seen = Set<String>()
            for p in e.providers where seen.insert(p.key).inserted {
                var g = groups[p.key] ?? ([:], nil, nil, p.id, [])
                g.names[p.name, default: 0] += 1
                if g.country == nil { g.country = p.country }
                if g.homepage == nil { g.homepage = p.homepage }
                g.members.append(i)
                groups[p.key] = g
            }
        }
        let keys = groups.keys.sorted()
        let providerSlugs = Slug.unique(
            keys.map { key in
                let g = groups[key]!
                return (base: Slug.make(g.id ?? bestName(g.names).text, fallback: "provider"), key: key, tiebreak: key)
            })
        var providers: [SitePlan.ProviderGroup] = []
        for (key, slug) in zip(keys, providerSlugs) {
            let g = groups[key]!
            providers.append(
                SitePlan.ProviderGroup(
                    key: key, slug: slug, name: bestName(g.names), country: g.country,
                    homepage: g.homepage, members: g.members))
        }
        providers.sort { ($0.name.text.lowercased(), $0.slug) < ($1.name.text.lowercased(), $1.slug) }

        var fields: [String: [Int]] = [:]
        var levels: [Int?: [Int]] = [:]
        var documentLabels: [String: LocalText] = [:]
        for (i, e) in entries.enumerated() {
            for key in e.fieldKeys.sorted() { fields[key, default: []].append(i) }
            for f in e.fields {
                if let code = f.code, documentLabels[code] == nil, labels.fieldLabel(code) == nil {
                    documentLabels[code] = f.label
                }
            }
            levels[e.eqfLevel, default: []].append(i)
        }
        return SitePlan(
            entries: entries, providers: providers, fields: fields, levels: levels, documentFieldLabels: documentLabels)
    }

    private func bestName(_ names: [LocalText: Int]) -> LocalText {
        names.max { a, b in a.value != b.value ? a.value < b.value : (a.key.text, a.key.lang) > (b.key.text, b.key.lang) }!.key
    }

    // MARK: Pass 2

    /// Reads, checks and renders one opportunity; writes its page and the copy of its document.
    /// Returns its status, and a problem if the document cannot be read again.
    func publish(_ entry: Entry, source: Source, read: Reader, site: SiteContext, output: SiteOutput, tally: WriteTally)
        throws(SiteError) -> (QualityStatus, Problem?)
    {
        let pagePath = SitePaths.opportunity(entry.slug)
        let documentPath = SitePaths.document(entry.slug, extension: entry.fileExtension)
        switch parse(source, read: read) {
        case .failure(let problem):
            // The file changed or vanished between the passes: the lists already link here, so the page
            // says what happened rather than leaving a broken link.
            var w = HTMLWriter()
            PageShell.begin(&w, pageTitle: entry.title.text, root: OpportunityPage.root, site: site)
            w.open("h1", [("lang", entry.title.htmlLang)])
            w.text(entry.title.text)
            w.raw("</h1>\n<p>")
            w.text("The document \(entry.relativePath) could not be read again while the site was built: \(problem.message)")
            w.raw("</p>\n")
            PageShell.end(&w, root: OpportunityPage.root, site: site)
            tally.count(try output.write(pagePath, w.bytes), w.bytes.count)
            tally.count(try output.write(documentPath, []), 0)
            return (QualityStatus(missed: criteria.criteria.indices.map { $0 }), problem)
        case .success(let (tree, bytes)):
            let findings = engine.check(tree, path: source.path, kind: .learningOpportunity)
            let report = QualityReport(findings, tree: tree, criteria: criteria)
            let page = OpportunityPage(
                opportunity: Opportunity(tree, labels: labels), report: report, slug: entry.slug,
                documentPath: documentPath, sourcePath: entry.relativePath,
                jsonLD: ScriptSafeJSON.compact(bytes), site: site
            ).render()
            tally.count(try output.write(pagePath, page), page.count)
            tally.count(try output.write(documentPath, bytes), bytes.count)
            return (report.status, nil)
        }
    }
}

/// Files and bytes written by the threads of a build.
final class WriteTally: Sendable {
    let files = Atomic<Int>(0)
    let bytes = Atomic<Int>(0)

    func count(_ written: Bool, _ size: Int) {
        guard written else { return }
        files.add(1, ordering: .relaxed)
        bytes.add(size, ordering: .relaxed)
    }
}

/// One shared copy of equal values (the provider and field lists that thousands of documents repeat).
final class Interner<T: Hashable & Sendable>: Sendable {
    private let table = Mutex<Set<T>>([])

    func intern(_ value: T) -> T { table.withLock { $0.insert(value).memberAfterInsert } }
}

/// Results of parallel work, one slot per iteration, each set once by the thread that ran it and read
/// after all have finished.
final class Slots<T: Sendable>: Sendable {
    private let values: Mutex<[T]>

    init(count: Int, initial: T) { values = Mutex(Array(repeating: initial, count: count)) }

    func set(_ i: Int, _ value: T) { values.withLock { $0[i] = value } }
    var all: [T] { values.withLock { $0 } }
}

extension String {
    /// Without a final `.json` or `.jsonld`.
    var droppingExtension: String {
        for ext in [".jsonld", ".json"] where hasSuffix(ext) { return String(dropLast(ext.count)) }
        return self
    }
}
