"""Analysts' Lucene syntax as an Elasticsearch ``query_string``, the same way everywhere.

Search, the percolator and Kibana's saved searches read a query alike:

- bare terms are AND-ed (``default_operator: AND``), as in the embedded store, so a search
  narrows as words are added; Kibana's own search bar defaults to OR, so type AND/OR explicitly
  there when it matters;
- unqualified terms look in title and body (title counts double) and in their English copies;
- quoted phrases match the unstemmed ``.exact`` subfields (``quote_field_suffix``), so
  "serangan fajar" means those words, not any of their stems;
- the short field names of the query language (``outlet:``, ``topic:``, ...) and upper-case field
  names are rewritten to the mapped fields before the query leaves, because the percolator does
  not resolve field aliases the way search does.
"""

from __future__ import annotations

from typing import Any

from luqum.exceptions import ParseError
from luqum.parser import parser
from luqum.tree import SearchField
from luqum.visitor import TreeTransformer

from pantau.query import FIELD_ALIASES

TEXT_FIELDS = ("title^2", "body", "title_en^2", "body_en")


class _RenameFields(TreeTransformer):
    def visit_search_field(self, node: SearchField, context: dict) -> Any:
        renamed = self._clone_item(node)
        name = node.name.lower()
        renamed.name = FIELD_ALIASES.get(name, name)
        renamed.children = list(self.clone_children(node, renamed, context))
        yield renamed


def rewrite_fields(text: str) -> str:
    """``text`` with the query language's field names spelled as mapped; unchanged if unparsable.

    An unparsable query is left for Elasticsearch to reject with its own message.
    """
    try:
        tree = parser.parse(text)
    except (ParseError, TypeError, ValueError):
        return text
    return str(_RenameFields(track_parents=False).visit(tree))


def query_string(text: str) -> dict[str, Any]:
    """The ``query_string`` clause for ``text`` (module docstring for the choices)."""
    return {
        "query_string": {
            "query": rewrite_fields(text),
            "fields": list(TEXT_FIELDS),
            "default_operator": "AND",
            "quote_field_suffix": ".exact",
            "lenient": True,
        }
    }
