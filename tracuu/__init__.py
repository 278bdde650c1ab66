"""tracuu: semantic search and cited answers over Vietnamese education directives."""

__version__ = "0.1.0"
