"""ToolFlow: graph-sampled, plan-driven synthesis of multi-turn tool-calling dialogues.

Each stage lives in its own sub-package: pure domain modules (no Dagster imports) beside one thin
`assets.py` that wires them into Dagster. `definitions.py` is the code location's root.
"""

import warnings

# Two Dagster features we use knowingly are labelled beta/preview in 1.13: an observable source asset for
# the tool files, and partitioned asset checks (the checks run per batch). Say so once, here, rather than
# in a warning on every load of the code location.
warnings.filterwarnings("ignore", message=r".*(observable_source_asset|partitions_def on an AssetCheckSpec|`data_version` of initializer `Output)")
