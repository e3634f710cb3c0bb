"""Data-flow links between the endpoints of one API that neither names nor similarity find.

A calculator's `result` is the operand of the next calculation (`mean` → `round_number.number`), and a
directory listing names the file the next command reads (`ls.current_directory_content[]` → `cat.file_name`):
the field names share no word, so similarity scores them far under the data-flow threshold, and the
API's own tools never link to each other. Without these links the sampler cannot draw a chain from the
BFCL math and file-system APIs, and their 35 tools never reach the training data.

Each rule lives in its own module and answers (output field numbers, input field numbers); a link also needs
both tools in one API (`tools.same_api`) and types that fit. Scores are the data-flow threshold: admitted by rule,
ranked after every link similarity found, as `identifier_links` does.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..tools import Tool, same_api
from .calculator_links import calculator_links
from .fields import ToolField, fills
from .listing_links import listing_links

Rule = Callable[[Sequence[Tool], Sequence[ToolField], Sequence[ToolField]], list[tuple[int, int]]]
RULES: tuple[Rule, ...] = (calculator_links, listing_links)


def api_links(tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField],
              groups: np.ndarray, score: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(output field numbers, input field numbers, scores) of every rule's links between two tool families of
    one API whose types fit."""
    pairs = sorted({
        (out, inp) for rule in RULES for out, inp in rule(tools, inputs, outputs)
        if groups[outputs[out].tool_index] != groups[inputs[inp].tool_index]
        and same_api(tools[outputs[out].tool_index], tools[inputs[inp].tool_index])
        and fills(outputs[out].type, inputs[inp].type)
    })
    out_rows = np.asarray([p[0] for p in pairs], dtype=np.int64)
    in_rows = np.asarray([p[1] for p in pairs], dtype=np.int64)
    return out_rows, in_rows, np.full(len(pairs), score, dtype=np.float32)
