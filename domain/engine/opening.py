"""立案 (opening an incident): the engine's door to the paragraphs that open one.

The shell, the starter, the what-if and the settings activity open an incident through
here, never by naming a paragraph: ``collection`` checks the start and records the first
report, ``deployment`` refuses settings a start carries and adopts the deployment's. The
messages and what falls due go through ``engine.registry``.
"""

from domain.procedure.collection import CLOCK_SKEW, new_incident, open_incident, validate_start
from domain.procedure.deployment import (
    DEPLOYMENT_SETTINGS, DeploymentSettings, adopt_settings, refuse_carried_settings,
)

__all__ = [
    "CLOCK_SKEW", "DEPLOYMENT_SETTINGS", "DeploymentSettings", "adopt_settings", "new_incident",
    "open_incident", "refuse_carried_settings", "validate_start",
]
