"""S3Proxy (org.gaul:s3proxy jar-with-dependencies) with the filesystem backend."""
from __future__ import annotations


from config.services import maven
from config.services._util import HOST, cache_dir, port
from config.services.base import Service, getenv
from config.services.java import find_java_home

PORT = port(58080)
ENDPOINT = f"http://{HOST}:{PORT}"
BUCKET = "portal-media"
ACCESS_KEY = "portal-dev-access-key"
SECRET_KEY = "portal-dev-secret-key-not-for-production"
REGION = "us-east-1"
GROUP, ARTIFACT = "org.gaul", "s3proxy"
CLASSIFIER = "jar-with-dependencies"


def resolve_version() -> str:
    return maven.newest_available(
        "S3Proxy jar-with-dependencies", "s3proxy-version.json",
        lambda: [v for v in maven.metadata_versions(GROUP, ARTIFACT) if v.replace(".", "").isdigit()],
        lambda v: maven.artifact_url(GROUP, ARTIFACT, v, "jar", CLASSIFIER), pinned=getenv("PORTAL_S3PROXY_VERSION"))


def client(endpoint=ENDPOINT, access_key=ACCESS_KEY, secret_key=SECRET_KEY, region=REGION):
    import boto3
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access_key,
                        aws_secret_access_key=secret_key, region_name=region,
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                      connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}))


class S3Proxy(Service):
    name = "s3"
    port = PORT
    start_timeout = 90.0

    def external(self) -> str | None:
        url = getenv("S3_ENDPOINT_URL")
        return "S3_ENDPOINT_URL" if url and url.rstrip("/") != ENDPOINT else None

    def env(self) -> dict[str, str]:
        return {"S3_ENDPOINT_URL": ENDPOINT, "S3_BUCKET": BUCKET, "AWS_ACCESS_KEY_ID": ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_DEFAULT_REGION": REGION}

    def healthy(self) -> bool:
        client().list_buckets()
        return True

    def prepare(self) -> None:
        version = resolve_version()
        self.jar = maven.fetch(maven.artifact_url(GROUP, ARTIFACT, version, "jar", CLASSIFIER),
                               cache_dir() / "maven" / f"s3proxy-{version}-{CLASSIFIER}.jar",
                               label=f"S3Proxy {version}")
        self.java_home = find_java_home(17)
        (self.dir / "data").mkdir(parents=True, exist_ok=True)
        props = self.dir / "s3proxy.properties"
        props.write_text("\n".join([
            f"s3proxy.endpoint={ENDPOINT}",
            "s3proxy.authorization=aws-v2-or-v4",
            f"s3proxy.identity={ACCESS_KEY}",
            f"s3proxy.credential={SECRET_KEY}",
            "s3proxy.cors-allow-all=true",
            "s3proxy.ignore-unknown-headers=true",
            "jclouds.provider=filesystem-nio2",
            f"jclouds.filesystem.basedir={self.dir / 'data'}",
            f"jclouds.region={REGION}",
        ]) + "\n")
        self.props = props

    def command(self):
        return ([str(self.java_home / "bin" / "java"), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                 "-jar", str(self.jar), "--properties", str(self.props)], {}, self.dir)

    def after_start(self) -> None:
        c = client()
        names = {b["Name"] for b in c.list_buckets().get("Buckets", [])}
        if BUCKET not in names:
            c.create_bucket(Bucket=BUCKET)
