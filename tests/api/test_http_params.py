"""Parameter folding and typed getters shared by every endpoint."""

import pytest

from godwit.api.http import Params, _fold
from godwit.domain.errors import Invalid


def test_rails_style_keys_fold_into_lists_and_objects() -> None:
    data = _fold(
        [
            ("media_ids[]", "1"),
            ("media_ids[]", "2"),
            ("fields_attributes[0][name]", "Web"),
            ("fields_attributes[0][value]", "https://example.com"),
            ("fields_attributes[1][name]", "Pronouns"),
            ("source[privacy]", "private"),
            ("poll[options][]", "yes"),
            ("poll[options][]", "no"),
            ("plain", "x"),
        ]
    )
    params = Params(data)
    assert params.list("media_ids") == ["1", "2"]
    assert params.list("fields_attributes") == [
        {"name": "Web", "value": "https://example.com"},
        {"name": "Pronouns"},
    ]
    assert params.dict("source") == {"privacy": "private"}
    assert params.dict("poll")["options"] == ["yes", "no"]
    assert params.str("plain") == "x"


def test_object_keys_that_are_unicode_digits_are_not_indexes() -> None:
    # "³".isdigit() is true but int("³") fails: such keys sort after the indexes, no 500.
    params = Params(
        _fold([("fields_attributes[³][name]", "a"), ("fields_attributes[0][name]", "b")])
    )
    assert params.list("fields_attributes") == [{"name": "b"}, {"name": "a"}]


def test_array_of_objects_with_empty_brackets() -> None:
    data = _fold([("k[][a]", "1"), ("k[][b]", "2"), ("k[][a]", "3")])
    assert data["k"] == [{"a": "1", "b": "2"}, {"a": "3"}]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("on", True), ("false", False), ("0", False), (True, True)],
)
def test_booleans_accept_the_forms_clients_send(raw: object, expected: bool) -> None:
    assert Params({"b": raw}).bool("b") is expected


@pytest.mark.parametrize(
    ("getter", "value"),
    [
        ("bool", "maybe"),
        ("int", "12abc"),
        ("int", True),
        ("str", {"nested": 1}),
        ("str", ["a"]),
        ("id", "-5"),
        ("id", "abc"),
        ("dict", "text"),
    ],
)
def test_wrong_types_are_validation_errors_naming_the_field(getter: str, value: object) -> None:
    with pytest.raises(Invalid) as raised:
        getattr(Params({"field": value}), getter)("field")
    assert "field" in raised.value.details


def test_strings_refuse_nul_and_overlong_values() -> None:
    with pytest.raises(Invalid):
        Params({"s": "a\x00b"}).str("s")
    with pytest.raises(Invalid):
        Params({"s": "x" * 11}).str("s", max_length=10)


def test_page_clamps_the_limit_and_parses_cursors() -> None:
    page = Params({"limit": "500", "max_id": "123", "min_id": "7"}).page(20, 40)
    assert page.limit == 40
    assert page.max_id == 123
    assert page.min_id == 7
    assert page.ascending
    assert Params({"limit": "0"}).page().limit == 1


def test_id_lists_reject_malformed_members() -> None:
    assert Params({"id": ["1", "2"]}).id_list("id") == [1, 2]
    assert Params({"id": "3"}).id_list("id") == [3]
    with pytest.raises(Invalid):
        Params({"id": ["1", "x"]}).id_list("id")


def test_form_bodies_with_invalid_utf8_escapes_are_malformed() -> None:
    from godwit.api.http import MalformedBody, _parse_raw

    with pytest.raises(MalformedBody):
        _parse_raw(b"status=%FF%FE", "application/x-www-form-urlencoded")
    assert _parse_raw(b"status=%C3%A9", "application/x-www-form-urlencoded") == [("status", "é")]
