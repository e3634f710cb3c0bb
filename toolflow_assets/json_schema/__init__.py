"""JSON Schema, once for every stage: a leaf package (it imports no stage).

- `dialects`: corpus dialects (BFCL's Python type names, draft-3 `required`, shorthands) to draft 2020-12;
- `meta`: the structural draft 2020-12 meta-schema check (what a valid schema is);
- `refs`: local `$ref`s: inlined at ingestion, followed at run time, and the rule for a `$ref` loop;
- `validate`: values against schemas, with one rule for a schema that cannot be used (`schema_problem`);
- `walk`: views of a schema (`$ref` and `allOf` folded), the sub-schema at a path, branches and children;
- `paths`: the field path syntax (`results[].id`) and reading and writing values at a path;
- `errors`: the exceptions, `SchemaProblem` (a schema ingestion rejects) and `UnusableSchema`.
"""
