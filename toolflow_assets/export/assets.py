"""Dataset assets: `curated_dialogues` (passing dialogues with a split), `dataset_export` (JSON lines,
Parquet and a dataset card in the output folder) and `synthesis_report` (graph vs random, as JSON, Markdown
and plots).

Each asset lives in its own module (`assets_curated`, `assets_dataset`, `assets_report`); this module
gathers them for `definitions.py`, which loads the assets of this module.
"""

from .assets_curated import CURATE_CODE_VERSION, CurateConfig, curated_dialogues  # noqa: F401
from .assets_dataset import EXPORT_CODE_VERSION, ExportConfig, dataset_export  # noqa: F401
from .assets_report import REPORT_CODE_VERSION, ReportConfig, synthesis_report  # noqa: F401
