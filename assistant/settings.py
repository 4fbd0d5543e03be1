"""All settings, read from the environment once, with defaults that work offline."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from assistant.intake import Budget
from retrieval.settings import IndexSettings


class Settings(IndexSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
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

    # -- limits (per worker process) -----------------------------------------------------------
    max_body_bytes: int = Field(
        default=256 * 1024, alias="POLICY_QA_MAX_BODY_BYTES", ge=1024, description="largest request body (413 above)"
    )
    max_message_chars: int = Field(
        default=2000,
        alias="POLICY_QA_MAX_MESSAGE_CHARS",
        ge=50,
        description="characters of a message read; a longer one is trimmed and the answer says so",
    )
    max_history_turns: int = Field(
        default=20, alias="POLICY_QA_MAX_HISTORY_TURNS", ge=0, description="earlier messages kept; oldest dropped"
    )
    max_history_tokens: int = Field(
        default=6000,
        alias="POLICY_QA_MAX_HISTORY_TOKENS",
        ge=0,
        description="tokens (cl100k) of earlier messages kept; oldest dropped",
    )
    rate_limit: str = Field(
        default="30/minute",
        alias="POLICY_QA_RATE_LIMIT",
        description="questions per client address, in the `limits` notation (30/minute, 500/day; 'off': none)",
    )
    request_timeout_s: float = Field(
        default=90.0, alias="POLICY_QA_REQUEST_TIMEOUT_S", gt=0, description="longest wait for one answer (504)"
    )
    max_concurrent: int = Field(
        default=4, alias="POLICY_QA_MAX_CONCURRENT", ge=1, description="answers computed at once per worker (503)"
    )
    trusted_proxies: str = Field(
        default="127.0.0.1",
        alias="POLICY_QA_TRUSTED_PROXIES",
        description="addresses whose X-Forwarded-For names the client (a reverse proxy); comma-separated",
    )

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit(cls, v: str) -> str:
        from limits import parse_many

        v = v.strip()
        if v.lower() in ("", "off", "none", "0"):
            return "off"
        try:
            parse_many(v)
        except ValueError as e:
            raise ValueError(f"POLICY_QA_RATE_LIMIT must look like 30/minute or 10/second;500/day (or off): {e}") from e
        return v

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
    def budget(self) -> Budget:
        """How much of a message and its history is read."""
        return Budget(
            message_chars=self.max_message_chars,
            history_turns=self.max_history_turns,
            history_tokens=self.max_history_tokens,
        )

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.embed_origins.split(",") if o.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
