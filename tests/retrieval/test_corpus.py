"""Facts of the real corpus, pinned."""

import re

import pytest

from retrieval.corpus import load_corpus
from retrieval.models import DocStatus
from retrieval.normalize import squash

ARTEFACTS = [
    "北京市人民政府公报",
    "GAZETTE",
    "客服热线",
    "ICP备",
    "[地址:",
    "联系电话",
    "政府公报查询方式",
    "字號:",
    "相關推薦",
]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_document_count(corpus):
    assert len(corpus) == 30
    assert len([d for d in corpus if d.meta.sources[0].file.startswith("004")]) == 8


def test_nothing_lost_or_duplicated(corpus):
    for doc in corpus:
        joined = re.sub(r"\s+", "", "".join(c.text for c in doc.clauses))
        assert joined == re.sub(r"\s+", "", doc.body), doc.id


def test_no_artefacts_in_clauses(corpus):
    for clause in corpus.clauses:
        for artefact in ARTEFACTS:
            assert artefact not in clause.text, (clause.id, artefact)
        assert not re.search(r"(?:^|\s)0\d\s+第[一二三四五六七八九十]+章", clause.text), clause.id


def test_xicheng_fifth_article_item_two(corpus):
    [clause] = corpus.find_clauses("xicheng-sci-tech-draft", "第五条（二）")
    assert clause.locator == "第五条（二）"
    assert "按照合同额的30%给予后补贴" in clause.text
    assert corpus.document("xicheng-sci-tech-draft").meta.status == DocStatus.DRAFT


def test_ascii_brackets_kept_where_the_source_uses_them(corpus):
    locators = [c.locator for c in corpus.document("zgc-innovation-capacity-fund").clauses]
    assert "第六条(三)" in locators
    assert "第六条(二)1.(2)" in locators


def test_haidian_list_has_all_23_items(corpus):
    doc = corpus.document("haidian-23-awards")
    top = [c for c in doc.clauses if len(c.labels) == 1]
    assert [c.labels[0] for c in top] == [f"{i:02d}" for i in range(1, 24)]
    assert "03 上市企业并购重组补贴" in [c.locator for c in top]
    raw_items = re.findall(r"(?:^|\s)(\d{2})\s?[\u4e00-\u9fff]", doc.body)
    assert len([n for n in raw_items if 1 <= int(n) <= 23]) >= 23


def test_hydrogen_refuelling_station_item(corpus):
    clause = next(c for c in corpus.document("bj-hydrogen-2022").clauses if c.locator.startswith("13."))
    assert clause.locator == "13. 支持加氢站建设运营"
    assert "500 万元和 200 万元" in clause.text


def test_paragraph_measures_take_their_heading_as_locator(corpus):
    news = [c.locator for c in corpus.document("bda-kechuang-20-v2-news").clauses]
    assert "實施中小企業“春筍”行動" in news
    services = [c.locator for c in corpus.document("bda-producer-services").clauses]
    assert "6. 支持智改数转" in services


def test_news_report_found_by_simplified_title(corpus):
    [doc] = corpus.find_documents("北京经开区发布“科创二十条2.0版”")
    assert doc.id == "bda-kechuang-20-v2-news"
    assert doc.meta.status == DocStatus.SUMMARY
    assert "春笋" in " ".join(c.norm_text for c in doc.clauses)


def test_zgc_measures_have_one_canonical_document_with_both_sources(corpus):
    docs = corpus.find_documents("关于推动中关村加快建设世界领先科技园区的若干政策措施")
    assert [d.id for d in docs] == ["zgc-world-leading-park-2024"]
    assert {s.file[:3] for s in docs[0].meta.sources} == {"000", "002"}


def test_empty_document_has_no_text(corpus):
    doc = corpus.document("beijing-uhd-av-2024")
    assert doc.meta.status == DocStatus.EMPTY and doc.clauses == () and doc.body == ""


def test_clause_ids_unique_and_locators_non_empty(corpus):
    ids = [c.id for c in corpus.clauses]
    assert len(ids) == len(set(ids))
    assert all(c.locator for c in corpus.clauses)


def test_norm_text_is_simplified_and_half_width(corpus):
    for clause in corpus.clauses:
        assert "（" not in clause.norm_text and "經" not in clause.norm_text
        assert squash(clause.text) == squash(clause.norm_text) or clause.norm_text
