"""One document, four formats, one clause tree; tables flattened with their header; page chrome removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.clauses import build_clauses
from retrieval.corpus import DEFAULT_CORPUS_DIR
from retrieval.errors import CorpusError
from retrieval.formats import (
    flatten_table,
    read_document,
    read_html,
    read_markdown,
    rejoin_wrapped,
    strip_running_lines,
)
from retrieval.sources import RawPiece, split_file
from tests.retrieval.render import print_to_pdf, to_docx, to_html, to_pdf

XICHENG = DEFAULT_CORPUS_DIR / "raw" / "003_2cc35b69b6431184.txt"


def tree(piece: RawPiece) -> list[tuple[str, str, str]]:
    clauses = build_clauses("x", piece.paragraphs, piece.layout == "flat", piece.preamble_count)
    return [(c.id, c.locator, c.text) for c in clauses]


@pytest.fixture(scope="module")
def reference() -> RawPiece:
    [piece] = split_file(XICHENG)
    return piece


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return XICHENG.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "chromium-pdf"])
def test_every_format_gives_the_clause_tree_of_the_text(fmt, reference, paragraphs, tmp_path):
    render = {"html": to_html, "docx": to_docx, "pdf": to_pdf, "chromium-pdf": print_to_pdf}[fmt]
    path = render(paragraphs, tmp_path / f"xicheng.{fmt.split('-')[-1]}")
    [piece] = split_file(path)
    assert piece.title == reference.title == "北京市西城区促进科技创新及中关村科技园区西城园高质量发展若干措施"
    assert piece.meta_lines == reference.meta_lines == ["附件1", "（征求意见稿）"]
    got, want = tree(piece), tree(reference)
    assert len(got) == len(want) == 52
    assert got == want


def test_pdf_running_header_and_page_numbers_are_removed(paragraphs, tmp_path):
    lines = read_document(to_pdf(paragraphs, tmp_path / "x.pdf")).lines
    assert not any("人民政府文件" in ln or ln.startswith("- ") for ln in lines)
    # The page count: the document fills more than one page, so text was rejoined across a page break.
    import pypdf

    assert len(pypdf.PdfReader(str(tmp_path / "x.pdf")).pages) >= 3


def test_html_page_chrome_is_removed(tmp_path):
    lines = read_document(to_html(["第一条 标题", "（一）正文。"], tmp_path / "p.html")).lines
    assert lines == ["第一条 标题", "（一）正文。"]


def test_html_without_an_article_container_drops_scripts_nav_and_footer():
    page = (
        "<html><head><title>某通知_北京市人民政府门户网站</title></head><body>"
        "<nav>首页 政务</nav><script>x=1</script><h1>关于某事的通知</h1>"
        "<div><p>正文一。</p><p>正文<b>二</b>。</p></div>"
        "<footer>版权所有</footer></body></html>"
    )
    got = read_html(page)
    assert got.title == "关于某事的通知"
    assert got.lines == ["关于某事的通知", "正文一。", "正文二。"]


def test_tables_are_flattened_row_by_row_with_their_header():
    rows = [["产品类别", "奖励标准"], ["国际首创", "100万元"], ["国内首创", "50万元"]]
    assert flatten_table(rows) == ["产品类别：国际首创；奖励标准：100万元。", "产品类别：国内首创；奖励标准：50万元。"]
    md = "| 产品类别 | 奖励标准 |\n|---|---|\n| 国际首创 | 100万元 |\n"
    assert read_markdown(md).lines == ["产品类别：国际首创；奖励标准：100万元。"]
    html_table = "<table><tr><th>产品类别</th><th>奖励标准</th></tr><tr><td>国际首创</td><td>100万元</td></tr></table>"
    assert read_html(f"<html><body><div id='content'>{html_table}</div></body></html>").lines == [
        "产品类别：国际首创；奖励标准：100万元。"
    ]


def test_docx_tables_keep_their_place(tmp_path):
    table = [["产品类别", "奖励标准"], ["国际首创", "100万元"]]
    path = to_docx(["第四条 首台套奖励", "[table]", "第五条 其他。"], tmp_path / "t.docx", table)
    assert read_document(path).lines == [
        "第四条 首台套奖励",
        "产品类别：国际首创；奖励标准：100万元。",
        "第五条 其他。",
    ]


def test_wrapped_lines_and_broken_words_are_rejoined():
    lines = [
        "第一条 为促进科技创新和产业发展，制定",
        "本办法。",
        "第二条 本办法适用于全区。",
        "（一）支持 inno-",
        "vation。",
    ]
    assert rejoin_wrapped(lines) == [
        "第一条 为促进科技创新和产业发展，制定本办法。",
        "第二条 本办法适用于全区。",
        "（一）支持 innovation。",
    ]


def test_running_lines_need_half_the_pages():
    pages = [["某某文件", "正文一", "- 1 -"], ["某某文件", "正文二", "- 2 -"], ["正文三", "- 3 -"]]
    assert strip_running_lines(pages) == [["正文一"], ["正文二"], ["正文三"]]


def test_unsupported_format_says_what_is_supported(tmp_path):
    f = tmp_path / "a.rtf"
    f.write_text("x")
    with pytest.raises(CorpusError, match=r"unsupported format \.rtf; use one of \.txt, \.md, \.html"):
        read_document(f)


def test_a_scan_without_text_is_refused(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(CorpusError, match="no text layer"):
        read_document(tmp_path / "scan.pdf")


def test_raw_text_files_are_read_unchanged(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("甲\n\n乙\n", encoding="utf-8")
    assert read_document(f).lines == ["甲", "", "乙"]
    assert isinstance(Path(f), Path)
