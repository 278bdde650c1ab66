"""tracuu on a Ray cluster (the `cluster` extra): `tracuu ingest --ray` runs the reading, OCR, segmenting and
embedding of new and changed files as a Ray Data pipeline; the index is still written on the driver.

Nothing here is imported unless --ray is given, and Ray only inside functions, so the default path never
loads it (tests/test_cluster_ingest.py checks).
"""
