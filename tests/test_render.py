"""Rendering rules that the sample hub is too small to show."""

from __future__ import annotations

import pytest

from cmhub.render import page_window


@pytest.mark.parametrize(("page", "pages", "expected"), [
    (1, 1, [1]),
    (2, 3, [1, 2, 3]),
    (5, 1000, [1, 0, 3, 4, 5, 6, 7, 0, 1000]),
    (1000, 1000, [1, 0, 998, 999, 1000]),
    (4, 7, [1, 2, 3, 4, 5, 6, 7]),
], ids=["single", "short", "middle-of-many", "last-of-many", "gaps-of-one-are-filled"])
def test_long_lists_link_a_window_of_pages(page: int, pages: int, expected: list[int]) -> None:
    assert page_window(page, pages) == expected


def test_window_size_does_not_grow_with_the_list() -> None:
    assert max(len(page_window(p, 5000)) for p in range(1, 5001)) == 9


@pytest.mark.parametrize("items", [[], [{"a": 1, "b": [1, 2], "c": {"d": "é\n"}}], [{"a": 1}, {"b": None}]],
                         ids=["empty", "nested", "several"])
def test_streamed_json_is_what_json_dumps_writes(items: list[dict]) -> None:
    import json

    from cmhub.exports import json_document

    header = {"version": 1, "site": "https://a.example/"}
    expected = (json.dumps({**header, "teasers": items}, ensure_ascii=False, indent=2) + "\n").encode()
    assert json_document(header, "teasers", iter(items)) == expected
