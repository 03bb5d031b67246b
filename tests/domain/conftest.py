import sys
from pathlib import Path

# Lets domain tests import their builders module by name.
sys.path.insert(0, str(Path(__file__).parent))
