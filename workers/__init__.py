"""Processes that host the workflows: client connection, worker, embedded dev server; and
the audit library ``yuqing audit`` runs (``workers.audit``), which no process here imports."""
