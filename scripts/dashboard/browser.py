"""Headless Chromium for the dashboard test: where the browser is, what the page requested,
and the first-load figures from Chromium's own performance timing (Navigation and Resource
Timing, plus the page's `dashboard-interactive` mark set when the user can first act).
"""
import os
import shutil
import statistics
from urllib.parse import unquote, urlsplit

SECURITY = "/_opendistro/_security"


def chromium_path():
    """CERTLAB_CHROMIUM when set (another build of Chromium), else Debian's chromium: the real
    binary, or the wrapper script when that is all there is."""
    if "CERTLAB_CHROMIUM" in os.environ:
        candidate = os.environ["CERTLAB_CHROMIUM"]
        return candidate if os.access(candidate, os.X_OK) else None
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class Recorder:
    """Every request the page makes, as (method, path with query), in the order they were sent."""

    def __init__(self, page):
        self.calls = []
        self.bodies = []
        page.on("request", self.add)

    def add(self, request):
        url = urlsplit(request.url)
        if url.scheme == "data":
            return
        self.calls.append((request.method, unquote(url.path) + (f"?{url.query}" if url.query else "")))
        self.bodies.append(request.post_data)

    def take(self):
        """The calls since the last take (and forgets them)."""
        calls, self.calls, self.bodies = self.calls, [], []
        return calls


FIRST_LOAD_SCRIPT = """() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const mark = performance.getEntriesByName('dashboard-interactive')[0];
  return {
    transferred: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
    decoded: navigation.decodedBodySize + resources.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
    requests: 1 + resources.length,
    domInteractive: navigation.domInteractive,
    domContentLoaded: navigation.domContentLoadedEventEnd,
    interactive: mark ? mark.startTime : null,
  };
}"""


def measure_first_load(browser, url, runs):
    """Loads the page `runs` times, each in a fresh context (empty cache, no session), after one
    warm-up load that absorbs Chromium's own first-page costs; returns the per-run figures."""
    figures = []
    for run in range(runs + 1):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("#login:not([hidden])")
        page.wait_for_load_state("load")
        result = page.evaluate(FIRST_LOAD_SCRIPT)
        context.close()
        if run > 0:
            figures.append(result)
    return figures


def summary(figures, key):
    values = [figure[key] for figure in figures]
    return statistics.median(values), max(values)
