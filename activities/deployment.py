"""The worker's own configuration, read when an incident opens (a local activity).

The roster and local defaults come from where the worker runs (``$YUQING_HOME/yuqing.toml``
or ``YUQING_CONFIG``; ``deploy/yuqing.toml`` in compose), never from the sender. A file
that cannot be read fails the activity, which is retried: the incident waits for a
fixed configuration instead of opening with a wrong roster.
"""

import asyncio

from temporalio import activity

from domain.engine.opening import DEPLOYMENT_SETTINGS, DeploymentSettings
from domain.profiles import LocalDefaults
from domain.roster import Roster
from settings.config_file import config_path, read_table



@activity.defn(name=DEPLOYMENT_SETTINGS)
async def deployment_settings() -> DeploymentSettings:
    return await asyncio.to_thread(read_deployment_settings)


def read_deployment_settings() -> DeploymentSettings:
    path = config_path()
    return DeploymentSettings(roster=read_table(path, "roster", Roster),
                              local_defaults=read_table(path, "local_defaults", LocalDefaults),
                              source=str(path) if path.exists() else "")
