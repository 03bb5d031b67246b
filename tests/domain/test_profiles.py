"""SPEC §4: every window of every profile, its value, source and statutory flag."""

import pytest

from domain.profiles import PROFILES, Applicability, LocalDefaults, ProfileName, WindowId, profile_for

STATUTORY = {
    # profile: {window: hours}, straight from the seeds
    "national-2016": {WindowId.PRESS: 24, WindowId.RESP: 48},
    "liuzhou-2017": {WindowId.FACTS: 1, WindowId.PRESS: 24, WindowId.RESP: 48},
    "nantong-2017": {WindowId.AUTH: 5, WindowId.PRESS: 24, WindowId.RESP: 48},
}


def test_every_profile_has_its_row_from_the_source_documents():
    """A new profile is not done until its statutory windows are written out above, read
    from its document rather than from the profile under test."""
    assert set(STATUTORY) == {name.value for name in ProfileName}


@pytest.mark.parametrize("name", list(STATUTORY))
def test_statutory_windows_match_the_seeds(name):
    profile = profile_for(name)
    assert {r.window: r.hours for r in profile.statutory_windows} == STATUTORY[name]
    assert all(r.statutory and r.source and r.quote for r in profile.statutory_windows)


@pytest.mark.parametrize("name", list(STATUTORY))
def test_local_defaults_are_marked_not_statutory(name):
    rules = profile_for(name).rules(LocalDefaults())
    local = [r for r in rules if r.window in
             (WindowId.ACK, WindowId.HANDLE, WindowId.CONT, WindowId.ANALYZE, WindowId.BACKFILL)]
    assert local and all(not r.statutory and "本地默认" in r.source for r in local)


def test_w_backfill_only_where_004_assigns_by_phone():
    defaults = LocalDefaults()
    assert profile_for("nantong-2017").rule(WindowId.BACKFILL, defaults) is not None
    assert profile_for("national-2016").rule(WindowId.BACKFILL, defaults) is None
    assert profile_for("liuzhou-2017").rule(WindowId.BACKFILL, defaults) is None


def test_local_defaults_are_overridable():
    rules = profile_for("national-2016").rules(LocalDefaults(ack_hours=4, handling_hours=120))
    by_id = {r.window: r.hours for r in rules}
    assert by_id[WindowId.ACK] == 4 and by_id[WindowId.HANDLE] == 120


def test_local_defaults_refuse_nonsense():
    with pytest.raises(ValueError):
        LocalDefaults(ack_hours=0)
    with pytest.raises(ValueError):
        LocalDefaults(unknown=1)


def test_every_profile_name_is_registered():
    assert set(PROFILES) == set(ProfileName)


def test_every_entry_says_where_it_runs_from_and_who_owes_it():
    """An incident's window names functions that start and assign it; one per assignment
    (交办单) is planned with its assignment (domain/windows.py) and names only words."""
    per_assignment = {Applicability.EVERY_ASSIGNMENT, Applicability.EMERGENCY_ASSIGNMENT}
    for profile in PROFILES.values():
        for rule in profile.rules(LocalDefaults()):
            incident_window = rule.applies_to not in per_assignment
            assert (rule.runs_from.start is not None) == incident_window, rule.window
            assert (rule.owed_by.owners is not None) == incident_window, rule.window
            assert rule.runs_from.text and rule.owed_by.text


def test_a_copied_profile_derives_its_climbing_windows_afresh():
    # climbing and met_by_messages are derived once per profile; a copy being written
    # (a window changed) must not keep the original's
    profile = profile_for(ProfileName.NANTONG_2017)
    first = profile.statutory_windows[0]
    before = profile.climbing
    flipped = first.model_copy(update={"climbs": not first.climbs})
    copy = profile.model_copy(update={"statutory_windows": (flipped,
                                                            *profile.statutory_windows[1:])})
    assert (first.window in copy.climbing) != (first.window in before)
    assert profile.climbing == before
