"""A private Elasticsearch cluster of several nodes on loopback (tests of failover, sizing trials).

    .venv/bin/python -m config.services cluster up [--nodes 3] [--heap 512m]   # prints ELASTICSEARCH_URL
    .venv/bin/python -m config.services cluster status
    .venv/bin/python -m config.services cluster down

    from config.services.es_cluster import Cluster
    cluster = Cluster(base_dir, nodes=3, heap="512m"); cluster.start(); cluster.stop_node(1); cluster.start_node(1)

Each node is the same distribution as the single development node (config.services.elasticsearch,
extracted once under `<base_dir>/home-<version>`) with its own config, data and logs under
`<base_dir>/node-<i>`; HTTP ports 29600+i, transport ports 29700+i (+ PORTAL_SERVICES_PORT_OFFSET),
cluster name `portal-cluster`. It never touches the shared single node (port 59200) or its state
directory. Default base directory: `${PORTAL_SERVICES_DIR:-/tmp/portal-services}/es-cluster`.
"""
from __future__ import annotations

import json
import shutil
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from config.services import elasticsearch as single
from config.services._util import (
    HOST, ServiceError, chown_tree, ensure_service_user, log_tail, port, say, state_dir,
)

CLUSTER_NAME = "portal-cluster"
#: Below Linux's ephemeral range (32768-60999): the cluster starts late in a test run, when an
#: outgoing connection of the suite may hold any port of that range, and a port held so refuses the
#: node's listener (the nodes' own connections to each other's seeds take such ports too).
HTTP_BASE = 29600
TRANSPORT_BASE = 29700


class ClusterNode(single.Elasticsearch):
    """One node of the private cluster (life cycle of config.services.base.Service)."""

    start_timeout = 300.0
    start_attempts = 3  # a node that exits during start-up (a port taken for a moment...) is tried again

    def __init__(self, base_dir: Path, index: int, nodes: int, heap: str, ids: tuple[int, int] | None) -> None:
        super().__init__(ids)
        self.base_dir = base_dir
        self.index = index
        self.nodes = nodes
        self.heap = heap
        self.name = f"es-node-{index}"
        self.port = port(HTTP_BASE + index)
        self.extra_ports = (port(TRANSPORT_BASE + index),)
        self.dir = base_dir / f"node-{index}"
        self.pid_file = self.dir / f"{self.name}.pid"
        self.log = self.dir / f"{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def external(self) -> str | None:
        return None

    def env(self) -> dict[str, str]:
        return {"ELASTICSEARCH_URL": self.url}

    def _get(self, path: str, timeout: float = 2.0) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as r:  # nosec B310: URL is the http://127.0.0.1 address of a local test node (constant host, integer port)
            return json.loads(r.read())

    def _get_list(self, path: str) -> list:
        with urllib.request.urlopen(self.url + path, timeout=5) as r:  # nosec B310: URL is the http://127.0.0.1 address of a local test node (constant host, integer port)
            return json.loads(r.read())

    def healthy(self) -> bool:
        # the node answers as a member of our cluster (a cluster of one cannot elect a master
        # alone, so the first nodes wait for each other: readiness = a master is known)
        health = self._get("/_cluster/health?timeout=1s", 3)
        return health.get("cluster_name") == CLUSTER_NAME and health.get("status") in ("yellow", "green", "red")

    def responds(self) -> bool:
        return self._get("/_cluster/health?timeout=1s", 3).get("cluster_name") == CLUSTER_NAME

    def prepare(self) -> None:
        version = single.resolve_version()
        zip_path = single.maven.fetch(
            single.maven.artifact_url(single.GROUP, "elasticsearch", version, "zip"),
            single.cache_dir() / "maven" / f"elasticsearch-{version}.zip",
            verify=single.verify_zip(version), label=f"Elasticsearch {version} (integ-test-zip)")
        self.java_home = single.find_java_home(21, modules=("jdk.jdi",))
        home = self.base_dir / f"home-{version}"
        marker = home / ".portal-extracted"
        if not marker.exists():
            shutil.rmtree(home, ignore_errors=True)
            single._extract(zip_path, home, f"elasticsearch-{version}/")
            marker.write_text(version)
        self.home = home
        self.version = version
        if not (home / "plugins" / single.PLUGIN_NAME).exists():
            self._install_plugin()
        self.dir.mkdir(parents=True, exist_ok=True)
        conf = self.dir / "config"
        if not conf.exists():
            shutil.copytree(home / "config", conf)
        self._configure_node(conf)
        for sub in ("data", "logs", "tmp"):
            (self.dir / sub).mkdir(exist_ok=True)
        for path in (self.base_dir, self.dir):
            path.chmod(0o755)
        for sub in ("data", "logs", "tmp", "config"):
            chown_tree(self.dir / sub, self.ids)
        chown_tree(home, self.ids)

    def _configure_node(self, conf: Path) -> None:
        names = [f"es-node-{i}" for i in range(self.nodes)]
        seeds = [f"{HOST}:{port(TRANSPORT_BASE + i)}" for i in range(self.nodes)]
        modules = {p.name for p in (self.home / "modules").iterdir()}
        lines = [
            f"cluster.name: {CLUSTER_NAME}", f"node.name: {self.name}",
            f"path.data: {self.dir / 'data'}", f"path.logs: {self.dir / 'logs'}",
            f"network.host: {HOST}", f"http.port: {self.port}", f"transport.port: {self.extra_ports[0]}",
            f"discovery.seed_hosts: {json.dumps(seeds)}",
            f"cluster.initial_master_nodes: {json.dumps(names)}",
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: false",
            # a node that comes back rejoins at once; its copies are reallocated after 5 s
            "cluster.fault_detection.follower_check.interval: 1s",
            "cluster.fault_detection.leader_check.interval: 1s",
        ]
        if "x-pack-security" in modules:
            lines.append("xpack.security.enabled: false")
        if "x-pack-ml" in modules:
            lines.append("xpack.ml.enabled: false")
        (conf / "elasticsearch.yml").write_text("\n".join(lines) + "\n")
        opts = conf / "jvm.options.d"
        opts.mkdir(exist_ok=True)
        (opts / "portal.options").write_text(f"-Xms{self.heap}\n-Xmx{self.heap}\n-XX:-AlwaysPreTouch\n")
        release = self.java_home / "release"
        runtime_modules = release.read_text() if release.exists() else ""
        if "MODULES=" in runtime_modules and "jdk.incubator.vector" not in runtime_modules:
            jvm_options = conf / "jvm.options"
            text = jvm_options.read_text()
            jvm_options.write_text("\n".join(("# (runtime lacks it) " + ln) if "jdk.incubator.vector" in ln
                                             and not ln.startswith("#") else ln for ln in text.splitlines()) + "\n")

    def command(self):
        env = {"ES_JAVA_HOME": str(self.java_home), "ES_TMPDIR": str(self.dir / "tmp"),
               "ES_PATH_CONF": str(self.dir / "config")}
        return [str(self.home / "bin" / "elasticsearch")], env, self.dir / "logs"

    def wait_ready(self) -> None:
        super(single.Elasticsearch, self).wait_ready()  # plain readiness (the plugin check needs a master)

    def start(self) -> bool:
        """Start the node; when it exits during start-up, say why (its log) and try again."""
        attempt = 1
        while True:
            try:
                return super().start()
            except ServiceError as exc:
                exited = self.proc is not None and self.proc.poll() is not None
                tail = log_tail(self.log, 40)
                self.stop(quiet=True)
                if not exited or attempt == self.start_attempts:
                    raise ServiceError(f"{exc} (attempt {attempt} of {self.start_attempts}); "
                                       f"last lines of {self.log}:\n{tail}", self.log) from exc
                say(f"  {self.name:<13} exited during start-up (attempt {attempt}), starting it again; "
                    f"last lines of its log:\n{tail}")
                attempt += 1


class Cluster:
    """`nodes` Elasticsearch nodes on loopback forming one cluster."""

    def __init__(self, base_dir: Path | None = None, *, nodes: int = 3, heap: str = "512m") -> None:
        self.base_dir = Path(base_dir or state_dir() / "es-cluster")
        ids = ensure_service_user()
        self.nodes = [ClusterNode(self.base_dir, i, nodes, heap, ids) for i in range(nodes)]

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def start(self, timeout: float = 300.0) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.base_dir.chmod(0o755)
        self.nodes[0].prepare()  # extract once before the nodes start side by side
        try:
            with ThreadPoolExecutor(len(self.nodes)) as pool:
                for future in [pool.submit(node.start) for node in self.nodes]:
                    future.result()
            self.wait_for(len(self.nodes), timeout=timeout)
        except BaseException:
            self.stop()  # no half cluster left behind
            raise

    def start_node(self, index: int) -> None:
        self.nodes[index].start()

    def stop_node(self, index: int) -> None:
        self.nodes[index].stop(quiet=True)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop(quiet=True)

    def health(self, **params: str) -> dict:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        last: Exception | None = None
        for node in self.nodes:
            try:
                return node._get(f"/_cluster/health?{query}", timeout=float(params.get("timeout", "1s").rstrip("s")) + 5)
            except Exception as exc:  # noqa: BLE001 - that node is down: ask the next
                last = exc
        raise ServiceError(f"no node of the cluster answers: {last}")

    def wait_for(self, nodes: int, status: str = "yellow", timeout: float = 180.0) -> dict:
        deadline = time.monotonic() + timeout
        health: dict = {}
        while time.monotonic() < deadline:
            try:
                health = self.health(wait_for_nodes=str(nodes), wait_for_status=status, timeout="5s")
                if not health.get("timed_out") and health.get("number_of_nodes") == nodes:
                    return health
            except ServiceError:
                pass
            time.sleep(1)
        raise ServiceError(f"cluster not {status} with {nodes} nodes within {timeout:.0f}s: {health}")


def main(args) -> int:
    cluster = Cluster(nodes=args.nodes, heap=args.heap)
    if args.action == "up":
        t0 = time.monotonic()
        cluster.start()
        say(f"cluster {CLUSTER_NAME}: {len(cluster.nodes)} nodes in {time.monotonic() - t0:.0f}s")
        print(f"export ELASTICSEARCH_URL={','.join(cluster.urls)}")
    elif args.action == "down":
        cluster.stop()
        say(f"cluster {CLUSTER_NAME} stopped")
    else:
        for node in cluster.nodes:
            say(f"  {node.name:<10} {node.url}  {node.state()}")
    return 0
