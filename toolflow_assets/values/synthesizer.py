"""Schema-aware values without a model: the `Synthesizer` that walks a JSON Schema.

`synthesize(schema, rng, name=...)` reads a JSON Schema (enum, const, examples, type, format, pattern, numeric
and length bounds, arrays, objects, `$ref`, `allOf`/`anyOf`/`oneOf`) and a parameter name, and returns a value
that satisfies the schema whenever that is practical. Strings come from the description's own choices and
examples (described_values), a pattern (regex_strings), a format or the name's hint (hinted_strings); numbers
from the name's range (value_hints) clipped to the schema's bounds. It never raises, whatever the schema: an
unusable schema gives a best-effort value.
"""

from __future__ import annotations

import copy
import math
import random
import re
from typing import Any

from ..json_schema.refs import resolve_ref
from ..json_schema.walk import TYPE_ORDER as _TYPE_ORDER
from ..json_schema.walk import declared_types, merge_all_of
from ..meanings import natural_bounds
from .described_values import (description_choices, description_examples, in_stated_date_form,
                               in_stated_moment_form)
from .free_objects import free_fields
from .hinted_strings import format_string, hinted_string, owner_context, singular
from .record_names import agree_names
from .regex_strings import string_for_pattern
from .schema_keywords import as_int, finite, pattern_found, positive, stated_whole_range, strict_ok
from .settings import Setting, in_setting, local_postcode_range
from .value_checks import is_valid
from .value_hints import joined_tokens, number_hint, string_hint, whole_number


MAX_DEPTH = 6
# Bounds on what a schema can make us build: an array at depth d holds at most MAX_ARRAY_ITEMS // (d+1)^2
# items (so nested arrays stay in the thousands of values), a string at most MAX_STRING_CHARS.
MAX_ARRAY_ITEMS = 16
MAX_STRING_CHARS = 10_000
_POSTCODE_WORDS = frozenset({"zip", "zipcode", "postcode", "postal"})
_BAD_CHARS = re.compile(r'["\\\x00-\x1f`]')


def clean_text(value: str) -> str:
    """Drop characters that would need escaping in JSON or break a sentence."""
    return _BAD_CHARS.sub("", value)


class Synthesizer:
    """Schema-aware value generator bound to one `root` document (where local `$ref`s point);
    `optional_rate` is the chance an optional property is filled; `setting` the country and sport the
    values are of (settings.tool_setting of the tool they are for; None: the caller's, else none)."""

    def __init__(self, rng: random.Random, root: Any = None, optional_rate: float = 0.5,
                 setting: Setting | None = None) -> None:
        self.rng = rng
        self.root = root
        self.optional_rate = optional_rate
        self.setting = setting

    def value(self, schema: Any, name: str = "", description: str = "", depth: int = 0) -> Any:
        with in_setting(self.setting):
            try:
                return self._value(schema, name, description, depth)
            except RecursionError:
                return self._fallback(name)
            except Exception:  # noqa: BLE001 - never crash on a schema; give a best-effort value
                return self._fallback(name)

    def _fallback(self, name: str) -> Any:
        return hinted_string(name, self.rng)

    def _value(self, schema: Any, name: str, description: str, depth: int) -> Any:
        root = self.root
        schema = resolve_ref(schema, root)
        if schema is True or schema is None or (isinstance(schema, dict) and not schema):
            return hinted_string(name, self.rng, description)
        if not isinstance(schema, dict):
            return None  # `false` (no value is valid) or garbage
        if "allOf" in schema:
            schema = merge_all_of(schema, root)
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            non_null = [v for v in enum if v is not None]
            return self.rng.choice(non_null or enum)
        # JSON Schema's own sample values (and an MCP server config's `examples`, put here at ingestion): the
        # way to give values no synthesis can guess (a repository path, a SQL query)
        examples = schema.get("examples")
        fitting = [v for v in examples if v is not None and is_valid(v, schema)] if isinstance(examples, list) else []
        if fitting:
            return self.rng.choice(fitting)
        description = description or str(schema.get("description") or "")
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                usable = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")] or options
                chosen = resolve_ref(self.rng.choice(usable), root)
                base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
                if isinstance(chosen, dict):
                    chosen = {**base, **chosen}
                return self._value(chosen, name, description, depth + 1)
        if depth > MAX_DEPTH:
            return self._shallow(schema, name)
        types = declared_types(schema)
        if not types:
            return hinted_string(name, self.rng, description)
        chosen_type = self._choose_type(types, name)
        if chosen_type == "string":
            return self.string(schema, name, description)
        if chosen_type == "integer":
            return self.integer(schema, name, description)
        if chosen_type == "number":
            return self.number(schema, name, description)
        if chosen_type == "boolean":
            return self.rng.random() < 0.5
        if chosen_type == "array":
            return self.array(schema, name, depth)
        if chosen_type == "object":
            return self.object(schema, name, depth)
        return None

    def _choose_type(self, types: list[str], name: str) -> str:
        usable = [t for t in types if t != "null"] or types
        if len(usable) == 1:
            return usable[0]
        if "integer" in usable and "number" in usable:
            return "integer"
        hinted = "number" if number_hint(name) else "string"
        if hinted in usable or (hinted == "number" and "integer" in usable):
            return hinted if hinted in usable else "integer"
        return sorted(usable, key=_TYPE_ORDER.index)[0]

    def _shallow(self, schema: dict[str, Any], name: str) -> Any:
        types = declared_types(schema)
        if "object" in types:
            return {}
        if "array" in types:
            return []
        if "integer" in types or "number" in types:
            return 1
        if "boolean" in types:
            return True
        return hinted_string(name, self.rng)

    # ---------------------------------------------------------------------------- scalars

    def string(self, schema: dict[str, Any], name: str, description: str = "") -> str:
        rng = self.rng
        fmt = str(schema.get("format") or "").lower()
        pattern = schema.get("pattern")
        text: str | None = None
        if isinstance(pattern, str):
            text = string_for_pattern(pattern, rng)
            if text is None:
                candidate = format_string(fmt, name, description, self.rng)
                if pattern_found(pattern, candidate):
                    text = candidate
        if text is None and not fmt and description:
            choices = description_choices(description[:600])
            if choices:  # an enum in words: any other value would be wrong
                text = rng.choice(choices)
        if text is None and not fmt and description:
            examples = description_examples(description[:600])
            # without a hint from the name, an example beats a made-up topic ("personal finance" as a particle)
            if examples and (rng.random() < 0.6 or string_hint(str(name or ""), description[:200]) < 0):
                text = rng.choice(examples)
        default = schema.get("default")
        if text is None and not fmt and isinstance(default, str) and default.strip() and default.strip() != "null" \
                and string_hint(str(name or ""), description[:200]) < 0:
            # nothing says what the value is, but the declared default shows its form and meaning ("us" for
            # `regions`, "americanfootball_nfl" for a sport key); a made-up value would claim one nothing stated
            text = default.strip()
        if text is None:
            text = format_string(fmt, name, description, self.rng)
            # a drawn date in the form the description asks for ("expiry date, MM/YYYY"), or the call
            # teaches a model to ignore the format its documentation states
            text = in_stated_date_form(text, description) if description else text
            text = in_stated_moment_form(text, description, rng) if description else text
        text = clean_text(text)
        return self._fit_length(text, schema, pattern)

    def _fit_length(self, text: str, schema: dict[str, Any], pattern: Any) -> str:
        min_len = min(as_int(schema.get("minLength"), 0), MAX_STRING_CHARS)
        max_len = as_int(schema.get("maxLength"), None)
        fitted = text
        if len(fitted) < min_len:
            filler = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(min_len - len(fitted)))
            fitted = fitted + filler
        if max_len is not None and max_len >= 0 and len(fitted) > max_len:
            fitted = fitted[:max_len].rstrip() if len(fitted[:max_len].rstrip()) >= min_len else fitted[:max_len]
        if isinstance(pattern, str) and not pattern_found(pattern, fitted) and pattern_found(pattern, text):
            return text  # length could not be met without breaking the pattern; the pattern wins
        return fitted

    def integer(self, schema: dict[str, Any], name: str, description: str = "") -> int:
        low, high = self._bounds(schema, name, integral=True, description=description)
        low_i, high_i = math.ceil(low), math.floor(high)
        if low_i > high_i:
            return int(low_i)
        step = positive(schema.get("multipleOf"))
        if step:
            first = math.ceil(low_i / step)
            last = math.floor(high_i / step)
            if first <= last:
                value = self.rng.randint(int(first), int(last)) * step
                return int(value) if float(value).is_integer() else int(low_i)
        return self.rng.randint(int(low_i), int(high_i))

    def number(self, schema: dict[str, Any], name: str, description: str = "") -> float | int:
        stated = stated_whole_range(schema, description)
        if stated is not None:  # "Turkish plates. 1 to 81" with a default of 34: one of 1..81, never 70.74
            return self.rng.randint(*stated)
        low, high = self._bounds(schema, name, integral=False, description=description)
        if whole_number(name) and math.ceil(low) <= math.floor(high):
            # a count, a year or a postcode is a whole number even where the schema says `number`
            value = self.rng.randint(math.ceil(low), math.floor(high))
            if strict_ok(value, schema):
                return value
        step = positive(schema.get("multipleOf"))
        if step:
            first, last = math.ceil(low / step), math.floor(high / step)
            if first <= last:
                value = self.rng.randint(int(first), int(last)) * step
                return round(value, 6) if isinstance(value, float) else value
        if high - low < 0.02:
            return low
        for _ in range(4):
            value = round(self.rng.uniform(low, high), 2)
            if low <= value <= high and strict_ok(value, schema):
                return value
        return low

    def _bounds(self, schema: dict[str, Any], name: str, integral: bool, description: str = "") -> tuple[float, float]:
        low, high = -math.inf, math.inf
        minimum, maximum = finite(schema.get("minimum")), finite(schema.get("maximum"))
        if minimum is not None:
            low = minimum
        if maximum is not None:
            high = maximum
        ex_min, ex_max = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        nudge = 1 if integral else 0.01
        if finite(ex_min) is not None:
            low = max(low, finite(ex_min) + nudge)
        elif ex_min is True and minimum is not None:
            low = minimum + nudge
        if finite(ex_max) is not None:
            high = min(high, finite(ex_max) - nudge)
        elif ex_max is True and maximum is not None:
            high = maximum - nudge
        declared = (low, high)
        # the quantity's own bounds (a Kelvin temperature above 0, a probability in 0-1), where the schema's allow
        natural = natural_bounds(name, description)
        if natural is not None:
            n_low = natural[0] + (nudge if natural[2] else 0)
            if max(low, n_low) <= min(high, natural[1]):
                low, high = max(low, n_low), min(high, natural[1])
        # a postcode of the setting's country (Argentina's 1000-9431), else the name's range
        hint = local_postcode_range(bool(_POSTCODE_WORDS & set(joined_tokens(name)))) or number_hint(
            name, description) or (1, 100)
        hint_low, hint_high = hint
        lo = max(low, hint_low)
        hi = min(high, hint_high)
        if all(map(math.isfinite, declared)) and high > low and (hi - lo) < 0.1 * (high - low):
            # the hint barely overlaps the range the schema declares: use the range itself (a quantity's natural
            # bounds are no such range: a tax rate's 0-100 leaves its hint of 3-25 as it is)
            lo, hi = low, high
        if lo > hi:  # the hint lies outside the schema's bounds: stay inside the bounds
            lo = low if math.isfinite(low) else hi - 100
            hi = high if math.isfinite(high) else lo + 100
            hi = min(hi, lo + 1000)
        if lo > hi:
            hi = lo
        return lo, hi

    # ---------------------------------------------------------------------------- containers

    def array(self, schema: dict[str, Any], name: str, depth: int) -> list[Any]:
        # An absurd minItems (a typo, a fuzzer) must not build a million-item argument: values stay small.
        min_items = min(max(as_int(schema.get("minItems"), 0), 0), max(2, MAX_ARRAY_ITEMS // (depth + 1) ** 2))
        max_items = as_int(schema.get("maxItems"), None)
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # draft-4 tuple form
            prefix, items = items, schema.get("additionalItems", {})
        item_name = singular(name)
        upper = max(min_items, min(3, max_items if max_items is not None else 3))
        lower = max(min_items, 1 if (max_items is None or max_items >= 1) else 0)
        count = self.rng.randint(min(lower, upper), upper)
        result: list[Any] = []
        # items rarely describe themselves; the array's description often lists examples of them
        item_hint = str(schema.get("description") or "") if not (isinstance(items, dict) and items.get("description")) else ""
        if isinstance(prefix, list):
            for sub in prefix[:max(count, len(prefix)) if max_items is None else max_items]:
                result.append(self.value(sub, item_name, "", depth + 1))
        unique = bool(schema.get("uniqueItems"))
        item_enum = items.get("enum") if isinstance(items, dict) else None
        if isinstance(item_enum, list) and item_enum:  # distinct choices read better ("Fat and Calories")
            pool = [v for v in item_enum if v not in result]
            result.extend(self.rng.sample(pool, min(len(pool), max(count - len(result), 0))))
        attempts = 0
        while len(result) < count and attempts < 4 * count + 10:
            attempts += 1
            if items is False:
                break
            candidate = self.value(items if items is not None else {}, item_name, item_hint, depth + 1)
            # a list of names or texts names each thing once ("San Salvador de Jujuy" twice was one city said
            # twice); numbers may repeat (two readings of 20)
            if (unique or isinstance(candidate, str)) and candidate in result:
                continue
            result.append(candidate)
        while len(result) < min_items and items is not False and not unique:  # the schema wants more than differ
            result.append(self.value(items if items is not None else {}, item_name, item_hint, depth + 1))
        contains = schema.get("contains")
        if isinstance(contains, dict) and not any(is_valid(v, contains) for v in result):
            item = self.value(contains, item_name, "", depth + 1)
            if max_items is not None and len(result) >= max_items and result:
                result[-1] = item
            else:
                result.append(item)
        return result

    def object(self, schema: dict[str, Any], name: str, depth: int) -> dict[str, Any]:
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = [r for r in (schema.get("required") or []) if isinstance(r, str)]
        max_props = as_int(schema.get("maxProperties"), None)
        min_props = as_int(schema.get("minProperties"), 0)
        result: dict[str, Any] = {}
        for key in required:
            result[key] = self.value(props.get(key, {}), key, owner_context(key, props.get(key), name), depth + 1)
        for key, sub in props.items():
            if key in result:
                continue
            if max_props is not None and len(result) >= max_props:
                break
            if self.rng.random() < self.optional_rate:
                result[key] = self.value(sub, key, owner_context(key, sub, name), depth + 1)
        additional = schema.get("additionalProperties")
        pattern_props = schema.get("patternProperties") if isinstance(schema.get("patternProperties"), dict) else None
        wants_more = (not props and additional is not False and not pattern_props) or len(result) < min_props
        if wants_more and additional is not False:
            extra_schema = additional if isinstance(additional, dict) else {}
            target = max(min_props, 1 if not props else 0)
            if not props and not extra_schema:  # free-form: a profile's display name and city, never `profile_1`
                for key, sub, about in free_fields(name, self.rng)[:max_props]:
                    result[key] = self.value(sub, key, about, depth + 1)
            index = 1
            while len(result) < min(target, MAX_ARRAY_ITEMS) and index < 20:
                key = f"{singular(name) or 'key'}_{index}"
                if key not in result:
                    result[key] = self.value(extra_schema, key, "", depth + 1)
                index += 1
        elif not props and isinstance(pattern_props, dict) and pattern_props:
            pattern, sub = next(iter(pattern_props.items()))
            key = string_for_pattern(str(pattern), self.rng) or "key"
            result[key] = self.value(sub, key, "", depth + 1)
        if not result and props and max_props != 0:  # an empty object says nothing: fill one property
            key = self.rng.choice(sorted(props))
            result[key] = self.value(props[key], key, owner_context(key, props[key], name), depth + 1)
        if len(result) < min_props and props:
            for key, sub in props.items():
                if len(result) >= min_props:
                    break
                if key not in result:
                    result[key] = self.value(sub, key, owner_context(key, sub, name), depth + 1)
        named = agree_names(copy.deepcopy(result), depth=MAX_DEPTH)  # this level only: inner objects did theirs
        return named if is_valid(named, schema) else result


def synthesize(schema: Any, rng: random.Random, name: str = "", description: str = "",
               root: Any = None, optional_rate: float = 0.5) -> Any:
    """One value for `schema` (see the module doc), in the current setting (values.settings). Never raises."""
    return Synthesizer(rng, root=schema if root is None else root, optional_rate=optional_rate).value(
        schema, name, description)

