"""Processes that host the workflows: client connection, worker, embedded dev server; and
the audit library they share with ``yuqing audit`` (``workers.audit``)."""
