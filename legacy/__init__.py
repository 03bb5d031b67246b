"""The incident shell of workflow versions 1–5, frozen (旧版外壳).

It serves the incidents opened under those versions, and replays their recorded
histories, until the last one has closed: then delete this package and the seam that
chooses it (``workflows.incident.IncidentWorkflow.__init__``, ``domain.workflow_versions``).
Nothing here changes behaviour; a new incident, and the next run of a continued one,
take the one run loop of version 6 (``workflows.loop``).
"""
