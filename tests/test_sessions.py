"""Process-wide ONNX Runtime sessions: one per model, however many threads ask at once."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import onnxruntime as ort
import pytest

from ocr_core.errors import ModelNotReadyError
from ocr_core.models import DEFAULT_MODEL_DIR, get_preset
from ocr_core.sessions import get_session, is_loaded, session_options


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
        sessions.append(get_session(fresh_model, threads=1))

    threads = [threading.Thread(target=load) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sessions) == 6 and len({id(session) for session in sessions}) == 1
    assert is_loaded(fresh_model, threads=1)


def test_a_broken_model_is_a_typed_error_and_is_not_cached(tmp_path: Path) -> None:
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not an onnx model")
    with pytest.raises(ModelNotReadyError, match=r"broken\.onnx"):
        get_session(broken, threads=1)
    assert not is_loaded(broken, threads=1)


def test_session_options_suit_a_two_vcpu_function() -> None:
    options = session_options(2)
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (2, 1)
    assert options.execution_mode == ort.ExecutionMode.ORT_SEQUENTIAL
    # Spin-waiting pools (one per session) starve each other on 2 vCPUs; see ocr_core/sessions.py.
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert not options.enable_cpu_mem_arena
