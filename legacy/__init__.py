"""The incident shell of workflow versions 1–5, frozen (旧版外壳).

It serves the incidents opened under those versions, and replays their recorded
histories, until the last one has closed: then delete this package and the one check
in ``workflows.incident.IncidentWorkflow.__init__`` that chooses it (the versions stay
in ``domain.workflow_versions``: the loop and the what-if read them). Nothing here
changes behaviour, and it imports nothing of ``workflows``; a new incident, and the next
run of a continued one, take the one run loop (``workflows.loop``). Some of it repeats
what the loop has in its own way (``legacy.resting`` beside ``domain.engine.resting``):
deliberately, since sharing would make a change to the loop a change to this shell too.
"""
