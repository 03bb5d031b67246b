"""政策推演 (what-if): a past month replayed under proposed settings, as the 通报 it would give.

``inputs`` reads what arrived at each incident from its history; ``driver`` runs those
inputs through the procedure again, deadlines between; ``settings`` checks a proposal
against the configuration's own limits; ``compare`` builds both bulletins and says what
changed and why. Pure: no server, no clock, no I/O (the shell reads the histories).
"""
