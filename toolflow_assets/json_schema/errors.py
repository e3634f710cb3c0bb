"""What can be wrong with a schema, as exceptions every stage catches by the same names."""

from __future__ import annotations


class SchemaProblem(ValueError):
    """A schema that cannot be turned into valid JSON Schema (ingestion quarantines its tool with this reason)."""


class UnresolvableRef(SchemaProblem):
    """A `$ref` that points nowhere (or outside the document)."""


class RefExpansionTooLarge(SchemaProblem):
    """Inlining `$ref`s would build more schema nodes than the budget allows (e.g. 10 schemas that each
    reference the next 10 times: 10^10 nodes from a 4 KB file)."""


class UnusableSchema(ValueError):
    """The declared schema itself is invalid, so values cannot be checked against it."""
