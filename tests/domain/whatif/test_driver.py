"""The what-if driver waits as the shell that served the incident did."""

from domain.whatif import driver
from legacy import versions as legacy_versions
from workflows import versions


def test_the_driver_knows_the_shells_version_markers():
    # A start naming an older version that the one run loop served records this marker;
    # the driver then times the nearest deadline as it stands, as the loop does.
    assert driver.ONE_RUN_LOOP_MARKER == versions.ONE_RUN_LOOP_PATCH
    assert driver.NEAREST_DEADLINE_ONLY == legacy_versions.NEAREST_DEADLINE_ONLY
