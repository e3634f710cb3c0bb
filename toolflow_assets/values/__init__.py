"""Schema-aware values without a model: what the offline user states and the offline tool agent returns.

A shared kernel: the planner (the user's argument values), the writers and the executors read it, so it
imports no stage (tests/test_import_direction.py). This module is the public face of value synthesis; the
work lives in modules named for their jobs:
- `synthesizer`: `synthesize(schema, rng, name=...)` and the `Synthesizer` that walks a JSON Schema (enum,
  const, type, format, pattern, numeric and length bounds, arrays, objects, `$ref`, `allOf`/`anyOf`/`oneOf`)
  and returns a value that satisfies it whenever that is practical; it never raises, whatever the schema;
- `value_hints`: what a parameter's name says about its value (a city, an email, an id; a year's range);
- `hinted_strings`: a realistic string for a name, read with its description, or for a `format`;
- `settings` and `places`: the country and the sport a tool is about (`tool_setting`), whose places,
  postcodes, phones, currencies and teams its values take inside `in_setting`;
- `timed_values`: what a time-like name means (opening hours "09:00-17:00", a duration "25 minutes", a time of
  day), the one rule value synthesis draws by and the value-fit check reads by;
- `free_objects`: the fields a person puts in an object whose schema declares none (a profile's display name
  and city, a filter's status and category), never placeholder keys;
- `described_values`: the choices, examples and date forms a description states;
- `value_checks`: validation as generation reads it (an unusable schema cannot reject a value);
- `regex_strings`: a string matching a `pattern`;
- `schema_keywords`: a schema's numeric and pattern keywords read without trusting them (never raises);
- `composed_values` and `lexicons`: free text composed from parts, and the word lists behind it;
- `flow`: how a value moves from one tool's output into another's argument (`coerce_for`, `joint_value`,
  `flow_is_feasible`, `read_output`).

Values are chosen so the grounding check can find them in text: strings never contain quotes, backslashes
or control characters (so they appear unchanged in JSON tool content), and floats carry at most two
decimals (so `number_text` is their short, exact form).
"""

from __future__ import annotations

from ..json_schema.paths import get_path, parse_path, set_path
from ..json_schema.walk import schema_at
from ..mentions import name_tokens, number_text  # the one name tokenizer and number form
from .described_values import description_choices, description_examples, in_stated_date_form
from .hinted_strings import hinted_string
from .settings import Setting, in_setting, setting_of, tool_setting
from .synthesizer import Synthesizer, singular, synthesize
from .value_checks import is_valid, schema_error, schema_is_usable
from .value_hints import has_string_hint, number_hint

__all__ = [
    "Setting", "Synthesizer", "description_choices", "description_examples", "get_path", "has_string_hint", "hinted_string",
    "humanize", "in_setting", "in_stated_date_form", "is_valid", "name_tokens", "number_hint", "number_text", "parse_path",
    "schema_at", "schema_error", "schema_is_usable", "set_path", "setting_of", "singular", "synthesize",
    "tool_setting",
]


def humanize(name: str) -> str:
    """A parameter or field name as words: `base_branch` → 'base branch', `userId` → 'user id'."""
    words = name_tokens(name)
    return " ".join(words) if words else str(name or "value")


