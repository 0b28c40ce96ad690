/// Documentation text for clients that do not render Markdown. The analyzers write a small part of
/// Markdown (`**strong**`, `*emphasis*`, `` `code` ``, `---` between sections); a client that declares only
/// `plaintext` (eglot without markdown-mode, Kakoune) would show those marks as typed.
enum MarkupText {
    /// `markdown` with its emphasis and code marks removed and section rules as a line of dashes.
    static func plainText(fromMarkdown markdown: String) -> String {
        var lines: [String] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" {
                lines.append(String(repeating: "─", count: 20))
                continue
            }
            lines.append(stripMarks(Substring(line)))
        }
        return lines.joined(separator: "\n")
    }

    /// Removes paired `**`, `*` and `` ` `` marks: a mark opens before a non-space character and closes
    /// after one, on the same line. Unpaired marks stay.
    private static func stripMarks(_ line: Substring) -> String {
        var text = Array(line)
        for mark in [["*", "*"], ["*"], ["`"]] as [[Character]] {
            var out: [Character] = []
            var i = 0
            while i < text.count {
                if text[i...].starts(with: mark), i + mark.count < text.count, text[i + mark.count] != " ",
                    let close = closing(mark, in: text, from: i + mark.count)
                {
                    out += text[(i + mark.count)..<close]
                    i = close + mark.count
                } else {
                    out.append(text[i])
                    i += 1
                }
            }
            text = out
        }
        return String(text)
    }

    private static func closing(_ mark: [Character], in text: [Character], from start: Int) -> Int? {
        var j = start + 1
        while j + mark.count <= text.count {
            if text[j...].starts(with: mark), text[j - 1] != " ",
                mark == ["`"] || !(j + mark.count < text.count && text[j + mark.count] == "*")
            {
                return j
            }
            j += 1
        }
        return nil
    }
}
