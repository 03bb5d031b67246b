"""Ids that cannot collide (issue #20): a delivery is matched on its key *and* its
content's digest, so two incidents whose 交办单 ids read alike both get their form."""

from activities.outbox import Outbox


def form(incident_id: str, unit_id: str) -> dict:
    return {"form_id": f"{incident_id}-{unit_id}-1", "incident_id": incident_id,
            "unit": {"recipient_id": unit_id}}


def test_alike_keys_of_different_deliveries_both_deliver_and_retries_do_not(tmp_path):
    outbox = Outbox(tmp_path)
    first, second = form("PA-C-1", "nt-zjj"), form("PA-C-1-nt", "zjj")
    assert first["form_id"] == second["form_id"]  # the ids read alike
    a = outbox.deliver("assignment_forms", first["form_id"], ["message"], first)
    b = outbox.deliver("assignment_forms", second["form_id"], ["message"], second)
    assert not a.already_delivered and not b.already_delivered and a.location != b.location
    for content, earlier in ((first, a), (second, b)):  # an activity retried: no resend
        again = outbox.deliver("assignment_forms", content["form_id"], ["message"], content)
        assert again.already_delivered and again.location == earlier.location
    assert len(list((tmp_path / "assignment_forms").glob("*.json"))) == 2
