"""The built server binary, started for a script that talks to its REST API: a fresh SQLite
file, a free port, an API credential issued by the binary's CLI and a bearer token signed as
the Singapay contract says. Used by api_fuzz.py and api_client_check.py."""

import contextlib
import datetime
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from typing import Iterator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "debug", "paylinks")


@dataclass
class Server:
    base: str
    credential: dict
    bearer: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(200):
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"the server did not answer at {url}")


def token(base: str, credential: dict) -> str:
    # The contract's date is Jakarta's (UTC+7), as YYYYMMDD.
    date = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).strftime("%Y%m%d")
    message = f"{credential['client_id']}_{credential['client_secret']}_{date}".encode()
    signature = hmac.new(credential["client_secret"].encode(), message, hashlib.sha512).hexdigest()
    request = urllib.request.Request(
        f"{base}/api/v1.1/access-token/b2b",
        data=json.dumps({"grantType": "client_credentials"}).encode(),
        headers={
            "Content-Type": "application/json",
            "X-PARTNER-ID": credential["api_key"],
            "X-CLIENT-ID": credential["client_id"],
            "X-Signature": signature,
        },
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]["access_token"]


@contextlib.contextmanager
def running_server(workdir: str) -> Iterator[Server]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:{workdir}/api.db",
        LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
        PUBLIC_BASE_URL=base,
        EXPORT_DIR=f"{workdir}/exports",
        API_RATE_LIMIT_PER_MINUTE="1000000",
        RUST_LOG="error",
    )
    issued = subprocess.run(
        [BINARY, "credentials", "create", "--email", "api@paylinks.test",
         "--password", "correct horse battery", "--merchant", "Toko API"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )
    credential = json.loads(issued.stdout)
    server = subprocess.Popen([BINARY], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"{base}/health")
        yield Server(base=base, credential=credential, bearer=token(base, credential))
    finally:
        server.terminate()
        server.wait(timeout=10)
