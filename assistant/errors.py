"""Errors of the assistant; messages are shown to users as they are (Chinese where users see them)."""


class AssistantError(Exception):
    """Base class."""


class ConfigError(AssistantError):
    """A setting is missing or wrong; the message says which and how to fix it."""


class LLMError(AssistantError):
    """The configured LLM endpoint failed; the message is safe to show."""
