"""Render a document's paragraphs into the formats an operator uploads: a saved web page, DOCX, a text PDF."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

CJK_FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
]


def cjk_font() -> Path:
    """A CJK font for PDFs (Debian's fonts-noto-cjk); the test is skipped only when none is installed."""
    for f in CJK_FONTS:
        if f.exists():
            return f
    pytest.skip("no CJK font: apt-get install fonts-noto-cjk")


def to_html(paragraphs: list[str], path: Path) -> Path:
    """A government page: navigation, breadcrumbs, the article, share bar, footer and scripts around it."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" if p else "<p>&nbsp;</p>" for p in paragraphs)
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>政策文件_北京市西城区人民政府网站</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script><style>p {{ text-indent: 2em; }}</style></head>
<body><div class="header"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<nav><ul><li>机构设置</li><li>政策文件</li><li>办事服务</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
<div class="article-content" id="zoom">{body}</div>
<div class="share-bar">分享到：微信 微博</div>
<footer><p>主办：北京市西城区人民政府办公室</p><p>京ICP备05060933号</p></footer>
<script>console.log("页面脚本");</script></body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def to_docx(paragraphs: list[str], path: Path, table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for p in paragraphs:
        if p == "[table]" and table:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
            continue
        document.add_paragraph(p)
    document.save(str(path))
    return path


def to_pdf(paragraphs: list[str], path: Path, header: str = "北京市西城区人民政府文件") -> Path:
    """A4 pages with a running header, a page number footer, and lines wrapped at the page width."""
    from fpdf import FPDF

    font = cjk_font()

    class Page(FPDF):
        def header(self) -> None:
            self.set_font("cjk", size=9)
            self.cell(0, 8, header, align="C", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, f"- {self.page_no()} -", align="C")

    pdf = Page(format="A4")
    pdf.add_font("cjk", fname=str(font), collection_font_number=0)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for p in paragraphs:
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 8, p or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


CHROMIUM = Path("/usr/bin/chromium")


def print_to_pdf(paragraphs: list[str], path: Path) -> Path:
    """Chromium's print-to-PDF of a plain page holding the paragraphs (with its date/title header and
    URL/page-number footer): fonts there map some characters to radicals and set digits apart with spaces."""
    import subprocess

    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: apt-get install chromium")
    cjk_font()
    page = path.with_suffix(".html")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)
    page.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'><title>文件</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", f"--print-to-pdf={path}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return path
