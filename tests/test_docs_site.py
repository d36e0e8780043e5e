"""The programme documentation site: built for real with MkDocs from mkdocs.yml, docs/ and the
app's own OpenAPI document, then read back as a reader's browser would get it.

One build is shared by the module (about a second); the failure cases stop in the data
validation, before MkDocs writes anything.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from sites.programme.build import OPENAPI_ENV, DocsBuildError, build_docs_site
from sites.programme.data import ProgrammeDataError, load_programme, parse_programme

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
DATA = ROOT / "docs" / "data" / "programme.yml"
SITE_URL = "http://127.0.0.1:8000/docs/"


@pytest.fixture(scope="module")
def openapi(tmp_path_factory) -> dict:
    from api import create_app
    from api.config import Settings

    tmp = tmp_path_factory.mktemp("openapi")
    app = create_app(Settings(database_url=f"sqlite:///{tmp / 'o.db'}", storage_url=(tmp / "media").as_uri(), var_dir=tmp))
    return json.loads(json.dumps(app.api_doc))


@pytest.fixture(scope="module")
def site(openapi, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs-site")
    result = build_docs_site(out, openapi=openapi, config_file=CONFIG)
    assert result.site_dir == out.resolve()
    assert result.api_reference and result.pages >= 15
    assert "pages" in result.summary()
    return out


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def figures(text: str) -> list[str]:
    return re.findall(r"<figure\b.*?</figure>", text, re.S)


def test_every_pillar_has_a_page_with_its_programmes_and_action_plans(site):
    data = load_programme(DATA)
    assert len(data.pillars) == 6
    for pillar in data.pillars:
        text = html.unescape(page(site, f"pilar/{pillar.slug}"))
        assert f">{pillar.name}<" in text
        for programme in pillar.programmes:
            assert programme.name in text
        for plan in data.plans_of(pillar=pillar.slug):
            assert plan.id in text and plan.title in text and plan.lead_agency in text
            assert f'value="{plan.progress}"' in text
    # The navigation follows the data file: every page links every pillar.
    home = page(site, "")
    for pillar in data.pillars:
        assert f'href="pilar/{pillar.slug}/"' in home


def test_action_plans_page_has_an_accessible_progress_chart_with_its_data_table(site):
    data = load_programme(DATA)
    text = page(site, "rencana-aksi")
    [chart] = figures(text)
    svg = re.search(r"<svg\b[^>]*>", chart).group(0)
    assert 'role="img"' in svg and "aria-labelledby" in svg
    assert re.search(r"<title id=\"[^\"]+\">[^<]+</title>", chart)
    assert re.search(r"<desc id=\"[^\"]+\">[^<]+</desc>", chart)
    assert "<figcaption>" in chart
    table = re.search(r"<table>.*?</table>", chart, re.S).group(0)
    for plan in data.action_plans:
        assert plan.id in table
        assert f"{plan.progress}%" in table
    # Estimated figures are labelled as such, in the table and in the text alternative.
    estimated = [plan for plan in data.action_plans if plan.progress_estimated]
    assert estimated and "perkiraan" in table


def test_every_chart_on_the_site_has_a_text_alternative_and_a_table(site):
    charts = [chart for path in site.rglob("*.html") for chart in figures(path.read_text(encoding="utf-8"))]
    assert len(charts) >= 2
    for chart in charts:
        assert 'role="img"' in chart and "<desc " in chart and "<figcaption>" in chart and "<table>" in chart


def test_application_pages_show_their_action_plans_from_the_data(site):
    data = load_programme(DATA)
    linked = [plan for plan in data.action_plans if plan.page]
    assert linked
    for plan in linked:
        text = html.unescape(page(site, plan.page.removesuffix(".md")))
        assert plan.id in text and plan.status_label in text and f"{plan.progress}%" in text


def test_api_reference_is_rendered_from_the_openapi_document(site, openapi):
    text = html.unescape(page(site, "referensi-api"))
    assert "/api/v1/checkouts/{checkout_id}/complete" in text
    assert "Idempotency-Key" in text
    for path in openapi["paths"]:
        assert path in text
    # Request body fields come from resolved $refs, nested objects flattened.
    assert "shipping_address.kecamatan" in text
    assert "variants[].price" in text
    assert "Perlu token: ya" in re.sub(r"<[^>]+>", "", text)
    # Every schema named in a table links to its own section on the page.
    ids = set(re.findall(r'id="([^"]+)"', text))
    assert set(re.findall(r'href="#([^"]+)"', text)) <= ids
    assert "skema-completionout" in ids


def test_pages_are_in_indonesian(site):
    for path in site.rglob("*.html"):
        assert '<html lang="id"' in path.read_text(encoding="utf-8"), path


def test_search_has_no_english_stemmer_and_splits_on_punctuation(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    config = index["config"]
    assert "stemmer" not in config["pipeline"] and "stopWordFilter" not in config["pipeline"]
    separator = re.compile(config["separator"])
    tokens = [t for t in separator.split("Jl. Slamet-Riyadi, harga Rp15.000 (perkiraan)/checkout_id") if t]
    assert tokens == ["Jl", "Slamet", "Riyadi", "harga", "Rp15.000", "perkiraan", "checkout_id"]
    assert any("Behambinan" in doc["text"] for doc in index["docs"])


# Attributes and CSS constructs through which a page makes the browser fetch or go somewhere.
_URL_PATTERNS = [
    re.compile(r"""\b(?:src|href|action|poster|data|formaction)\s*=\s*["']?([^"'\s>]+)""", re.I),
    re.compile(r"""\bsrcset\s*=\s*["']([^"']+)["']""", re.I),
    re.compile(r"""url\(\s*["']?([^"')]+)""", re.I),
    re.compile(r"""@import\s+(?:url\()?\s*["']?([^"')\s;]+)""", re.I),
]


def _other_hosts(text: str) -> set[str]:
    own = urlsplit(SITE_URL).netloc
    found = set()
    for pattern in _URL_PATTERNS:
        for value in pattern.findall(text):
            for url in value.split(","):
                url = url.strip().split(" ")[0]
                if url.startswith("data:"):
                    continue
                if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I) and urlsplit(url).netloc != own:
                    found.add(url)
    return found


def test_nothing_is_loaded_from_or_linked_to_another_host(site):
    offenders = {}
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            hosts = _other_hosts(path.read_text(encoding="utf-8", errors="replace"))
            if hosts:
                offenders[str(path.relative_to(site))] = sorted(hosts)[:5]
    assert offenders == {}
    assert "fonts.googleapis.com" not in page(site, "")


def test_the_scanner_sees_external_references():
    assert _other_hosts('<link href="https://fonts.googleapis.com/css">') == {"https://fonts.googleapis.com/css"}
    assert _other_hosts("@import url('//cdn.example.com/x.css');") == {"//cdn.example.com/x.css"}
    assert _other_hosts(f'<a href="{SITE_URL}pilar/">') == set()
    assert _other_hosts("""background: url("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>")""") == set()


def test_data_file_is_not_published(site):
    assert not (site / "data").exists()
    assert not list(site.rglob("*.yml"))


def test_without_openapi_the_build_succeeds_and_says_how_to_get_the_reference(tmp_path):
    os.environ.pop(OPENAPI_ENV, None)
    result = build_docs_site(tmp_path / "site", openapi=None, config_file=CONFIG)
    assert not result.api_reference
    text = page(tmp_path / "site", "referensi-api")
    assert "smartcity sites build docs" in text
    assert OPENAPI_ENV not in os.environ


@pytest.mark.parametrize(
    ("plan_id", "field", "value"),
    [
        ("RA-ECO-03", "progress", 150),
        ("RA-ENV-01", "pillar", "smart-mining"),
        ("RA-LIV-01", "status", "hampir selesai"),
    ],
)
def test_bad_data_fails_the_build_naming_the_action_plan_and_field(tmp_path, plan_id, field, value):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    raw = yaml.safe_load((docs / "data" / "programme.yml").read_text(encoding="utf-8"))
    [plan] = [p for p in raw["action_plans"] if p["id"] == plan_id]
    plan[field] = value
    (docs / "data" / "programme.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")

    with pytest.raises(DocsBuildError) as error:
        build_docs_site(tmp_path / "site", openapi=None, config_file=CONFIG, docs_dir=docs)
    message = str(error.value)
    assert f"action plan '{plan_id}'" in message and f"field '{field}'" in message
    assert str(value) in message


def test_misspelt_field_is_named():
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    raw["action_plans"][0]["progres"] = raw["action_plans"][0].pop("progress")
    with pytest.raises(ProgrammeDataError, match=r"action plan 'RA-GOV-01', field 'progres'"):
        parse_programme(raw)


def test_a_document_that_is_not_openapi_fails_the_build(tmp_path):
    with pytest.raises(DocsBuildError, match=OPENAPI_ENV):
        build_docs_site(tmp_path / "site", openapi={"swagger": "2.0"}, config_file=CONFIG)
