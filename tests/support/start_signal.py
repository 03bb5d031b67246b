"""A client whose signal-with-start sends another signal than the starter's ``add_report``.

``starter.api.report_incident`` runs unchanged; only the signal that rides with the start
is another (an unknown name, as the UI's "Send a Signal" or a backend's misspelling may send
while the incident is still reading its deployment's settings).
"""

import dataclasses
from typing import Any

from temporalio.client import (
    Client, Interceptor, OutboundInterceptor, StartWorkflowInput, WorkflowHandle,
)


def with_start_signal(client: Client, name: str, payload: Any) -> Client:
    """``client``, its starts' signal replaced by ``name`` carrying ``payload``."""
    config = client.config()
    config["interceptors"] = [*config["interceptors"], _StartSignal(name, payload)]
    return Client(**config)


class _StartSignal(Interceptor):
    def __init__(self, name: str, payload: Any) -> None:
        self.name, self.payload = name, payload

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Outbound(next, self)


class _Outbound(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, signal: _StartSignal) -> None:
        super().__init__(next)
        self.signal = signal

    async def start_workflow(self, input: StartWorkflowInput) -> WorkflowHandle[Any, Any]:
        if input.start_signal is not None:
            input = dataclasses.replace(input, start_signal=self.signal.name,
                                        start_signal_args=[self.signal.payload])
        return await super().start_workflow(input)
