"""All settings, read from the environment once, with defaults that work offline."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from retrieval.settings import IndexSettings


class Settings(IndexSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    openai_api_key: str | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    model: str = Field(default="gpt-4o-mini", alias="POLICY_QA_MODEL")
    llm_timeout_s: float = Field(default=60.0, alias="POLICY_QA_LLM_TIMEOUT")
    host: str = Field(default="127.0.0.1", alias="POLICY_QA_HOST")
    port: int = Field(default=7860, alias="POLICY_QA_PORT")
    embed_origins: str = Field(
        default="http://127.0.0.1:*,http://localhost:*",
        alias="POLICY_QA_EMBED_ORIGINS",
        description="comma-separated origins allowed to embed the widget and call the API",
    )
    today: dt.date | None = Field(
        default=None, alias="POLICY_QA_TODAY", description="fixed date for validity; unset: each request's date"
    )
    top_k: int = Field(default=5, alias="POLICY_QA_TOP_K")
    reload_check_s: float = Field(
        default=5.0,
        alias="POLICY_QA_RELOAD_CHECK_S",
        description="how often a running app checks whether the corpus changed (added documents); 0: never",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        alias="POLICY_QA_ADMIN_TOKEN",
        description="token for administrative actions (re-index, upload, feedback export); unset: off",
    )

    @field_validator("port")
    @classmethod
    def _port(cls, v: int) -> int:
        if not 1 <= v <= 65535:
            raise ValueError("POLICY_QA_PORT must be a TCP port (1–65535)")
        return v

    @model_validator(mode="after")
    def _llm_needs_key(self) -> Settings:
        if self.openai_base_url and not self.openai_api_key:
            raise ValueError("OPENAI_BASE_URL is set but OPENAI_API_KEY is not: set both to use an LLM, or neither")
        return self

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.embed_origins.split(",") if o.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
