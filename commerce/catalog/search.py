"""Product search that finds what shoppers mean, with each database's own full-text engine.

- **SQLite**: an FTS5 index of name and description (``products_fts``, kept by triggers,
  migration 0005), ranked by ``bm25`` with a name match weighing ten times a description match.
- **PostgreSQL**: a stored ``tsvector`` (``products.search_vector``: the name with weight A, the
  description with weight B) under a GIN index, ranked by ``ts_rank`` with A ten times B.

Both use the ``simple`` configuration / ``unicode61`` tokenizer: words are lower-cased and
(SQLite) stripped of diacritics but never stemmed, so Indonesian words are not mangled by an
English stemmer. Every word the shopper types must match, each as a prefix (``kerip`` finds
``keripik``). Results are ranked best first, then newest first, and paged with a keyset cursor
on (rank, id), so paging stays stable and cheap.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import ColumnElement, Double, Select, and_, bindparam, cast, column, func, literal_column, or_, table

__all__ = ["SearchTerms", "search_terms", "apply_search", "after", "MAX_TERMS"]

MAX_TERMS = 8
# A word: letters and digits of any script. Everything else (operators, quotes, punctuation,
# underscores) only separates words, so nothing a shopper types can change the query's meaning.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_FTS = table("products_fts", column("rowid"))
NAME_WEIGHT, DESCRIPTION_WEIGHT = 10.0, 1.0


class SearchTerms(NamedTuple):
    words: tuple[str, ...]

    def fts5(self) -> str:
        # Each word quoted (so FTS5 reads no operator in it) and made a prefix; all must match.
        return " ".join(f'"{word}"*' for word in self.words)

    def tsquery(self) -> str:
        return " & ".join(f"{word}:*" for word in self.words)


def search_terms(q: str) -> SearchTerms:
    """The words of a search, lower-cased, at most :data:`MAX_TERMS` (none when the shopper
    typed only punctuation: such a search finds nothing)."""
    return SearchTerms(tuple(dict.fromkeys(w.lower() for w in _WORD.findall(q)))[:MAX_TERMS])


def apply_search(query: Select, *, dialect: str, terms: SearchTerms, product_id) -> tuple[Select, ColumnElement, bool]:
    """``query`` (over products) restricted to those matching ``terms``; returns (query, rank
    expression, whether a higher rank is better)."""
    if dialect == "postgresql":
        tsquery = func.to_tsquery("simple", bindparam("search_tsquery", terms.tsquery()))
        vector = literal_column("products.search_vector")
        weights = literal_column(f"'{{0,0,{DESCRIPTION_WEIGHT / NAME_WEIGHT},1}}'::float4[]")
        # As double precision: ts_rank's real would come back rounded to a decimal, and the
        # cursor's rank would then never equal the row's again.
        rank = cast(func.ts_rank(weights, vector, tsquery), Double)
        return query.where(vector.op("@@")(tsquery)), rank, True
    # FTS5's bm25() is negative, and smaller for better matches.
    rank = func.bm25(literal_column("products_fts"), NAME_WEIGHT, DESCRIPTION_WEIGHT)
    query = query.join(_FTS, _FTS.c.rowid == product_id).where(
        literal_column("products_fts").op("MATCH")(bindparam("search_fts", terms.fts5()))
    )
    return query, rank, False


def after(rank: ColumnElement, product_id, *, last_rank: float, last_id: int, higher_is_better: bool):
    """The keyset condition for the rows after (last_rank, last_id) in rank-then-newest order."""
    worse = rank < last_rank if higher_is_better else rank > last_rank
    return or_(worse, and_(rank == last_rank, product_id < last_id))
