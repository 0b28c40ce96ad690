import Testing

/// The structural checker finds what it is meant to find (so that "no problems" on the site means something).
@Suite struct HTMLCheckerTests {
    /// A page that passes, with `body` in its `<main>`.
    static func page(_ body: String, head: String = "", lang: String = " lang=\"en\"") -> String {
        """
        <!DOCTYPE html>
        <html\(lang)>
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>T</title>
        \(head)</head>
        <body>
        <header><nav aria-label="Site"><a href="index.html">Home</a></nav></header>
        <main id="main">
        \(body)
        </main>
        <footer><p>F</p></footer>
        </body>
        </html>

        """
    }

    @Test func aGoodPagePasses() {
        let html = Self.page(
            """
            <h1>Title &amp; more</h1><h2 id="a">A</h2><p>x</p><h3>B</h3><h2>C</h2>
            <table><caption>c</caption><thead><tr><th scope="col">h</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
            <dl><dt>t</dt><dd>d</dd></dl><ul><li><a href="#a">link</a></li></ul>
            """, head: "<script type=\"application/ld+json\">{\"a\":\"\\u003c/script\\u003e\"}</script>\n")
        let result = HTMLChecker.check(html)
        #expect(result.problems == [])
        #expect(result.ids == ["main", "a"])
        #expect(result.scripts.count == 1)
    }

    @Test(arguments: [
        ("<h1>A</h1><p>unclosed", "</main> closes <p>"),
        ("<h1>A</h1><p>x</div>", "closes <p>"),
        ("<p>no heading</p>", "0 <h1> elements"),
        ("<h1>A</h1><h1>B</h1>", "2 <h1> elements"),
        ("<h1>A</h1><h3>C</h3>", "a heading level skipped"),
        ("<h1 id=\"x\">A</h1><p id=\"x\">B</p>", "id x twice"),
        ("<h1>A</h1><section aria-labelledby=\"nowhere\"><p>x</p></section>", "names id nowhere"),
        ("<h1>A</h1><li>x</li>", "<li> inside <main>"),
        ("<h1>A</h1><table><tr><td>1</td></tr></table>", "tables but 0 captions"),
        ("<h1>A</h1><table><caption>c</caption><tr><th>1</th></tr></table>", "<th> without scope"),
        ("<h1>A</h1><a href=\"x.html\"></a>", "a link without text"),
        ("<h1>A</h1><a>text</a>", "<a> without href"),
        ("<h1>A</h1><p style=\"color:red\">x</p>", "a style attribute"),
        ("<h1>A</h1><p onclick=\"x()\">x</p>", "event handler onclick"),
        ("<h1>A</h1><img src=\"x.png\" alt=\"\">", "src attribute"),
        ("<h1>A</h1><a href=\"javascript:alert(1)\">x</a>", "javascript: URL"),
        ("<h1>A</h1><script>alert(1)</script>", "not the JSON-LD block"),
        ("<h1>A</h1><script type=\"application/ld+json\">{\"a\":\"<!--\"}</script>", "contains <!--"),
        ("<h1>A</h1><!-- hidden -->", "an HTML comment"),
        ("<h1>A &copy;</h1>", "unknown character reference"),
        ("<h1>A & B</h1>", "a raw &"),
        ("<h1>A</h1><p class=x>y</p>", "unquoted value"),
        ("<h1>A</h1><p lang=\"english language\">y</p>", "is not a language tag"),
        ("<h1>A</h1><nav><a href=\"#main\">x</a></nav>", "<nav> without a label"),
        ("<h1>A</h1><nav aria-label=\"Site\"><a href=\"#main\">x</a></nav>", "two <nav> elements with the same label"),
        ("<h1>A</h1><input id=\"q\">", "a form control without a label"),
        ("<h1>A</h1><iframe></iframe>", "element <iframe>"),
        ("<h1>A</h1><main><p>x</p></main>", "2 <main> elements"),
    ])
    func aBrokenPageIsReported(body: String, expected: String) {
        let problems = HTMLChecker.check(Self.page(body)).problems
        #expect(problems.contains { $0.contains(expected) }, "\(body): \(problems)")
    }

    @Test func theFrameIsChecked() {
        #expect(HTMLChecker.check(Self.page("<h1>A</h1>", lang: "")).problems.contains("<html> without lang"))
        let noDoctype = Self.page("<h1>A</h1>").replacingAll("<!DOCTYPE html>\n", "")
        #expect(HTMLChecker.check(noDoctype).problems.contains("no <!DOCTYPE html> at the start"))
        let noCharset = Self.page("<h1>A</h1>").replacingAll("<meta charset=\"utf-8\">\n", "")
        #expect(HTMLChecker.check(noCharset).problems.contains("<meta charset> is not the first element of <head>"))
        let unclosed = Self.page("<h1>A</h1>").replacingAll("</html>", "")
        #expect(HTMLChecker.check(unclosed).problems.contains("unclosed elements at the end: html"))
        let emptyTitle = Self.page("<h1>A</h1>").replacingAll("<title>T</title>", "<title></title>")
        #expect(HTMLChecker.check(emptyTitle).problems.contains("no non-empty <title>"))
    }
}
