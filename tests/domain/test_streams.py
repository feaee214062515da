"""Stream names, their channels, which events each carries, and the event wire format."""

from __future__ import annotations

import pytest

from godwit.domain.streaming import (
    CONVERSATION,
    DELETE,
    DELETES,
    FILTERS_CHANGED,
    FOLLOWS_CHANGED,
    NOTIFICATION,
    PUBLIC,
    STATUS_UPDATE,
    UPDATE,
    StreamEvent,
    author_channel,
    author_of_channel,
    direct_channel,
    list_channel,
    status_events,
    user_channel,
)
from godwit.domain.streams import StreamError, StreamKey, stream_key


def test_stream_names_parse_with_their_parameters() -> None:
    assert stream_key("list", None, "42") == StreamKey("list", list_id=42)
    assert stream_key("list", None, 42).frame_name == ["list", "42"]
    assert stream_key("hashtag", "#Cats").frame_name == ["hashtag", "Cats"]
    assert stream_key("public:remote:media").only_media
    assert stream_key("direct").needs_user
    assert not stream_key("public:media").needs_user
    for name, param, message in (
        ("list", None, "Missing list name parameter"),
        ("list", "abc", "Invalid list id"),
        ("list", "0", "Invalid list id"),
        ("list", "³", "Invalid list id"),  # a digit to str.isdigit(), not to int()
        ("public:nonsense", None, "Unknown stream type"),
    ):
        with pytest.raises(StreamError, match=message):
            stream_key(name, None, param)


def test_each_stream_listens_on_its_channels() -> None:
    assert StreamKey("list", list_id=7).channels(1) == [list_channel(7), DELETES]
    assert StreamKey("direct").channels(1) == [direct_channel(1), DELETES]
    assert StreamKey("public:local:media").channels(None) == ["public:local", DELETES]
    assert StreamKey("user:notification").channels(1) == [user_channel(1)]


def event(channel: str, name: str) -> StreamEvent:
    return StreamEvent(channel, name, 1)


def test_which_events_each_stream_carries() -> None:
    user, notes = StreamKey("user"), StreamKey("user:notification")
    direct, public = StreamKey("direct"), StreamKey("public:media")
    listed = StreamKey("list", list_id=7)
    mine = user_channel(1)
    assert all(user.carries(event(mine, e), 1) for e in (UPDATE, STATUS_UPDATE, FILTERS_CHANGED))
    assert not notes.carries(event(mine, FILTERS_CHANGED), 1)
    assert notes.carries(event(mine, NOTIFICATION), 1)
    assert not notes.carries(event(DELETES, DELETE), 1)
    assert direct.carries(event(direct_channel(1), CONVERSATION), 1)
    assert not direct.carries(event(direct_channel(2), CONVERSATION), 1)
    assert public.carries(event(PUBLIC, STATUS_UPDATE), None)
    assert listed.carries(event(author_channel(5), UPDATE), 1)
    assert not public.carries(event(author_channel(5), UPDATE), None)
    assert not user.carries(event(mine, FOLLOWS_CHANGED), 1)  # internal, never sent


def test_events_round_trip_and_bad_wire_data_is_dropped() -> None:
    merged = StreamEvent(author_channel(9), UPDATE, 3, merged=True)
    assert StreamEvent.decode(merged.channel, merged.encode()) == merged
    assert author_of_channel(author_channel(9)) == 9
    assert author_of_channel("author:x") is None
    for raw in (b"[]", b"{}", b'{"event":"nope","id":1}', b'{"event":"update","id":true}', b"\xff"):
        assert StreamEvent.decode(PUBLIC, raw) is None


def test_an_edit_goes_to_the_public_streams_as_status_update() -> None:
    events = status_events(
        5,
        author_local=True,
        public=True,
        replies_to_other=False,
        tags=("Cats",),
        event=STATUS_UPDATE,
    )
    assert {(e.channel, e.event) for e in events} == {
        ("public", STATUS_UPDATE),
        ("public:local", STATUS_UPDATE),
        ("hashtag:cats", STATUS_UPDATE),
        ("hashtag:local:cats", STATUS_UPDATE),
    }
