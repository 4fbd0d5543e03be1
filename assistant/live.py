"""The assistant of the corpus as it is now: a running app follows documents added, replaced or retired.

Every `check_s` seconds a request looks at the corpus version (a fingerprint of the manifest, the raw
files and the reviewed rule files). When it changed, a background thread reads the corpus again,
brings the index up to date and builds a new assistant (search index, lexical index, rule book);
only then is it swapped in, whole. An answer in flight keeps the assistant it started with, so no
answer ever mixes the old corpus with the new one; a corpus that does not load (a manifest being
edited by hand) is logged and the old assistant kept until the next change.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.chat import Assistant
from assistant.errors import AssistantError
from assistant.models import Answer, Message
from assistant.service import build_assistant
from assistant.settings import Settings
from retrieval.corpus import corpus_version, read_corpus
from retrieval.errors import RetrievalError
from retrieval.indexing import chunk_hash

log = logging.getLogger("policy-qa.live")
AnswerFn = Callable[[str, list[Message], str | None], Answer]


@dataclass(frozen=True)
class Generation:
    """One complete state: the assistant, its answer function and the corpus version it was built from."""

    assistant: Assistant
    answer: AnswerFn
    version: str
    built_at: float


class LiveAssistant:
    """Holds the current generation and replaces it when the corpus changes."""

    def __init__(
        self,
        assistant: Assistant,
        settings: Settings,
        answer_factory: Callable[[Assistant], AnswerFn] | None = None,
        build: Callable[[Assistant], Assistant] | None = None,
    ) -> None:
        self.settings = settings
        self._factory = answer_factory or _extractive
        self._build = build or self._rebuild
        self._generation = Generation(assistant, self._factory(assistant), self._version(), time.monotonic())
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._last_check = time.monotonic()
        self._failed: str | None = None  # a version that did not load: not retried until the files change again
        self.reloads = 0

    # -- what requests use ---------------------------------------------------------------------

    @property
    def generation(self) -> Generation:
        self.maybe_check()
        return self._generation

    @property
    def assistant(self) -> Assistant:
        return self.generation.assistant

    @property
    def version(self) -> str:
        return self._generation.version

    def answer(self, message: str, history: list[Message], region: str | None) -> Answer:
        """Answer with one generation from start to end."""
        return self.generation.answer(message, history, region)

    # -- following the corpus ------------------------------------------------------------------

    def maybe_check(self) -> None:
        every = self.settings.reload_check_s
        now = time.monotonic()
        if every <= 0 or now - self._last_check < every:
            return
        self._last_check = now
        self.check(background=True)

    def check(self, background: bool = False, force: bool = False) -> bool:
        """Reload when the corpus version changed; True when a reload started (or, in the foreground, finished).

        `force`: reload even if it did not (the index was rebuilt under the running assistant).
        """
        version = self._version()
        if not force and version in (self._generation.version, self._failed):
            return False
        with self._lock:
            if self._worker is not None and self._worker.is_alive():
                return False
            if not background:
                return self._reload(version)
            self._worker = threading.Thread(target=self._reload, args=(version,), name="corpus-reload", daemon=True)
            self._worker.start()
            return True

    def wait(self, timeout: float = 120.0) -> None:
        """Wait for a background reload to finish (tests, the admin page's publish)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _reload(self, version: str) -> bool:
        start = time.perf_counter()
        old = self._generation
        try:
            fresh = self._build(old.assistant)
            generation = Generation(fresh, self._factory(fresh), version, time.monotonic())
        except (AssistantError, RetrievalError, ValueError) as e:
            self._failed = version
            log.warning("corpus changed but does not load; still serving version %s: %s", old.version, e)
            return False
        self._generation = generation  # one assignment: requests see the old generation or the new one
        self._failed = None
        self.reloads += 1
        log.info(
            "corpus reloaded: version %s, %d documents, %d rules (%.1f s)",
            version,
            len(fresh.corpus),
            len(fresh.rulebook.rules),
            time.perf_counter() - start,
        )
        return True

    def _rebuild(self, old: Assistant) -> Assistant:
        corpus = read_corpus(self.settings.corpus_dir)
        embedder = old.searcher.embedder
        known = {c.id: chunk_hash(c, embedder.name) for c in old.searcher.chunks}
        return build_assistant(self.settings, progress=False, corpus=corpus, known=known)

    def _version(self) -> str:
        try:
            return corpus_version(self.settings.corpus_dir)
        except OSError as e:
            log.warning("cannot read the corpus version: %s", e)
            return self._generation.version if hasattr(self, "_generation") else ""


def _extractive(assistant: Assistant) -> AnswerFn:
    def answer(message: str, history: list[Message], region: str | None) -> Answer:
        return assistant.answer(message, history, region=region)

    return answer
