"""A verified identity on every message (issue #22): the login, not the typed actor, decides.

The codec server encodes only for a verified login (OIDC token checked against the IdP's
JWKS, with the role claim; or the static service token) and seals that principal inside
the encrypted payload; the worker's converter hands it to the procedure, which checks it
against the roster of identities and records it beside the typed actor.
"""

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from google.protobuf import json_format
from temporalio.api.common.v1 import Payload, Payloads

from domain.procedure import collection
from domain.engine import registry
from domain.roster import PRINCIPAL_FIELD, Roster
from tests.domain.procedure.drive import context, start
from tests.support.identity_provider import LocalIdentityProvider
from tests.support.codec import post_to_codec_server
from temporal.codec import EncryptionCodec, Keyring
from temporal.names import PRINCIPAL
from workers.codec_server import serve_in_background
from temporal.data_converter import TolerantPayloadConverter

CODEC = EncryptionCodec(Keyring({"k1": b"k" * 32}, "k1"))
UI = "http://127.0.0.1:8233"
ROSTER = Roster.model_validate({
    "units": {"u1": ["wangwu@zjj.example.gov"], "u2": ["zhaoliu@jtj.example.gov"]},
    "offices": {"cyberspace_office": ["lisi@wxb.example.gov"]}, "require_verified": True})


def json_payload(text: str) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=text.encode())


@pytest.fixture(scope="module")
def idp():
    provider = LocalIdentityProvider()
    yield provider
    provider.close()


@pytest.fixture(scope="module")
def codec_server(idp):
    server = serve_in_background(CODEC, 0, [UI], login=idp.login(static_token="svc-token"))
    yield server.server_port
    server.shutdown()


def encode(port: int, text: str, token: str | None) -> tuple[int, Payload | None]:
    body = json_format.MessageToJson(Payloads(payloads=[json_payload(text)])).encode()
    headers = {"Origin": UI, **({"Authorization": f"Bearer {token}"} if token else {})}
    status, _, answer = post_to_codec_server(port, "/encode", body, **headers)
    return status, json_format.Parse(answer, Payloads()).payloads[0] if status == 200 else None


def test_a_verified_login_is_sealed_inside_the_encryption(idp, codec_server):
    status, sealed = encode(codec_server, '{"actor": "冒充者", "unit_id": "u1"}',
                            idp.token("wangwu@zjj.example.gov"))
    assert status == 200 and sealed.metadata["encoding"] == b"binary/encrypted"
    assert b"wangwu" not in sealed.SerializeToString()  # sealed, not readable in the history
    [value] = TolerantPayloadConverter().from_payloads([CODEC.decrypt(sealed)])
    assert value[PRINCIPAL_FIELD] == "wangwu@zjj.example.gov" and value["actor"] == "冒充者"


@pytest.mark.parametrize("why, token", [
    ("no token", None),
    ("no role", lambda idp: idp.token("wangwu@zjj.example.gov", roles=["other"])),
    ("another issuer", lambda idp: idp.token("wangwu@zjj.example.gov", issuer="https://evil")),
    ("another key", lambda idp: idp.token("wangwu@zjj.example.gov",
                                          key=rsa.generate_private_key(65537, 2048))),
    ("expired", lambda idp: idp.token("wangwu@zjj.example.gov", expires_in=-120)),
    ("a guessed static token", lambda idp: "not-the-token"),
])
def test_without_a_valid_login_nothing_is_encoded(idp, codec_server, why, token):
    assert encode(codec_server, "{}", token(idp) if callable(token) else token)[0] == 403, why


def test_the_static_token_is_a_service_identity(codec_server):
    status, sealed = encode(codec_server, "{}", "svc-token")
    assert status == 200 and CODEC.decrypt(sealed).metadata[PRINCIPAL] == b"service:backend"


def test_a_principal_typed_by_the_sender_is_dropped():
    forged = json_payload(f'{{"actor": "x", "{PRINCIPAL_FIELD}": "lisi@wxb.example.gov"}}')
    [value] = TolerantPayloadConverter().from_payloads([forged])
    assert PRINCIPAL_FIELD not in value
    own = Payload()
    own.CopyFrom(forged)
    own.metadata[PRINCIPAL] = b"lisi@wxb.example.gov"  # set before encoding: replaced
    assert CODEC.decrypt(EncryptionCodec(CODEC.keyring, "service:cli").encrypt(own)) \
        .metadata[PRINCIPAL] == b"service:cli"


def opened():
    state = collection.new_incident(start())
    collection.open_incident(state, start(), context(0))
    state.status.roster = ROSTER
    return state


def sealed(principal: str | None, **fields) -> tuple:
    return ({"actor": "住建局 王五", **fields,
             **({PRINCIPAL_FIELD: principal} if principal else {})},)


def test_the_sealed_principal_decides_and_both_are_recorded():
    state = opened()
    registry.take(state, "acknowledge", sealed("wangwu@zjj.example.gov", unit_id="u1"), context(1))
    entry = state.status.timeline[-1]
    assert (entry.actor, entry.principal) == ("住建局 王五", "wangwu@zjj.example.gov")
    with pytest.raises(Exception, match="不在单位 u2 的名册中"):  # 住建局 for another unit
        registry.take(state, "acknowledge", sealed("wangwu@zjj.example.gov", unit_id="u2"),
                      context(1))


def test_production_refuses_a_message_without_a_verified_principal():
    with pytest.raises(Exception, match="未带经验证的登录身份"):
        registry.take(opened(), "acknowledge", sealed(None, unit_id="u1"), context(1))


async def test_a_backends_sealed_identity_reaches_the_roster_and_the_audit(env, tmp_path,
                                                                        monkeypatch):
    """End to end on the test server: a backend with keys seals its identity; the worker
    checks it against the deployment's roster; the audit shows actor, principal, agreement."""
    import dataclasses
    import uuid

    from temporalio.client import Client

    from tests.support.worker import incident_worker
    from tests.workflows.scenario import start_payload
    from settings.keys import require_keyring
    from temporal.data_converter import DATA_CONVERTER
    from workers.audit.request_records import requests_of

    config = tmp_path / "yuqing.toml"
    config.write_text('[roster]\nrequire_verified = true\n[roster.units]\n'
                      '"u-zjj" = ["wangwu@zjj.example.gov"]\n', encoding="utf-8")
    monkeypatch.setenv("YUQING_CONFIG", str(config))

    def client_as(identity: str) -> Client:
        codec = EncryptionCodec(require_keyring(), identity)
        return Client(env.client.service_client, namespace=env.client.namespace,
                      data_converter=dataclasses.replace(DATA_CONVERTER, payload_codec=codec))

    queue, incident_id = f"identity-{uuid.uuid4().hex[:6]}", f"ID-{uuid.uuid4().hex[:8]}"
    zjj, other = client_as("wangwu@zjj.example.gov"), client_as("zhaoliu@jtj.example.gov")
    async with incident_worker(client_as("service:worker"), tmp_path, task_queue=queue):
        now = await env.get_current_time()
        handle = await zjj.start_workflow("IncidentWorkflow", start_payload(incident_id, now),
                                          id=f"incident-{incident_id}", task_queue=queue)
        await handle.query("status")  # opened: a refused update is then never recorded
        typed_as_zjj = {"actor": "wangwu@zjj.example.gov", "unit_id": "u-zjj"}
        with pytest.raises(Exception) as refused:  # 交通局's login typing 住建局's name
            await other.get_workflow_handle(handle.id).execute_update("acknowledge",
                                                                      typed_as_zjj)
        assert "不在单位 u-zjj 的名册中" in str(refused.value.cause)
        await handle.execute_update("acknowledge", {"actor": "住建局 王五", "unit_id": "u-zjj"})
        status = await handle.query("status")
        history = await handle.fetch_history()
        await handle.terminate("test finished")
    ack = [e for e in status["timeline"] if e["action"] == "acknowledge"]
    assert [(e["actor"], e["principal"]) for e in ack] == [("住建局 王五", "wangwu@zjj.example.gov")]
    updates = [r for r in requests_of(history) if r.kind == "update"]
    assert [(r.actor, r.principal, r.agreement) for r in updates] == [
        ("住建局 王五", "wangwu@zjj.example.gov", "不一致")]
