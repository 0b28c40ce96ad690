"""A minimal W3C WebDriver client over HTTP (standard library only) for chromedriver."""
import json, os, queue, socket, subprocess, threading, time, urllib.request, base64

class WebDriverError(Exception):
    pass

class Session:
    def __init__(self, chromedriver="chromedriver", chromium="chromium", width=1280, height=900, javascript=False, log=None):
        s = socket.socket(); s.bind(("127.0.0.1", 0)); self.port = s.getsockname()[1]; s.close()
        # chromedriver says when it listens ("ChromeDriver was started successfully on port N."): the wait is for that
        # line (20 s only to fail by), never a poll. (`--port=0`, its own choice of port, is not used: with it, a
        # click that submits a form returned before the navigation in half the journeys tried.)
        self.proc = subprocess.Popen([chromedriver, f"--port={self.port}"], stdout=subprocess.PIPE, stderr=log or subprocess.DEVNULL)
        lines = queue.Queue()
        def drain():  # reads every line, so chromedriver never blocks on a full pipe; None at its end
            for line in self.proc.stdout: lines.put(line.decode(errors="replace"))
            lines.put(None)
        threading.Thread(target=drain, daemon=True).start()
        started, deadline = False, time.monotonic() + 20
        while not started:
            try: line = lines.get(timeout=max(0, deadline - time.monotonic()))
            except queue.Empty: self.proc.kill(); raise WebDriverError("chromedriver did not say it had started within 20 s")
            if line is None: raise WebDriverError(f"chromedriver exited (status {self.proc.wait()}) before it started")
            started = f"started successfully on port {self.port}" in line
        self.base = f"http://127.0.0.1:{self.port}"
        prefs = {"profile.managed_default_content_settings.javascript": 1 if javascript else 2}
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/lib/chromium/chromium" if os.path.exists("/usr/lib/chromium/chromium") else chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                     "--no-first-run", "--disable-extensions", "--lang=en-US"],
            "prefs": prefs}}}}
        value = self._call("POST", "/session", caps)
        self.id = value["sessionId"]
        if width < 500:
            # Headless Chromium makes no window narrower than 500 px: the viewport is narrowed through DevTools.
            self.viewport(width, height)

    def viewport(self, width, height):
        self.cmd("POST", "/goog/cdp/execute", {"cmd": "Emulation.setDeviceMetricsOverride",
                 "params": {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}})

    def _call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                answer = json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            answer = json.loads(e.read() or b"{}")
            raise WebDriverError(f"{method} {path}: {answer.get('value', answer)}")
        return answer.get("value", answer)

    def cmd(self, method, path, body=None):
        return self._call(method, f"/session/{self.id}{path}", body)

    def get(self, url): self.cmd("POST", "/url", {"url": url})
    def title(self): return self.cmd("GET", "/title")
    def url(self): return self.cmd("GET", "/url")
    def find(self, css):
        v = self.cmd("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(v.values()))
    def await_element(self, css, seconds=20):
        """The first element matching `css`, waiting (the browser's implicit wait, up to `seconds`) until the page
        that holds one has loaded: after a click that navigates, before reading the new page."""
        self.cmd("POST", "/timeouts", {"implicit": int(seconds * 1000)})
        try:
            return self.find(css)
        finally:
            self.cmd("POST", "/timeouts", {"implicit": 0})
    def finds(self, css):
        return [next(iter(e.values())) for e in self.cmd("POST", "/elements", {"using": "css selector", "value": css})]
    def click(self, el): self.cmd("POST", f"/element/{el}/click", {})
    def type(self, el, text): self.cmd("POST", f"/element/{el}/value", {"text": text})
    def text(self, el): return self.cmd("GET", f"/element/{el}/text")
    def attribute(self, el, name): return self.cmd("GET", f"/element/{el}/attribute/{name}")
    def property(self, el, name): return self.cmd("GET", f"/element/{el}/property/{name}")
    def selected(self, el): return self.cmd("GET", f"/element/{el}/selected")
    def source(self): return self.cmd("GET", "/source")
    def screenshot(self, path):
        with open(path, "wb") as f: f.write(base64.b64decode(self.cmd("GET", "/screenshot")))
    def set_window(self, width, height): self.cmd("POST", "/window/rect", {"width": width, "height": height})
    def cookies(self): return self.cmd("GET", "/cookie")
    def quit(self):
        try: self.cmd("DELETE", "")
        finally:
            self.proc.terminate()
            try: self.proc.wait(10)
            except subprocess.TimeoutExpired: self.proc.kill()
