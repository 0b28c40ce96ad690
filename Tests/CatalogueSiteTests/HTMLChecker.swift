/// A structural checker for the pages the catalogue writes: a small HTML tokenizer and the rules a
/// published, accessible page must follow. It is strict on purpose (the generator writes every end tag and
/// double-quotes every attribute), so anything it cannot read is a finding.
///
/// Rules: a doctype, `<html lang>`, `<meta charset="utf-8">` first in `<head>`, a viewport, a non-empty
/// `<title>`; elements balanced (void elements never closed); one `<h1>`; headings never skip a level
/// downwards; ids unique and every `aria-labelledby`/`for`/`aria-describedby` reference resolved; one `main`,
/// one `header`, one `footer`, every `nav` labelled and labels unique; lists, definition lists and tables
/// well nested; every table with a caption and header cells with a scope; every link with an `href` and
/// text; every form control labelled; no `style` or event-handler attributes, no `src`, no `javascript:`;
/// no script but one `application/ld+json` block (whose text cannot end the element early); no comments;
/// `lang` values well formed.
struct HTMLChecker {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    struct Page {
        var problems: [String] = []
        var ids: Set<String> = []
        /// (element name, attribute name, value) of every `href`.
        var links: [(element: String, attributes: [String: String])] = []
        /// The text of each `<script>` element.
        var scripts: [(type: String?, text: String)] = []
        var title = ""
        var h1 = ""
    }

    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ]
    static let allowedElements: Set<String> = [
        "html", "head", "body", "meta", "title", "link", "script", "header", "nav", "main", "footer", "section", "div", "p", "a",
        "span", "strong", "code", "time", "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tr", "th",
        "td", "h1", "h2", "h3", "h4", "h5", "h6", "br",
    ]
    /// The parents an element may have, where it matters for the structure.
    static let parents: [String: Set<String>] = [
        "li": ["ul", "ol"], "dt": ["dl"], "dd": ["dl"], "tr": ["thead", "tbody", "table"], "th": ["tr"], "td": ["tr"],
        "thead": ["table"], "tbody": ["table"], "caption": ["table"], "head": ["html"], "body": ["html"],
        "title": ["head"], "meta": ["head"], "link": ["head"],
    ]

    static func check(_ html: String) -> Page {
        var page = Page()
        var stack: [Element] = []
        let bytes = Array(html.utf8)
        var i = 0
        var sawDoctype = false
        var headFirstChild: String?
        var headingLevels: [Int] = []
        var counts: [String: Int] = [:]
        var navLabels: [String] = []
        var references: [(String, String)] = []
        var labelFor: Set<String> = []
        var controls: [[String: String]] = []
        var textSinceLink: [String] = []  // text inside open <a> elements
        var titleText = ""
        var h1Text = ""

        func problem(_ text: String) { page.problems.append(text) }
        func at(_ s: String) -> Bool { bytes.count >= i + s.utf8.count && bytes[i..<(i + s.utf8.count)].elementsEqual(s.utf8) }

        if at("<!DOCTYPE html>") {
            sawDoctype = true
            i += 15
        }
        if !sawDoctype { problem("no <!DOCTYPE html> at the start") }

        while i < bytes.count {
            if bytes[i] != UInt8(ascii: "<") {
                var j = i
                while j < bytes.count && bytes[j] != UInt8(ascii: "<") { j += 1 }
                let text = String(decoding: bytes[i..<j], as: UTF8.self)
                if text.contains(">") { problem("a raw `>` in text: \(text.prefix(60))") }
                checkReferences(text, &page)
                let decoded = decode(text)
                if stack.contains(where: { $0.name == "title" }) { titleText += decoded }
                if stack.contains(where: { $0.name == "h1" }) { h1Text += decoded }
                if !textSinceLink.isEmpty { textSinceLink[textSinceLink.count - 1] += decoded }
                if !stack.isEmpty && stack.last!.name == "body" || stack.isEmpty {
                    if !decoded.allSatisfy(\.isWhitespace) {
                        problem("text outside any element of <body>: \(decoded.prefix(40))")
                    }
                }
                i = j
                continue
            }
            if at("<!--") {
                problem("an HTML comment")
                i += 4
                continue
            }
            if at("</") {
                var j = i + 2
                while j < bytes.count && bytes[j] != UInt8(ascii: ">") { j += 1 }
                let name = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                i = j + 1
                guard let top = stack.last else {
                    problem("</\(name)> with nothing open")
                    continue
                }
                if top.name != name {
                    problem("</\(name)> closes <\(top.name)>")
                    if let k = stack.lastIndex(where: { $0.name == name }) { stack.removeSubrange(k...) }
                    continue
                }
                if name == "a" {
                    let text = textSinceLink.removeLast()
                    if text.allSatisfy(\.isWhitespace) && top.attributes["aria-label"] == nil {
                        problem("a link without text (href \(top.attributes["href"] ?? ""))")
                    }
                }
                stack.removeLast()
                continue
            }
            // A start tag.
            var j = i + 1
            while j < bytes.count
                && (bytes[j] >= UInt8(ascii: "a") && bytes[j] <= UInt8(ascii: "z")
                    || bytes[j] >= UInt8(ascii: "0") && bytes[j] <= UInt8(ascii: "9"))
            { j += 1 }
            let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
            if name.isEmpty {
                problem("a `<` that starts no tag")
                i += 1
                continue
            }
            var attributes: [String: String] = [:]
            // Attributes: ` name="value"` or ` name`.
            while j < bytes.count && bytes[j] != UInt8(ascii: ">") {
                guard bytes[j] == UInt8(ascii: " ") else {
                    problem("unexpected character in <\(name)>")
                    break
                }
                j += 1
                var k = j
                while k < bytes.count && bytes[k] != UInt8(ascii: "=") && bytes[k] != UInt8(ascii: " ")
                    && bytes[k] != UInt8(ascii: ">")
                { k += 1 }
                let attribute = String(decoding: bytes[j..<k], as: UTF8.self)
                var value = ""
                if k < bytes.count && bytes[k] == UInt8(ascii: "=") {
                    guard k + 1 < bytes.count, bytes[k + 1] == UInt8(ascii: "\"") else {
                        problem("unquoted value of \(attribute) in <\(name)>")
                        break
                    }
                    var e = k + 2
                    while e < bytes.count && bytes[e] != UInt8(ascii: "\"") { e += 1 }
                    let raw = String(decoding: bytes[(k + 2)..<min(e, bytes.count)], as: UTF8.self)
                    if raw.contains("<") || raw.contains(">") { problem("a raw `<` or `>` in the value of \(attribute)") }
                    checkReferences(raw, &page)
                    value = decode(raw)
                    k = e + 1
                }
                if attributes[attribute] != nil { problem("\(attribute) twice in <\(name)>") }
                attributes[attribute] = value
                j = k
            }
            i = j + 1
            let element = Element(name: name, attributes: attributes)
            counts[name, default: 0] += 1

            if !allowedElements.contains(name) { problem("element <\(name)> is not one the catalogue writes") }
            if let allowed = parents[name], !allowed.contains(stack.last?.name ?? "") {
                problem("<\(name)> inside <\(stack.last?.name ?? "nothing")>")
            }
            if stack.last?.name == "head" && headFirstChild == nil {
                headFirstChild = name == "meta" && attributes["charset"] != nil ? "charset" : name
            }
            for (attribute, value) in attributes {
                if attribute.hasPrefix("on") { problem("event handler \(attribute) on <\(name)>") }
                if attribute == "style" { problem("a style attribute on <\(name)>") }
                if attribute == "src" { problem("a src attribute on <\(name)>: pages load nothing") }
                if ["href", "src", "action", "formaction"].contains(attribute),
                    value.lowercased().trimmingCharacters().hasPrefix("javascript:")
                {
                    problem("a javascript: URL in \(attribute)")
                }
                if attribute == "id" {
                    if value.isEmpty { problem("an empty id") }
                    if !page.ids.insert(value).inserted { problem("id \(value) twice") }
                }
                if attribute == "lang" && !value.isEmpty && !isLanguageTag(value) {
                    problem("lang=\"\(value)\" is not a language tag")
                }
                if ["aria-labelledby", "aria-describedby"].contains(attribute) {
                    for ref in value.split(separator: " ") { references.append((attribute, String(ref))) }
                }
            }
            switch name {
            case "html": if (attributes["lang"] ?? "").isEmpty { problem("<html> without lang") }
            case "a":
                if attributes["href"] == nil { problem("<a> without href") }
                textSinceLink.append("")
            case "link": if attributes["rel"] != "stylesheet" { problem("a <link> that is not the stylesheet") }
            case "script":
                // Raw text up to the first `</script`: nothing inside may end it early.
                let close = Array("</script".utf8)
                var e = i
                func closesHere(_ e: Int) -> Bool {
                    for k in 0..<close.count where bytes[e + k] | 0x20 != close[k] | 0x20 { return false }
                    return true
                }
                while e + close.count <= bytes.count && !closesHere(e) { e += 1 }
                if e + close.count > bytes.count { e = bytes.count }
                let text = String(decoding: bytes[i..<min(e, bytes.count)], as: UTF8.self)
                if text.contains("<!--") || text.lowercased().contains("<script") {
                    problem("script text contains <!-- or <script")
                }
                page.scripts.append((attributes["type"], text))
                if attributes["type"] != "application/ld+json" { problem("a script that is not the JSON-LD block") }
                i = e
            case "nav":
                guard let label = attributes["aria-label"] ?? attributes["aria-labelledby"] else {
                    problem("<nav> without a label")
                    break
                }
                navLabels.append(label)
            case "table":
                break
            case "th":
                if stack.last.map({ $0.name }) == "tr", attributes["scope"] == nil { problem("<th> without scope") }
            case "label": if let f = attributes["for"] { labelFor.insert(f) }
            case "input", "select", "textarea": controls.append(attributes)
            default: break
            }
            if let level = name.count == 2 && name.hasPrefix("h") ? Int(name.dropFirst()) : nil {
                if let previous = headingLevels.last, level > previous + 1 {
                    problem("<\(name)> after <h\(previous)>: a heading level skipped")
                }
                if headingLevels.isEmpty && level != 1 { problem("the first heading is <\(name)>, not <h1>") }
                headingLevels.append(level)
            }
            if name == "href" {}
            if attributes["href"] != nil { page.links.append((name, attributes)) }
            if !voidElements.contains(name) { stack.append(element) }
        }
        if !stack.isEmpty { problem("unclosed elements at the end: \(stack.map(\.name).joined(separator: " "))") }
        if counts["h1", default: 0] != 1 { problem("\(counts["h1", default: 0]) <h1> elements, not 1") }
        for landmark in ["main", "header", "footer"] where counts[landmark, default: 0] != 1 {
            problem("\(counts[landmark, default: 0]) <\(landmark)> elements, not 1")
        }
        if counts["title", default: 0] != 1 || titleText.allSatisfy(\.isWhitespace) { problem("no non-empty <title>") }
        if headFirstChild != "charset" { problem("<meta charset> is not the first element of <head>") }
        if !html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") {
            problem("no viewport meta element")
        }
        if Set(navLabels).count != navLabels.count { problem("two <nav> elements with the same label") }
        for (attribute, ref) in references where !page.ids.contains(ref) {
            problem("\(attribute) names id \(ref), which is not on the page")
        }
        for f in labelFor where !page.ids.contains(f) { problem("a label for id \(f), which is not on the page") }
        for c in controls where c["aria-label"] == nil && !labelFor.contains(c["id"] ?? "\u{0}") {
            problem("a form control without a label")
        }
        if counts["table", default: 0] != counts["caption", default: 0] {
            problem("\(counts["table", default: 0]) tables but \(counts["caption", default: 0]) captions")
        }
        if counts["table", default: 0] > 0 && counts["th", default: 0] == 0 { problem("tables without header cells") }
        page.title = titleText
        page.h1 = h1Text
        return page
    }

    /// Character references must be the five the escaper writes (or numeric ones).
    private static func checkReferences(_ text: String, _ page: inout Page) {
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            let after = rest[amp...]
            guard let semicolon = after.firstIndex(of: ";"), after.distance(from: amp, to: semicolon) <= 8 else {
                page.problems.append("a raw & in: \(text.prefix(60))")
                return
            }
            let name = String(after[after.index(after: amp)..<semicolon])
            if !["amp", "lt", "gt", "quot", "#39"].contains(name) && !(name.hasPrefix("#") && Int(name.dropFirst()) != nil) {
                page.problems.append("unknown character reference &\(name);")
            }
            rest = after[after.index(after: semicolon)...]
        }
    }

    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingAll("&lt;", "<").replacingAll("&gt;", ">").replacingAll("&quot;", "\"").replacingAll("&#39;", "'")
            .replacingAll("&amp;", "&")
    }

    static func isLanguageTag(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return false
        }
        return parts.dropFirst().allSatisfy {
            (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    func trimmingCharacters() -> String {
        String(drop(while: { $0.isWhitespace }).reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
