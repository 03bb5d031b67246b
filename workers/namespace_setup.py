"""Make a namespace fit for yuqing: our search attributes exist and closed incidents are kept for audits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import structlog
from google.protobuf.duration_pb2 import Duration
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.namespace.v1 import NamespaceConfig
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.api.workflowservice.v1 import (
    DescribeNamespaceRequest,
    DescribeNamespaceResponse,
    UpdateNamespaceRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode

from temporal.search_attributes import cli_type_name

# Audits look back years; the dev server's default (24h) would delete closed incidents overnight.
AUDIT_RETENTION = timedelta(days=3650)

log = structlog.get_logger(__name__)


class NamespaceSetupError(RuntimeError):
    """The namespace cannot be made to fit (e.g. an attribute exists with another type)."""


async def ensure_search_attributes(
    client: Client, namespace: str, keys: Iterable[SearchAttributeKey]
) -> list[str]:
    """Register missing attributes; returns the names added. Safe on a reused database."""
    existing = (
        await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    ).custom_attributes
    missing: dict[str, IndexedValueType.ValueType] = {}
    for key in keys:
        wanted = IndexedValueType.ValueType(key.indexed_value_type)
        if key.name not in existing:
            missing[key.name] = wanted
        elif existing[key.name] != wanted:
            raise NamespaceSetupError(
                f"search attribute {key.name} exists in namespace {namespace!r} with another "
                f"type than {cli_type_name(key)}; use a fresh database or rename the attribute"
            )
    if missing:
        try:
            await client.operator_service.add_search_attributes(
                AddSearchAttributesRequest(namespace=namespace, search_attributes=missing)
            )
        except RPCError as err:
            # another process may have added them meanwhile
            if err.status != RPCStatusCode.ALREADY_EXISTS:
                raise
        log.info("search attributes added", namespace=namespace, names=",".join(sorted(missing)))
    return sorted(missing)


async def describe_namespace(client: Client, namespace: str) -> DescribeNamespaceResponse:
    """Raises RPCError NOT_FOUND while the namespace does not exist (yet)."""
    return await client.workflow_service.describe_namespace(
        DescribeNamespaceRequest(namespace=namespace)
    )


async def namespace_retention(client: Client, namespace: str) -> timedelta:
    response = await describe_namespace(client, namespace)
    return response.config.workflow_execution_retention_ttl.ToTimedelta()


async def ensure_retention(
    client: Client, namespace: str, retention: timedelta = AUDIT_RETENTION
) -> timedelta:
    """Set the namespace's retention of closed workflows; returns what the server now reports."""
    if await namespace_retention(client, namespace) != retention:
        ttl = Duration()
        ttl.FromTimedelta(retention)
        await client.workflow_service.update_namespace(
            UpdateNamespaceRequest(
                namespace=namespace,
                config=NamespaceConfig(workflow_execution_retention_ttl=ttl),
            )
        )
    effective = await namespace_retention(client, namespace)
    if effective != retention:
        raise NamespaceSetupError(
            f"namespace {namespace!r} kept retention {effective} after asking for {retention}"
        )
    log.info("namespace retention", namespace=namespace, days=effective.days)
    return effective
