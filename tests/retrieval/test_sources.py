from pathlib import Path

from retrieval.corpus import DEFAULT_CORPUS_DIR
from retrieval.sources import rejoin_broken_lines, split_file, split_sources, strip_title_echo

RAW = DEFAULT_CORPUS_DIR / "raw"


def test_raw_sources_are_the_five_seed_files():
    assert sorted(p.name[:3] for p in RAW.glob("*.txt")) == ["000", "001", "002", "003", "004"]


def test_aggregator_page_holds_twenty_policies():
    pieces = split_file(next(RAW.glob("000_*.txt")))
    assert len(pieces) == 20
    assert all(not p.body.startswith("[地址") for p in pieces)
    empty = [p for p in pieces if not p.paragraphs]
    assert [p.title for p in empty] == ["北京市支持超高清视听产业发展项目管理办法(2024-2026年)"]


def test_aggregator_footer_is_dropped():
    text = "\n".join(p.body for p in split_file(next(RAW.glob("000_*.txt"))))
    assert "客服热线" not in text and "ICP" not in text


def test_gazette_holds_eight_documents_with_their_doc_numbers():
    pieces = split_file(next(RAW.glob("004_*.txt")))
    assert len(pieces) == 8
    numbers = [p.meta_lines[1] for p in pieces]
    assert numbers[0] == "京教研〔2022〕13号"
    assert "京经信发〔2022〕63号" in numbers


def test_gazette_rejoins_words_broken_across_pages():
    pieces = split_file(next(RAW.glob("004_*.txt")))
    body = pieces[0].body
    assert "新型研发机构等错位布局" in body
    assert "制定中心详细建设管理办法和制度细则" in body


def test_gazette_keeps_item_titles_on_their_own_line():
    piece = next(p for p in split_file(next(RAW.glob("004_*.txt"))) if "聚力行动" in p.title)
    assert "(二)支持科技型社会组织前瞻拓展和布局新领域" in piece.paragraphs


def test_rejoin_leaves_sentences_and_markers_alone():
    lines = [
        "第一条 这是一句完整的话。",
        "第二条 这一行被分页截断在一个词的中间，这一行足够长，后面的研",
        "发机构继续。",
        "(一)短标题",
    ]
    assert rejoin_broken_lines(lines) == [
        lines[0],
        "第二条 这一行被分页截断在一个词的中间，这一行足够长，后面的研发机构继续。",
        "(一)短标题",
    ]


def test_strip_title_echo():
    assert (
        strip_title_echo(
            "关于加快推进北京城市副中心 产业高质量发展的若干措施 为深入",
            "关于加快推进北京城市副中心产业高质量发展的若干措施",
        )
        == "为深入"
    )
    assert strip_title_echo("第一条 为推动", "某办法") == "第一条 为推动"


def test_every_source_piece_is_found(tmp_path: Path):
    pieces = split_sources(RAW)
    assert len(pieces) == 20 + 1 + 1 + 1 + 8
