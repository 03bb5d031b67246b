"""What this deployment configured, read by every process that needs it: the data directory
(``home``), the configuration file (``config_file``), the payload keys and the converter
they make (``keys``), files at rest sealed with those keys (``sealed_files``).

Below the activities, the workers and the starter; above ``temporal`` (it builds the codec).
"""
