"""Per-IP rate limits count an IPv6 client by its /64, as Mastodon's Rack::Attack does."""

from __future__ import annotations

import httpx

from godwit.app import Components, build_app
from godwit.config import Settings


async def test_addresses_in_one_ipv6_64_share_the_unauthenticated_bucket(
    settings: Settings,
) -> None:
    app = build_app(
        settings.replace(
            rate_limits_enabled=True,
            run_jobs_in_process=False,
            rate_limit_requests=2,
            rate_limit_window=300,
            trusted_proxy_count=1,
        )
    )
    components: Components = app.state.components
    await components.start()
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://godwit.test"
        ) as http:
            statuses = []
            for host in ("2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:ffff::9"):
                response = await http.get(
                    "/api/v1/no-such-endpoint", headers={"X-Forwarded-For": host}
                )
                statuses.append(response.status_code)
            elsewhere = await http.get(
                "/api/v1/no-such-endpoint", headers={"X-Forwarded-For": "2001:db8:5:7::1"}
            )
    finally:
        await components.stop()
    assert statuses == [404, 404, 429]
    assert elsewhere.status_code == 404
