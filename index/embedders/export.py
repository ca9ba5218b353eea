"""The one-time export of the packaged MiniLM to ONNX, which the ``onnx`` backend then runs.

The export traces the model with the TorchScript-based ``torch.onnx`` exporter. Tracing a
transformer always makes torch and transformers warn (tracer notes on Python booleans, the
advanced-indexing note of opset 17, the legacy exporter's deprecation); they describe the
tracing, not a fault of the exported model, so they are hidden while the export runs (and
only then), as is transformers' weight-loading progress bar: a newcomer's first start stays quiet.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.embedders import packaged_model_dir
from index.errors import ConfigError

OPSET = 17


def export_onnx(path: Path, model_dir: Path | None = None) -> None:
    """Export the MiniLM transformer to ONNX at ``path`` (written atomically).

    Its one output, ``layer_means`` (batch, layers, dim), is each layer's output averaged over
    the message's tokens (padding excluded).

    Args:
        path: the ONNX file to write; its folder is created.
        model_dir: the transformer weights to export; the packaged MiniLM when None.

    Raises:
        ConfigError: when torch or transformers, needed for this one export, are not installed.
    """
    try:
        import torch
    except ImportError as e:
        raise ConfigError("exporting the ONNX model (once) needs torch: pip install torch transformers") from e
    with _quiet_export():
        model = _layer_means_module(model_dir or packaged_model_dir()).eval()
        ids = torch.ones((2, 8), dtype=torch.long)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        axes = {0: "batch", 1: "tokens"}
        with torch.no_grad():
            torch.onnx.export(
                model,
                (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(tmp),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["layer_means"],
                dynamic_axes={
                    "input_ids": axes,
                    "attention_mask": axes,
                    "token_type_ids": axes,
                    "layer_means": {0: "batch"},
                },
                opset_version=OPSET,
                dynamo=False,
            )
    os.replace(tmp, path)


def _layer_means_module(model_dir: Path) -> Any:
    """A torch module: the transformer at ``model_dir`` followed by the layer-mean pooling."""
    import torch

    try:
        from transformers import AutoModel
    except ImportError as e:
        raise ConfigError("exporting the ONNX model (once) needs transformers: pip install transformers") from e
    from index.embedders.torch import layer_means

    class _Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_dir))

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                output_hidden_states=True,
            )
            return layer_means(out.hidden_states[1:], attention_mask)

    return _Encoder()


@contextmanager
def _quiet_export() -> Iterator[None]:
    """Hide, for the block only, exactly the notes that tracing MiniLM for the export prints."""
    import torch
    from transformers.utils import logging as hf_logging

    bar = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
            warnings.filterwarnings("ignore", "Exporting aten::index operator", UserWarning)
            # We choose the TorchScript exporter (dynamo=False) on purpose: it needs no onnxscript.
            warnings.filterwarnings(
                "ignore", "You are using the legacy TorchScript-based ONNX export", DeprecationWarning
            )
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\.onnx\.")
            yield
    finally:
        if bar:
            hf_logging.enable_progress_bar()
