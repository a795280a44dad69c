#!/usr/bin/env python3
"""Static checks of compose/docker-compose.yml against the repository (run by `make test-compose`).

No Docker engine is needed: the file is read through `docker-compose config` (interpolated with
compose/.env, as the engine would see it) and checked for

  * gating: certs -> search-node (completed successfully) -> security-admin (healthy) ->
    log-generator + beats-shipper (healthy); every service depended on as healthy has a
    healthcheck; published ports bind to 127.0.0.1 by default; config/ is mounted read-only;
  * programs: every command and healthcheck of a certlab-image service runs a product of
    Package.swift, and the Dockerfile builds exactly those products;
  * subcommands and options: `PRODUCT [SUB] --help` lists each option the command uses (binaries
    from CHECK_BIN, default .build/debug; without them the subcommand is looked up in Sources/);
  * paths: config/ paths exist in the repository, certs/ and .lab/ paths lie in a volume of that
    service, bind-mounted host paths exist;
  * the native runner: `scripts/lab.sh services` lists the same services and `scripts/lab.sh
    command NAME`, given the service's environment, prints exactly compose's command; the
    defaults in compose/.env equal scripts/lab-services.sh's.

Products named in PENDING_PRODUCTS (space separated; the Makefile sets it) are not in
Package.swift yet: each use is reported as a PENDING line instead of failing. Prints one line per
check and `compose-check: N passed, N failed`; exits 1 on any failure.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

try:
    import yaml
except ImportError:
    # docker-compose brings Debian's python3-yaml; a pyenv/venv python3 first on PATH may lack it.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("check-compose: needs PyYAML (Debian python3-yaml, installed with docker-compose by `make deps`)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMPOSE = ["docker-compose", "-f", "compose/docker-compose.yml", "--env-file", "compose/.env"]
IMAGE_WORKDIR = "/certlab"
GATES = {  # service -> {dependency: condition}
    "search-node": {"certs": "service_completed_successfully"},
    "security-admin": {"search-node": "service_healthy"},
    "log-generator": {"security-admin": "service_healthy"},
    "beats-shipper": {"security-admin": "service_healthy"},
}
ENV_DEFAULTS = ["CERTLAB_HTTP_PORT", "CERTLAB_ADMIN_HEALTH_PORT", "CERTLAB_LOG_COUNT", "CERTLAB_LOG_RATE"]


class Report:
    def __init__(self) -> None:
        self.passed = self.failed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> None:
        if ok:
            self.passed += 1
            print(f"  ok   {what}")
        else:
            self.failed += 1
            print(f"  FAIL {what}{': ' + detail if detail else ''}")


def run(args: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"check-compose: {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def package_products() -> dict[str, str]:
    """Executable product name -> its target's source folder, read from Package.swift."""
    with open(os.path.join(ROOT, "Package.swift"), encoding="utf-8") as handle:
        manifest = handle.read()
    products = {}
    for name, target in re.findall(r'\.executable\(\s*name:\s*"([^"]+)",\s*targets:\s*\["([^"]+)"\]', manifest):
        path = re.search(r'\.executableTarget\(\s*name:\s*"%s"[^)]*?path:\s*"([^"]+)"' % re.escape(target), manifest, re.S)
        products[name] = os.path.join(ROOT, path.group(1) if path else f"Sources/{target}")
    return products


def env_file() -> dict[str, str]:
    values = {}
    with open(os.path.join(ROOT, "compose/.env"), encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key] = value
    return values


def volume_targets(service: dict) -> list[tuple[str, str, str]]:
    """(source, target, mode) of each volume, short or long syntax."""
    out = []
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            parts = volume.split(":")
            out.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "rw"))
        else:
            out.append((volume.get("source", ""), volume["target"], "ro" if volume.get("read_only") else "rw"))
    return out


def check_program(report: Report, products: dict[str, str], pending: set[str], bin_dir: str,
                  service: str, argv: list[str], what: str) -> None:
    program = argv[0]
    if program in pending:
        print(f"  PENDING {service}: {what} runs '{program}', not a product of Package.swift yet")
        return
    report.check(program in products, f"{service}: {what} runs a product of Package.swift ({program})",
                 f"products are {', '.join(sorted(products))}")
    if program not in products:
        return
    sub = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else None
    options = [word.split("=")[0] for word in argv[1:] if word.startswith("-")]
    binary = os.path.join(bin_dir, program)
    if os.access(binary, os.X_OK):
        help_text = subprocess.run([binary] + ([sub] if sub else []) + ["--help"], capture_output=True, text=True)
        report.check(help_text.returncode == 0, f"{service}: `{program} {sub or ''} --help` works",
                     help_text.stderr.strip()[:200])
        text = help_text.stdout
        if sub is None:
            # Options of the default subcommand (ArgumentParser marks it "(default)") apply too.
            for default in re.findall(r"^\s+(\S+)\s+\(default\)", text, re.M):
                text += subprocess.run([binary, default, "--help"], capture_output=True, text=True).stdout
        listed = set(re.findall(r"(?<![\w-])(--?[\w.-]+)", text))
        for option in options:
            report.check(option in listed, f"{service}: {program} {sub or ''} accepts {option}",
                         f"not in `{program} {sub or ''} --help`")
    elif sub:
        # ArgumentParser names a subcommand by commandName, or else by its type in kebab case.
        sources = products[program]
        text = "".join(open(os.path.join(sources, name), encoding="utf-8").read()
                       for name in os.listdir(sources) if name.endswith(".swift"))
        derived = {re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower() for name in re.findall(r"struct (\w+)\s*:", text)}
        found = f'commandName: "{sub}"' in text or sub in derived
        report.check(found, f"{service}: {program} has subcommand {sub} (static: {bin_dir} has no binary)")


def check_paths(report: Report, service: str, svc: dict, argv: list[str]) -> None:
    mounts = volume_targets(svc)
    for word in argv:
        if word.startswith("config/"):
            report.check(os.path.exists(os.path.join(ROOT, word)), f"{service}: {word} exists in the repository")
            report.check(any(t == f"{IMAGE_WORKDIR}/config" and m == "ro" for _, t, m in mounts),
                         f"{service}: config/ is mounted read-only for {word}")
        elif word.startswith(("certs/", ".lab/", f"{IMAGE_WORKDIR}/")) or word == "certs":
            absolute = word if word.startswith("/") else f"{IMAGE_WORKDIR}/{word}"
            report.check(any(absolute == t or absolute.startswith(t + "/") for _, t, _ in mounts),
                         f"{service}: {word} lies in one of its volumes")


def main() -> int:
    report = Report()
    products = package_products()
    pending = set(os.environ.get("PENDING_PRODUCTS", "").split())
    for product in sorted(pending & set(products)):
        print(f"  NOTE {product} is a product now: drop it from PENDING_PRODUCTS and add its services to TEST_LAB_SERVICES")
    pending -= set(products)
    bin_dir = os.environ.get("CHECK_BIN", os.path.join(ROOT, ".build/debug"))
    config = yaml.safe_load(run(COMPOSE + ["--profile", "opensearch", "config"]))
    services = config["services"]
    env = env_file()
    print("compose-check: compose/docker-compose.yml")

    lab = [name for name, svc in services.items() if not svc.get("profiles")]
    native = run(["bash", "scripts/lab.sh", "services"], env={**os.environ, "LAB_SERVICES": ""}).split()
    report.check(sorted(lab) == sorted(native), "services without a profile = scripts/lab.sh services",
                 f"compose {sorted(lab)} vs native {sorted(native)}")
    for name in native:
        for dependency in GATES.get(name, {}):
            report.check(native.index(dependency) < native.index(name), f"native order starts {dependency} before {name}")

    for name, gates in GATES.items():
        depends = services.get(name, {}).get("depends_on", {})
        for dependency, condition in gates.items():
            got = depends.get(dependency, {}).get("condition") if isinstance(depends, dict) else None
            report.check(got == condition, f"{name} waits for {dependency}: {condition}", f"found {got}")
    for name, svc in services.items():
        for dependency, spec in (svc.get("depends_on") or {}).items():
            if spec.get("condition") == "service_healthy":
                report.check("healthcheck" in services[dependency], f"{dependency} has a healthcheck ({name} waits for it)")
        for port in svc.get("ports", []):
            text = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port.get('published')}"
            report.check(text.startswith("127.0.0.1:"), f"{name}: port {text} is published on 127.0.0.1 only")
        for source, target, mode in volume_targets(svc):
            if source.startswith("/"):
                report.check(os.path.exists(source), f"{name}: bind mount {os.path.relpath(source, ROOT)} exists")
                report.check(mode == "ro", f"{name}: {os.path.relpath(source, ROOT)} is mounted read-only")

    used = set()
    for name, svc in services.items():
        if "build" not in svc:
            continue
        report.check(svc.get("working_dir") == IMAGE_WORKDIR, f"{name}: runs in {IMAGE_WORKDIR} (the repository layout)")
        dockerfile = os.path.join(svc["build"]["context"], svc["build"].get("dockerfile", "Dockerfile"))
        report.check(os.path.isfile(dockerfile), f"{name}: {os.path.relpath(dockerfile, ROOT)} exists")
        argv = [str(word) for word in svc["command"]]
        used.add(argv[0])
        check_program(report, products, pending, bin_dir, name, argv, "command")
        check_paths(report, name, svc, argv)
        test = svc.get("healthcheck", {}).get("test")
        if test and test[0] == "CMD" and test[1] != "bash":
            check_program(report, products, pending, bin_dir, name, [str(w) for w in test[1:]], "healthcheck")
            check_paths(report, name, svc, [str(w) for w in test[1:]])
        # The native runner's command for this service, given compose's environment.
        native_env = {**os.environ, **{k: env[k] for k in ENV_DEFAULTS if k in env},
                      **{k: str(v) for k, v in (svc.get("environment") or {}).items()}}
        native_env["CERTLAB_ADMIN_HEALTH_PORT"] = native_env.get("CERTLAB_ADMIN_HEALTH_PORT", "9601")
        native_env.setdefault("CERTLAB_NODE_URL", "https://search-node:9200")
        native_env["CERTLAB_ROOT"] = IMAGE_WORKDIR
        if name in native:
            mine = run(["bash", "scripts/lab.sh", "command", name], env=native_env).split("\n")[:-1]
            report.check(mine == argv, f"{name}: native command = compose command",
                         f"\n      native:  {' '.join(mine)}\n      compose: {' '.join(argv)}")

    with open(os.path.join(ROOT, "docker/Dockerfile"), encoding="utf-8") as handle:
        built = re.search(r'ARG PRODUCTS="([^"]+)"', handle.read())
    report.check(bool(built) and set(built.group(1).split()) == used,
                 "docker/Dockerfile builds exactly the programs compose runs", f"compose runs {sorted(used)}")

    defaults = run(["bash", "-c", "source scripts/lab-services.sh; for v in %s; do echo \"$v=${!v}\"; done"
                    % " ".join(ENV_DEFAULTS)], env={k: v for k, v in os.environ.items() if k not in ENV_DEFAULTS})
    for line in defaults.split():
        key, value = line.split("=", 1)
        report.check(env.get(key) == value, f"compose/.env {key} = native default {value}", f"found {env.get(key)}")

    print(f"compose-check: {report.passed} passed, {report.failed} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
