"""torch_threads: one process-wide setting, restored; blocks nest and never wait for each other."""

from __future__ import annotations

import threading

import pytest

from convrec.recsys.threads import torch_threads

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def two_threads():
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_sets_inside_and_restores_after() -> None:
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2


def test_none_leaves_the_setting_alone() -> None:
    with torch_threads(None):
        assert torch.get_num_threads() == 2
    assert torch.get_num_threads() == 2


def test_nested_in_one_thread_restores_each_level() -> None:
    with torch_threads(3):
        with torch_threads(1):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 3
    assert torch.get_num_threads() == 2


def test_restores_after_an_exception() -> None:
    with pytest.raises(RuntimeError), torch_threads(1):
        raise RuntimeError("boom")
    assert torch.get_num_threads() == 2


def test_a_long_block_does_not_make_another_thread_wait() -> None:
    inside, release = threading.Event(), threading.Event()

    def long_generation() -> None:
        with torch_threads(1):
            inside.set()
            release.wait(10)

    worker = threading.Thread(target=long_generation)
    worker.start()
    assert inside.wait(10)
    entered = threading.Event()

    def ranking() -> None:
        with torch_threads(1):
            entered.set()

    other = threading.Thread(target=ranking)
    other.start()
    assert entered.wait(2), "a second block waited for the first one to finish"
    other.join()
    release.set()
    worker.join()
    assert torch.get_num_threads() == 2
