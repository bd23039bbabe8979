"""Process-wide ONNX Runtime sessions: one per model, however many threads ask at once."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import onnxruntime as ort
import pytest

from ocr_core.errors import ModelNotReadyError
from ocr_core.models.files import DEFAULT_MODEL_DIR
from ocr_core.models.presets import get_preset
from ocr_core.models.sessions import get_session, is_loaded, pool_threads, session_options


@pytest.fixture
def fresh_model(tmp_path: Path) -> Path:
    """A copy of the classifier under a new path, so no test before this one has loaded it."""
    classifier = get_preset(None).classifier
    assert classifier is not None
    copy = tmp_path / "cls.onnx"
    shutil.copyfile(DEFAULT_MODEL_DIR / classifier, copy)
    return copy


def test_threads_asking_at_once_share_one_session(fresh_model: Path) -> None:
    start = threading.Barrier(6)
    sessions: list[ort.InferenceSession] = []

    def load() -> None:
        start.wait()
        sessions.append(get_session(fresh_model))

    threads = [threading.Thread(target=load) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sessions) == 6 and len({id(session) for session in sessions}) == 1
    assert is_loaded(fresh_model)


def test_a_broken_model_is_a_typed_error_and_is_not_cached(tmp_path: Path) -> None:
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not an onnx model")
    with pytest.raises(ModelNotReadyError, match=r"broken\.onnx"):
        get_session(broken)
    assert not is_loaded(broken)


def test_sessions_share_one_process_wide_pool(fresh_model: Path) -> None:
    get_session(fresh_model)  # the process's first session, if no test made one before, sizes the pool
    sized = pool_threads()
    second = fresh_model.with_name("cls-second.onnx")
    second.write_bytes(fresh_model.read_bytes())
    get_session(second, threads=7)  # too late to size the pool: it keeps its size
    assert pool_threads() == sized is not None and sized != 7
    options = session_options()
    assert not options.use_per_session_threads
    assert options.execution_mode == ort.ExecutionMode.ORT_SEQUENTIAL
    assert not options.enable_cpu_mem_arena
