"""A game's `sport_key` is the sport its call asked for (values.record_names.asked_key): the rule the simulated
executor draws keys by, and result_consistency checks. The check matched fields by name only, so it passed
the 38% of the ToolBench part's records whose scores for `sport="tennis"` came back as a hockey game: where a
later call read the key (`sport_scores` → `sport_odds`), the executor drew it for that reader, apart from the
call."""

from __future__ import annotations

import json

import pytest

from toolflow_assets.execution import SimulatedExecutor
from toolflow_assets.quality.semantic import check_result_consistency
from toolflow_assets.tools import Tool

# ToolBench's Live Sports Odds scores endpoint as ingestion reads it (G3_query.json)
SCORES = Tool(
    tool_id="73b07a2181ccc3bd", name="Live_Sports_Odds_v4_sports_sport_scores",
    description="Returns list of live and upcoming games for a given sport, and optionally recently completed games.",
    source="G3_query.json", source_format="rapidapi", category="Sports",
    parameters={"type": "object", "required": ["sport"], "properties": {
        "sport": {"type": "string", "description": "sport key for which to return games and odds",
                  "default": "americanfootball_nfl"},
        "daysFrom": {"type": "number", "description": "The number of days in the past from which to return games."}}},
    returns={"type": "object", "properties": {
        "away_team": {"type": "string"}, "commence_time": {"type": "string"}, "completed": {"type": "boolean"},
        "home_team": {"type": "string"}, "id": {"type": "string"}, "last_update": {}, "scores": {},
        "sport_key": {"type": "string"}, "sport_title": {"type": "string"}}})
# the odds endpoint reads the key: the plan's data-flow link
READ_BY_ODDS = {"sport_key": [("Live_Sports_Odds_v4_sports_sport_odds", {"type": "string"})]}


@pytest.mark.parametrize("needed", [None, READ_BY_ODDS], ids=["unread", "read_later"])
def test_simulated_scores_are_of_the_sport_asked_for(needed) -> None:
    executor = SimulatedExecutor(error_rate=0.0, empty_rate=0.0)
    keyed = 0
    for seed in range(40):
        result = executor.session(seed).execute(SCORES.name, {"sport": "tennis", "daysFrom": 3}, SCORES,
                                                needed=needed).result
        if "sport_key" in result:
            keyed += 1
            assert result["sport_key"] == "tennis", result
            assert result.get("sport_title", "tennis").lower() == "tennis", result  # its title follows
    assert keyed >= (40 if needed else 10)  # drawn often, always when read later; never another sport


def _scores_dialogue(sport_key: str) -> list[dict]:
    call = {"id": "c1", "type": "function",
            "function": {"name": SCORES.name, "arguments": json.dumps({"sport": "tennis"})}}
    return [{"role": "user", "content": "Any tennis games on?"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "c1", "content": json.dumps({"sport_key": sport_key, "home_team": "A"})},
            {"role": "assistant", "content": "One game."}]


def test_the_check_flags_a_game_of_another_sport() -> None:
    reasons = check_result_consistency(_scores_dialogue("hockey"))
    assert len(reasons) == 1 and "'sport_key'" in reasons[0] and "hockey" in reasons[0], reasons
    assert check_result_consistency(_scores_dialogue("tennis")) == []
    # an opaque key says nothing readable: no contradiction to see
    assert check_result_consistency(_scores_dialogue("SPO-82182")) == []
