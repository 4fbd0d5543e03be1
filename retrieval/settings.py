"""Where the index lives. The assistant's settings extend this class; nothing else reads the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from retrieval.corpus import DEFAULT_CORPUS_DIR

REPO_DIR = DEFAULT_CORPUS_DIR.parent


class IndexSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=REPO_DIR / "data", alias="POLICY_QA_DATA_DIR")
    corpus_dir: Path = Field(default=DEFAULT_CORPUS_DIR, alias="POLICY_QA_CORPUS_DIR")
    chroma_host: str | None = Field(default=None, alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, alias="CHROMA_PORT")
    chroma_collection: str = Field(default="policy_clauses", alias="CHROMA_COLLECTION")

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        """An empty variable (CHROMA_HOST=, OPENAI_API_KEY=) means unset, for every optional setting."""
        if isinstance(data, dict):
            optional = {n for n, f in cls.model_fields.items() if f.default is None}
            aliases = {f.alias for n, f in cls.model_fields.items() if n in optional and f.alias}
            return {k: (None if v == "" and (k in optional or k in aliases) else v) for k, v in data.items()}
        return data

    @field_validator("chroma_port")
    @classmethod
    def _port_range(cls, v: int) -> int:
        if not 1 <= v <= 65535:
            raise ValueError("CHROMA_PORT must be a TCP port (1–65535)")
        return v

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def embedding_cache_path(self) -> Path:
        return self.data_dir / "embeddings.sqlite"
