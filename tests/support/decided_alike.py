"""Whether the what-if (政策推演) decided as the workflow did: two dumped statuses compared."""

from datetime import datetime, timedelta

from domain.whatif.compare import IGNORED_ACTIONS

TIMER_LATENCY = timedelta(seconds=1)  # a timer wakes the workflow a few ms after it falls


def differences(mine, theirs, path="status") -> list[str]:
    """Where two dumped statuses differ, times equal within the timers' latency."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return [d for k in mine.keys() | theirs.keys()
                for d in differences(mine.get(k), theirs.get(k), f"{path}.{k}")]
    if isinstance(mine, list) and isinstance(theirs, list) and len(mine) == len(theirs):
        return [d for i, (a, b) in enumerate(zip(mine, theirs))
                for d in differences(a, b, f"{path}[{i}]")]
    if isinstance(mine, datetime) and isinstance(theirs, datetime):
        return [] if abs(mine - theirs) < TIMER_LATENCY else [path]
    return [] if mine == theirs else [path]


def rules_part(status: dict) -> dict:
    """The status without what deliveries' results wrote (workflow version 4's receipts):
    the replay re-runs the rules, not the channels, and the bulletin counts no receipt."""
    return {**status, "notices": [], "undelivered": [],
            "timeline": [e for e in status["timeline"] if e["action"] not in IGNORED_ACTIONS]}
