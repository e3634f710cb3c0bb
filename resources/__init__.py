"""Dagster resources: run settings, the LLM client, the embedding backend and the Parquet IO manager."""

from .embeddings import EmbeddingResource
from .io_manager import ParquetIOManager, frame_content_hash
from .llm import LLMResource
from .settings import ToolflowSettings

__all__ = ["EmbeddingResource", "LLMResource", "ParquetIOManager", "ToolflowSettings", "frame_content_hash"]
