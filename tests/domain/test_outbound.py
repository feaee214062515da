"""Where the server may connect for a URL a user chose (push endpoints, links): the one
set of address rules both callers share."""

from __future__ import annotations

import pytest

from godwit.domain.outbound import address_allowed, is_loopback_name


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700::1111", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("2002:808:808::1", True),  # 6to4 of a public address
        ("127.0.0.1", False),
        ("127.255.0.9", False),
        ("::1", False),
        ("::ffff:127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.31.255.255", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("fe80::1%eth0", False),
        ("fec0::1", False),  # deprecated site-local (not excluded by is_global)
        ("fd12:3456::1", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address under test, not a bind
        ("::", False),
        ("224.0.0.251", False),
        ("ff02::1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("2002:a00:1::", False),  # 6to4 of 10.0.0.1
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo, documentation client
        ("not an address", False),
    ],
)
def test_only_public_unicast_addresses_are_allowed(address: str, public: bool) -> None:
    assert address_allowed(address, allow_loopback=False) is public


def test_the_loopback_flag_opens_loopback_and_nothing_else() -> None:
    assert address_allowed("127.0.0.1", allow_loopback=True)
    assert address_allowed("::1", allow_loopback=True)
    assert address_allowed("::ffff:127.0.0.1", allow_loopback=True)
    refused = ("10.0.0.1", "169.254.169.254", "192.168.1.1", "fd00::1", "0.0.0.0",  # noqa: S104
               "fe80::1%eth0", "224.0.0.1", "2002:a00:1::", "not an address")  # fmt: skip
    for address in refused:
        assert not address_allowed(address, allow_loopback=True), address


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("localhost", True), ("LOCALHOST.", True), ("api.localhost", True),
     ("localhost.example", False), ("notlocalhost", False), ("127.0.0.1", False)],
)  # fmt: skip
def test_localhost_names_are_loopback_by_name(host: str, loopback: bool) -> None:
    # Literal addresses are judged by address_allowed, not by name.
    assert is_loopback_name(host) is loopback
