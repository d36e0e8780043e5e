"""Product search: ranked by the databases' own full-text engines, name before description,
prefixes match, Indonesian words are not stemmed, keyset paging still works."""

from __future__ import annotations

import pytest

AMPLANG = "kerupuk amplang"


@pytest.fixture
def catalog(api):
    token, store = api.seller_with_store()

    def add(name, description="", category="kue-camilan"):
        return api.add_product(token, store["id"], name=name, description=description, category=category)["id"]

    ids = {
        # the product that used to come first for "amplang": the word is only in its description, often
        "keripik": add("Keripik Pisang Kepok", "Renyah seperti amplang. Amplang? Bukan, ini keripik, teman amplang."),
        "amplang_ikan": add("Amplang Ikan Pipih", "Kerupuk ikan dari Samarinda."),
        "amplang_udang": add("Amplang Udang Galah", "Gurih."),
        "piring": add("Piring Rotan", "Anyaman rotan.", category="kerajinan"),
        "piramida": add("Piramida Kue Lapis", "Kue lapis bertingkat."),
        "tenun": add("Sarung Tenun Samarinda", "Sutra, motif belang hatta.", category="sarung-tenun-fashion"),
    }
    return token, store, ids


def search(api, q, **params):
    response = api.call("GET", "/api/v1/products", query_string={"q": q, **params})
    assert response.status_code == 200, response.json
    return response.json


def ids_of(page):
    return [item["id"] for item in page["items"]]


def test_a_match_in_the_name_comes_before_one_in_the_description(api, catalog):
    _, _, ids = catalog
    found = ids_of(search(api, "amplang"))
    assert set(found[:2]) == {ids["amplang_ikan"], ids["amplang_udang"]}
    assert found[2] == ids["keripik"] and len(found) == 3


def test_prefixes_match_and_every_word_must(api, catalog):
    _, _, ids = catalog
    assert ids_of(search(api, "kerip")) == [ids["keripik"]]
    assert ids_of(search(api, "AMPL udang")) == [ids["amplang_udang"]]
    assert ids_of(search(api, "amplang durian")) == []


def test_indonesian_words_are_not_stemmed_as_english(api, catalog):
    # An English stemmer makes "piring" (a plate) "pir", which would also find "Piramida".
    _, _, ids = catalog
    assert ids_of(search(api, "piring")) == [ids["piring"]]
    assert ids_of(search(api, "tenun")) == [ids["tenun"]]


def test_what_a_shopper_types_is_never_a_query_language(api, catalog):
    _, _, ids = catalog
    for q in ('"amplang" OR *', "amplang*", "NEAR(amplang udang)", "amplang:* | piring", "'; DROP TABLE products; --",
              "name:amplang", "(((", "\u200b", "_", "🦐 amplang"):
        page = search(api, q)
        assert set(ids_of(page)) <= set(ids.values()), q
    assert search(api, "   ")["items"]  # a blank search is no search: the whole catalogue, newest first
    assert search(api, "%")["items"] == [] and search(api, "\u200b")["items"] == []


def test_search_follows_renames_and_leaves_out_what_is_not_for_sale(api, catalog):
    token, store, ids = catalog
    renamed = api.call("PATCH", f"/api/v1/stores/{store['id']}/products/{ids['piring']}", token=token,
                       json={"name": "Nampan Rotan"})
    assert renamed.status_code == 200
    assert ids_of(search(api, "piring")) == []
    assert ids_of(search(api, "nampan")) == [ids["piring"]]
    assert api.call("DELETE", f"/api/v1/stores/{store['id']}/products/{ids['tenun']}", token=token).status_code == 204
    assert ids_of(search(api, "tenun")) == []


def test_a_search_combines_with_filters(api, catalog):
    _, _, ids = catalog
    assert ids_of(search(api, "amplang", category="kerajinan")) == []
    assert set(ids_of(search(api, "rotan", category="kerajinan"))) == {ids["piring"]}


def test_ranked_results_page_with_a_cursor_without_gaps_or_repeats(api):
    token, store = api.seller_with_store()
    made = [api.add_product(token, store["id"], name=f"Amplang Nomor {n}" if n % 3 else f"Kue {n}",
                            description="amplang " * (n % 4))["id"] for n in range(30)]
    everything = ids_of(search(api, "amplang", limit=100))
    seen, cursor = [], None
    while True:
        page = search(api, "amplang", limit=7, **({"cursor": cursor} if cursor else {}))
        seen += ids_of(page)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == everything and len(set(seen)) == len(seen)
    assert set(seen) <= set(made) and len(seen) == sum(1 for n in range(30) if n % 3 or n % 4)
    bad = api.call("GET", "/api/v1/products", query_string={"q": "amplang", "cursor": "eyJyYW5rIjoiTmFOIiwiaWQiOjF9"})
    assert bad.status_code == 422 and bad.json["errors"][0]["field"] == "cursor"
