"""The consultation's browser journey with JavaScript off, in real Chromium (headless, driven by chromedriver over
the W3C WebDriver protocol; standard library only). Used by BrowserJourneyTests:

    python3 journey.py BASE_URL LANGUAGE...   prints one JSON object

It first proves that script is really off in this browser: a probe page whose script would change its title and
whose <noscript> text would then not be rendered. Then, per language: open the form, switch to the language by the
page's own link, open a criterion's "technical details" disclosure by clicking it, fill in the required profile,
rate and comment on MC-01, consent, submit, and read the receipt. Everything the test asserts is reported; the
assertions are the Swift test's."""
import json, os, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Session

def main():
    base, languages = sys.argv[1].rstrip("/"), sys.argv[2:]
    out = {"languages": {}}
    started = time.monotonic()
    s = Session(javascript=False)
    try:
        with tempfile.TemporaryDirectory() as d:
            probe = os.path.join(d, "probe.html")
            with open(probe, "w", encoding="utf-8") as f:
                f.write('<!doctype html><html><head><title>static</title></head><body>'
                        '<noscript><p id="nojs">script is off</p></noscript><p id="p">untouched</p>'
                        '<script>document.title = "script ran"; document.getElementById("p").textContent = "changed";</script>'
                        '</body></html>')
            s.get("file://" + probe)
            out["probe"] = {"title": s.title(), "text": s.text(s.find("#p")), "noscript": len(s.finds("#nojs"))}
        for language in languages:
            r = {}
            s.get(base + "/")
            switch = s.finds(f'nav.languages a[hreflang="{language}"]')
            if switch:
                s.click(switch[0])
                # The page in that language (its own link marked current), not the one being left.
                s.await_element(f'nav.languages a[aria-current="page"][lang="{language}"]')
            r["formLang"] = s.attribute(s.find("html"), "lang")
            r["scripts"] = len(s.finds("script"))
            # The technical details of MC-07: closed, then opened by a click on its summary (no script needed).
            details = s.find("#criterion-MC-07 details.technical")
            requirement = s.find("#req-MC-07")
            r["technicalSummary"] = s.text(s.find("#criterion-MC-07 details.technical > summary"))
            r["requirementShownBefore"] = s.cmd("GET", f"/element/{requirement}/displayed")
            s.click(s.find("#criterion-MC-07 details.technical > summary"))
            r["requirementShownAfter"] = s.cmd("GET", f"/element/{requirement}/displayed")
            r["detailsOpen"] = s.property(details, "open")
            r["plain"] = s.text(s.find("#plain-MC-07"))
            # The profile's required questions, a rating and a comment, the consent.
            s.click(s.find('input[name="profile.capacity"][value="individual"]'))
            s.click(s.find('input[name="profile.stakeholderGroup"][value="academic"]'))
            s.click(s.find('select[name="profile.country"] option[value$="/BEL"]'))
            s.click(s.find('input[name="profile.familiarity"][value="3"]'))
            s.click(s.find('input[name="rating.MC-01"][value="4"]'))
            s.click(s.find("#criterion-MC-01 details.texts > summary"))
            comment = f"Comment written in the browser ({language})"
            s.type(s.find('textarea[name="comment.MC-01"]'), comment)
            s.click(s.find('input[name="consent"]'))
            s.click(s.find('button[name="action"][value="submit"]'))
            s.await_element(".receipt dd code")  # the receipt page, not the form still being left
            r["receiptLang"] = s.attribute(s.find("html"), "lang")
            r["receiptTitle"] = s.text(s.find("h1"))
            r["responseID"] = s.text(s.find(".receipt dd code"))
            r["editLink"] = s.text(s.find(".receipt a.edit-link"))
            r["comment"] = comment
            out["languages"][language] = r
    finally:
        s.quit()
    out["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(out, ensure_ascii=False))

if __name__ == "__main__":
    main()
