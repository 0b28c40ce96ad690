import HTMLText

/// Builds one page as UTF-8 bytes. Text and attribute values always go through the project's one
/// escaper (`HTML.appendEscaped`); markup can only be written from static strings, so no value from a
/// document can become markup by mistake.
struct HTMLWriter {
    private(set) var bytes: [UInt8] = []
    /// Where a long page goes while it is rendered (nil: it stays in `bytes`).
    private let sink: (([UInt8]) -> Void)?

    /// Bytes kept before `flushIfNeeded` hands them to the sink.
    static let flushSize = 64 * 1024

    init(capacity: Int = 16 * 1024, sink: (([UInt8]) -> Void)? = nil) {
        bytes.reserveCapacity(capacity)
        self.sink = sink
    }

    /// With a sink, hands over what is rendered once it passes `flushSize`, so that a page listing every
    /// opportunity of a large catalogue is never held whole.
    mutating func flushIfNeeded() {
        guard let sink, bytes.count >= HTMLWriter.flushSize else { return }
        sink(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Markup written as it is: only compile-time strings.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text, escaped.
    mutating func text(_ value: String) { HTML.appendEscaped(value, to: &bytes) }

    /// An integer, written in decimal.
    mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// `<tag a="v" …>`; attributes whose value is nil are left out; names are static.
    mutating func open(_ tag: StaticString, _ attributes: [(StaticString, String?)] = []) {
        bytes.append(UInt8(ascii: "<"))
        raw(tag)
        for (name, value) in attributes {
            guard let value else { continue }
            bytes.append(UInt8(ascii: " "))
            raw(name)
            bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            text(value)
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(_ tag: StaticString) {
        bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        raw(tag)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<tag …>text</tag>`.
    mutating func element(_ tag: StaticString, _ attributes: [(StaticString, String?)] = [], _ content: String) {
        open(tag, attributes)
        text(content)
        close(tag)
    }

    /// A text in a language: wrapped in `<span lang>` unless it is the site's language (English).
    mutating func text(_ value: LocalText) {
        if let lang = value.htmlLang {
            open("span", [("lang", lang)])
            text(value.text)
            close("span")
        } else {
            text(value.text)
        }
    }

    /// Text in which `code` spans (the catalogue's Markdown backticks) become `<code>` elements, escaped by
    /// the project's escaper (`HTML.inlineCode`).
    mutating func inlineCode(_ value: String) {
        if value.utf8.contains(UInt8(ascii: "`")) { bytes.append(contentsOf: HTML.inlineCode(value).utf8) } else { text(value) }
    }

    /// Appends bytes that are already safe markup (a fragment this module rendered).
    mutating func append(rendered fragment: [UInt8]) { bytes.append(contentsOf: fragment) }

    mutating func newline() { bytes.append(0x0A) }
}
