"""The dashboard in Firefox (issue #10 asks for Chromium and Firefox): Debian's firefox-esr,
headless, driven over Marionette (pip marionette_driver; playwright's Firefox is a patched build
that cannot be downloaded here). The pass covers the page's own code paths once more in Gecko:
load, form sign-in, the role-mapping round trip checked on the node, a screenshot, and no script
errors (window error/unhandledrejection events, collected once the page has loaded; the view
modules it loads on demand run after that).
"""
import os
import shutil
import time

SECURITY = "/_opendistro/_security"
ERROR_HOOK = """
window.__certlabErrors = window.__certlabErrors || [];
window.addEventListener('error', e => window.__certlabErrors.push(String(e.message)));
window.addEventListener('unhandledrejection', e => window.__certlabErrors.push(String(e.reason)));
"""


def firefox_path():
    explicit = os.environ.get("CERTLAB_FIREFOX")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("firefox-esr") or shutil.which("firefox")


def wait_for(client, script, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.execute_script(script):
            return
        time.sleep(0.05)
    raise AssertionError(f"firefox: timed out waiting for {what}")


def run_firefox(node, url, check, save_png, free_port, artifacts):
    """Returns Firefox's version; `check(condition, message)` and `save_png(name, bytes)` are the
    Chromium test's helpers. Firefox's own log goes to `artifacts`/gecko.log (Marionette's default
    is gecko.log in the working directory, which put it in the repository)."""
    from marionette_driver import By
    from marionette_driver.marionette import Alert, Marionette

    os.makedirs(artifacts, exist_ok=True)
    client = Marionette(bin=firefox_path(), headless=True, port=free_port(),
                        gecko_log=os.path.join(artifacts, "gecko.log"))
    try:
        client.start_session(capabilities={"acceptInsecureCerts": True})
        client.set_window_rect(width=1280, height=800)
        client.navigate(url)
        client.execute_script(ERROR_HOOK, sandbox=None)  # the page's own window, not a sandbox
        wait_for(client, "return !!document.querySelector('#login:not([hidden])')", "the login form")
        check(client.execute_script("return document.activeElement.id") == "login-user", "firefox: the user field has the focus")

        def sign_in(user, password):
            for field, value in (("login-user", user), ("login-password", password)):
                element = client.find_element(By.ID, field)
                element.clear()
                element.send_keys(value)
            client.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()

        def ready(view):
            wait_for(client, f"return !!document.querySelector('#view[data-view=\"{view}\"][data-ready=\"true\"]')", f"the {view} view")

        def text(selector):
            return client.execute_script("return document.querySelector(arguments[0]).innerText", script_args=[selector])

        sign_in("admin", "wrong")
        wait_for(client, "return !!document.querySelector('#login-message .message.error')", "the wrong-password message")
        check(text("#login-message") == "401 Unauthorized: Unauthorized", f"firefox: wrong password: {text('#login-message')!r}")

        sign_in("admin", "admin")
        ready("whoami")
        check(text("#identity-user") == "admin", "firefox: signed in as admin")
        save_png("firefox-01-whoami", client.screenshot(format="binary"))

        client.find_element(By.ID, "nav-rolesmapping").click()
        ready("rolesmapping")
        # The Chromium pass deleted the readall mapping: create it with the form.
        for field, value in (("mapping-role", "readall"), ("mapping-users", "CLIENT1")):
            element = client.find_element(By.ID, field)
            element.clear()
            element.send_keys(value)
        client.find_element(By.CSS_SELECTOR, "#mapping-form button[type=submit]").click()
        wait_for(client, "return /^'readall' (created|updated)\\.$/.test(document.querySelector('#mapping-status').innerText)", "the save message")
        wait_for(client, "return !!document.querySelector('button[aria-label=\"Delete mapping readall\"]')", "readall in the list")
        check(node.call("GET", f"{SECURITY}/api/rolesmapping/readall")[1]["readall"]["users"] == ["CLIENT1"],
              "firefox: the node stored users [CLIENT1] for readall")
        save_png("firefox-02-rolesmapping", client.screenshot(format="binary"))

        client.find_element(By.CSS_SELECTOR, 'button[aria-label="Delete mapping readall"]').click()
        try:
            Alert(client).accept()
        except Exception:  # the page may not ask; Marionette raises NoAlertPresent then
            pass
        wait_for(client, "return document.querySelector('#mapping-status').innerText === \"'readall' deleted.\"", "the delete message")
        check(node.call("GET", f"{SECURITY}/api/rolesmapping/readall")[0] == 404, "firefox: the readall mapping is gone on the node")

        errors = client.execute_script("return window.__certlabErrors", sandbox=None)
        check(errors == [], f"firefox: script errors: {errors}")
        return client.session_capabilities.get("browserVersion", "unknown")
    finally:
        try:
            client.cleanup()
        except Exception:
            pass
