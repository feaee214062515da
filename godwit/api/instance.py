"""Instance metadata: /api/v1|v2/instance, rules, peers, activity, custom emojis, NodeInfo."""

from __future__ import annotations

import functools
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from godwit.api.context import services
from godwit.api.http import json_response
from godwit.domain.errors import NotFound
from godwit.entities.instance import (
    THUMBNAIL_PATH,
    render_activity,
    render_custom_emoji,
    render_instance,
    render_nodeinfo,
    render_rule,
    render_v1_instance,
)

NODEINFO_VERSIONS = ("2.0", "2.1")
_NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/{version}"


async def instance_v2(request: Request) -> Response:
    wired = services(request)
    document = render_instance(
        await wired.instance.info(),
        wired.settings,
        vapid_public_key=await wired.push.server_key(),
    )
    return json_response(document)


async def instance_v1(request: Request) -> Response:
    wired = services(request)
    return json_response(render_v1_instance(await wired.instance.info(), wired.settings))


async def instance_rules(request: Request) -> Response:
    rules = await services(request).instance.rules()
    return json_response([render_rule(rule) for rule in rules])


async def instance_peers(_request: Request) -> Response:
    # No federation yet, so no peers: an honest empty list.
    return json_response([])


async def instance_activity(request: Request) -> Response:
    return json_response(render_activity(await services(request).instance.weekly_activity()))


async def translation_languages(_request: Request) -> Response:
    # No translation engine (the instance says translation.enabled: false): no pairs.
    return json_response({})


async def custom_emojis(request: Request) -> Response:
    wired = services(request)
    emojis = await wired.instance.custom_emojis()
    return json_response([render_custom_emoji(emoji, wired.settings) for emoji in emojis])


async def nodeinfo_links(request: Request) -> Response:
    base = services(request).settings.base_url
    links = [
        {"rel": _NODEINFO_SCHEMA.format(version=version), "href": f"{base}/nodeinfo/{version}"}
        for version in NODEINFO_VERSIONS
    ]
    return json_response({"links": links})


async def nodeinfo(request: Request) -> Response:
    version = request.path_params["version"]
    if version not in NODEINFO_VERSIONS:
        raise NotFound()
    document = render_nodeinfo(
        await services(request).instance.info(), version, services(request).settings
    )
    response = json_response(document)
    schema = _NODEINFO_SCHEMA.format(version=version)
    response.headers["Content-Type"] = f'application/json; profile="{schema}#"'
    return response


@functools.cache
def _thumbnail_png() -> bytes:
    # Shipped as package data beside the web UI's static files (see pyproject.toml).
    return resources.files("godwit").joinpath("web/static/instance-thumbnail.png").read_bytes()


async def instance_thumbnail(_request: Request) -> Response:
    image = _thumbnail_png()
    return Response(
        image, media_type="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


routes: list[BaseRoute] = [
    Route("/api/v1/instance", instance_v1, methods=["GET"]),
    Route("/api/v2/instance", instance_v2, methods=["GET"]),
    Route("/api/v1/instance/rules", instance_rules, methods=["GET"]),
    Route("/api/v1/instance/peers", instance_peers, methods=["GET"]),
    Route("/api/v1/instance/activity", instance_activity, methods=["GET"]),
    Route("/api/v1/instance/translation_languages", translation_languages, methods=["GET"]),
    Route("/api/v1/custom_emojis", custom_emojis, methods=["GET"]),
    Route("/.well-known/nodeinfo", nodeinfo_links, methods=["GET"]),
    Route("/nodeinfo/{version}", nodeinfo, methods=["GET"]),
    Route(THUMBNAIL_PATH, instance_thumbnail, methods=["GET"]),
]
