#!/usr/bin/env python3
"""The OpenAPI document is enough to integrate: a client generated from the served document
by openapi-python-client (a maintained generator from PyPI, nothing of ours) creates, lists,
shows, updates and deletes links through both API versions, and reads every answer, errors
included, into its typed models.

Usage: scripts/api_client_check.py PATH_TO_OPENAPI_PYTHON_CLIENT
"""

import importlib
import os
import subprocess
import sys
import tempfile
import urllib.request

from api_server import running_server


def generate(generator: str, base: str, workdir: str) -> None:
    document = os.path.join(workdir, "openapi.json")
    with urllib.request.urlopen(f"{base}/api/openapi.json") as response, open(document, "wb") as out:
        out.write(response.read())
    # The generator formats its output with ruff, installed beside it.
    env = dict(os.environ, PATH=os.path.dirname(generator) + os.pathsep + os.environ["PATH"])
    subprocess.run(
        [generator, "generate", "--path", document, "--meta", "none", "--fail-on-warning",
         "--output-path", os.path.join(workdir, "paylinks_client")],
        check=True, env=env, cwd=workdir,
    )


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"  ok: {what}")


def drive(server) -> None:
    client_module = importlib.import_module("paylinks_client")
    api = importlib.import_module("paylinks_client.api.payment_links")
    api_v2 = importlib.import_module("paylinks_client.api.payment_links_v2")
    models = importlib.import_module("paylinks_client.models")
    for name in ["create_payment_link", "list_payment_links", "show_payment_link",
                 "update_payment_link", "delete_payment_link"]:
        importlib.import_module(f"paylinks_client.api.payment_links.{name}")
    for name in ["create_payment_link_v2", "show_payment_link_v2", "update_payment_link_v2"]:
        importlib.import_module(f"paylinks_client.api.payment_links_v2.{name}")

    client = client_module.AuthenticatedClient(
        base_url=server.base,
        token=server.bearer,
        headers={"X-PARTNER-ID": server.credential["api_key"]},
        raise_on_unexpected_status=True,
    )
    account = server.credential["account_id"]

    created = api.create_payment_link.sync(
        account_id=account, client=client,
        body=models.CreateLinkV1(
            reff_no="GEN-1", title="Kaos polos", max_usage=2,
            items=[models.ItemInput(name="Kaos polos", quantity=2, unit_price=75000)],
            whitelisted_payment_method=[models.MethodCodeInput.VA_BRI,
                                        models.MethodCodeInput.EWALLET_DANA],
        ),
    )
    expect(isinstance(created, models.LinkResponse), "v1 create answers a LinkResponse")
    link = created.data
    expect(link.total_amount == 150000 and link.items[0].subtotal == 150000, "the total is the items' sum")
    expect(link.whitelisted_payment_method == [models.MethodCode.VA_BRI, models.MethodCode.DANA],
           "EWALLET_DANA is answered as DANA")

    listed = api.list_payment_links.sync(account_id=account, client=client, per_page=10)
    expect(isinstance(listed, models.LinkListResponse), "list answers a LinkListResponse")
    expect([l.id for l in listed.data] == [link.id] and listed.pagination.total == 1,
           "the list holds the link, with its pagination")

    shown = api.show_payment_link.sync(account_id=account, payment_link_id=link.id, client=client)
    expect(shown.data.reff_no == "GEN-1" and shown.data.status == models.LinkStatus.OPEN, "show reads it back")

    updated = api.update_payment_link.sync(
        account_id=account, payment_link_id=link.id, client=client,
        body=models.UpdateLinkV1(status=models.StatusInput.CLOSED, max_usage=0),
    )
    expect(updated.data.max_usage == 0 and updated.data.status == models.LinkStatus.CLOSED,
           "v1 update closes it and makes it unlimited")

    refused = api.update_payment_link.sync(
        account_id=account, payment_link_id=link.id, client=client,
        body=models.UpdateLinkV1(status=models.StatusInput.OPEN, max_usage=1, total_amount=99000),
    )
    expect(isinstance(refused, models.ErrorResponse)
           and refused.error.code == models.SpCode.SP018
           and "total_amount" in refused.error.errors.additional_properties,
           "changing a fixed field is an SP018 naming it")

    taken = api.create_payment_link.sync(
        account_id=account, client=client,
        body=models.CreateLinkV1(reff_no="GEN-1", title="Again", max_usage=1,
                                 items=[models.ItemInput(name="Again", quantity=1, unit_price=20000)]),
    )
    expect(isinstance(taken, models.ErrorResponse) and taken.error.code == models.SpCode.SP004,
           "a taken reference is SP004")

    v2 = api_v2.create_payment_link_v2.sync(
        id=account, client=client,
        body=models.CreateLinkV2(payment_link_type=models.LinkType.TOTAL, total_amount=50000),
    )
    expect(isinstance(v2, models.LinkResponseV2) and v2.response_code == models.SpCode.SP000,
           "v2 create answers the v2 envelope")
    expect(v2.data.title == "Pembayaran" and v2.data.max_usage == 1 and len(v2.data.items) == 1,
           "a v2 total link gets the default title, one use and one line")
    changed = api_v2.update_payment_link_v2.sync(
        payment_link_id=v2.data.id, client=client, body=models.UpdateLinkV2(max_usage=0),
    )
    expect(changed.data.max_usage == 0 and changed.data.title == "Pembayaran",
           "v2 update changes only what it sends")
    shown_v2 = api_v2.show_payment_link_v2.sync(id=v2.data.id, client=client)
    expect(shown_v2.data.reff_no == v2.data.reff_no, "v2 show reads it back")
    missing = api_v2.show_payment_link_v2.sync(id=v2.data.id + 1000, client=client)
    expect(isinstance(missing, models.ErrorResponseV2) and missing.response_code == models.SpCode.SP014,
           "an unknown link is SP014 in the v2 envelope")

    deleted = api.delete_payment_link.sync(account_id=account, payment_link_id=link.id, client=client)
    expect(isinstance(deleted, models.DeletedResponse), "delete answers a DeletedResponse")
    gone = api.show_payment_link.sync(account_id=account, payment_link_id=link.id, client=client)
    expect(isinstance(gone, models.ErrorResponse) and gone.error.code == models.SpCode.SP014,
           "the deleted link is SP014")


def main() -> int:
    generator = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as workdir, running_server(workdir) as server:
        generate(generator, server.base, workdir)
        sys.path.insert(0, workdir)
        drive(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
