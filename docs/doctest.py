#!/usr/bin/env python3
"""Run the walkthroughs' shell blocks in order and check their output (Python stdlib only).

    python3 docs/doctest.py docs/01-client-certificate-auth.md [more pages ...]

Every fenced block whose info string is ``sh`` is executed with bash from the repository root,
in page order, as a reader would paste it: shell variables, exported variables and the current
directory carry over from one block to the next within a page. A block fails when bash exits
with an unexpected status or an expected fragment is missing. HTML comments right after a
block's closing fence declare what to expect (they are invisible on a rendered page):

    <!-- expect: "user_name" : "CLIENT1" -->   fragment that must appear in stdout+stderr
    <!-- expect-not: Traceback -->              fragment that must not appear
    <!-- exit: 22 -->  or  <!-- exit: nonzero --> expected exit status (default 0)
    <!-- timeout: 60 -->                        seconds before the block is killed (default 120)

Fragments are compared with all whitespace removed on both sides, so a fragment written as
pretty-printed JSON matches compact output and the other way round. A comment ``<!-- doctest: skip -->`` right before a block leaves it out (for
commands that need Docker). A page-level ``<!-- doctest: requires SERVICE ... -->`` skips the
whole page, with a visible line, when the lab was started without that service (LAB_SERVICES;
CERTLAB_HTTP_PORT and LAB_SERVICES default to the running native lab's, from .lab/run/settings).

Each block runs in its own process group; at the end of a page every process a block left in
the background is sent SIGTERM, so a page cannot leak servers into the next one. The last line
is ``doctest: N passed, N failed, N skipped``; the exit status is 1 when anything failed.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

ALL_SERVICES = ["certs", "search-node", "security-admin", "log-generator", "beats-shipper"]
FENCE = re.compile(r"^(```+|~~~+)\s*([\w+-]*)\s*$")
COMMENT = re.compile(r"^<!--\s*([\w-]+)\s*:\s*(.*?)\s*-->\s*$")


@dataclass
class Block:
    page: str
    line: int
    code: str
    expect: list[str] = field(default_factory=list)
    expect_not: list[str] = field(default_factory=list)
    exit: str = "0"
    timeout: float = 120.0
    skip: bool = False


@dataclass
class Page:
    path: str
    blocks: list[Block]
    requires: list[str]


def parse(path: str) -> Page:
    """Splits a Markdown page into its ``sh`` blocks and their declarations."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    blocks: list[Block] = []
    requires: list[str] = []
    skip_next = False
    i = 0
    while i < len(lines):
        text = lines[i]
        comment = COMMENT.match(text.strip())
        if comment and comment.group(1) == "doctest":
            value = comment.group(2)
            if value == "skip":
                skip_next = True
            elif value.startswith("requires "):
                requires += value.split()[1:]
            else:
                raise SystemExit(f"{path}:{i + 1}: unknown doctest directive '{value}' (expected skip or requires SERVICE ...)")
        fence = FENCE.match(text)
        if not fence:
            i += 1
            continue
        marker, info = fence.group(1), fence.group(2)
        start = i + 1
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].startswith(marker):
            body.append(lines[i])
            i += 1
        if i >= len(lines):
            raise SystemExit(f"{path}:{start}: code block is never closed")
        i += 1
        if info != "sh":
            skip_next = False
            continue
        block = Block(page=path, line=start, code="\n".join(body) + "\n", skip=skip_next)
        skip_next = False
        # Declarations: consecutive comments (blank lines allowed) after the closing fence.
        while i < len(lines):
            stripped = lines[i].strip()
            if not stripped:
                i += 1
                continue
            match = COMMENT.match(stripped)
            if not match or match.group(1) not in ("expect", "expect-not", "exit", "timeout"):
                break
            key, value = match.groups()
            if key == "expect":
                block.expect.append(value)
            elif key == "expect-not":
                block.expect_not.append(value)
            elif key == "exit":
                if value != "nonzero" and not value.isdigit():
                    raise SystemExit(f"{path}:{i + 1}: exit must be a number or 'nonzero', found '{value}'")
                block.exit = value
            else:
                block.timeout = float(value)
            i += 1
        blocks.append(block)
    return Page(path=path, blocks=blocks, requires=requires)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Shell:
    """Runs blocks one after another, carrying variables and the working directory along."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.tmp = tempfile.mkdtemp(prefix="doctest-")
        self.state = os.path.join(self.tmp, "state.sh")
        self.groups: list[int] = []
        with open(self.state, "w", encoding="utf-8") as handle:
            handle.write(f"cd {shell_quote(root)}\n")
        # Variables bash defines by itself are not carried over (many are read-only).
        baseline = subprocess.run(["bash", "--noprofile", "--norc", "-c", "compgen -v"],
                                  capture_output=True, text=True, check=True).stdout.split()
        self.baseline = " ".join(baseline)

    def run(self, block: Block) -> tuple[int | None, str, float]:
        script = os.path.join(self.tmp, "block.sh")
        with open(script, "w", encoding="utf-8") as handle:
            handle.write(block.code)
        save = (
            f'__doctest_save() {{ {{ export -p; for __v in $(compgen -v); do '
            f'case " {self.baseline} " in *" $__v "*) ;; *) [ "$__v" = __v ] || declare -p "$__v" 2>/dev/null ;; esac; done; '
            f'printf "cd %q\\n" "$PWD"; }} > {shell_quote(self.state)}.new 2>/dev/null && '
            f'mv {shell_quote(self.state)}.new {shell_quote(self.state)}; }}\n'
        )
        wrapper = (
            f"source {shell_quote(self.state)} 2>/dev/null\n"
            f"{save}"
            "trap __doctest_save EXIT\n"
            "set -eo pipefail\n"
            f"source {shell_quote(script)}\n"
        )
        output_path = os.path.join(self.tmp, "output.txt")
        started = time.monotonic()
        with open(output_path, "w+", encoding="utf-8", errors="replace") as output:
            process = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", wrapper], stdin=subprocess.DEVNULL,
                                       stdout=output, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True)
            self.groups.append(process.pid)
            try:
                status: int | None = process.wait(timeout=block.timeout)
            except subprocess.TimeoutExpired:
                kill_group(process.pid, signal.SIGKILL)
                process.wait()
                status = None
            output.seek(0)
            text = output.read()
        return status, text, time.monotonic() - started

    def close(self) -> None:
        for group in self.groups:
            kill_group(group, signal.SIGTERM)


def kill_group(group: int, sig: int) -> None:
    try:
        os.killpg(group, sig)
    except (ProcessLookupError, PermissionError):
        pass


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def check(block: Block, status: int | None, text: str) -> list[str]:
    problems = []
    if status is None:
        problems.append(f"timed out after {block.timeout:g} s")
    elif block.exit == "nonzero":
        if status == 0:
            problems.append("exit status 0, expected non-zero")
    elif status != int(block.exit):
        problems.append(f"exit status {status}, expected {block.exit}")
    flat = squash(text)
    for fragment in block.expect:
        if squash(fragment) not in flat:
            problems.append(f"missing expected output: {fragment}")
    for fragment in block.expect_not:
        if squash(fragment) in flat:
            problems.append(f"unexpected output: {fragment}")
    return problems


def adopt_lab_settings(root: str) -> None:
    """Port and service list of the running native lab (written by scripts/lab.sh up), unless
    the environment already sets them — so `python3 docs/doctest.py docs/*.md` after
    `make lab-up CERTLAB_HTTP_PORT=9300` tests that lab."""
    path = os.path.join(root, ".lab/run/settings")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.strip().partition("=")
            if key and key not in os.environ:
                os.environ[key] = value.strip('"')


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    adopt_lab_settings(root)
    running = os.environ.get("LAB_SERVICES", " ".join(ALL_SERVICES)).split()
    passed = failed = skipped = 0
    for path in argv:
        page = parse(path)
        name = os.path.relpath(os.path.abspath(path), root)
        missing = [s for s in page.requires if s not in running]
        if missing:
            skipped += len(page.blocks)
            print(f"SKIP {name}: {len(page.blocks)} blocks need {', '.join(missing)}, "
                  f"which this lab was started without (LAB_SERVICES={' '.join(running)})")
            continue
        print(f"== {name} ({len(page.blocks)} blocks)")
        shell = Shell(root)
        broken = False
        try:
            for block in page.blocks:
                where = f"{name}:{block.line}"
                if block.skip:
                    skipped += 1
                    print(f"  skip {where} (marked doctest: skip)")
                    continue
                if broken:
                    skipped += 1
                    print(f"  skip {where} (an earlier block of this page failed)")
                    continue
                status, text, seconds = shell.run(block)
                problems = check(block, status, text)
                if problems:
                    failed += 1
                    broken = True
                    print(f"  FAIL {where} ({seconds:.1f} s)")
                    for line in block.code.rstrip().splitlines():
                        print(f"    $ {line}")
                    for problem in problems:
                        print(f"    ! {problem}")
                    tail = text.rstrip().splitlines()[-40:]
                    print("    output:" if tail else "    output: (none)")
                    for line in tail:
                        print(f"    | {line}")
                else:
                    passed += 1
                    print(f"  ok   {where} ({seconds:.1f} s)")
        finally:
            shell.close()
    print(f"doctest: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
