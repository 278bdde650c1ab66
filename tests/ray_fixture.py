"""A real local Ray cluster for the session (`ray_cluster`), for modules that import it.

Kept out of conftest.py so that wt-c2a's fixture of the same name (`tracuu ingest --ray`) and this one can
be unified into one later; either way one cluster serves the session: a cluster already started in this
process is reused, and only the one started here is stopped (never `ray stop`, which would stop every
Ray on the machine).
"""

from __future__ import annotations

import os

import pytest

RAY_MISSING = "Ray is not installed: run `make install-cluster` (or pip install '.[cluster]')"


@pytest.fixture(scope="session")
def ray_cluster():
    """The ray module, connected to a cluster of 2 CPUs whose every port is on 127.0.0.1 (cluster/local.py);
    this process is its driver."""
    try:
        import ray
        import ray.data  # noqa: F401
        import ray.serve  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{RAY_MISSING}; in CI .ci/run installs it")
        pytest.skip(RAY_MISSING)
    from cluster import local

    started = not ray.is_initialized()
    if started:
        local.start_local(num_cpus=2)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()
