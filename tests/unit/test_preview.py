"""Value previews (``backend.preview``): one implementation, one length, without a server."""

import pickle

from redun.value import get_type_registry

from graphbackend.backend.preview import PREVIEW_LENGTH, PREVIEW_MAX_BYTES, data_preview, value_preview


def test_short_values_are_their_repr():
    assert value_preview(5) == "5"
    assert value_preview("abc") == "'abc'"


def test_long_values_are_cut_to_the_preview_length():
    for value in ("x" * 1000, list(range(1000)), {"k" * 200: "v" * 200}):
        text = value_preview(value)
        assert len(text) <= PREVIEW_LENGTH


def test_unrepresentable_value_still_has_a_short_preview():
    class Broken:
        def __repr__(self):
            raise RuntimeError("no")

    text = value_preview(Broken(), "my.Broken")
    assert text.startswith("<") and "Broken" in text and len(text) <= PREVIEW_LENGTH


def test_imported_values_get_the_same_preview():
    registry = get_type_registry()
    value = {"a": list(range(100))}
    data = registry.serialize(value)
    type_name = registry.get_type_name(type(value))
    assert data_preview(registry, type_name, "application/python-pickle", data) == value_preview(value, type_name)


def test_imported_values_without_a_preview():
    registry = get_type_registry()
    big = pickle.dumps("x" * (PREVIEW_MAX_BYTES + 1))
    assert data_preview(registry, "builtins.str", "application/python-pickle", big) is None
    assert data_preview(registry, "no.such.Type", "text/plain", b"junk") is None
