"""The Elasticsearch client, from settings that support API keys, user/password, a CA certificate and
several nodes (ELASTICSEARCH_URL with comma-separated URLs)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from elasticsearch import Elasticsearch


def make_client(config: Mapping[str, Any]) -> Elasticsearch:
    kwargs: dict[str, Any] = {
        "request_timeout": float(config.get("ELASTICSEARCH_TIMEOUT", 5.0)),
        "retry_on_timeout": False,
        "max_retries": 1,
    }
    if config.get("ELASTICSEARCH_API_KEY"):
        kwargs["api_key"] = config["ELASTICSEARCH_API_KEY"]
    elif config.get("ELASTICSEARCH_USERNAME"):
        kwargs["basic_auth"] = (config["ELASTICSEARCH_USERNAME"], config.get("ELASTICSEARCH_PASSWORD", ""))
    if config.get("ELASTICSEARCH_CA_CERTS"):
        kwargs["ca_certs"] = config["ELASTICSEARCH_CA_CERTS"]
    # several nodes: "http://es1:9200,http://es2:9200" (the client spreads requests and fails over)
    hosts = [h.strip() for h in str(config["ELASTICSEARCH_URL"]).split(",") if h.strip()]
    return Elasticsearch(hosts if len(hosts) > 1 else hosts[0], **kwargs)
