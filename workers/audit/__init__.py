"""The audit library (审计), what ``yuqing audit`` runs — not a process of its own.

- ``history_sources``: where each history comes from (an archived file, checked against
  the manifest, or the server) and how it is read.
- ``replay_pool``: replaying histories on every core from 10,000 events, else three
  replayers side by side in one process.
- ``replay``: each history replayed, its verdict, and the status it reaches.
- ``request_records``: who sent each request (请求来源): the typed actor, the verified
  principal, the client's identity.
"""
