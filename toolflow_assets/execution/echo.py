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


def reports_outcome(schema: Any) -> bool:
    """The field's declared description says it reports how the call went ("A message describing the result
    of the send attempt", "Confirmation of the operation's status"): its value is not the argument of its name."""
    description = schema.get("description") if isinstance(schema, dict) else None
    if not isinstance(description, str):
        return False
    words = set(name_tokens(description))
    return bool(words & _REPORTING) and bool(words & _OUTCOME)


def echoes(schema: Any) -> bool:
    """A result field with this declared schema (None: undeclared) holds the argument named like it."""
    return not reports_outcome(schema)


def field_schema(schema: Any, name: str | None, root: Any) -> Any:
    """The declared schema of field `name` of an object schema (of the items, for name None), following
    local `$ref`s; None where nothing is declared (the field then echoes)."""
    from ..generation.values import resolve_ref  # lazily: generation imports the executors

    node = resolve_ref(schema, root)
    if not isinstance(node, dict):
        return None
    sub = node.get("items") if name is None else (node.get("properties") or {}).get(name)
    return resolve_ref(sub, root) if isinstance(sub, dict) else None
