"""The composition root: builds the assistant and its parts from settings."""

from __future__ import annotations

from collections.abc import Callable

from assistant.chat import Assistant
from assistant.models import Answer, Message
from assistant.rulebook import RuleBook
from assistant.settings import Settings, get_settings
from retrieval.corpus import Corpus
from retrieval.service import build_searcher


def build_assistant(
    settings: Settings | None = None,
    progress: bool = True,
    corpus: Corpus | None = None,
    known: dict[str, str] | None = None,
) -> Assistant:
    """The assistant over the index of settings.data_dir (or the Chroma server), built if missing."""
    settings = settings or get_settings()
    searcher, _ = build_searcher(settings, progress=progress, corpus=corpus, known=known)
    rulebook = RuleBook.load(settings.corpus_dir / "rules", searcher.corpus)
    return Assistant(searcher, today=settings.today, top_k=settings.top_k, rulebook=rulebook)


def build_llm_answerer(
    assistant: Assistant, settings: Settings | None = None
) -> Callable[[str, list[Message]], Answer]:
    """The LLM answer function (message, history) → Answer, for the configured endpoint."""
    from assistant.llm import LLMAnswerer, chat_model

    settings = settings or get_settings()
    return LLMAnswerer(assistant, chat_model(settings)).answer
