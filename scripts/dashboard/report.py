"""The dashboard's first-load figures: printed, and kept in bench/RESULTS.md between markers so
`make bench` (which rewrites the rest of that file) and this test do not overwrite each other.
"""
import datetime
import os
import re

from browser import summary

BEGIN = "<!-- dashboard:begin (written by make test-dashboard) -->"
END = "<!-- dashboard:end -->"
BYTES_TARGET = 200 * 1024
INTERACTIVE_TARGET_MS = 300


def write_results(path, figures, version):
    """Prints the table, replaces the section in `path`, and tells whether both targets were met."""
    transferred, transferred_worst = summary(figures, "transferred")
    decoded, _ = summary(figures, "decoded")
    interactive, interactive_worst = summary(figures, "interactive")
    content_loaded, content_loaded_worst = summary(figures, "domContentLoaded")
    requests, _ = summary(figures, "requests")
    assets = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                          "Sources", "SecurityDashboard", "Assets")
    all_files = sum(os.path.getsize(os.path.join(assets, name)) for name in os.listdir(assets) if name != "README.md")
    bytes_met = transferred_worst < BYTES_TARGET and all_files < BYTES_TARGET
    time_met = interactive < INTERACTIVE_TARGET_MS
    lines = [
        BEGIN,
        f"## Security dashboard first load (headless Chromium {version}, loopback, {len(figures)} cold loads)",
        "",
        f"Measured by `make test-dashboard` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}: each load in a fresh",
        "browser context (empty cache) against a debug search-node, until the login form is ready; figures from",
        "Chromium's Navigation/Resource Timing (`transferSize`, `domContentLoadedEventEnd`) and the page's",
        "`dashboard-interactive` mark.",
        "",
        "| measure | median | worst | target | |",
        "|---|---|---|---|---|",
        f"| bytes transferred ({requests} requests: page, CSS, {requests - 3} modules, connection.json) | {transferred / 1024:.1f} KB | "
        f"{transferred_worst / 1024:.1f} KB | < 200 KB | {'met' if bytes_met else 'MISSED'} |",
        f"| decoded size of the same | {decoded / 1024:.1f} KB | | | |",
        f"| every file of the page (all views opened), uncompressed | {all_files / 1024:.1f} KB | | < 200 KB | "
        f"{'met' if all_files < BYTES_TARGET else 'MISSED'} |",
        f"| time to interactive (login form ready) | {interactive:.0f} ms | {interactive_worst:.0f} ms | < 300 ms | "
        f"{'met' if time_met else 'MISSED'} |",
        f"| DOMContentLoaded | {content_loaded:.0f} ms | {content_loaded_worst:.0f} ms | | |",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    text = open(path).read() if os.path.exists(path) else "# certlab benchmark results\n"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as file:
        file.write(text)
    return bytes_met and time_met
