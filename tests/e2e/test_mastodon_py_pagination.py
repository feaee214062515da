"""Pagination over 45 posts through Mastodon.py and raw Link headers: no gap, no duplicate."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Person, SignUp
from tests.support.waiting import eventually

POSTS = 45
PAGE = 10


@pytest.fixture(scope="module")
def poster_and_reader(sign_up: SignUp) -> tuple[Person, Person, list[str]]:
    poster, reader = sign_up("poster"), sign_up("pager")
    reader.api.account_follow(poster.account_id)
    posted = [str(poster.api.status_post(f"post number {n}")["id"]) for n in range(POSTS)]
    newest_first = list(reversed(posted))
    eventually(
        lambda: [str(s["id"]) for s in reader.api.timeline_home(limit=40)],
        lambda got: got[:1] == newest_first[:1],
        what="the newest post in the reader's home",
    )
    return poster, reader, newest_first


def walk_forward(api: Any, first_page: Any) -> tuple[list[str], list[Any]]:
    seen: list[str] = []
    pages = []
    page = first_page
    while page:
        pages.append(page)
        seen.extend(str(item["id"]) for item in page)
        page = api.fetch_next(page)
    return seen, pages


@pytest.mark.parametrize("surface", ["account_statuses", "home", "public_local"])
def test_fetch_next_then_fetch_previous_walks_every_post_once(
    poster_and_reader: tuple[Person, Person, list[str]], surface: str
) -> None:
    poster, reader, expected = poster_and_reader
    api = reader.api

    def first_page() -> Any:
        if surface == "account_statuses":
            return api.account_statuses(poster.account_id, limit=PAGE)
        if surface == "home":
            return api.timeline_home(limit=PAGE)
        return api.timeline_public(local=True, limit=PAGE)

    seen, pages = walk_forward(api, first_page())
    ours = [status_id for status_id in seen if status_id in set(expected)]
    if surface == "public_local":
        # Other modules' members may post too; ours must still come in order, all of them.
        assert ours == expected
    else:
        assert seen == expected
    assert len(seen) == len(set(seen)), "a duplicate across pages"
    assert all(len(page) <= PAGE for page in pages)

    # Walk back up from the oldest page with fetch_previous.
    backwards: list[str] = []
    page = pages[-1]
    while page:
        backwards = [str(item["id"]) for item in page] + backwards
        page = api.fetch_previous(page)
    assert [s for s in backwards if s in set(expected)] == expected


def test_explicit_max_id_since_id_and_min_id(
    poster_and_reader: tuple[Person, Person, list[str]],
) -> None:
    poster, reader, expected = poster_and_reader

    def page(**params: Any) -> list[str]:
        got = reader.api.account_statuses(poster.account_id, **params)
        return [str(item["id"]) for item in got]

    pivot = expected[20]
    assert page(max_id=pivot, limit=5) == expected[21:26]
    assert page(since_id=pivot, limit=5) == expected[:5]  # newest above the pivot
    assert page(min_id=pivot, limit=5) == expected[15:20]  # just above the pivot
    assert page(min_id=expected[2]) == expected[:2]
    assert page(max_id=expected[-1]) == []
    assert page(since_id=expected[0]) == []
    assert page(max_id=expected[10], since_id=expected[14]) == expected[11:14]
    assert page(limit=100) == expected[:40]  # Mastodon caps statuses pages at 40


def test_the_link_header_is_mastodons(
    poster_and_reader: tuple[Person, Person, list[str]], http: httpx.Client
) -> None:
    poster, reader, expected = poster_and_reader
    response = http.get(
        f"/api/v1/accounts/{poster.account_id}/statuses",
        params={"limit": 5, "exclude_replies": "true"},
        headers=reader.headers,
    )
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == expected[:5]
    links = response.links
    next_url, prev_url = links["next"]["url"], links["prev"]["url"]
    assert f"max_id={expected[4]}" in next_url
    assert f"min_id={expected[0]}" in prev_url
    assert "limit=5" in next_url
    assert "exclude_replies=true" in next_url
    following = http.get(next_url, headers=reader.headers)
    assert [s["id"] for s in following.json()] == expected[5:10]
    assert http.get(prev_url, headers=reader.headers).json() == []
