"""Screenshots of the consultation form for a human to look at (not a test): each language at 1280 and 320 px,
with one criterion's "technical details" closed and then opened by a click, JavaScript off as in the journey test.

    python3 Tests/Browser/screenshots.py BASE_URL OUT_DIR [CRITERION] [LANGUAGE...]

A running collector is needed (`eccoe serve --port 8080`). Writes OUT_DIR/form-LANG-WIDTH-closed.png and -open.png,
each the criterion's fieldset scrolled to the top of the window."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Session

def main():
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    criterion = sys.argv[3] if len(sys.argv) > 3 else "MC-07"
    languages = sys.argv[4:] or ["en", "fr"]
    os.makedirs(out, exist_ok=True)
    for width in (1280, 320):
        s = Session(javascript=False, width=width, height=900)
        try:
            for language in languages:
                # The fragment scrolls the criterion into view, without script.
                s.get(f"{base}/?lang={language}#criterion-{criterion}")
                s.screenshot(os.path.join(out, f"form-{language}-{width}-closed.png"))
                s.click(s.find(f"#criterion-{criterion} details.technical > summary"))
                s.screenshot(os.path.join(out, f"form-{language}-{width}-open.png"))
                print(os.path.join(out, f"form-{language}-{width}-*.png"))
        finally:
            s.quit()

if __name__ == "__main__":
    main()
