"""Round trip against the real Elasticsearch: the features the search backend relies on."""
import uuid

import pytest
from elasticsearch import helpers

MAPPINGS = {
    "properties": {
        "summary": {"type": "text", "analyzer": "dutch"},
        "municipality": {"type": "keyword"},
        "skills": {
            "type": "nested",
            "properties": {"name": {"type": "keyword"}, "level": {"type": "integer"}},
        },
    }
}
DOCS = [
    {"_id": "1", "summary": "Ervaren in het repareren van fietsen en scooters", "municipality": "Zaanstad",
     "skills": [{"name": "fietsenmaker", "level": 4}, {"name": "klantcontact", "level": 2}]},
    {"_id": "2", "summary": "Werkt graag in de kas met tomaten", "municipality": "Westland",
     "skills": [{"name": "tuinbouw", "level": 3}, {"name": "klantcontact", "level": 4}]},
    {"_id": "3", "summary": "Kok met ervaring in grote keukens", "municipality": "Utrecht",
     "skills": [{"name": "koken", "level": 5}]},
]


@pytest.fixture
def index(es_client):
    name = f"test-candidates-{uuid.uuid4().hex[:8]}"
    es_client.indices.create(index=name, mappings=MAPPINGS, settings={"number_of_shards": 1, "number_of_replicas": 0})
    helpers.bulk(es_client, ({"_index": name, **d} for d in DOCS), refresh="wait_for")
    yield name
    es_client.indices.delete(index=name, ignore_unavailable=True)


def ids(resp):
    return sorted(hit["_id"] for hit in resp["hits"]["hits"])


def test_ping_and_info(es_client):
    assert es_client.ping()
    assert es_client.info()["version"]["number"].startswith("9.")


def test_dutch_analyzer_stems(es_client, index):
    tokens = [t["token"] for t in es_client.indices.analyze(index=index, analyzer="dutch", text="De fietsen")["tokens"]]
    assert tokens == ["fiets"]  # "de" is a stopword, "fietsen" -> "fiets"
    # singular query finds the plural in the document
    assert ids(es_client.search(index=index, query={"match": {"summary": "fiets"}})) == ["1"]
    assert ids(es_client.search(index=index, query={"match": {"summary": "tomaat"}})) == ["2"]  # tomaten


def test_nested_query_and_aggregations(es_client, index):
    resp = es_client.search(index=index, query={"nested": {"path": "skills", "query": {"bool": {"filter": [
        {"term": {"skills.name": "klantcontact"}}, {"range": {"skills.level": {"gte": 3}}}]}}}})
    assert ids(resp) == ["2"]  # doc 1 has klantcontact only at level 2: nested keeps pairs together

    resp = es_client.search(index=index, size=0, aggs={
        "in_westland": {"filter": {"term": {"municipality": "Westland"}}},
        "per_municipality": {"terms": {"field": "municipality"}},
        "skills": {"nested": {"path": "skills"}, "aggs": {"names": {"terms": {"field": "skills.name"}}}},
    })
    aggs = resp["aggregations"]
    assert aggs["in_westland"]["doc_count"] == 1
    assert {b["key"]: b["doc_count"] for b in aggs["per_municipality"]["buckets"]} == {
        "Zaanstad": 1, "Westland": 1, "Utrecht": 1}
    names = {b["key"]: b["doc_count"] for b in aggs["skills"]["names"]["buckets"]}
    assert names["klantcontact"] == 2 and names["koken"] == 1


def test_alias_swap_is_atomic(es_client, index):
    alias = f"{index}-alias"
    es_client.indices.put_alias(index=index, name=alias)
    new = f"{index}-v2"
    es_client.indices.create(index=new, mappings=MAPPINGS, settings={"number_of_shards": 1, "number_of_replicas": 0})
    try:
        es_client.bulk(operations=[{"index": {"_index": new, "_id": "9"}},
                                   {"summary": "Nieuwe index", "municipality": "Zaanstad", "skills": []}],
                       refresh="wait_for")
        es_client.indices.update_aliases(actions=[{"remove": {"index": index, "alias": alias}},
                                                  {"add": {"index": new, "alias": alias}}])
        assert list(es_client.indices.get_alias(name=alias)) == [new]
        assert ids(es_client.search(index=alias, query={"match_all": {}})) == ["9"]
    finally:
        es_client.indices.delete(index=new, ignore_unavailable=True)
