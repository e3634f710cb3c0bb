"""(seam: filled by the listing links change)"""

from __future__ import annotations

from typing import Sequence

from ..tools import Tool
from .fields import ToolField


def listing_links(tools: Sequence[Tool], inputs: Sequence[ToolField], outputs: Sequence[ToolField]) -> list[tuple[int, int]]:
    return []
