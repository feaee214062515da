"""The load generator's HTTP/1.1 client, against a scripted asyncio server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from godwit.bench.wire import Pool, ProtocolError

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
ANSWERS = {
    "/length": OK,
    "/chunked": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\nTrailer: x\r\n\r\n"
    ),
    "/empty": b"HTTP/1.1 204 No Content\r\n\r\n",
    "/interim": b"HTTP/1.1 100 Continue\r\n\r\n" + OK,
    "/close": b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye",
    "/until-close": b"HTTP/1.0 200 OK\r\n\r\nread to the end",
    "/garbage": b"SPDY/9 200 OK\r\n\r\n",
    "/missing": b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}",
}


@dataclass
class Server:
    port: int = 0
    connections: int = 0
    open_now: int = 0
    most_open: int = 0
    requests: list[tuple[str, bytes]] = field(default_factory=list)
    delay: float = 0.0
    close_after_each: bool = False  # drop keep-alive connections silently, as servers do

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request_line, *lines = head.decode().split("\r\n")
                path = request_line.split(" ")[1]
                length = next(
                    (int(v) for k, _, v in (x.partition(":") for x in lines)
                     if k.lower() == "content-length"),
                    0,
                )  # fmt: skip
                body = await reader.readexactly(length)
                self.requests.append((request_line + "|" + head.decode(), body))
                if path == "/silent":
                    await asyncio.sleep(10)
                await asyncio.sleep(self.delay)
                answer = ANSWERS.get(path.split("?")[0], OK)
                writer.write(answer)
                await writer.drain()
                if self.close_after_each or path in ("/close", "/until-close"):
                    return
        finally:
            self.open_now -= 1
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    state = Server()
    listener = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield state
        listener.close()


def pool(server: Server, **options: float) -> Pool:
    return Pool(
        f"http://127.0.0.1:{server.port}",
        connections=int(options.get("connections", 4)),
        timeout=options.get("timeout", 5.0),
    )


async def test_bodies_by_length_chunks_and_close(server: Server) -> None:
    http = pool(server)
    assert (await http.request("GET", "/length")).body == b"hello"
    assert (await http.request("GET", "/chunked")).body == b"Wikipedia "
    empty = await http.request("GET", "/empty")
    assert (empty.status, empty.body, empty.ok) == (204, b"", True)
    assert (await http.request("GET", "/interim")).body == b"hello"
    missing = await http.request("GET", "/missing")
    assert (missing.status, missing.ok) == (404, False)
    assert server.connections == 1  # all on one keep-alive connection
    assert (await http.request("GET", "/close")).body == b"bye"
    assert (await http.request("GET", "/until-close")).body == b"read to the end"
    assert (await http.request("GET", "/length")).body == b"hello"
    assert server.connections == 3  # a new one after each server-side close
    await http.close()


async def test_requests_carry_host_query_headers_and_form(server: Server) -> None:
    http = pool(server)
    await http.request(
        "POST",
        "/form",
        params={"limit": 20},
        headers={"Authorization": "Bearer t"},
        form={"status": "hé & co"},
    )
    head, body = server.requests[-1]
    assert head.startswith("POST /form?limit=20 HTTP/1.1|")
    assert f"Host: 127.0.0.1:{server.port}" in head
    assert "Authorization: Bearer t" in head
    assert "Content-Type: application/x-www-form-urlencoded" in head
    assert body == b"status=h%C3%A9+%26+co"
    await http.request("POST", "/no-body")
    assert "Content-Length: 0" in server.requests[-1][0]
    await http.close()


async def test_the_pool_never_opens_more_than_its_connections(server: Server) -> None:
    server.delay = 0.05
    http = pool(server, connections=3)
    answers = await asyncio.gather(*(http.request("GET", "/length") for _ in range(20)))
    assert all(answer.ok for answer in answers)
    assert http.opened == 3
    assert server.most_open == 3
    await http.close()


async def test_a_connection_the_server_dropped_while_idle_is_replaced(server: Server) -> None:
    server.close_after_each = True
    http = pool(server)
    for _ in range(3):
        assert (await http.request("GET", "/length")).body == b"hello"
    assert server.connections == 3
    assert len(server.requests) == 3  # each request was answered once
    await http.close()


async def test_timeouts_and_protocol_errors_raise(server: Server) -> None:
    http = pool(server, timeout=0.2)
    with pytest.raises(TimeoutError):
        await http.request("GET", "/silent")
    with pytest.raises(ProtocolError):
        await http.request("GET", "/garbage")
    assert (await http.request("GET", "/length")).ok  # the pool still works
    await http.close()


def test_only_http_urls() -> None:
    with pytest.raises(ValueError, match="not an http"):
        Pool("ftp://example.org", connections=1)
    secure = Pool("https://example.org/base/", connections=1)
    assert (secure.port, secure.host_header, secure.prefix) == (443, "example.org", "/base")
