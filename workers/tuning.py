"""How a worker is sized: its workflow cache, its concurrency and its workflow runner.

Read from ``[worker]`` in ``yuqing.toml`` (see ``docs/scaling.md`` for what to set
for a city's and a province's volume, with the figures behind it).
"""

from pydantic import BaseModel, ConfigDict, Field

# An open incident held in the cache costs the worker about 100 KB (scripts/bench_speed.py),
# so 5,000 fit in well under 1 GB with the process's own ~150 MB. Past the cache, a message
# for an evicted incident first replays its whole history (twice the latency, five times
# the CPU): size it to the open incidents this worker carries (docs/scaling.md).
DEFAULT_CACHED_INCIDENTS = 5_000
MAX_CACHED_INCIDENTS = 1_000_000
MAX_CONCURRENCY = 10_000


class WorkerTuning(BaseModel):
    """``[worker]``: sizes of one worker process (本 worker 的缓存与并发)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "5000" is no number

    max_cached_workflows: int = Field(DEFAULT_CACHED_INCIDENTS, ge=0, le=MAX_CACHED_INCIDENTS)
    """Open incidents kept in memory between messages (sticky cache)."""
    max_concurrent_workflow_tasks: int | None = Field(None, ge=2, le=MAX_CONCURRENCY)
    """Workflow tasks run at once (SDK default when unset)."""
    max_concurrent_activities: int | None = Field(None, ge=1, le=MAX_CONCURRENCY)
    """Deliveries and archive/bulletin steps run at once (SDK default when unset)."""
    sandbox: bool = False
    """Run workflow code in the SDK's sandbox: per-run module isolation and runtime checks,
    at about half the throughput and several times the memory (README, 沙箱)."""
