import HTMLText

/// The collector's name for the project's one HTML escaper (module `HTMLText`, shared with the published
/// catalogue): every text that reaches a page goes through it.
enum HTML {
    static func escape(_ text: String) -> String { HTMLText.HTML.escape(text) }
    static func inlineCode(_ text: String) -> String { HTMLText.HTML.inlineCode(text) }
    static func paragraphs(_ text: String) -> String { HTMLText.HTML.paragraphs(text) }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
