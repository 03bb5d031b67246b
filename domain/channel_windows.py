"""Which windows a public response meets (SPEC §4, §6), by channel and rules version."""

from domain.vocabulary import Channel
from domain.profiles import WindowId

# Rules version 1: any public response meets W-RESP; only a press conference meets
# W-PRESS; a briefing or an interview did not count as an authoritative release.
WINDOWS_MET_BY_CHANNEL: dict[Channel, frozenset[WindowId]] = {
    Channel.FACTS_RELEASE: frozenset({WindowId.RESP, WindowId.FACTS}),
    Channel.AUTHORITATIVE_RELEASE: frozenset(
        {WindowId.RESP, WindowId.FACTS, WindowId.AUTH, WindowId.CONT}),
    Channel.PRESS_CONFERENCE: frozenset(
        {WindowId.RESP, WindowId.FACTS, WindowId.AUTH, WindowId.PRESS, WindowId.CONT}),
    Channel.BRIEFING: frozenset({WindowId.RESP, WindowId.FACTS, WindowId.CONT}),
    Channel.MEDIA_INTERVIEW: frozenset({WindowId.RESP}),
    Channel.EXPERT_INTERPRETATION: frozenset({WindowId.RESP}),
    Channel.PLATFORM_REPLY: frozenset({WindowId.RESP}),
}

# Rules version 2 (SPEC §4): any authoritative release meets W-AUTH and W-CONT,
# whatever its form; a press conference or briefing counts as one only with a
# department head or the spokesperson attending (000 三).
AUTHORITATIVE_CHANNELS = frozenset({
    Channel.AUTHORITATIVE_RELEASE, Channel.PRESS_CONFERENCE, Channel.BRIEFING,
    Channel.MEDIA_INTERVIEW})
ATTENDED_CHANNELS = frozenset({Channel.PRESS_CONFERENCE, Channel.BRIEFING})
PUBLIC_REPLY_ONLY = frozenset({Channel.EXPERT_INTERPRETATION, Channel.PLATFORM_REPLY})


def windows_met_by_v1(channel: Channel, attended: bool | None) -> frozenset[WindowId]:
    """Rules version 1: by channel alone."""
    return WINDOWS_MET_BY_CHANNEL[channel]


def windows_met_by_v2(channel: Channel, attended: bool | None) -> frozenset[WindowId]:
    """Rules version 2 on: an authoritative release in any form, attended where it must be."""
    met = {WindowId.RESP}
    if channel not in PUBLIC_REPLY_ONLY:
        met.add(WindowId.FACTS)
    if channel in ATTENDED_CHANNELS and attended is False:
        return frozenset(met)  # no head or spokesperson: not an authoritative release
    if channel in AUTHORITATIVE_CHANNELS:
        met |= {WindowId.AUTH, WindowId.CONT}
    if channel == Channel.PRESS_CONFERENCE:
        met.add(WindowId.PRESS)
    return frozenset(met)
