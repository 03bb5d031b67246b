"""Processes that host the workflows: client connection, worker, embedded dev server."""
