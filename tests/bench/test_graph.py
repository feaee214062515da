"""Follow graphs and datasets: Reed98 as DSB uses it, and the seeded synthetic power law."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from godwit.bench.dataset import TEXT_CHARS, DatasetSpec, build, status_text
from godwit.bench.graph import FollowGraph, load_edge_list, probe_authors, synthetic
from tests.support.openapi import REPO_ROOT, require_shared

REED98 = REPO_ROOT / ".." / "shared" / "datasets" / "socfb-Reed98.edges"


@pytest.fixture(scope="module")
def reed98() -> FollowGraph:
    if not REED98.is_file():
        if require_shared():
            pytest.fail(f"{REED98} is missing but GODWIT_TEST_REQUIRE_SHARED=1 (CI)")
        pytest.skip(f"{REED98} is not here (a clone without ../shared)")
    return load_edge_list(REED98)


def _is_simple(graph: FollowGraph) -> bool:
    edges = list(graph.edges())
    return len(set(edges)) == len(edges) and all(a != b for a, b in edges)


def test_reed98_made_symmetric_is_the_dsb_baseline(reed98: FollowGraph) -> None:
    # Spec tier S: 962 members, 18,812 friendships followed both ways = 37,624 follows.
    assert reed98.members == 962
    assert len(reed98) == 37_624
    assert _is_simple(reed98)
    counts = reed98.follower_counts()
    assert max(counts) == 313
    assert statistics.median(counts) == 29
    edges = set(reed98.edges())
    assert all((b, a) in edges for a, b in edges)


def test_an_edge_list_can_stay_directed_and_is_renumbered(tmp_path: Path) -> None:
    path = tmp_path / "g.edges"
    path.write_text("% a comment\n10 20\n20 30\n30 30\n10 20\n")
    graph = load_edge_list(path, symmetric=False)
    assert graph.members == 3
    assert list(graph.edges()) == [(0, 1), (1, 2)]  # self-loop and duplicate dropped


def test_synthetic_graph_is_deterministic_for_a_seed() -> None:
    one = synthetic(3000, seed=5, mean_out=20)
    two = synthetic(3000, seed=5, mean_out=20)
    other = synthetic(3000, seed=6, mean_out=20)
    assert list(one.edges()) == list(two.edges())
    assert one.roles == two.roles
    assert list(one.edges()) != list(other.edges())


def test_synthetic_graph_has_the_planted_celebrity_popular_and_probe_accounts() -> None:
    members = 20_000
    graph = synthetic(members, seed=1, probes=(10, 1000, 10_000))
    assert _is_simple(graph)
    counts = graph.follower_counts()
    roles = graph.roles
    celebrity = [m for m, role in roles.items() if role == "celebrity"]
    popular = [m for m, role in roles.items() if role == "popular"]
    assert len(celebrity) == 1
    assert len(popular) == 10
    assert counts[celebrity[0]] == members // 10  # 10 % of the members
    assert all(counts[m] == members // 100 for m in popular)  # 1 % each
    for wanted in (10, 1000, 10_000):
        (probe,) = [m for m, role in roles.items() if role == f"probe:{wanted}"]
        assert counts[probe] == wanted
    # Lognormal out-degree with mean 40 (plus the planted follows, 2.1 per member).
    assert 38 < len(graph) / members < 46
    # Skewed below the planted accounts: the most followed tenth of ordinary members has
    # about twice its share of follows (uniform choice would give it 10 %), and none
    # reaches a popular account's count.
    ordinary = sorted((counts[m] for m in range(members) if m not in roles), reverse=True)
    top_tenth = sum(ordinary[: len(ordinary) // 10]) / sum(ordinary)
    assert 0.18 < top_tenth < 0.5
    assert ordinary[0] < members // 100


def test_probe_authors_prefer_planted_accounts_else_the_closest_count(
    reed98: FollowGraph,
) -> None:
    graph = synthetic(2000, seed=3, mean_out=10, probes=(10, 1000))
    chosen = probe_authors(graph, [10, 1000])
    assert [(want, count) for want, _, count in chosen] == [(10, 10), (1000, 1000)]
    assert graph.roles[chosen[1][1]] == "probe:1000"
    # Reed98 has no 1k-follower member: the closest ones stand in, never the same twice.
    stand_ins = probe_authors(reed98, [10, 1000, 10_000])
    assert stand_ins[0][2] == 10
    assert stand_ins[1][2] == 313
    assert len({member for _, member, _ in stand_ins}) == 3


def test_tiny_synthetic_graphs_still_work() -> None:
    graph = synthetic(12, seed=1, mean_out=3, probes=(10,))
    assert _is_simple(graph)
    assert graph.follower_counts()[next(iter(k for k, v in graph.roles.items() if "probe" in v))]
    with pytest.raises(ValueError, match="at least 3"):
        synthetic(2, seed=1)


def test_dataset_is_rebuilt_identically_from_its_spec() -> None:
    spec = DatasetSpec(members=200, mean_out=8, posts=50, seed=4, probes=(10,))
    again = DatasetSpec.from_dict(spec.as_dict())
    assert again == spec
    one, two = build(spec), build(again)
    assert one.posts == two.posts
    assert one.active == two.active
    assert len(one.active) == 40  # a fifth of the members act
    assert one.usernames[7] == "bench7"
    assert one.email(7) == "bench7@bench.invalid"


def test_post_text_has_the_dsb_shape() -> None:
    import random

    rng = random.Random(2)
    usernames = [f"bench{n}" for n in range(100)]
    texts = [status_text(rng, usernames, author=0) for _ in range(300)]
    for text in texts:
        mentions = [word for word in text.split() if word.startswith("@")]
        links = [word for word in text.split() if word.startswith("https://")]
        assert len(mentions) <= 3
        assert "@bench0" not in mentions
        assert len(links) <= 2
        assert all(len(link) == len("https://bench.invalid/") + 64 for link in links)
        assert len(text) <= 500  # Mastodon's default limit
        plain = [w for w in text.split() if w not in mentions and w not in links]
        assert TEXT_CHARS - 12 <= len(" ".join(plain)) <= TEXT_CHARS
    assert any("@" in text for text in texts)
    assert any("https://" in text for text in texts)
