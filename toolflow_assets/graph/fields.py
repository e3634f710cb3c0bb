"""Flatten tools into the fields that the graph matches: input parameters and output (return) fields.

Paths are dotted; `[]` marks "any element of this array", so `hotels[].hotel_id` is the `hotel_id` of an
element of the `hotels` array a tool returns. Container fields (objects, arrays) are fields too, so an
object output can fill an object parameter.

Most catalogs declare no return schema (ToolBench and BFCL tools rarely do). For those tools we infer
candidate outputs from the tool's name and the first sentence of its description — `get_user_id` →
`user_id`, "Calculates the area of a circle" → `area` — and mark them `inferred`, so a later stage can
tell a declared output from a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..json_schema.dialects import dialect_type
from ..json_schema.walk import view
from ..tools import Tool
from .text import base_tool_name, snake_case, split_identifier, stem

MAX_DEPTH = 3
MAX_FIELDS_PER_SIDE = 48
MAX_ENUM_IN_TEXT = 6

# Normalized field types. `any` means "unknown": compatible with everything.
FIELD_TYPES = ("string", "integer", "number", "boolean", "array", "object", "any")
_SCALAR_TYPES = frozenset({"string", "integer", "number"})

# Which output types can fill an input of a given type (data_flow). Strict on purpose: letting numbers
# fill strings linked `area` (a number) of a geometry tool to `area` ("the city and state") of a lawyer
# search; integer and number mix freely.
_FILLS: dict[str, frozenset[str]] = {
    "string": frozenset({"string"}),
    "integer": frozenset({"integer", "number"}),
    "number": frozenset({"integer", "number"}),
    "boolean": frozenset({"boolean"}),
    "array": frozenset({"array"}),
    "object": frozenset({"object"}),
}


@dataclass(frozen=True)
class ToolField:
    """One input parameter or output field of one tool (`tool_index` is its row in the catalog)."""

    tool_index: int
    direction: str  # "input" | "output"
    path: str
    name: str  # the leaf name, e.g. `hotel_id` for `hotels[].hotel_id`
    type: str  # one of FIELD_TYPES
    description: str
    enum: tuple[str, ...] = ()
    inferred: bool = False

    def embedding_text(self) -> str:
        """`"{name}: {description}"`, the ToolFlow field text; a few enum values are appended if present."""
        text = f"{self.name}: {self.description}".strip()
        if self.enum:
            text += " (one of: " + ", ".join(self.enum[:MAX_ENUM_IN_TEXT]) + ")"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "type": self.type, "description": self.description, "inferred": self.inferred}


def fills(output_type: str, input_type: str) -> bool:
    """True when a value of `output_type` can be passed as an argument of `input_type`."""
    if output_type == "any" or input_type == "any":
        return True
    return output_type in _FILLS.get(input_type, frozenset())


def compatible_for_sharing(type_a: str, type_b: str) -> bool:
    """Two parameters can be "the same parameter" when either could fill the other."""
    return fills(type_a, type_b) or fills(type_b, type_a)


def normalize_type(schema: dict[str, Any]) -> str:
    raw = schema.get("type")
    if isinstance(raw, list):
        non_null = [t for t in raw if t != "null"]
        raw = non_null[0] if non_null else None
    standard = dialect_type(raw) if isinstance(raw, str) else None  # ingestion's reading of type names
    if standard in _FILLS:
        return standard
    if "enum" in schema:
        return "string"
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "any"


def _enum_values(schema: dict[str, Any]) -> tuple[str, ...]:
    values = schema.get("enum")
    if not isinstance(values, list):
        return ()
    return tuple(str(v) for v in values)


def _describe(schema: dict[str, Any]) -> str:
    text = schema.get("description") or schema.get("title") or ""
    return " ".join(str(text).split())[:300]


def _walk(
    schema: dict[str, Any], prefix: str, depth: int, out: list[tuple[str, str, dict[str, Any]]], root: Any,
    elements: bool = False,
) -> None:
    """Collect (path, leaf name, schema) for every property below `schema`, containers included. Schemas
    are read as views (`$ref` followed, `allOf` parts folded: json_schema.walk), as the planner and the
    executors read the same paths. With `elements`, an array of plain values has its element as a field too
    (`current_directory_content[]`, a string): one name of a listing is what the next call takes."""
    properties = schema.get("properties")
    if not isinstance(properties, dict) or depth > MAX_DEPTH:
        return
    for key in sorted(properties):  # sorted: field order never depends on how the JSON was written
        child = view(properties[key], root)
        if not isinstance(child, dict):
            continue
        path = f"{prefix}.{key}" if prefix else key
        out.append((path, key, child))
        if len(out) >= MAX_FIELDS_PER_SIDE:
            return
        ftype = normalize_type(child)
        items = view(child.get("items"), root)
        if ftype == "object":
            _walk(child, path, depth + 1, out, root, elements)
        elif ftype == "array" and isinstance(items, dict):
            if elements and normalize_type(items) in _SCALAR_TYPES:
                # the element says what it is by its list's name and description
                out.append((path + "[]", key, {**items, "description": _describe(items) or _describe(child)}))
                if len(out) >= MAX_FIELDS_PER_SIDE:
                    return
            _walk(items, path + "[]", depth + 1, out, root, elements)


def _fields_from_schema(
    tool_index: int, direction: str, schema: dict[str, Any], fallback_description: str = "", root: Any = None
) -> list[ToolField]:
    """Fields below a schema. A field without a description borrows the tool's first sentence, so that
    `id` of a cocktail tool and `id` of an anime tool do not look identical. Outputs have the elements of
    their arrays of plain values as fields (a returned list's one name feeds a parameter); inputs do not
    (the planner fills a list parameter whole)."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    _walk(view(schema, root if root is not None else schema), "", 0, found, root if root is not None else schema,
          elements=direction == "output")
    return [
        ToolField(
            tool_index=tool_index,
            direction=direction,
            path=path,
            name=name,
            type=normalize_type(child),
            description=_describe(child) or fallback_description,
            enum=_enum_values(child),
        )
        for path, name, child in found[:MAX_FIELDS_PER_SIDE]
    ]


def input_fields(tool: Tool, tool_index: int) -> list[ToolField]:
    return _fields_from_schema(tool_index, "input", tool.parameters or {}, _first_sentence(tool.description))


def declared_output_fields(tool: Tool, tool_index: int) -> list[ToolField]:
    """Output fields from the tool's return schema; a scalar or array return becomes one `result` field."""
    root = tool.returns
    if not isinstance(root, dict) or not root:
        return []
    returns = view(root, root)
    if not isinstance(returns, dict):
        return []
    rtype = normalize_type(returns)
    fields: list[ToolField] = []
    if rtype == "object" and isinstance(returns.get("properties"), dict) and returns["properties"]:
        return _fields_from_schema(tool_index, "output", returns, _first_sentence(tool.description), root)
    items = view(returns.get("items"), root)
    if rtype == "array" and isinstance(items, dict) and isinstance(items.get("properties"), dict):
        fields.append(ToolField(tool_index, "output", "result", "result", "array", _describe(returns) or _first_sentence(tool.description)))
        for field in _fields_from_schema(tool_index, "output", items, _first_sentence(tool.description), root):
            fields.append(
                ToolField(tool_index, "output", "result[]." + field.path, field.name, field.type, field.description, field.enum)
            )
        return fields[:MAX_FIELDS_PER_SIDE]
    description = _describe(returns) or _first_sentence(tool.description)
    return [ToolField(tool_index, "output", "result", "result", rtype, description, _enum_values(returns))]


def output_fields(tool: Tool, tool_index: int, infer: bool = True, max_inferred: int = 3) -> list[ToolField]:
    declared = declared_output_fields(tool, tool_index)
    if declared or not infer:
        return declared
    return infer_output_fields(tool, tool_index, max_inferred)


# --- Output inference -------------------------------------------------------------------------------

_RETRIEVE_VERBS = frozenset(
    "get fetch retrieve find search lookup look list query read load show view obtain locate discover "
    "browse explore recommend suggest select pick identify detect extract scan return provide give".split()
)
_COMPUTE_VERBS = frozenset(
    "calculate calc compute estimate predict convert measure count determine evaluate analyze analyse "
    "score rate forecast simulate solve sum average".split()
)
_CREATE_VERBS = frozenset(
    "create add generate make book reserve buy purchase register upload post send schedule open start "
    "submit place order new insert issue allocate assign".split()
)
# Verbs whose tools act rather than answer: their name says nothing about what they return.
_ACTION_VERBS = frozenset(
    "update delete remove set cancel play stop push pull connect disconnect transfer move rename copy pause "
    "resume enable disable toggle close turn mark log save clear reset install uninstall deploy restart "
    "edit modify change append archive unarchive invite kick join leave mute unmute like follow unfollow "
    "execute run invoke trigger render display print write notify approve reject revoke grant lock unlock "
    "sync refresh upgrade patch put".split()
)
_VERBS = _RETRIEVE_VERBS | _COMPUTE_VERBS | _CREATE_VERBS | _ACTION_VERBS
# Verbs that name their own result: `sum_numbers` returns a sum, not numbers.
_QUANTITY_VERBS = frozenset("sum average count mean median total multiply divide subtract".split())
_QUANTITY_NOUNS = {"multiply": "product", "divide": "quotient", "subtract": "difference"}
# `lawyer_finder` names a tool by what it does to its object: treat the suffix as the verb.
_AGENT_NOUNS = {
    "finder": "find", "calculator": "calculate", "search": "search", "searcher": "search", "locator": "find",
    "lookup": "lookup", "generator": "generate", "converter": "convert", "estimator": "estimate",
    "predictor": "predict", "analyzer": "analyze", "analyser": "analyze", "checker": "check",
    "planner": "get", "selector": "select", "tracker": "get", "recommender": "recommend", "getter": "get",
    "fetcher": "fetch", "counter": "count", "info": "get", "details": "get", "detail": "get", "stats": "get",
}

_ID_WORDS = frozenset("id ids uuid key token url uri code number handle slug".split())
_NUMERIC_WORDS = frozenset(
    """area volume distance price cost tax total sum average mean median probability rate ratio speed velocity
    acceleration force energy power time duration count amount balance score temperature pressure weight mass
    height length width depth radius circumference perimeter percentage percent interest return profit
    revenue salary income frequency density population age factorial fee fare budget size capacity
    latitude longitude elevation altitude quantity level magnitude value result gcd lcm square root
    deviation variance correlation derivative integral angle momentum charge current voltage resistance
    calories""".split()
)
_BOOLEAN_VERBS = frozenset("check verify validate is has can".split())
_PLURAL_HINT_WORDS = frozenset("list search find browse recommend suggest discover explore".split())
_LEADING_FILLER = frozenset(
    """the a an list lists set of some all any details detail information info about data current
    new several various multiple one more specific specified given particular corresponding for available
    upcoming recent latest top best random certain relevant""".split()
)

# "Retrieves the origin and founder information of a specified religion." → "origin and founder information"
_DESCRIPTION_PATTERN = re.compile(
    r"^(?:this (?:tool|function|endpoint|api|method) )?(?:(?:will|can|is used to|allows? (?:users? )?to|helps? to) )?"
    r"(?P<verb>retrieves?|returns?|gets?|fetch(?:es)?|finds?|calculates?|computes?|provides?|searche?s?|looks? up|"
    r"lists?|estimates?|predicts?|converts?|determines?|generates?|creates?|obtains?|locates?|identif(?:y|ies)|"
    r"measures?|counts?|gives?|shows?|displays?|reports?|checks?)\s+"
    r"(?P<obj>[a-z0-9 ,'-]+?)"
    r"(?=\s+(?:of|for|in|from|based|given|by|with|that|which|using|at|on|within|between|to|into|under|"
    r"across|over|after|before|when|where|if|as|via|per|near|around|related|associated|generated|produced|"
    r"including|such|along|matching|belonging|available|made|used)\b|[.,;:(]|$)",
    re.IGNORECASE,
)


# "a paginated list of alerts" → "alerts": the collection word is not what the tool returns.
_COLLECTION_PHRASE = re.compile(
    r"\b(?:a|an|the)?\s*(?:[a-z]+\s)?(?:list|set|collection|array|series|summary|overview|details|information|"
    r"info|data|snapshot)s? (?:of|about|on|regarding) ",
    re.IGNORECASE,
)


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    marker = "Tool description:"
    if marker in text:  # BFCL multi-turn tools prefix a suite blurb before the real description
        text = text.split(marker, 1)[1].strip()
    match = re.search(r"(?<=[a-z0-9)])[.!?](\s|$)", text)
    sentence = text[: match.start() + 1] if match else text
    return sentence[:200]


def _guess_type(words: list[str], verb: str | None) -> str:
    if not words:
        return "any"
    last = words[-1]
    if last in _ID_WORDS or last in ("name", "title", "address", "email", "path", "status", "message"):
        return "string"
    if verb in _BOOLEAN_VERBS or words[0] in ("is", "has", "can"):
        return "boolean"
    if verb in _PLURAL_HINT_WORDS or (last.endswith("s") and stem(last) != last):
        return "array"
    if any(stem(w) in _NUMERIC_WORDS for w in words):
        return "number"
    if verb in _COMPUTE_VERBS:
        return "number"
    return "string"


def _object_words(words: list[str]) -> list[str]:
    while words and (words[0] in _LEADING_FILLER or words[0] in _VERBS or stem(words[0]) in _VERBS):
        words = words[1:]
    return words[-3:]  # the head of a noun phrase is at its end; three words keep "rental car price"


_GENERIC_WORDS = frozenset("name id value result data status details information info list number count".split())


def _owner_words(rest: str) -> list[str]:
    """The noun after "of": " of the discoverer of an element" → ["discoverer"]."""
    match = re.match(r"\s+of\s+(?:the\s+|a\s+|an\s+|given\s+|specified\s+)*([a-z0-9]+(?:\s+[a-z0-9]+)?)", rest, re.I)
    if not match:
        return []
    words = [w for w in split_identifier(match.group(1)) if w not in _LEADING_FILLER]
    stop = {"in", "for", "from", "by", "with", "on", "at", "to", "based", "given", "using"}
    kept: list[str] = []
    for word in words:
        if word in stop:
            break
        kept.append(stem(word))
    return kept[:2]


def name_parts(tool: Tool) -> tuple[str | None, list[str]]:
    """(verb, object words) from the tool name: `weather.get_forecast` → ("get", ["forecast"]).

    `lawyer_finder` → ("find", ["lawyer"]); `leader_info` → ("get", ["leader"]); no verb → (None, words).
    """
    raw = base_tool_name(tool.original_name or tool.name)
    # REST paths name their parameters as segments (`/create_task/:service/:tracking_code`): those are
    # inputs, so the verb and its object come from the last segment that is not one
    segments = [s for s in re.split(r"[./]", raw) if s and not s.startswith((":", "{"))]
    function = segments[-1] if segments else raw
    namespace_words = split_identifier(" ".join(segments[:-1]))
    words = [w for w in split_identifier(function) if not w.isdigit()]
    for position, word in enumerate(words):
        if word in _VERBS:
            object_words = words[position + 1 :]
            return word, object_words or [w for w in namespace_words if not w.endswith("api")][-2:]
    if len(words) >= 2 and words[-1] in _AGENT_NOUNS:
        return _AGENT_NOUNS[words[-1]], words[:-1]
    return None, words


def infer_output_fields(tool: Tool, tool_index: int, max_inferred: int = 3) -> list[ToolField]:
    """Candidate outputs of a tool without a return schema, from its name and description (all `inferred`)."""
    sentence = _first_sentence(tool.description)
    candidates: list[tuple[list[str], str]] = []  # (name words, type)

    verb, words = name_parts(tool)
    object_words = _object_words(words)
    if verb in _QUANTITY_VERBS:
        candidates.append(([_QUANTITY_NOUNS.get(verb, verb)], "number"))
    elif object_words and verb not in _ACTION_VERBS:
        singular = [stem(w) for w in object_words]
        if verb in _CREATE_VERBS and singular[-1] not in _ID_WORDS:
            candidates.append((singular + ["id"], "string"))
        candidates.append((object_words, _guess_type(object_words, verb)))
        if verb in _PLURAL_HINT_WORDS and singular[-1] not in _ID_WORDS:
            candidates.append((singular[-2:] + ["id"], "string"))

    match = _DESCRIPTION_PATTERN.match(_COLLECTION_PHRASE.sub("", sentence))
    if match:
        desc_verb = match.group("verb").lower().rstrip("s")
        owner = _owner_words(sentence[match.end() :])
        for phrase in re.split(r",|\band\b|\bor\b", match.group("obj")):
            phrase_words = _object_words([w for w in split_identifier(phrase) if w not in ("s",)])
            if len(phrase_words) == 1 and phrase_words[0] in _GENERIC_WORDS and owner:
                phrase_words = owner + phrase_words  # "the name of the discoverer" → discoverer_name
            if phrase_words and not (len(phrase_words) == 1 and len(phrase_words[0]) < 3):
                candidates.append((phrase_words, _guess_type(phrase_words, desc_verb)))

    fields: list[ToolField] = []
    # An inferred output that only names one of the tool's own parameters (`keyword` of a keyword search,
    # `state_iso_code` of a list of cities for a state) would be its input echoed back: a link from it
    # carries the user's value, never a result.
    seen: set[str] = {snake_case(split_identifier(str(name)))
                      for name in ((tool.parameters or {}).get("properties") or {})}
    for name_words, ftype in candidates:
        path = snake_case(name_words)
        if not path or path in seen:
            continue
        seen.add(path)
        fields.append(ToolField(tool_index, "output", path, path, ftype, sentence, (), inferred=True))
        if len(fields) >= max_inferred:
            break
    return fields


def flatten_tools(
    tools: Iterable[Tool], infer_outputs: bool = True, max_inferred: int = 3
) -> tuple[list[ToolField], list[ToolField]]:
    """All input fields and all output fields of a catalog, in catalog order."""
    inputs: list[ToolField] = []
    outputs: list[ToolField] = []
    for index, tool in enumerate(tools):
        inputs.extend(input_fields(tool, index))
        outputs.extend(output_fields(tool, index, infer_outputs, max_inferred))
    return inputs, outputs
