#!/usr/bin/env python3
"""Hostile input against the REST API: Schemathesis generates requests from the app's own
OpenAPI document and checks that none answers 5xx and every answer fits the document.

Starts the built server binary on a fresh SQLite file and a free port, issues an API
credential with the binary's CLI, signs a token request as the Singapay contract says, and
runs Schemathesis with that token. Usage: scripts/api_fuzz.py PATH_TO_SCHEMATHESIS_ST
"""

import datetime
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "debug", "paylinks")


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


def main() -> int:
    st = os.path.abspath(sys.argv[1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:{workdir}/fuzz.db",
            LEPTOS_SITE_ADDR=f"127.0.0.1:{port}",
            PUBLIC_BASE_URL=base,
            EXPORT_DIR=f"{workdir}/exports",
            API_RATE_LIMIT_PER_MINUTE="1000000",
            RUST_LOG="error",
        )
        issued = subprocess.run(
            [BINARY, "credentials", "create", "--email", "fuzz@paylinks.test",
             "--password", "correct horse battery", "--merchant", "Toko Fuzz"],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True,
        )
        credential = json.loads(issued.stdout)
        server = subprocess.Popen([BINARY], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(f"{base}/health")
            bearer = token(base, credential)
            result = subprocess.run(
                [st, "run", f"{base}/api/openapi.json",
                 "--checks", "not_a_server_error,status_code_conformance,content_type_conformance",
                 "--max-examples", os.environ.get("FUZZ_EXAMPLES", "40"),
                 "--header", f"Authorization: Bearer {bearer}",
                 "--header", f"X-PARTNER-ID: {credential['api_key']}",
                 "--request-timeout", "10",
                 "--no-color"],
                cwd=workdir,
            )
            return result.returncode
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
