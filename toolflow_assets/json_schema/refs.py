"""Local `$ref`s (`#/...`): inlining them (ingestion), following them (views at run time), and the one rule
for a reference loop.

The loop rule (`ref_loop`): a `$ref` chain that comes back to where it started through `$ref`s and in-place
applicators only (`allOf`/`anyOf`/`oneOf`/`not`/`if`/`then`/`else`/`dependentSchemas`), never stepping into
a property or an item, describes no value: a validator runs into it forever (JSON Schema 2020-12 §9.4.1:
"the behavior is undefined"). Ingestion quarantines such a schema and the validators call it unusable, with
the same reason. A reference that recurses through a property or an item (a tree) is fine: ingestion cuts
it to an unconstrained schema at its second appearance, validators follow it as deep as the value goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import RefExpansionTooLarge, SchemaProblem, UnresolvableRef

_MAX_REF_DEPTH = 32
# Nodes one schema (or one OpenAPI operation) may expand to once `$ref`s are inlined. A stored schema is
# capped at 200k characters of JSON (ingest.MAX_SCHEMA_CHARS), at least ~4 per node, so a schema past this
# is rejected anyway; the budget only stops building it first.
MAX_REF_NODES = 50_000
_FOLLOW_HOPS = 8

# Applicators that apply their subschemas to the same value (a loop through them never ends).
_IN_PLACE = frozenset({"not", "if", "then", "else"})
_IN_PLACE_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_IN_PLACE_MAPS = frozenset({"dependentSchemas", "dependencies"})
# Keywords that apply their subschemas to a part of the value (a property, an item).
_DESCENDING = frozenset({"items", "additionalProperties", "propertyNames", "contains", "unevaluatedItems",
                         "unevaluatedProperties"})
_DESCENDING_MAPS = frozenset({"properties", "patternProperties"})
_DESCENDING_LISTS = frozenset({"prefixItems", "items"})


class RefLoop(SchemaProblem):
    """`$ref`s that refer to each other without ever stepping into a property or an item."""


@dataclass
class RefBudget:
    """Schema nodes that inlining may still build. Counted as nodes are built, so an expansion stops at the
    limit instead of after exhausting memory; `scope` names what the limit is for in the reason."""

    limit: int = MAX_REF_NODES
    scope: str = "one schema"
    used: int = 0

    def spend(self) -> None:
        self.used += 1
        if self.used > self.limit:
            raise RefExpansionTooLarge(f"$refs expand past {self.limit:,} schema nodes for {self.scope} "
                                       "(references that fan out); not expanded")


def resolve_refs(node: Any, root: Any, budget: RefBudget | None = None) -> Any:
    """Inline local `$ref`s (`#/...`) of `node` against `root`. A recursion through a property or an item
    is cut to an unconstrained schema; a `ref_loop` raises `RefLoop`. Every node built is charged to
    `budget` (a fresh `RefBudget()` when none is given)."""
    loop = ref_loop(node, root, anywhere=True)
    if loop is not None:
        raise RefLoop(loop)
    return _inline(node, root, (), RefBudget() if budget is None else budget)


def _inline(node: Any, root: Any, seen: tuple[str, ...], budget: RefBudget) -> Any:
    budget.spend()
    if isinstance(node, list):
        return [_inline(item, root, seen, budget) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen or len(seen) > _MAX_REF_DEPTH:
            return {"description": f"(recursive reference to {ref})"}
        target = lookup_ref(ref, root)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, root, seen + (ref,), budget)
    return {key: _inline(value, root, seen, budget) for key, value in node.items()}


def lookup_ref(ref: str, root: Any) -> dict[str, Any]:
    """The schema object a local `$ref` points at; `UnresolvableRef` when there is none."""
    if ref == "#":
        target: Any = root
    elif ref.startswith("#/"):
        target = root
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            elif isinstance(target, dict) and part in target:
                target = target[part]
            else:
                raise UnresolvableRef(f"$ref {ref!r} cannot be resolved: no {part!r} in the document")
    else:
        raise UnresolvableRef(f"$ref {ref!r} points outside the document (only local '#/...' references are read)")
    if not isinstance(target, dict):
        raise UnresolvableRef(f"$ref {ref!r} does not point at a schema object")
    return target


def ref_loop(node: Any, root: Any, anywhere: bool = False) -> str | None:
    """The reason `node` (read against `root`) holds a `$ref` loop (see the module's rule), or None.
    `anywhere`: schemas may sit under any key (an OpenAPI operation's `parameters[].schema`, as inlining
    reads them), else only under schema keywords (as a validator reads a schema). Each object is visited
    once, so this is linear in the document however the references fan out."""
    if not isinstance(node, (dict, list)):
        return None
    in_place: dict[str, list[str]] = {}  # schema location -> locations applied to the same value
    targets: set[str] = set()
    start = "#" if node is root else "(schema)"
    pending: list[tuple[str, Any]] = ([(f"{start}/{i}", item) for i, item in enumerate(node)] if isinstance(node, list)
                                      else [(start, node)])
    while pending:
        where, schema = pending.pop()
        if where in in_place or not isinstance(schema, dict):
            continue
        same_value = in_place[where] = []
        for key, value in schema.items():
            here = f"{where}/{_escape(key)}"
            if key == "$ref" and isinstance(value, str):
                try:
                    target = lookup_ref(value, root)
                except UnresolvableRef:
                    continue  # not a loop; ingestion and validators each say what an unresolvable one means
                same_value.append(value)
                targets.add(value)
                pending.append((value, target))
            elif key in _IN_PLACE or key in _DESCENDING:
                pending.append((here, value))
                if key in _IN_PLACE:
                    same_value.append(here)
            elif anywhere and isinstance(value, (dict, list)) and key not in _IN_PLACE_LISTS | _IN_PLACE_MAPS \
                    and key not in _DESCENDING_LISTS | _DESCENDING_MAPS:
                items = enumerate(value) if isinstance(value, list) else [("", value)]
                pending.extend((f"{here}/{index}" if isinstance(value, list) else here, item) for index, item in items)
            for children, applies_in_place in ((_IN_PLACE_LISTS, True), (_DESCENDING_LISTS, False)):
                if key in children and isinstance(value, list):
                    for index, item in enumerate(value):
                        pending.append((f"{here}/{index}", item))
                        if applies_in_place:
                            same_value.append(f"{here}/{index}")
            for children, applies_in_place in ((_IN_PLACE_MAPS, True), (_DESCENDING_MAPS, False)):
                if key in children and isinstance(value, dict):
                    for name, item in value.items():
                        pending.append((f"{here}/{_escape(str(name))}", item))
                        if applies_in_place and isinstance(item, dict):
                            same_value.append(f"{here}/{_escape(str(name))}")
    cycle = _cycle(in_place)
    if cycle is None:
        return None
    refs = [step for step in cycle if step in targets]
    if refs:  # told from its smallest reference, so every caller names the same loop the same way
        first = refs.index(min(refs))
        refs = refs[first:] + refs[:first]
    shown = " -> ".join(refs + refs[:1]) if refs else " -> ".join(cycle)
    return (f"$ref loop {shown}: the schema refers to itself without stepping into a property or an item, "
            "so no value can be checked against it")


def _cycle(edges: dict[str, list[str]]) -> list[str] | None:
    """One cycle of the graph (its nodes in order), or None. Iterative, so deep schemas cannot overflow."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in edges:
        if start in state:
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            current, index = stack.pop()
            if index == 0:
                state[current] = 1
                path.append(current)
            successors = edges.get(current, [])
            if index < len(successors):
                stack.append((current, index + 1))
                nxt = successors[index]
                if state.get(nxt) == 1:
                    return path[path.index(nxt):]
                if nxt not in state and nxt in edges:
                    stack.append((nxt, 0))
            else:
                state[current] = 2
                path.pop()
    return None


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def resolve_ref(schema: Any, root: Any) -> Any:
    """A schema view with its local `$ref`s followed (a few hops, the `$ref`'s siblings kept over the
    target's); a reference that cannot be followed leaves its siblings only (any value, as far as the
    reference goes). For walking a stored schema at run time, where ingestion already inlined references."""
    hops = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < _FOLLOW_HOPS:
        ref = schema["$ref"]
        target: Any = root
        if not ref.startswith("#"):
            return {k: v for k, v in schema.items() if k != "$ref"}
        for part in [p for p in ref[1:].split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                return {k: v for k, v in schema.items() if k != "$ref"}
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings} if isinstance(target, dict) and siblings else target
        hops += 1
    return schema
