"""Reading the Elasticsearch and Kibana configuration: values, mistakes, secrets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from scrapy.settings import Settings

from pantau.es.config import (
    EsConfigError,
    EsNotConfigured,
    es_config_from,
    es_configured,
    kibana_config_from,
    make_client,
    redact_url,
)

URL = "http://127.0.0.1:9200"


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"ELASTICSEARCH_URL": URL}, {"url": URL, "batch_size": 500, "verify_certs": True}),
        (
            {"ELASTICSEARCH_URL": "https://es.example:9200/", "ELASTICSEARCH_API_KEY": "k3y"},
            {"url": "https://es.example:9200", "api_key": "k3y", "username": None},
        ),
        (
            {"ELASTICSEARCH_URL": "https://elastic:s3cret@es.example:9200"},
            {"url": "https://es.example:9200", "username": "elastic", "password": "s3cret"},
        ),
        (
            {
                "ELASTICSEARCH_URL": URL,
                "ELASTICSEARCH_USERNAME": "elastic",
                "ELASTICSEARCH_PASSWORD": "pw",
                "ELASTICSEARCH_VERIFY_CERTS": "false",
                "PANTAU_ES_BATCH_SIZE": "50",
                "PANTAU_ES_SPOOL": "/tmp/spool",
                "PANTAU_ES_PREFIX": "pantau-test",
            },
            {
                "username": "elastic",
                "password": "pw",
                "verify_certs": False,
                "batch_size": 50,
                "spool_dir": Path("/tmp/spool"),
                "prefix": "pantau-test",
            },
        ),
    ],
)
def test_values(env: dict[str, str], expected: dict[str, object]) -> None:
    config = es_config_from(env)
    for key, value in expected.items():
        assert getattr(config, key) == value


@pytest.mark.parametrize(
    "env, named",
    [
        ({"ELASTICSEARCH_URL": "localhost:9200"}, "ELASTICSEARCH_URL"),
        ({"ELASTICSEARCH_URL": "ftp://host"}, "ELASTICSEARCH_URL"),
        ({"ELASTICSEARCH_URL": URL, "ELASTICSEARCH_VERIFY_CERTS": "maybe"}, "VERIFY_CERTS"),
        ({"ELASTICSEARCH_URL": URL, "PANTAU_ES_BATCH_SIZE": "0"}, "PANTAU_ES_BATCH_SIZE"),
        ({"ELASTICSEARCH_URL": URL, "PANTAU_ES_BATCH_SIZE": "many"}, "PANTAU_ES_BATCH_SIZE"),
        ({"ELASTICSEARCH_URL": URL, "ELASTICSEARCH_USERNAME": "u"}, "ELASTICSEARCH_PASSWORD"),
        (
            {"ELASTICSEARCH_URL": URL, "ELASTICSEARCH_API_KEY": "k", "ELASTICSEARCH_PASSWORD": "p"},
            "ELASTICSEARCH_API_KEY",
        ),
        ({"ELASTICSEARCH_URL": URL, "ELASTICSEARCH_CA_CERTS": "/no/ca.pem"}, "CA_CERTS"),
        ({"ELASTICSEARCH_URL": URL, "PANTAU_ES_PREFIX": "Bad Prefix"}, "PANTAU_ES_PREFIX"),
    ],
)
def test_mistakes_name_the_setting(env: dict[str, str], named: str) -> None:
    with pytest.raises(EsConfigError, match=named):
        es_config_from(env)


def test_missing_url_means_not_configured() -> None:
    assert not es_configured({})
    with pytest.raises(EsNotConfigured):
        es_config_from({"ELASTICSEARCH_API_KEY": "k"})


def test_scrapy_settings_fall_back_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELASTICSEARCH_URL", URL)
    monkeypatch.setenv("PANTAU_ES_BATCH_SIZE", "7")
    config = es_config_from(Settings({"PANTAU_ES_BATCH_SIZE": 9}))
    assert config.url == URL and config.batch_size == 9
    assert es_configured(Settings({}))


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://elastic:s3cret@es:9200/x", "https://***@es:9200/x"),
        ("https://es:9200", "https://es:9200"),
        ("http://user@host", "http://***@host"),
    ],
)
def test_redact_url(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_secrets_stay_out_of_repr_and_messages() -> None:
    config = es_config_from(
        {"ELASTICSEARCH_URL": "https://elastic:s3cret@es:9200", "PANTAU_ES_PREFIX": "p"}
    )
    assert "s3cret" not in repr(config)
    assert config.scrub("auth failed for s3cret") == "auth failed for ***"
    keyed = es_config_from({"ELASTICSEARCH_URL": URL, "ELASTICSEARCH_API_KEY": "Zm9vOmJhcg=="})
    assert "Zm9vOmJhcg" not in repr(keyed)
    with pytest.raises(EsConfigError) as error:
        es_config_from({"ELASTICSEARCH_URL": "ftp://elastic:s3cret@es"})
    assert "s3cret" not in str(error.value)


def test_kibana_defaults_to_the_elasticsearch_credentials() -> None:
    env = {
        "ELASTICSEARCH_URL": URL,
        "ELASTICSEARCH_USERNAME": "elastic",
        "ELASTICSEARCH_PASSWORD": "pw",
        "KIBANA_URL": "http://127.0.0.1:5601",
        "KIBANA_SPACE": "pemilu",
    }
    config = kibana_config_from(env)
    assert (config.username, config.password, config.space) == ("elastic", "pw", "pemilu")
    own = kibana_config_from({**env, "KIBANA_API_KEY": "kk"})
    assert own.api_key == "kk" and own.username is None
    with pytest.raises(EsNotConfigured):
        kibana_config_from({"ELASTICSEARCH_URL": URL})


def test_turning_verification_off_is_said_once(caplog: pytest.LogCaptureFixture) -> None:
    config = es_config_from(
        {"ELASTICSEARCH_URL": "https://127.0.0.1:9200", "ELASTICSEARCH_VERIFY_CERTS": "false"}
    )
    with caplog.at_level(logging.WARNING):
        client = make_client(config)
    assert [r.message for r in caplog.records if "verification is OFF" in r.message]
    client.close()


def test_verification_is_on_by_default(caplog: pytest.LogCaptureFixture) -> None:
    config = es_config_from({"ELASTICSEARCH_URL": "https://127.0.0.1:9200"})
    with caplog.at_level(logging.WARNING):
        client = make_client(config)
    assert not caplog.records
    node = next(iter(client.transport.node_pool.all()))
    assert node.config.verify_certs is True
    client.close()
