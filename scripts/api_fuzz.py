#!/usr/bin/env python3
"""Hostile input against the REST API: Schemathesis generates requests from the app's own
OpenAPI document and checks that none answers 5xx and every answer fits the document: its
status, content type and body schema.

Usage: scripts/api_fuzz.py PATH_TO_SCHEMATHESIS_ST
"""

import os
import subprocess
import sys
import tempfile

from api_server import running_server


CONFIG = """
[parameters]
"path.account_id" = "{account}"

[[operations]]
include-path = "/api/v2.0/payment-link/{{id}}"
include-method = "POST"
parameters = {{ "path.id" = "{account}" }}
"""


def main() -> int:
    st = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as workdir, running_server(workdir) as server:
        # The credential's own account, so requests reach real data rather than 404 only.
        config = os.path.join(workdir, "schemathesis.toml")
        account = server.credential["account_id"]
        with open(config, "w") as out:
            out.write(CONFIG.format(account=account))
        result = subprocess.run(
            [st, "--config-file", config, "run", f"{server.base}/api/openapi.json",
             "--checks", "not_a_server_error,status_code_conformance,"
                         "content_type_conformance,response_schema_conformance",
             "--max-examples", os.environ.get("FUZZ_EXAMPLES", "40"),
             "--header", f"Authorization: Bearer {server.bearer}",
             "--header", f"X-PARTNER-ID: {server.credential['api_key']}",
             "--request-timeout", "10",
             "--no-color"],
            cwd=workdir,
        )
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
