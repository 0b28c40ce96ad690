/// The colours of the site, light and dark (`prefers-color-scheme`). The stylesheet is generated from
/// these values and a test computes every text/background pair's WCAG 2.1 contrast ratio (at least 4.5:1,
/// AA for normal text) and the focus outline's against the page (at least 3:1).
struct Palette: Sendable {
    var background: String
    var text: String
    var muted: String
    var link: String
    var visited: String
    var surface: String
    var border: String
    var headerBackground: String
    var headerText: String
    var focus: String
    var completeText: String
    var completeBackground: String
    var metText: String
    var metBackground: String
    var missedText: String
    var missedBackground: String

    static let light = Palette(
        background: "#ffffff", text: "#1b1f24", muted: "#4d5561", link: "#0a55a3", visited: "#6a3d9a",
        surface: "#f2f4f7", border: "#767f8c", headerBackground: "#0b3a66", headerText: "#ffffff", focus: "#b3470b",
        completeText: "#14532d", completeBackground: "#dcf5e3", metText: "#1e3a8a", metBackground: "#dde9fc",
        missedText: "#7f1d1d", missedBackground: "#fde4e4")

    static let dark = Palette(
        background: "#15181c", text: "#e6e8eb", muted: "#aab2bc", link: "#8cc4ff", visited: "#d0b0ff",
        surface: "#20252b", border: "#8a939e", headerBackground: "#0b2540", headerText: "#ffffff", focus: "#ffb070",
        completeText: "#bbf7d0", completeBackground: "#143520", metText: "#c7dcff", metBackground: "#172a4a",
        missedText: "#fecaca", missedBackground: "#4a1b1b")

    /// Every pair of (foreground, background) in which text is drawn, named for test messages.
    var textPairs: [(name: String, foreground: String, background: String)] {
        [
            ("text on background", text, background), ("muted on background", muted, background),
            ("link on background", link, background), ("visited link on background", visited, background),
            ("text on surface", text, surface), ("muted on surface", muted, surface), ("link on surface", link, surface),
            ("visited link on surface", visited, surface),
            ("header text", headerText, headerBackground),
            ("complete status", completeText, completeBackground), ("met status", metText, metBackground),
            ("missed status", missedText, missedBackground),
        ]
    }

    /// Non-text pairs that WCAG 1.4.11 asks 3:1 for: the focus outline against the page and the header.
    var nonTextPairs: [(name: String, foreground: String, background: String)] {
        [
            ("focus outline on background", focus, background), ("focus outline on surface", focus, surface),
            ("focus outline on header (drawn in the header's text colour)", headerText, headerBackground),
        ]
    }

    var customProperties: String {
        """
        --bg: \(background); --text: \(text); --muted: \(muted); --link: \(link); --visited: \(visited);
          --surface: \(surface); --border: \(border); --header-bg: \(headerBackground); --header-text: \(headerText);
          --focus: \(focus); --complete: \(completeText); --complete-bg: \(completeBackground); --met: \(metText);
          --met-bg: \(metBackground); --missed: \(missedText); --missed-bg: \(missedBackground);
        """
    }
}

/// `style.css`: one stylesheet for every page. No fonts, images or anything else fetched; system fonts;
/// readable from 320 px (tables scroll inside their own box, long words break); a print style sheet.
enum Stylesheet {
    static let fileName = "style.css"

    static var css: String {
        """
        /* eccoe catalogue: generated; edit the generator (Sources/CatalogueSite/Stylesheet.swift), not this file. */
        :root {
          \(Palette.light.customProperties)
          color-scheme: light dark;
        }
        @media (prefers-color-scheme: dark) {
          :root {
            \(Palette.dark.customProperties)
          }
        }
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--bg); color: var(--text);
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", Arial, sans-serif;
          font-size: 1rem; line-height: 1.5; overflow-wrap: break-word;
        }
        a { color: var(--link); text-underline-offset: 0.15em; }
        a:visited { color: var(--visited); }
        a:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        code, .id { font-family: ui-monospace, "Cascadia Mono", "DejaVu Sans Mono", monospace; font-size: 0.9em; overflow-wrap: anywhere; }
        .vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
        .skip { position: absolute; left: -10000px; top: 0; }
        .skip:focus { left: 0.5rem; top: 0.5rem; z-index: 1; background: var(--bg); padding: 0.5rem 0.75rem; }
        .site-header { background: var(--header-bg); color: var(--header-text); }
        .site-header a, .site-header a:visited { color: var(--header-text); }
        .site-header a:focus-visible { outline-color: var(--header-text); }
        .site-header .inner { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; align-items: baseline; }
        .site-title { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
        .site-title:hover { text-decoration: underline; }
        .site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
        .inner { max-width: 62rem; margin: 0 auto; padding: 0.75rem 1rem; }
        main.inner { padding-top: 0.5rem; padding-bottom: 2rem; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.75rem 0 0.5rem; }
        h2 { font-size: 1.35rem; line-height: 1.3; margin: 2rem 0 0.5rem; }
        h3 { font-size: 1.1rem; margin: 1.25rem 0 0.25rem; }
        .breadcrumb ol { list-style: none; margin: 0.5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; color: var(--muted); font-size: 0.95rem; }
        .breadcrumb li + li::before { content: "›"; padding: 0 0.4rem; }
        .lede { color: var(--muted); margin-top: 0; }
        .facts { display: grid; grid-template-columns: minmax(9rem, 14rem) minmax(0, 1fr); gap: 0.35rem 1rem; margin: 0.5rem 0;
                 background: var(--surface); padding: 0.75rem 1rem; border-radius: 0.35rem; }
        .facts dt { font-weight: 600; }
        .facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
        .facts ul, .plain { list-style: none; margin: 0; padding: 0; }
        .status { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.3rem; font-weight: 600; }
        .status-complete { color: var(--complete); background: var(--complete-bg); }
        .status-met { color: var(--met); background: var(--met-bg); }
        .status-missed { color: var(--missed); background: var(--missed-bg); }
        .table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
        th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--border); }
        thead th { border-bottom-width: 2px; }
        tbody th { font-weight: normal; }
        .level { display: block; color: var(--muted); font-size: 0.9rem; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        thead th.num { white-space: normal; }
        .provider { display: block; color: var(--muted); font-size: 0.9rem; }
        .tree, .tree ul { list-style: none; padding-left: 0; margin: 0.25rem 0; }
        .tree ul { padding-left: 1.25rem; }
        .count { color: var(--muted); }
        .languages ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
        section.language { border-top: 1px solid var(--border); margin-top: 1.5rem; }
        .lo-title { font-weight: 600; font-size: 1.1rem; }
        .missing { border-left: 4px solid var(--missed); padding: 0.1rem 0 0.1rem 0.75rem; margin: 1rem 0; }
        .missing.recommended, .missing.optional { border-left-color: var(--met); }
        .missing h3 { margin-top: 0; }
        .note { color: var(--muted); }
        .site-footer { border-top: 1px solid var(--border); color: var(--muted); font-size: 0.9rem; }
        @media (max-width: 40rem) {
          .inner { padding: 0.5rem 0.75rem; }
          h1 { font-size: 1.45rem; }
          .facts { grid-template-columns: minmax(0, 1fr); gap: 0 0; padding: 0.5rem 0.75rem; }
          .facts dd { margin-bottom: 0.5rem; }
          table { font-size: 0.9rem; }
          th, td { padding: 0.3rem 0.2rem; }
          td .status { padding: 0.05rem 0.2rem; font-size: 0.85em; }
        }
        @media print {
          :root { \(Palette.light.customProperties) }
          body { background: #ffffff; color: #000000; font-size: 11pt; }
          .site-header { background: none; color: #000000; border-bottom: 1px solid #000000; }
          .site-header a, .site-header a:visited { color: #000000; }
          .site-nav, .skip, .languages { display: none; }
          a, a:visited { color: #000000; }
          .table-wrap { overflow: visible; }
          tr, .missing, .facts { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          .status { border: 1px solid #000000; }
        }
        """
    }
}
