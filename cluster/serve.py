"""`tracuu serve --ray [ADDRESS] --replicas N`: the HTTP API as a Ray Serve deployment of N replicas.

Each replica builds the same FastAPI app as `tracuu serve` (`api.app.create_app`) over the index folder
given, read-only: FAISS maps dense.faiss (and an IVF-PQ index's raw vectors) rather than copying it, so
replicas on one machine share its pages. Each replica's `api.live.LiveIndex` looks at the folder's
manifest at most once a second and, when a build has swapped a new index in, loads it beside the old
one and swaps it under the requests: the folder must be one path every node can read (shared storage).
Serve's HTTP proxy (on the head node) binds `host` (loopback by default); its gRPC proxy stays off.

On a 2-core machine the replicas take half a CPU each (REPLICA_CPUS) so two fit beside the proxy and
controller, and each holds at most MAX_ONGOING requests; more wait in the proxy's queue.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

from cluster import local

APP = "tracuu"
DEPLOYMENT = "tracuu-api"
REPLICA_CPUS = 0.5
MAX_ONGOING = 64  # bounded; below ~the clients at once, requests wait in the router, which polls with backoff


def require_serve() -> None:
    """MissingDependency naming the install command when Ray or Ray Serve is absent."""
    from tracuu.errors import MissingDependency

    local.require_ray()
    try:
        import ray.serve  # noqa: F401
    except ImportError as e:
        hint = local.INSTALL_HINT
        raise MissingDependency(f"--ray needs Ray Serve ({e.name} is not installed): {hint}") from None


def _bind_internal_grpc_to_node_ip() -> None:
    """Bind a replica's inter-deployment gRPC server to the node's Ray address, not every interface.

    Ray Serve 2.60 starts it on "[::]:0" (ray/serve/_private/replica.py, `_on_initialized`), with no
    setting to change that. Its peers reach it at the node's Ray address (`ray.util.get_node_ip_address`,
    which they are given), so binding that address alone keeps it reachable inside the cluster and off
    every other interface; on a single-machine cluster it is 127.0.0.1 (cluster/local.py). Runs in the
    replica before Serve starts that server (the deployment's constructor runs first)."""
    import ray
    from ray.serve._private import replica

    original = replica.add_port_to_grpc_server
    if getattr(original, "tracuu_bound", False):
        return
    node_ip = ray.util.get_node_ip_address()
    host = f"[{node_ip}]" if ":" in node_ip else node_ip

    def bound(server, address: str):
        return original(server, address.replace("[::]", host, 1) if address.startswith("[::]:") else address)

    bound.tracuu_bound = True
    replica.add_port_to_grpc_server = bound


def deployment():
    """The Serve deployment class (Ray imported only here, when --ray is given)."""
    from ray import serve

    @serve.deployment(
        name=DEPLOYMENT,
        ray_actor_options={"num_cpus": REPLICA_CPUS},
        max_ongoing_requests=MAX_ONGOING,
    )
    @serve.ingress()
    class Api:
        def __init__(self, index_dir: str, check_every: float = 1.0):
            _bind_internal_grpc_to_node_ip()
            self.index_dir = index_dir
            self.check_every = check_every

        def __serve_build_asgi_app__(self):
            # Built in the replica: the index and model load here, once per replica.
            from api.app import create_app

            return create_app(self.index_dir, check_every=self.check_every)

    return Api


def deploy(index_dir: Path, replicas: int, host: str = local.LOOPBACK, port: int = 8000) -> str:
    """Start Serve (HTTP proxy on host:port, no gRPC proxy) and run N replicas of the API over
    `index_dir` on the connected cluster; returns the URL once every replica answers."""
    from ray import serve

    serve.start(
        proxy_location="HeadOnly",
        http_options={"host": host, "port": port},
        grpc_options={"grpc_servicer_functions": []},  # no servicers: Serve starts no gRPC proxy
    )
    app = deployment().options(num_replicas=replicas).bind(str(Path(index_dir).resolve()))
    serve.run(app, name=APP, route_prefix="/")
    return f"http://{host}:{port}"


def undeploy() -> None:
    """Remove the app and Serve from the cluster (its controller and proxies are detached actors)."""
    from ray import serve

    serve.shutdown()


def serve(args, index_dir: Path) -> int:
    """The `tracuu serve --ray` command: deploy, then serve until Ctrl-C or SIGTERM, then undeploy."""
    from tracuu.errors import UsageError

    if args.replicas < 1:
        raise UsageError(f"--replicas must be at least 1 (got {args.replicas})")
    if not (index_dir / "manifest.json").exists():
        raise UsageError(
            f"no index at {index_dir}; build one with: tracuu ingest corpus --index {index_dir} "
            "(on a cluster, in a folder every node can read)"
        )
    local.connect(None if args.ray == local.LOCAL else args.ray)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # runs the `finally` below
    try:
        url = deploy(index_dir, args.replicas, args.host, args.port)
        print(
            f"tracuu API on {url} (docs at {url}/docs): {args.replicas} Ray Serve replica(s), "
            f"index {index_dir}",
            file=sys.stderr,
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        undeploy()
