#!/usr/bin/env python3
"""make test-dashboard: headless Chromium drives the security dashboard (issue #10) against a
throw-away search-node with basic login, then headless Firefox repeats the core flow
(scripts/dashboard/firefox.py).

It loads the page, signs in as admin, maps CLIENT1 to readall, sees it listed, deletes it, creates
and deletes an internal user, visits every view, and checks that kibanaro (no REST API rights)
sees the node's 403 and cannot change anything. Every request the page makes is recorded and
compared with the calls docs/07-dashboard.md documents; each view is saved as a PNG under
.lab/artifacts/dashboard/ and checked to be non-blank; the first load is measured and written to
bench/RESULTS.md.

Skips (exit 0, with a message) only when Chromium or Python playwright is missing, unless
CERTLAB_REQUIRE_CHROMIUM=1 (CI, where `make deps` installs them) turns that into a failure.
"""
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "dashboard"))

from browser import SECURITY, Recorder, chromium_path, measure_first_load  # noqa: E402
from firefox import firefox_path, run_firefox  # noqa: E402
from node import Node, free_port  # noqa: E402
from png import distinct_colours  # noqa: E402
from report import write_results  # noqa: E402

ARTIFACTS = os.path.join(ROOT, ".lab", "artifacts", "dashboard")
DOC = os.path.join(ROOT, "docs", "07-dashboard.md")
PAGE = "/_dashboards/security/"
# The first load: the page, its stylesheet and the modules the login form needs. Views (and
# what they import) are fetched when first opened; `modules` below lists them per step.
ASSETS = ["", "dashboard.css", "app.js", "api.js", "session.js", "dom.js"]
AUTHINFO = ("GET", f"{SECURITY}/authinfo")


def modules(*names):
    return [("GET", PAGE + name) for name in names]

CONNECTION = ("GET", PAGE + "connection.json")
checks = 0


def check(condition, message):
    global checks
    if not condition:
        raise AssertionError(message)
    checks += 1


def expect_calls(recorder, expected, phase):
    """The page's requests since the last phase are exactly `expected` (order-free: views fetch
    in parallel), and each one is a call docs/07-dashboard.md lists."""
    calls = recorder.take()
    check(Counter(calls) == Counter(expected), f"{phase}: requests {calls}, expected {expected}")
    for method, path in calls:
        if path.startswith(PAGE):
            continue
        check(documented(method, path), f"{phase}: {method} {path} is not among the calls docs/07-dashboard.md documents")


def documented(method, path):
    """Whether the call matches a `METHOD /path` entry of the doc's table; `{name}` stands for
    an entry name."""
    with open(DOC) as doc:
        entries = re.findall(r"`(GET|PUT|POST|DELETE) (/[^`]*)`", doc.read())
    for documented_method, template in entries:
        pattern = "^" + re.escape(template).replace(re.escape("{name}"), "[^/?]+") + "$"
        if documented_method == method and re.match(pattern, path):
            return True
    return False


def shoot(page, name):
    path = os.path.join(ARTIFACTS, f"{name}.png")
    page.screenshot(path=path)
    colours = distinct_colours(path)
    check(colours >= 16, f"{path}: only {colours} distinct colours, the screenshot looks blank")
    return path


def ready(page, view):
    page.wait_for_selector(f'#view[data-view="{view}"][data-ready="true"]')


def open_view(page, view):
    page.click(f"#nav-{view}")
    ready(page, view)


def sign_in(page, user, password):
    page.fill("#login-user", user)
    page.fill("#login-password", password)
    page.click("#login-form button[type=submit]")


def run(node, executable):
    from playwright.sync_api import sync_playwright

    os.makedirs(ARTIFACTS, exist_ok=True)
    url = node.url + PAGE
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        figures = measure_first_load(browser, url, runs=5)
        context = browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True)
        page = context.new_page()
        errors = []
        page.on("console", lambda entry: errors.append(entry.text) if entry.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())
        recorder = Recorder(page)

        page.goto(url)
        page.wait_for_selector("#login:not([hidden])")
        check(page.is_visible("#login-user") and page.evaluate("document.activeElement.id") == "login-user",
              "the login form is shown with the user field focused")
        expect_calls(recorder, [("GET", PAGE + asset) for asset in ASSETS] + [CONNECTION], "first load")
        check(page.inner_text("#login-reason") == "This connection carries no client certificate: sign in with an internal user.",
              f"login reason: {page.inner_text('#login-reason')!r}")
        shoot(page, "01-login")

        sign_in(page, "admin", "wrong")
        page.wait_for_selector("#login-message .message.error")
        check(page.inner_text("#login-message") == "401 Unauthorized: Unauthorized", f"wrong password: {page.inner_text('#login-message')!r}")
        expect_calls(recorder, [AUTHINFO], "wrong password")

        sign_in(page, "admin", "admin")
        ready(page, "whoami")
        check(page.inner_text("#identity-user") == "admin", "signed in as admin")
        check("all_access" in page.inner_text("#view"), "who am I lists the mapped role all_access")
        expect_calls(recorder, [AUTHINFO, AUTHINFO] + modules("view-whoami.js"), "sign in")
        shoot(page, "02-whoami")

        # The seed's "map CLIENT1 to readall": Role mappings → Edit readall → CLIENT1 → Save.
        open_view(page, "rolesmapping")
        expect_calls(recorder, [("GET", f"{SECURITY}/api/rolesmapping/"), ("GET", f"{SECURITY}/api/roles/")]
                     + modules("view-rolesmapping.js", "entries.js"), "role mappings")
        page.click('button[aria-label="Edit mapping readall"]')
        page.fill("#mapping-users", "CLIENT1")
        page.click("#mapping-form button[type=submit]")
        page.wait_for_selector("#mapping-list tr:has(th .name:text-is('readall')) li:text-is('CLIENT1')")
        check(page.inner_text("#mapping-status") == "'readall' updated.", f"save message: {page.inner_text('#mapping-status')!r}")
        sent = json.loads(recorder.bodies[recorder.calls.index(("PUT", f"{SECURITY}/api/rolesmapping/readall"))])
        check(sent == {"users": ["CLIENT1"], "backend_roles": [], "hosts": [], "description": "Filled by the walkthrough"},
              f"the PUT keeps the mapping's description: {sent}")
        expect_calls(recorder, [("PUT", f"{SECURITY}/api/rolesmapping/readall"), ("GET", f"{SECURITY}/api/rolesmapping/")], "map CLIENT1")
        check(node.call("GET", f"{SECURITY}/api/rolesmapping/readall")[1]["readall"]["users"] == ["CLIENT1"],
              "the node stored users [CLIENT1] for readall")
        check("readall" in node.call("GET", f"{SECURITY}/authinfo", client="CLIENT1")[1]["roles"], "CLIENT1's certificate now maps to readall")
        shoot(page, "03-rolesmapping")

        page.click('button[aria-label="Delete mapping readall"]')
        page.wait_for_selector("#mapping-list tr:has(th .name:text-is('readall'))", state="detached")
        check(page.inner_text("#mapping-status") == "'readall' deleted.", f"delete message: {page.inner_text('#mapping-status')!r}")
        expect_calls(recorder, [("DELETE", f"{SECURITY}/api/rolesmapping/readall"), ("GET", f"{SECURITY}/api/rolesmapping/")], "delete mapping")
        check(node.call("GET", f"{SECURITY}/api/rolesmapping/readall")[0] == 404, "the readall mapping is gone on the node")

        open_view(page, "roles")
        expect_calls(recorder, [("GET", f"{SECURITY}/api/roles/"), ("GET", f"{SECURITY}/api/actiongroups/")]
                     + modules("view-roles.js", "permissions.js"), "roles")
        check(page.locator("#view details summary").count() > 0, "role permissions are expanded through action groups")
        check("read-only — static" in page.inner_text("#view"), "static roles are marked read-only with the reason")
        shoot(page, "04-roles")

        open_view(page, "internalusers")
        expect_calls(recorder, [("GET", f"{SECURITY}/api/internalusers/")] + modules("view-internalusers.js"), "internal users")
        check("read-only — reserved" in page.inner_text("tr:has(th .name:text-is('admin'))"), "the reserved admin user is read-only")
        page.fill("#user-name", "dashboard-user")
        page.fill("#user-password", "dashboard-password-1")
        page.fill("#user-backend-roles", "lab")
        page.click("#user-form button[type=submit]")
        page.wait_for_selector("#user-list tr:has(th .name:text-is('dashboard-user'))")
        check(page.inner_text("#user-status") == "'dashboard-user' created.", f"create user: {page.inner_text('#user-status')!r}")
        user = node.call("GET", f"{SECURITY}/api/internalusers/dashboard-user")[1].get("dashboard-user", {})
        check(user.get("backend_roles") == ["lab"] and user.get("hash") == "", f"the node stored dashboard-user: {user}")
        shoot(page, "05-internalusers")
        page.click('button[aria-label="Delete user dashboard-user"]')
        page.wait_for_selector("#user-list tr:has(th .name:text-is('dashboard-user'))", state="detached")
        expect_calls(recorder, [("PUT", f"{SECURITY}/api/internalusers/dashboard-user"), ("GET", f"{SECURITY}/api/internalusers/"),
                                ("DELETE", f"{SECURITY}/api/internalusers/dashboard-user"), ("GET", f"{SECURITY}/api/internalusers/")],
                     "create and delete a user")

        open_view(page, "actiongroups")
        expect_calls(recorder, [("GET", f"{SECURITY}/api/actiongroups/")] + modules("view-actiongroups.js"), "action groups")
        check("read-only — static" in page.inner_text("#view"), "static action groups are marked read-only")
        shoot(page, "06-actiongroups")

        open_view(page, "audit")
        expect_calls(recorder, [("POST", "/security-auditlog-*/_search")] + modules("view-audit.js"), "audit events")
        page.select_option("#audit-category", "FAILED_LOGIN")
        page.fill("#audit-user", "admin")
        # The audit sink writes asynchronously: search again until the failed login is indexed.
        searches = 0
        for _ in range(20):
            page.click("#audit-form button[type=submit]")
            searches += 1
            page.wait_for_selector("#audit-results table, #audit-results .message")
            if page.locator("#audit-results tbody tr th").count() > 0:
                break
            page.wait_for_timeout(250)
        categories = page.locator("#audit-results tbody tr td:nth-child(2)").all_inner_texts()
        sent = json.loads(recorder.bodies[-1])
        check(sent["query"] == {"bool": {"filter": [{"term": {"audit_category.keyword": "FAILED_LOGIN"}},
                                                    {"term": {"audit_request_effective_user.keyword": "admin"}}]}},
              f"the audit search filters by category and user: {sent}")
        check(categories and set(categories) == {"FAILED_LOGIN"}, f"filtered audit events: {categories}")
        expect_calls(recorder, [("POST", "/security-auditlog-*/_search")] * searches, "audit filter")
        shoot(page, "07-audit")

        open_view(page, "certificates")
        expect_calls(recorder, [("GET", f"{SECURITY}/sslinfo?show_dn=true"), ("GET", f"{SECURITY}/api/ssl/certs")]
                     + modules("view-certificates.js"), "certificates")
        check("403 Forbidden (the node sent an empty JSON body)" in page.inner_text("#view"), "api/ssl/certs answers basic users 403")
        shoot(page, "08-certificates")

        page.set_viewport_size({"width": 390, "height": 800})
        open_view(page, "rolesmapping")
        recorder.take()
        check(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling at 390 px")
        shoot(page, "09-narrow-rolesmapping")
        page.set_viewport_size({"width": 1280, "height": 800})

        # A user without REST API rights: the node's 403 is shown and nothing changes.
        page.click("#identity button")
        page.wait_for_selector("#login:not([hidden])")
        sign_in(page, "kibanaro", "kibanaro")
        ready(page, "whoami")
        open_view(page, "rolesmapping")
        denied = page.inner_text("#view .message.error")
        check(denied.startswith("403 Forbidden: No permission to access REST API: User kibanaro with Open Distro Security Roles ["),
              f"kibanaro sees the 403 message: {denied!r}")
        page.fill("#mapping-role", "readall")
        page.fill("#mapping-users", "CLIENT1")
        page.click("#mapping-form button[type=submit]")
        page.wait_for_selector("#mapping-status .message.error")
        check(page.inner_text("#mapping-status").startswith("403 Forbidden: No permission to access REST API: User kibanaro"),
              "kibanaro's save is answered 403")
        check(node.call("GET", f"{SECURITY}/api/rolesmapping/readall")[0] == 404, "kibanaro's edit did not take effect")
        expect_calls(recorder, [AUTHINFO, AUTHINFO, ("GET", f"{SECURITY}/api/rolesmapping/"), ("GET", f"{SECURITY}/api/roles/"),
                                ("PUT", f"{SECURITY}/api/rolesmapping/readall")], "kibanaro")
        shoot(page, "10-kibanaro-403")

        certificate_sign_in(browser, node, url)

        # Chromium logs each 4xx answer as "Failed to load resource"; those are the API's answers
        # the page shows. Anything else (a script error, a CSP violation) fails the test.
        unexpected = [error for error in errors if not error.startswith("Failed to load resource: the server responded with a status of 4")]
        check(unexpected == [], f"console errors: {unexpected}")
        version = browser.version
        browser.close()
    return figures, version


def certificate_sign_in(browser, node, url):
    """A browser holding CLIENT1's certificate is signed in by it, without a form."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, ignore_https_errors=True,
                                  client_certificates=[{"origin": node.url, "certPath": node.path("certs", "CLIENT1.pem"),
                                                        "keyPath": node.path("certs", "CLIENT1-key.pem")}])
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(url)
    ready(page, "whoami")
    check(page.inner_text("#identity").startswith("Signed in as CLIENT1 (client certificate)"), f"identity: {page.inner_text('#identity')!r}")
    check("CN=CLIENT1,OU=lab,O=certlab" in page.inner_text("#view"), "who am I shows the certificate's principal DN")
    expect_calls(recorder, [("GET", PAGE + asset) for asset in ASSETS] + [CONNECTION, AUTHINFO, AUTHINFO] + modules("view-whoami.js"),
                 "certificate sign-in")
    shoot(page, "11-certificate-whoami")

    # Playwright presents the certificate on every connection, also for the page's basic requests
    # (credentials: 'omit', which Chromium itself sends without it): the page must not pretend
    # the password worked when the node authenticated the certificate.
    page.click("#identity button")
    page.wait_for_selector("#login:not([hidden])")
    sign_in(page, "admin", "admin")
    page.wait_for_selector("#login-message .message.error")
    check(page.inner_text("#login-message").startswith("The node authenticated this browser as CLIENT1 (CN=CLIENT1,OU=lab,O=certlab), not as admin"),
          f"certificate wins over the form: {page.inner_text('#login-message')!r}")
    check(page.is_visible("#login") and not page.is_visible("#nav"), "the page stays on the login form")
    expect_calls(recorder, [AUTHINFO], "form sign-in while a certificate is sent")
    context.close()


def save_png(name, data):
    path = os.path.join(ARTIFACTS, f"{name}.png")
    with open(path, "wb") as file:
        file.write(data)
    colours = distinct_colours(path)
    check(colours >= 16, f"{path}: only {colours} distinct colours, the screenshot looks blank")


def firefox_pass(node):
    """The same page in Firefox; skipped with a message when firefox-esr or marionette_driver is
    missing, unless CERTLAB_REQUIRE_FIREFOX=1 (CI) makes that a failure."""
    reason = None
    if firefox_path() is None:
        reason = "no Firefox found (Debian package firefox-esr, or CERTLAB_FIREFOX=/path/to/firefox)"
    else:
        try:
            import marionette_driver  # noqa: F401
        except ImportError:
            reason = "Python package marionette_driver is not installed"
    if reason:
        if os.environ.get("CERTLAB_REQUIRE_FIREFOX") == "1":
            raise AssertionError(f"firefox: {reason} (CERTLAB_REQUIRE_FIREFOX=1: make deps installs it)")
        print(f"test-dashboard: Firefox pass SKIPPED: {reason}")
        return None
    return run_firefox(node, node.url + PAGE, check, save_png, free_port, ARTIFACTS)


def skip_or_fail(reason):
    if os.environ.get("CERTLAB_REQUIRE_CHROMIUM") == "1":
        print(f"test-dashboard: FAILED: {reason} (CERTLAB_REQUIRE_CHROMIUM=1: make deps installs it)", file=sys.stderr)
        sys.exit(1)
    print(f"test-dashboard: SKIPPED: {reason} — run make deps (Debian chromium, pip playwright) to run it")
    sys.exit(0)


def main():
    executable = chromium_path()
    if executable is None:
        skip_or_fail("no Chromium found (Debian package chromium, or CERTLAB_CHROMIUM=/path/to/chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("Python package playwright is not installed")
    binaries = os.environ.get("DASHBOARD_BIN", os.path.join(ROOT, ".build", "debug"))
    for program in ("search-node", "cert-issuer"):
        if not os.access(os.path.join(binaries, program), os.X_OK):
            print(f"test-dashboard: FAILED: {binaries}/{program} is missing; run make build first", file=sys.stderr)
            sys.exit(1)
    node = Node(ROOT, binaries).start()
    try:
        figures, version = run(node, executable)
        # Bytes do not depend on the machine's load: the size target is a pass condition.
        largest = max(figure["transferred"] for figure in figures)
        check(largest < 200 * 1024, f"first load transferred {largest} bytes (target < 200 KB)")
        firefox = firefox_pass(node)
        if firefox:
            print(f"test-dashboard: Firefox {firefox} pass done")
    except AssertionError as failure:
        print(f"test-dashboard: FAILED after {checks} checks: {failure}", file=sys.stderr)
        print(f"search-node log (tail):\n{node.read_log()}", file=sys.stderr)
        sys.exit(1)
    finally:
        node.stop()
    met = write_results(os.path.join(ROOT, "bench", "RESULTS.md"), figures, version)
    print(f"test-dashboard: {checks} checks passed; screenshots in {os.path.relpath(ARTIFACTS, ROOT)}/")
    # Timings are benchmark figures (kept in bench/RESULTS.md, MISSED marked there), not a pass
    # condition: on a loaded machine a test must not fail for being slow.
    if not met:
        print("test-dashboard: a first-load target was missed on this run (see bench/RESULTS.md)")


if __name__ == "__main__":
    main()
