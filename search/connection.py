"""The Elasticsearch client, from settings that support API keys, user/password and a CA certificate."""
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
    return Elasticsearch(config["ELASTICSEARCH_URL"], **kwargs)
