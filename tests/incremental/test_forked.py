"""Work done by a forked process (cmhub/incremental/forked.py): its parts come back in order, its
mistakes and bugs are raised here, and it is waited for (no process left behind)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cmhub.core.errors import CmhubError, error
from cmhub.incremental.forked import Forked
from tests.conftest import process_gone


def test_the_parts_come_back_in_order_and_the_child_is_waited_for() -> None:
    def work(send):  # noqa: ANN001, ANN202
        send({"first": (1, "un")})
        return [os.getpid()]

    forked = Forked(work)
    assert forked.part(0) == {"first": (1, "un")}
    child = forked.part(1)[0]
    assert child == forked.pid != os.getpid()  # made in another process
    assert process_gone(forked.pid)


def test_a_mistake_in_the_child_is_raised_here_with_its_problems() -> None:
    def work(send):  # noqa: ANN001, ANN202
        send("before the mistake")
        raise CmhubError([error("content/a.md", 3, "a teaser is too long")])

    forked = Forked(work)
    assert forked.part(0) == "before the mistake"
    with pytest.raises(CmhubError) as raised:
        forked.part(1)
    assert [str(p) for p in raised.value.problems] == ["content/a.md:3: a teaser is too long"]
    assert process_gone(forked.pid)


def test_a_bug_in_the_child_is_raised_here_with_its_traceback() -> None:
    def work(send):  # noqa: ANN001, ANN202
        return {}["missing"]

    with pytest.raises(RuntimeError, match=r"(?s)Traceback.*KeyError: 'missing'"):
        Forked(work).part(0)


def test_a_child_that_dies_is_a_bug_here_and_stop_ends_a_child_at_once(tmp_path: Path) -> None:
    def dies(send):  # noqa: ANN001, ANN202
        os._exit(3)

    with pytest.raises(RuntimeError, match="without a result"):
        Forked(dies).part(0)

    survived = tmp_path / "survived"

    def sleeps(send):  # noqa: ANN001, ANN202
        time.sleep(20)
        survived.write_text("the child was not stopped")

    forked = Forked(sleeps)
    forked.stop()
    assert process_gone(forked.pid) and not survived.exists()
    with pytest.raises(RuntimeError):
        forked.part(0)


def test_a_large_part_does_not_stop_the_child_until_it_is_asked_for(tmp_path: Path) -> None:
    # plan.lock's entries at 10,000 articles are ten times what a pipe holds; the build asks for them
    # only once its pages are made, and the child must go on staging social/ meanwhile
    large = [f"entry {i:06d}" for i in range(200_000)]  # ~3 MB pickled
    went_on = tmp_path / "went-on"

    def work(send):  # noqa: ANN001, ANN202
        send(large)
        went_on.write_text("staged")
        return "done"

    forked = Forked(work)
    waited = 0.0
    while not went_on.exists() and waited < 20:
        time.sleep(0.05)
        waited += 0.05
    assert went_on.exists(), "the child waited for its part to be read"
    assert forked.part(0) == large
    assert forked.part(1) == "done"
    assert process_gone(forked.pid)


def test_without_a_temporary_folder_the_parts_go_through_the_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    large = list(range(300_000))

    def work(send):  # noqa: ANN001, ANN202
        send(large)
        return {"last": True}

    forked = Forked(work)
    assert forked.part(0) == large
    assert forked.part(1) == {"last": True}
    assert process_gone(forked.pid)
