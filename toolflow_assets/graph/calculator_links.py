"""(seam: filled by the calculator links change)"""

from __future__ import annotations

from typing import Sequence

from ..tools import Tool
from .fields import ToolField


def calculator_links(tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField]) -> list[tuple[int, int]]:
    return []
