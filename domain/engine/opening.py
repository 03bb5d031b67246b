"""立案 (opening an incident): the engine's door to the paragraphs that open one.

The shell, the starter, the what-if and the settings activity open an incident through
here, never by naming a paragraph: ``collection`` checks the start and records the first
report, ``deployment`` refuses settings a start carries and adopts the deployment's
(``open_with_settings``: both, in order, as the run loop opens an incident). The messages
and what falls due go through ``engine.registry``.
"""

from domain.engine.step import Context, Effect, IncidentState
from domain.messages import IncidentStart
from domain.procedure.collection import CLOCK_SKEW, new_incident, open_incident, validate_start
from domain.procedure.deployment import (
    DEPLOYMENT_SETTINGS, DeploymentSettings, adopt_settings, refuse_carried_settings,
)
from domain.status import RejectedInput

__all__ = [
    "CLOCK_SKEW", "DEPLOYMENT_SETTINGS", "DeploymentSettings", "adopt_settings", "new_incident",
    "open_incident", "open_with_settings", "refuse_carried_settings", "validate_start",
]


def open_with_settings(state: IncidentState, settings: DeploymentSettings, start: IncidentStart,
                       ctx: Context) -> tuple[list[Effect], list[RejectedInput]]:
    """立案 on the deployment's settings: adopted, then the first report recorded (and a 研判
    sent with it taken). Its effects, and the refusals recorded meanwhile: a 研判 sent with the
    start may be refused, and the incident opens all the same."""
    adopt_settings(state, settings, ctx)
    refused_before = len(state.status.rejected_inputs)
    effects = open_incident(state, start, ctx)
    return effects, state.status.rejected_inputs[refused_before:]
