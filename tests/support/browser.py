"""A tiny form-filling "browser" for the OAuth authorization-code flow in e2e tests.

It reads the HTML a person would see (the login form, then the consent form), copies every
hidden input (CSRF token included), types the login and password into the visible fields,
presses the approving button, and stops at the redirect that carries the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

APPROVE_WORDS = ("authori", "allow", "approve", "accept", "continue", "log in", "sign in")


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._button: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                Form(attributes.get("action", ""), attributes.get("method", "get").lower())
            )
        elif not self.forms:
            return
        elif tag == "input":
            if attributes.get("type", "text").lower() in ("submit", "button"):
                self.forms[-1].buttons.append({**attributes, "text": attributes.get("value", "")})
            else:
                self.forms[-1].inputs.append(attributes)
        elif tag == "button":
            self._button = {**attributes, "text": ""}
            self.forms[-1].buttons.append(self._button)

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._button = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def _fill(form: Form, login: str, password: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for element in form.inputs:
        name = element.get("name")
        if not name:
            continue
        kind = element.get("type", "text").lower()
        if kind == "password":
            data[name] = password
        elif kind in ("text", "email") and not element.get("value"):
            data[name] = login
        elif kind in ("checkbox", "radio"):
            if "checked" in element:
                data[name] = element.get("value", "on")
        else:
            data[name] = element.get("value", "")
    approving = [
        button
        for button in form.buttons
        if any(
            word in (button.get("text", "") + button.get("value", "")).lower()
            for word in APPROVE_WORDS
        )
    ] or form.buttons[:1]
    for button in approving[:1]:
        if button.get("name"):
            data[button["name"]] = button.get("value", "")
    return data


def _code_in(url: str) -> str | None:
    codes = parse_qs(urlsplit(url).query).get("code")
    return codes[0] if codes else None


_CODE_IN_PAGE = re.compile(r"(?:value=\"|<code[^>]*>)\s*([A-Za-z0-9_\-]{20,})\s*(?:\"|</code>)")


def authorize(client: httpx.Client, url: str, login: str, password: str) -> str:
    """Walk from the authorize URL to an authorization code, as a person would."""
    response = client.get(url)
    for _ in range(6):
        if response.is_redirect:
            location = urljoin(str(response.url), response.headers["location"])
            code = _code_in(location)
            if code:
                return code
            response = client.get(location)
            continue
        assert response.status_code == 200, (response.status_code, response.text[:2000])
        code = _code_in(str(response.url))
        forms = [form for form in parse_forms(response.text) if form.method == "post"]
        if not forms:
            # The out-of-band page shows the code for the person to copy.
            if code:
                return code
            match = _CODE_IN_PAGE.search(response.text)
            assert match, f"no form and no code on {response.url}:\n{response.text[:2000]}"
            return match.group(1)
        form = forms[0]
        action = urljoin(str(response.url), form.action or str(response.url))
        response = client.post(action, data=_fill(form, login, password))
    raise AssertionError("the authorization flow did not end with a code")
