"""Structured, key=value console logging for every yuqing process."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: str | int = "INFO") -> None:
    """Route structlog and stdlib logging (incl. the Temporal SDK's) through one logfmt-like renderer."""
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=False),
    ]
    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            # logfmt: one grep-able line per event, Chinese left as is
            structlog.processors.LogfmtRenderer(
                key_order=["timestamp", "level", "logger", "event"],
                bool_as_flag=False,
            ),
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
