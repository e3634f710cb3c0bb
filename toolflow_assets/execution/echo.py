"""Which result fields echo the call: the one rule the simulated executor stamps by and the
result-consistency check (quality/semantic.py) holds results to.

A result field named like an argument (`userId` and `user_id`, see `mentions.field_key`) holds the argument's
value, unless the tool's return schema says the field is a text about the call's outcome. BFCL's
`send_message(receiver_id, message)` returns `{"sent_status": true, "message_id": ..., "message": "Message sent
to 'USR002' successfully."}`, and its doc says so: `message` is "A message describing the result of the send
attempt", where the parameter is "Message to be sent". A real environment answers that way by design; a
simulated one that echoed the message text there would contradict the doc.
"""

from __future__ import annotations

from typing import Any

from ..mentions import name_tokens

# "describing / indicating / confirming ... the result / outcome / status / success" of the call
_REPORTING = frozenset({"describe", "describes", "describing", "indicate", "indicates", "indicating", "explain",
                        "explains", "explaining", "report", "reports", "reporting", "confirm", "confirms",
                        "confirming", "confirmation"})
_OUTCOME = frozenset({"result", "outcome", "status", "success", "successful", "succeeded", "attempt", "operation"})
# a text that says how the call went ("Message sent to 'USR002' successfully.", "Upload failed")
_VERDICT = frozenset({"successfully", "successful", "succeeded", "unsuccessful", "failed"})


def reports_outcome(schema: Any, value: Any = None) -> bool:
    """The field reports how the call went, so its value is not the argument of its name: its declared
    description says so ("A message describing the result of the send attempt", "Confirmation of the
    operation's status"), or, where no description is declared (a record checked without the tool's return
    schema, as `toolflow check` reads an export), its text is a verdict on the call ("... successfully.")."""
    description = schema.get("description") if isinstance(schema, dict) else None
    if isinstance(description, str) and description.strip():
        words = set(name_tokens(description))
        return bool(words & _REPORTING) and bool(words & _OUTCOME)
    return isinstance(value, str) and bool(set(name_tokens(value)) & _VERDICT)


def echoes(schema: Any, value: Any = None) -> bool:
    """A result field with this declared schema (None: undeclared) and, when known, this value holds the
    argument named like it."""
    return not reports_outcome(schema, value)


def field_schema(schema: Any, name: str | None, root: Any) -> Any:
    """The declared schema of field `name` of an object schema (of the items, for name None), following
    local `$ref`s; None where nothing is declared (the field then echoes)."""
    from ..generation.values import resolve_ref  # lazily: generation imports the executors

    node = resolve_ref(schema, root)
    if not isinstance(node, dict):
        return None
    sub = node.get("items") if name is None else (node.get("properties") or {}).get(name)
    return resolve_ref(sub, root) if isinstance(sub, dict) else None
