"""A local web site for preview-card tests: a real HTTP server on loopback serving an
OpenGraph article, redirect chains, an oversized page, JSON, images (one carrying GPS
EXIF), and redirects towards addresses the fetcher must refuse. It counts the requests
each path received, so tests can tell a cached card from a fetched one, and can hold a
path's answers back (``hold``) to keep fetches in flight while jobs race.

``LoopbackOnlyBackend`` is a tripwire for the SSRF tests: the real network backend, except
that a connection to anything but loopback fails the test instead of leaving the machine,
so a refusal that stopped working can never send traffic to a private or public address.
"""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore

from tests.media.images import jpeg_with_gps

OVERSIZE_BYTES = 2 * 1024 * 1024
ARTICLE_TITLE = "Godwits fly 11,000 km non-stop"
ARTICLE_DESCRIPTION = "The bar-tailed godwit's autumn migration, tracked by satellite."


def article(title: str = ARTICLE_TITLE, image: str = "/photo.jpg") -> bytes:
    return f"""<!doctype html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:title" content="{title}">
<meta property="og:description" content="{ARTICLE_DESCRIPTION}">
<meta property="og:image" content="{image}">
<meta property="og:site_name" content="Shorebird News">
<meta property="og:type" content="video.other">
<meta name="author" content="Ann Ornithologist">
<meta property="article:published_time" content="2024-09-30T08:15:00Z">
<script>alert("never stored")</script>
</head><body><p>Unclosed <b>markup<div>everywhere</body></html>""".encode()


class PageServer:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.port = int(server.server_address[1])
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.lock = threading.Lock()
        self.pages = _pages(self.port)
        self.gates: dict[str, threading.Event] = {}

    def hold(self, path: str) -> threading.Event:
        """Requests for ``path`` wait (counted already) until the returned event is set."""
        gate = self.gates[path] = threading.Event()
        return gate

    def release_all(self) -> None:
        for gate in self.gates.values():
            gate.set()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hit(self, path: str, user_agent: str) -> None:
        with self.lock:
            self.hits[path] += 1
            self.user_agents.append(user_agent)


def _pages(port: int) -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    jpeg = {"Content-Type": "image/jpeg"}
    photo = jpeg_with_gps((1600, 800))
    head = article("Big page").split(b"</head>")[0] + b"</head><body>"
    return {
        "/article": (200, html, article()),
        "/untitled": (200, html, b"<html><head><meta name='x' content='y'></head></html>"),
        "/photo.jpg": (200, jpeg, photo),
        "/big": (200, html, head + b"<p>" + b"x" * OVERSIZE_BYTES + b"</p>"),
        "/big-late-title": (
            200,
            html,
            b"<html><body>" + b"y" * OVERSIZE_BYTES + article("Too late"),
        ),
        "/data.json": (200, {"Content-Type": "application/json"}, b'{"title": "no"}'),
        # 16 MB of zeros gzipped twice into a few hundred bytes: never to be decoded.
        "/gzip-bomb": (
            200,
            {**html, "Content-Encoding": "gzip, gzip"},
            gzip.compress(gzip.compress(bytes(16 * 1024 * 1024))),
        ),
        "/rot13": (200, {"Content-Type": "text/html; charset=rot13"}, article("Gvgyr")),
        "/year-one": (
            200,
            html,
            b"<html><head><title>Old</title><meta property='article:published_time' "
            b"content='0001-01-01T00:00:00+01:00'></head></html>",
        ),
        "/huge.jpg": (200, jpeg, b"\xff\xd8" + b"0" * OVERSIZE_BYTES),
        "/not-found": (404, html, b"<title>Missing</title>"),
        "/hop/1": (302, {"Location": "/article"}, b""),
        "/hop/2": (301, {"Location": "/hop/1"}, b""),
        "/hop/3": (307, {"Location": f"http://127.0.0.1:{port}/hop/2"}, b""),
        "/hop/4": (308, {"Location": "/hop/3"}, b""),
        "/to-private": (302, {"Location": "http://10.0.0.1/admin"}, b""),
        "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
        "/to-ipv6-loopback": (302, {"Location": f"http://[::1]:{port}/article"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/image-page": (
            200,
            html,
            article("An image page", image=f"http://127.0.0.1:{port}/photo.jpg"),
        ),
        "/bad-image-page": (200, html, article("Bad image", image="/to-metadata")),
    }


def _handler(ref: list[PageServer]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            site = ref[0]
            path = self.path.split("?", 1)[0]
            site.hit(path, self.headers.get("User-Agent", ""))
            gate = site.gates.get(path)
            if gate is not None:
                gate.wait(timeout=30)
            if path == "/slow":
                time.sleep(3)
            status, headers, body = site.pages.get(path, (404, {}, b"not here"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The fetcher may stop reading at its cap and close, as it should.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A fetcher hanging up after its cap is expected; anything else is reported.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve_pages() -> Iterator[PageServer]:
    """For a fixture: ``yield from serve_pages()``."""
    ref: list[PageServer] = []
    server = _QuietServer(("127.0.0.1", 0), _handler(ref))
    site = PageServer(server)
    ref.append(site)
    thread = threading.Thread(target=server.serve_forever, name="link-pages", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release_all()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class LoopbackOnlyBackend(httpcore.AnyIOBackend):
    """The real backend, refusing (loudly) to connect anywhere but loopback."""

    def __init__(self) -> None:
        self.connected: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if not ipaddress.ip_address(host).is_loopback:
            raise AssertionError(f"the guard let a connection to {host} through")
        self.connected.append(host)
        return await super().connect_tcp(host, port, timeout, local_address, socket_options)
