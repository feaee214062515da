"""The client address behind trusted proxies, and the key per-IP limits count on."""

from __future__ import annotations

from godwit.domain.client_address import forwarded_client, limit_subject


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() -> None:
    assert forwarded_client("203.0.113.9", "198.51.100.1", 0) == "198.51.100.1"
    assert forwarded_client("", None, 0) == "unknown"


def test_only_the_entries_added_by_trusted_proxies_are_believed() -> None:
    # The client forged the first entry; our one proxy appended the real address.
    header = "10.0.0.1, 203.0.113.9"
    assert forwarded_client(header, "127.0.0.1", 1) == "203.0.113.9"
    assert forwarded_client(header, "127.0.0.1", 2) == "10.0.0.1"


def test_a_header_shorter_than_the_trusted_chain_falls_back_to_the_peer() -> None:
    assert forwarded_client(" , 203.0.113.9", "127.0.0.1", 2) == "127.0.0.1"


def test_an_entry_that_is_not_an_address_is_not_believed() -> None:
    # It would become a rate-limit key and the stored sign-up IP (a 64-character column).
    assert forwarded_client("x" * 500, "198.51.100.1", 1) == "198.51.100.1"
    assert forwarded_client("203.0.113.9\x00", "198.51.100.1", 1) == "198.51.100.1"
    assert forwarded_client("2001:DB8::1", "198.51.100.1", 1) == "2001:db8::1"


def test_ipv6_clients_count_by_their_64_and_ipv4_ones_by_address() -> None:
    one = limit_subject("2001:db8:1:2:aaaa::1")
    other = limit_subject("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert one == other == "2001:db8:1:2::/64"
    assert limit_subject("2001:db8:1:3::1") != one
    assert limit_subject("203.0.113.9") == "203.0.113.9"
    assert limit_subject("::ffff:203.0.113.9") == "203.0.113.9"
    assert limit_subject("unknown") == "unknown"
