import datetime as dt

import pytest
import yaml

from retrieval.corpus import DEFAULT_CORPUS_DIR, Manifest, load_corpus
from retrieval.manifest_check import check
from retrieval.metadata import add_years, derive
from retrieval.models import DocStatus, RegionLevel


def test_manifest_validates_against_the_schema():
    raw = yaml.safe_load((DEFAULT_CORPUS_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    manifest = Manifest.model_validate(raw)
    assert len(manifest.documents) == 30


def test_manifest_agrees_with_the_texts():
    assert check(load_corpus()) == []


def test_statuses_and_regions():
    corpus = load_corpus()
    by_id = {d.id: d.meta for d in corpus}
    assert by_id["xicheng-sci-tech-draft"].status == DocStatus.DRAFT
    assert by_id["bda-kechuang-20-v2-news"].status == DocStatus.SUMMARY
    assert by_id["gov-investment-new-drivers-interp"].status == DocStatus.INTERPRETATION
    assert by_id["beijing-uhd-av-2024"].status == DocStatus.EMPTY
    assert by_id["shijiazhuang-electronics-biomed"].region == "石家庄市"
    assert by_id["bda-talent-annuity"].region_level == RegionLevel.ZONE


def test_repeal_relations():
    corpus = load_corpus()
    zgc = corpus.document("zgc-world-leading-park-2024").meta
    assert [r.doc_number for r in zgc.supersedes] == ["京科发〔2022〕4号"]
    xicheng = corpus.document("xicheng-sci-tech-draft").meta
    assert [r.doc_number for r in xicheng.supersedes] == ["西行规发〔2021〕11号"]


def test_expiry():
    corpus = load_corpus()
    today = dt.date(2026, 11, 22)
    assert corpus.document("bj-hydrogen-2022").meta.expired_on(today)
    assert not corpus.document("synbio-manufacturing-2024").meta.expired_on(today)
    assert not corpus.document("xicheng-sci-tech-draft").meta.expired_on(today)


@pytest.mark.parametrize(
    ("text", "years", "until"),
    [
        ("本办法有效期三年,自发布之日起实施。", 3, None),
        ("有效期 3 年。", 3, None),
        ("本措施自2024年9月14日起执行至2026年12月31日截止。", None, dt.date(2026, 12, 31)),
        ("政策有效期自印发日起至2025年12月31日,由区科信局负责", None, dt.date(2025, 12, 31)),
    ],
)
def test_derive_validity(text, years, until):
    d = derive(text)
    assert (d.validity_years, d.valid_until) == (years, until)


def test_add_years():
    assert add_years(dt.date(2022, 8, 11), 3) == dt.date(2025, 8, 10)
