"""A running app follows the corpus: a changed version rebuilds the assistant in the background and swaps it whole."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.live import LiveAssistant
from assistant.models import Answer
from assistant.settings import Settings
from retrieval.corpus import DEFAULT_CORPUS_DIR, corpus_version
from retrieval.errors import CorpusError


class Stub:
    """Stands in for an Assistant: answers with its name."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.corpus: list[object] = []
        self.rulebook = SimpleNamespace(rules=[])

    def answer(self, message, history, region=None) -> Answer:  # type: ignore[no-untyped-def]
        return Answer(text=f"{self.name}: {message}")


def factory(a):  # type: ignore[no-untyped-def]
    return lambda m, h, r: a.answer(m, h, r)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    return target


def settings_for(corpus_dir: Path, check_s: float = 0.0) -> Settings:
    return Settings(POLICY_QA_CORPUS_DIR=corpus_dir, POLICY_QA_RELOAD_CHECK_S=check_s, OPENAI_API_KEY="")


def touch_manifest(corpus_dir: Path) -> None:
    path = corpus_dir / "manifest.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def test_nothing_happens_while_the_corpus_is_unchanged(corpus_dir):
    built: list[str] = []
    live = LiveAssistant(
        Stub("v1"), settings_for(corpus_dir), factory, build=lambda old: built.append("x") or Stub("v2")
    )  # type: ignore[arg-type, func-returns-value]
    assert live.check() is False and built == []
    assert live.answer("问", [], None).text == "v1: 问"
    assert live.version == corpus_version(corpus_dir)


def test_a_changed_corpus_is_swapped_in_whole(corpus_dir):
    live = LiveAssistant(Stub("v1"), settings_for(corpus_dir), factory, build=lambda old: Stub("v2"))  # type: ignore[arg-type]
    touch_manifest(corpus_dir)
    assert live.check() is True
    assert live.answer("问", [], None).text == "v2: 问"
    assert live.version == corpus_version(corpus_dir) and live.reloads == 1
    assert live.check() is False  # the same version is not built twice


def test_an_answer_in_flight_finishes_on_the_assistant_it_started_with(corpus_dir):
    started, release = threading.Event(), threading.Event()

    class Slow(Stub):
        def answer(self, message, history, region=None) -> Answer:  # type: ignore[no-untyped-def]
            started.set()
            release.wait(10)
            return super().answer(message, history, region)

    live = LiveAssistant(Slow("v1"), settings_for(corpus_dir), factory, build=lambda old: Stub("v2"))  # type: ignore[arg-type]
    result: list[str] = []
    t = threading.Thread(target=lambda: result.append(live.answer("旧", [], None).text))
    t.start()
    started.wait(10)
    touch_manifest(corpus_dir)
    assert live.check() is True  # swapped while the first answer is still running
    assert live.answer("新", [], None).text == "v2: 新"
    release.set()
    t.join(10)
    assert result == ["v1: 旧"]


def test_a_corpus_that_does_not_load_keeps_the_old_assistant(corpus_dir):
    calls: list[int] = []

    def broken(old):  # type: ignore[no-untyped-def]
        calls.append(1)
        raise CorpusError("manifest.yaml is not a valid manifest")

    live = LiveAssistant(Stub("v1"), settings_for(corpus_dir), factory, build=broken)  # type: ignore[arg-type]
    touch_manifest(corpus_dir)
    assert live.check() is False
    assert live.check() is False and calls == [1]  # not retried until the files change again
    assert live.answer("问", [], None).text == "v1: 问"


def test_requests_check_in_the_background_at_the_configured_interval(corpus_dir):
    live = LiveAssistant(Stub("v1"), settings_for(corpus_dir, check_s=0.05), factory, build=lambda old: Stub("v2"))  # type: ignore[arg-type]
    touch_manifest(corpus_dir)
    assert live.answer("问", [], None).text == "v1: 问"  # checked too soon
    time.sleep(0.1)
    live.answer("问", [], None)  # due: starts the rebuild in the background
    live.wait()
    assert live.answer("问", [], None).text == "v2: 问"


def test_zero_interval_never_checks(corpus_dir):
    live = LiveAssistant(Stub("v1"), settings_for(corpus_dir, check_s=0), factory, build=lambda old: Stub("v2"))  # type: ignore[arg-type]
    touch_manifest(corpus_dir)
    time.sleep(0.01)
    assert live.answer("问", [], None).text == "v1: 问"


def test_proposed_rules_do_not_change_the_version(corpus_dir):
    before = corpus_version(corpus_dir)
    (corpus_dir / "rules" / "x.proposed.yaml").write_text("doc: x\n", encoding="utf-8")
    assert corpus_version(corpus_dir) == before
    (corpus_dir / "rules" / "xicheng-sci-tech-draft.yaml").write_text(
        (corpus_dir / "rules" / "xicheng-sci-tech-draft.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert corpus_version(corpus_dir) != before


@pytest.mark.slow
def test_a_document_added_by_another_process_is_searched_and_cited(settings, assistant, tmp_path):
    """The `add` command runs in its own process; the running assistant reloads, and its dense search (an
    embedded Chroma does not show one process the vectors another wrote) finds the new clauses."""
    import os
    import subprocess
    import sys

    from assistant.service import build_assistant

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus_dir)
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(settings.embedding_cache_path, data / "embeddings.sqlite")
    s = settings.model_copy(update={"corpus_dir": corpus_dir, "data_dir": data, "reload_check_s": 0.0})
    live = LiveAssistant(build_assistant(s, progress=False), s)
    fixture = Path(__file__).resolve().parents[1] / "retrieval" / "fixtures" / "notice_page.html"
    env = {**os.environ, "POLICY_QA_CORPUS_DIR": str(corpus_dir), "POLICY_QA_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-m", "retrieval", "add", str(fixture), "--id", "test-rent-2025"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "index: 5 clauses added, 0 updated, 0 deleted" in done.stdout
    assert live.check() is True
    searcher = live.assistant.searcher
    dense = searcher.dense("科技型中小企业租用办公用房 每天每平方米 房租补贴", 5)
    assert "test-rent-2025#a2" in dense
    answer = live.answer("测试区科技企业房租补贴办法规定的房租补贴标准是什么？", [], None)
    assert answer.citations[0].doc_id == "test-rent-2025" and answer.citations[0].locator == "第二条"
