"""A throw-away search-node for the dashboard test: the repository's config/ copied into a
temporary folder, certificates issued there by cert-issuer, the node on a free loopback port.

Nothing of the developer's lab is touched (.lab/, certs/ and ports 9200/29200 stay as they are),
so the test can run while a lab is up and `make test-lab` can run before or after it.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Node:
    def __init__(self, root, binaries):
        self.root = root
        self.binaries = os.path.abspath(binaries)
        self.folder = tempfile.mkdtemp(prefix="certlab-dashboard-")
        self.process = None
        self.port = None

    def path(self, *parts):
        return os.path.join(self.folder, *parts)

    def start(self, timeout=30):
        shutil.copytree(os.path.join(self.root, "config"), self.path("config"))
        issued = subprocess.run([os.path.join(self.binaries, "cert-issuer"), "init", "--plan", self.path("config", "certs.yml"),
                                 "--out", self.path("certs")], capture_output=True, text=True)
        if issued.returncode != 0:
            raise RuntimeError(f"cert-issuer init failed: {issued.stderr.strip()}")
        self.port = free_port()
        self.log = open(self.path("search-node.log"), "w")
        self.process = subprocess.Popen(
            [os.path.join(self.binaries, "search-node"), "run", "--config", self.path("config", "node.yml"),
             "--security-config", self.path("config", "security"), "--data", self.path("data"), "--port", str(self.port),
             "--host", "127.0.0.1", "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"search-node exited with {self.process.returncode}: {self.read_log()}")
            try:
                if self.call("GET", "/_opendistro/_security/health", client=None)[0] == 200:
                    return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise RuntimeError(f"search-node not healthy after {timeout} s: {self.read_log()}")

    def read_log(self):
        with open(self.path("search-node.log")) as log:
            return log.read()[-2000:]

    @property
    def url(self):
        return f"https://localhost:{self.port}"

    def call(self, method, path, client="admin", body=None):
        """The node's answer (status, parsed JSON or text) to a request made with a client
        certificate of the folder (default: the admin certificate, super-admin)."""
        context = ssl.create_default_context(cafile=self.path("certs", "root-ca.pem"))
        if client:
            context.load_cert_chain(self.path("certs", f"{client}.pem"), self.path("certs", f"{client}-key.pem"))
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"} if data else {})
        try:
            with urllib.request.urlopen(request, context=context, timeout=10) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
