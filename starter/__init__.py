"""How backends and people start and read incidents: the Python API and the `yuqing` CLI."""
