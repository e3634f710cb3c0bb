"""The embedding backend used to match tool fields when building the tool graph.

`backend`: `offline` (default; no model, hashed character n-grams over split identifiers and
descriptions), `openai` (any OpenAI-compatible `/v1/embeddings` endpoint: vLLM, TEI, Ollama, OpenAI) or
`sbert` (the real all-MiniLM-L6-v2 model from the optional `sbert` extra). Empty fields fall back to
`TOOLFLOW_EMBEDDING_BACKEND`, `TOOLFLOW_EMBEDDING_MODEL`, `OPENAI_BASE_URL` at run time.
"""

from __future__ import annotations

import os

import dagster as dg
from pydantic import Field


class EmbeddingResource(dg.ConfigurableResource):
    backend: str = Field(default="", description="offline | openai | sbert. Empty: $TOOLFLOW_EMBEDDING_BACKEND, then offline.")
    model: str = Field(default="", description="Embedding model name for the openai backend.")
    base_url: str = Field(default="", description="OpenAI-compatible base URL. Empty: $OPENAI_BASE_URL.")
    batch_size: int = Field(default=256, description="Texts per /v1/embeddings request.")
    cache_dir: str = Field(default="", description="Embedding cache folder. Empty: <storage>/cache/embeddings.")

    def backend_name(self) -> str:
        return (self.backend or os.environ.get("TOOLFLOW_EMBEDDING_BACKEND", "") or "offline").lower()

    def get_embedder(self, cache_root: str | None = None):
        """The configured `Embedder` (see toolflow_assets.graph.embeddings), wrapped in a cache: on disk in
        `cache_dir`, else in `<cache_root>/embeddings` when a cache root is given, else in memory only."""
        from toolflow_assets.graph.embeddings import make_embedder

        cache_dir = self.cache_dir or (os.path.join(cache_root, "embeddings") if cache_root else None)
        return make_embedder(
            backend=self.backend_name(),
            model=self.model or os.environ.get("TOOLFLOW_EMBEDDING_MODEL", ""),
            base_url=self.base_url or os.environ.get("OPENAI_BASE_URL", ""),
            batch_size=self.batch_size,
            cache_dir=cache_dir,
        )
