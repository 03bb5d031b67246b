"""The fault suite's tester cases (issue #20), a mixin of ``fault_suite.Suite``.

  burst       260 signals at the payload cap, sent without pause
  flood       10,000 signals at one incident (the server's own signal cap included)
  big update  1.9 MB updates: refused by the server, no workflow task fails
  reused id   a message_id reused with different content, as signal and as update
  alike ids   two incidents whose 交办单 ids read alike: both forms delivered
  rotation    a starter with a new key before the worker: the task waits for the key
  kill loop   the worker killed -9 at least 30 times during 1,000 messages (signals, and
              updates retried with their id): none lost, none applied or delivered twice
"""

import asyncio
import base64
import dataclasses
import json
import os
import random
import uuid

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus

from temporal.names import workflow_id_for
from starter.api import MessageRefused, send_message
from settings.sealed_files import unseal  # the outbox rests sealed

AT_THE_CAP = 43_000  # Chinese characters: a 129 KB payload, just under the 136 KB cap
KILLS, MESSAGES, INCIDENTS = 30, 1_000, 10


class TesterCases:
    client: Client

    async def burst_at_the_cap(self, count: int) -> None:
        incident_id = await self.report()
        handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
        landed = 0
        for _ in range(count):
            try:
                await handle.signal("leader_instruction", {"actor": "x", "text": "大" * AT_THE_CAP})
                landed += 1
            except Exception:
                pass  # the server may refuse outright: the sender knows, nothing lands
        await asyncio.sleep(5)
        self.row(f"burst ({count} × 129 KB signals)").add(
            *await self.judge(incident_id, expect_refusals=landed, timeout=120))

    async def big_updates(self, count: int) -> None:
        """Refused by the server before a worker sees them; no workflow task fails."""
        incident_id = await self.report()
        handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
        payload = {"actor": "x", "text": "大" * 630_000}

        async def one() -> None:
            try:
                await asyncio.wait_for(handle.execute_update("leader_instruction", payload), 60)
            except Exception:
                pass
        await asyncio.gather(*(one() for _ in range(count)))
        outcome, note = await self.judge(incident_id, timeout=60)
        failed = [e async for e in handle.fetch_history_events()
                  if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED]
        if outcome == "survived" and failed:
            outcome, note = "stuck", f"{incident_id}: {len(failed)} workflow task(s) failed"
        self.row(f"big updates ({count} × 1.9 MB)").add(outcome, note)

    async def reused_message_id(self) -> None:
        incident_id = await self.report()
        handle = self.client.get_workflow_handle(workflow_id_for(incident_id))
        first = {"actor": "市领导", "text": "请尽快处置", "message_id": "L-1"}
        await send_message(self.client, incident_id, "leader_instruction", first)
        await handle.signal("leader_instruction", {**first, "text": "问责已撤销"})
        try:
            await send_message(self.client, incident_id, "leader_instruction",
                               {**first, "text": "问责已撤销"})
            outcome = ("lost", f"{incident_id}: a reused id was answered with the first receipt")
        except MessageRefused:
            outcome = await self.judge(incident_id, expect_refusals=1)
        status = await handle.query("status")
        taken = [e for e in status["timeline"] if e["action"] == "leader_instruction"]
        if outcome[0] == "survived" and len(taken) != 2:  # L-1, then the suite's own
            outcome = ("lost", f"{incident_id}: {len(taken)} instructions recorded")
        self.row("reused message_id, other content").add(*outcome)

    async def alike_ids(self) -> None:
        """``P-C-1`` + unit ``nt-zjj`` and ``P-C-1-nt`` + ``zjj``: one 交办单 id, two forms."""
        prefix = f"A{uuid.uuid4().hex[:6]}-C-1"
        pairs = [(prefix, "nt-zjj"), (f"{prefix}-nt", "zjj")]
        for incident_id, unit in pairs:
            await self.report(incident_id=incident_id, unit=unit)
        folder = self.workdir / "outbox" / "assignment_forms"
        delivered: set[str] = set()
        for _ in range(60):
            delivered = {unseal(p.read_text())["incident_id"] for p in folder.glob("*.json")}
            if all(i in delivered for i, _ in pairs):
                break
            await asyncio.sleep(1)
        for incident_id, _ in pairs:
            outcome, note = await self.judge(incident_id)
            if outcome == "survived" and incident_id not in delivered:
                outcome, note = "lost", f"{incident_id}: its 交办单 was taken as delivered"
            self.row("交办单 ids that read alike").add(outcome, note)

    async def key_rotation_out_of_order(self) -> None:
        """The starter has k2 before the worker: the task fails and waits; the worker
        gets k2 and the incident opens as if nothing happened."""
        old, new = (base64.b64encode(os.urandom(32)).decode() for _ in range(2))
        rotated = await self.client_with_keys(f"k1:{old},k2:{new}")
        plain, self.client = self.client, rotated
        try:
            self.kill_worker()
            self.start_worker(keys=f"k1:{old}")
            incident_id = await self.report()
            handle = rotated.get_workflow_handle(workflow_id_for(incident_id))
            await asyncio.sleep(8)
            early = await handle.describe()
            self.kill_worker()
            self.start_worker(keys=f"k1:{old},k2:{new}")
            outcome, note = await self.judge(incident_id, timeout=60)
            if early.status != WorkflowExecutionStatus.RUNNING:
                outcome, note = "lost", f"{incident_id}: {early.status.name} before the key came"
        finally:
            self.client = plain
            self.kill_worker()
            self.start_worker()
        self.row("key rotation, worker last").add(outcome, note)

    async def client_with_keys(self, keys: str) -> Client:
        from settings.keys import configured_converter, load_keyring
        from temporal.codec import EncryptionCodec
        saved = os.environ.get("YUQING_KEYS")
        os.environ["YUQING_KEYS"] = keys
        try:
            codec = EncryptionCodec(load_keyring())
        finally:
            os.environ.pop("YUQING_KEYS") if saved is None else os.environ.update(
                YUQING_KEYS=saved)
        converter = dataclasses.replace(configured_converter(), payload_codec=codec)
        return await Client.connect(self.settings.address, namespace="default",
                                    data_converter=converter)

    async def kill_loop(self) -> None:
        """1,000 leader instructions at 10 incidents, paced over the kills, while the worker
        is killed -9 and restarted at least 30 times (each kill once it is up again).
        Nine in ten go as signals; every tenth as an update whose caller retries with the
        same id until it gets a receipt, as a backend would after a timeout."""
        ids = [await self.report() for _ in range(INCIDENTS)]
        texts = {f"批示 {i:04d} {uuid.uuid4().hex[:6]}": ids[i % INCIDENTS] for i in range(MESSAGES)}
        done = asyncio.Event()
        retries: list[asyncio.Task] = []

        async def update_until_answered(incident_id: str, message: dict) -> None:
            for _ in range(60):
                try:
                    await asyncio.wait_for(send_message(
                        self.client, incident_id, "leader_instruction", message), 20)
                    return
                except Exception:
                    await asyncio.sleep(2)

        async def sender() -> None:
            for n, (text, incident_id) in enumerate(texts.items()):
                message = {"actor": "演练", "text": text, "message_id": f"K-{n}"}
                if n % 10 == 9:
                    retries.append(asyncio.create_task(update_until_answered(incident_id, message)))
                else:
                    await self.client.get_workflow_handle(
                        workflow_id_for(incident_id)).signal("leader_instruction", message)
                await asyncio.sleep(0.15)  # ~150 s of messages: the kills fall among them

        async def killer() -> int:
            kills = 0
            while not done.is_set() or kills < KILLS:
                await self.worker_up()  # killed only once it works: else nothing moves
                await asyncio.sleep(random.uniform(0.5, 2.5))
                self.kill_worker()
                kills += 1
                self.start_worker()
            return kills

        killing = asyncio.create_task(killer())
        await sender()
        done.set()
        kills = await killing
        await self.worker_up()
        await asyncio.gather(*retries)
        lost, twice = await self.settle_kill_loop(texts)
        self.kill_loop_counts = (kills, len(texts), lost, twice)
        row = self.row(f"kill -9 loop ({kills} kills, {len(texts)} messages)")
        for text in texts:
            if text in lost:
                row.add("lost", f"{texts[text]}: {text} not applied or not delivered")
            elif text in twice:
                row.add("lost", f"{texts[text]}: {text} applied or delivered twice")
            else:
                row.add("survived")

    async def worker_up(self, timeout: float = 90) -> None:
        """Until the worker started last logs that it polls (its log is appended to)."""
        log = self.workdir / "worker.log"
        for _ in range(int(timeout * 10)):
            with log.open("rb") as file:
                file.seek(self.worker_log_from)
                if b"worker started" in file.read():
                    return
            await asyncio.sleep(0.1)

    async def settle_kill_loop(self, texts: dict[str, str]) -> tuple[set[str], set[str]]:
        """Wait for every instruction and notice; then what is missing and what is doubled."""
        folder = self.workdir / "outbox" / "notifications"
        deadline = asyncio.get_running_loop().time() + 300  # retried attempts time out in 30 s
        while asyncio.get_running_loop().time() < deadline:
            recorded: dict[str, int] = {}
            for incident_id in set(texts.values()):
                status = await self.client.get_workflow_handle(
                    workflow_id_for(incident_id)).query("status")
                for entry in status["timeline"]:
                    if entry["action"] == "leader_instruction":
                        text = entry["detail"].removeprefix("领导批示：")
                        recorded[text] = recorded.get(text, 0) + 1
            notices: dict[str, int] = {}
            for path in folder.glob("*.json"):
                body = unseal(path.read_text(encoding="utf-8")).get("body")
                notices[body] = notices.get(body, 0) + 1
            lost = {t for t in texts if not recorded.get(t) or not notices.get(t)}
            if not lost:
                break
            await asyncio.sleep(1)
        twice = {t for t in texts if recorded.get(t, 0) > 1 or notices.get(t, 0) > 1}
        return lost, twice

    def kill_loop_line(self) -> str:
        kills, sent, lost, twice = getattr(self, "kill_loop_counts", (0, 0, set(), set()))
        return (f"kill -9 loop: {kills} kills during {sent} messages; lost {len(lost)}, "
                f"applied or delivered twice {len(twice)}")
