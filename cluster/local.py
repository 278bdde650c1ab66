"""Connect to a Ray cluster, or start one on this machine that listens on 127.0.0.1 only.

`--ray` without an address starts a private cluster inside the ingest process (`ray.init(address="local")`,
every port on loopback, no dashboard, usage stats off); `--ray HOST:PORT` joins a cluster started with
`ray start --head` (see the README, "Beyond one machine"). Either way the driver is this process: it
reads the files it sends and writes the index.
"""

from __future__ import annotations

import os

from tracuu.errors import MissingDependency, UsageError, first_line

INSTALL_HINT = "run `make install-cluster` (or pip install '.[cluster]')"
LOOPBACK = "127.0.0.1"
LOCAL = "local"  # `--ray` without an address


def require_ray():
    """The ray module; MissingDependency naming the install command when the extra is absent."""
    try:
        import ray
        import ray.data  # noqa: F401 (ray without its data extra cannot run the pipeline)
    except ImportError as e:
        raise MissingDependency(f"--ray needs Ray ({e.name} is not installed): {INSTALL_HINT}") from None
    return ray


def _job_env() -> dict[str, str]:
    # The readers' limits and switches (TRACUU_OCR, TRACUU_MAX_*) must hold on the workers as they do here,
    # or a Ray build would read files differently from a local one.
    return {k: v for k, v in os.environ.items() if k.startswith("TRACUU_")}


def _quiet() -> None:
    """Ray's start-up notes (token authentication, deprecations) are not the ingest's to print."""
    import logging

    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def loopback_node() -> None:
    """Make this machine's Ray node 127.0.0.1, so that every Ray server binds loopback.

    Ray turns `_node_ip_address="127.0.0.1"` into the machine's routable address, and then its servers
    listen on every interface (measured: GCS, raylet and workers on ::, the agents on the LAN address).
    Its switch for single-machine use (RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0, the default on macOS and
    Windows) makes the node address 127.0.0.1 instead, and then every port listens on 127.0.0.1 only
    (tests/test_cluster_ingest.py checks). Ray reads it when imported, so it is set before, and on its
    constant too when Ray is already loaded."""
    import sys

    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    constants = sys.modules.get("ray._private.ray_constants")
    if constants is not None:
        constants.ENABLE_RAY_CLUSTER = False


def _init(**where) -> None:
    """ray.init with what every tracuu driver asks: usage stats off, the readers' settings on the
    workers, Ray's own logging kept off the terminal."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # never report usage to anyone
    ray = require_ray()
    _quiet()
    ray.init(**where, runtime_env={"env_vars": _job_env()}, log_to_driver=False, configure_logging=False)


def start_local(num_cpus: int | None = None) -> None:
    """Start a private single-node cluster in this process, every port bound on 127.0.0.1."""
    loopback_node()
    _init(
        address="local",
        num_cpus=num_cpus or os.cpu_count() or 1,
        include_dashboard=False,
        _node_ip_address=LOOPBACK,
    )


def connect(address: str | None, num_cpus: int | None = None) -> None:
    """Join the cluster at `address` (HOST:PORT of its head), or start a local one when it is None/"local".

    A process already connected (a test session's cluster, a second ingest) stays on its cluster."""
    local = address in (None, "", LOCAL)
    if local:
        loopback_node()  # before Ray is imported
    ray = require_ray()
    if ray.is_initialized():
        return
    if local:
        start_local(num_cpus)
        return
    try:
        _init(address=address)
    except (ConnectionError, ValueError, RuntimeError) as e:
        raise UsageError(
            f"cannot join the Ray cluster at {address} ({first_line(e)}); start it with `ray start --head` "
            "on the head node and give its HOST:6379, or give --ray alone to start a cluster on this machine"
        ) from None


def workers() -> int:
    """How many CPUs the cluster has: the most embedding actors worth starting."""
    ray = require_ray()
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
