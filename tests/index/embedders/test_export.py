"""The one-time ONNX export: a working model, and a quiet first start (no library warnings)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from index.embedders.export import export_onnx


def _tiny_bert(folder: Path) -> Path:
    """A two-layer BERT with random weights: the same architecture and export path as MiniLM,
    in a fraction of the time."""
    from transformers import BertConfig, BertModel

    config = BertConfig(vocab_size=64, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32)
    BertModel(config).save_pretrained(str(folder))
    return folder


@pytest.mark.unit
@pytest.mark.slow
def test_the_export_writes_a_working_model_and_prints_no_warning(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import onnxruntime as ort

    model = _tiny_bert(tmp_path / "bert")
    out = tmp_path / "models" / "tiny.onnx"
    capfd.readouterr()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # what `python -W default` would print, and more
        filters = list(warnings.filters)
        export_onnx(out, model)
        # The notes are hidden for the export only: the filters it adds are gone after it.
        assert warnings.filters == filters

    assert [f"{w.category.__name__}: {w.message}" for w in caught] == []
    assert capfd.readouterr().err == ""
    assert out.is_file() and not list(out.parent.glob("*.tmp*"))
    ids = np.array([[1, 5, 7, 2, 0, 0]], dtype=np.int64)
    mask = (ids > 0).astype(np.int64)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    (means,) = session.run(["layer_means"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": 0 * ids})
    assert means.shape == (1, 2, 16) and np.isfinite(means).all()
