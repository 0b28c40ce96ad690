/// One learning opportunity as the lists and browse pages need it: small, so that a catalogue of any
/// size keeps only these in memory (the page itself is rendered from the document, read again).
struct Entry: Sendable {
    /// Position in the list of sources (sorted by path), for reading the document again.
    var source: Int
    var relativePath: String
    var fileExtension: String
    var id: String?
    var title: LocalText
    var providers: [Provider]
    var fields: [Field]
    var eqfLevel: Int?
    var ects: String?
    /// Set once the site is planned.
    var slug = ""
    /// Set once the document is checked.
    var status = QualityStatus(missed: [])

    init(source: Int, relativePath: String, opportunity o: Opportunity) {
        self.source = source
        self.relativePath = relativePath
        let name = relativePath.split(separator: "/").last.map(String.init) ?? relativePath
        fileExtension = name.hasSuffix(".jsonld") ? "jsonld" : "json"
        id = o.id
        title = o.displayTitle
        providers = o.providers
        fields = o.fields
        eqfLevel = o.eqfLevel
        ects = o.ects
    }

    /// The key lists are sorted by: the title folded to lower case, then the slug (unique).
    var sortKey: (String, String) { (title.text.lowercased(), slug) }

    /// The field page keys this opportunity is listed under: each field's code and the broader codes
    /// above it (`0613` → `06`, `061`, `0613`), or `other` for a field that is not an ISCED-F code.
    var fieldKeys: Set<String> {
        var keys = Set<String>()
        for f in fields {
            guard let code = f.code else {
                keys.insert("other")
                continue
            }
            keys.insert(code)
            if code.count >= 3 { keys.insert(String(code.prefix(2))) }
            if code.count == 4 { keys.insert(String(code.prefix(3))) }
        }
        return keys
    }
}
