"""The dialogue plan: structured data (validated), not prose.

A plan is a list of user turns. A tool turn lists the calls the assistant should make, in order, and for
every argument where its value comes from (`ArgumentSource`): the user's words, an earlier call's output
field (parameter provenance, after ToolWeave), or a default. Chat turns need no tools.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


MIN_TURNS, MAX_TURNS = 2, 6  # user turns of a plan, for every planner (the llm planner asks within it)

ChatKind = Literal["greeting", "clarification", "thanks", "follow_up", "small_talk", "out_of_scope"]


class ArgumentSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["user", "tool_output", "default"]
    value: Any = Field(default=None, description="The value, when the user states it or it is a default.")
    call_id: str | None = Field(default=None, description="For tool_output: the earlier call whose output feeds it.")
    field: str | None = Field(default=None, description="For tool_output: dotted path of the output field.")

    @model_validator(mode="after")
    def _provenance_is_complete(self) -> "ArgumentSource":
        if self.kind == "tool_output" and (not self.call_id or not self.field):
            raise ValueError("a tool_output argument needs call_id and field")
        return self


class PlannedCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    call_id: str = Field(description="Unique within the plan, e.g. 't2c1' (turn 2, call 1).")
    tool: str = Field(description="Name of an offered tool.")
    arguments: dict[str, ArgumentSource] = Field(default_factory=dict)


class PlannedTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    intent: str = Field(description="What the user wants in this turn, in plain words, never naming a tool.")
    needs_tools: bool
    chat_kind: ChatKind | None = Field(default=None, description="For turns without tools.")
    calls: list[PlannedCall] = Field(default_factory=list)
    asks_for: list[str] = Field(
        default_factory=list,
        description="For a clarification turn: '<call_id>.<argument>' values the user leaves out of this request; "
        "the assistant asks for them and the next turn's user message supplies them (that turn lists the call).",
    )

    @model_validator(mode="after")
    def _tools_match_calls(self) -> "PlannedTurn":
        if self.needs_tools and not self.calls:
            raise ValueError("a turn that needs tools must list its calls")
        if not self.needs_tools and self.calls:
            raise ValueError("a chat turn cannot list calls")
        return self


class DialoguePlan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: str
    sample_id: str
    strategy: str
    scenario: str = Field(default="", description="One sentence: who the user is and what they are after.")
    tools: list[str] = Field(description="Names of the tools offered in this dialogue.")
    turns: list[PlannedTurn] = Field(min_length=MIN_TURNS, max_length=MAX_TURNS)

    @model_validator(mode="after")
    def _calls_are_consistent(self) -> "DialoguePlan":
        offered = set(self.tools)
        seen: set[str] = set()
        for turn in self.turns:
            for call in turn.calls:
                if call.tool not in offered:
                    raise ValueError(f"call {call.call_id} uses {call.tool!r}, which is not offered")
                for name, source in call.arguments.items():
                    if source.kind == "tool_output" and source.call_id not in seen:
                        raise ValueError(f"argument {name!r} of {call.call_id} reads {source.call_id!r}, "
                                         "which is not an earlier call")
                if call.call_id in seen:
                    raise ValueError(f"call id {call.call_id!r} is used twice")
                seen.add(call.call_id)
        return self

    # --- derived figures used by metadata and the report
    @property
    def n_tool_calls(self) -> int:
        return sum(len(t.calls) for t in self.turns)

    @property
    def is_chained(self) -> bool:
        return any(s.kind == "tool_output" for t in self.turns for c in t.calls for s in c.arguments.values())


class PlanResult(BaseModel):
    """One planning attempt for one sample: a plan, or the error that stopped it (failures are rows)."""

    sample_id: str
    strategy: str
    plan: DialoguePlan | None = None
    error: str | None = None
    raw_output: str | None = Field(default=None, description="The model's raw answer when it could not be used.")
    usage: dict[str, int] = Field(default_factory=dict)
    planned: bool = Field(default=True, description="False for the no-planning ablation: a plan improvised "
                          "turn by turn without lookahead (see offline_planner.OfflinePlanner.improvise).")


PLAN_SCHEMA = {
    "plan_id": "String",
    "sample_id": "String",
    "strategy": "String",
    "status": "String",  # ok | failed
    "error": "String",
    "raw_output": "String",
    "plan": "String",  # DialoguePlan as JSON (null when failed)
    "n_user_turns": "Int64",
    "n_tool_calls": "Int64",
    "chained": "Boolean",
    "planned": "Boolean",  # false: the no-planning ablation (improvised turn by turn)
}
