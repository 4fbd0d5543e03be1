"""Text out of a document file: plain text, Markdown, a saved web page, DOCX, a text PDF.

Each reader returns the document's paragraphs in reading order, one per line, with tables
flattened row by row (``表头：单元格；表头：单元格。``), so the same splitting and clause parsing
serve every format. Only the reading is per format; the policy-specific cleaning is in
`retrieval.sources` and the numbering in `retrieval.clauses`.

- HTML (BeautifulSoup): scripts, styles, navigation, headers, footers, menus, share bars and
  forms are removed; the article container is used when the page marks one.
- DOCX (python-docx): body paragraphs and tables in document order.
- PDF (pypdf): text pages only; running headers and footers (lines repeated at the top or
  bottom of most pages), page numbers and stray NULs are removed, and lines cut by the page
  width or a page break are rejoined.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import CorpusError

SUPPORTED = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
_TERMINAL = tuple("。；;！!？?：:”’」』）)】》…")
_MARKER = re.compile(
    r"^\s*(第[一二三四五六七八九十百零]+[章节節条條]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}\s*[.．、](?!\d)|[①-⑳]|附\s*[件则則]|[■●◆•])"
)
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*\d{1,4}[-—–\s]*$|^第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$|^[Pp]age\s*\d+(\s*of\s*\d+)?$"
)


@dataclass
class Extracted:
    """A file's text: paragraphs in order and the title the format states (HTML <h1>, DOCX title), if any."""

    lines: list[str]
    title: str | None = None


def read_document(path: Path) -> Extracted:
    """The paragraphs of a supported file; a CorpusError says which formats are supported."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise CorpusError(f"{path.name}: unsupported format {suffix or '(none)'}; use one of {', '.join(SUPPORTED)}")
    try:
        if suffix == ".txt":
            return Extracted(path.read_text(encoding="utf-8-sig").splitlines())
        if suffix == ".md":
            return read_markdown(path.read_text(encoding="utf-8-sig"))
        if suffix in (".html", ".htm"):
            return read_html(path.read_bytes())
        if suffix == ".docx":
            return read_docx(path)
        return read_pdf(path)
    except CorpusError:
        raise
    except UnicodeDecodeError as e:
        raise CorpusError(f"{path.name}: not UTF-8 text ({e}); save it as UTF-8") from e
    except Exception as e:  # the format libraries raise many kinds for a damaged file
        raise CorpusError(f"{path.name}: cannot read it as {suffix[1:].upper()}: {e}") from e


# -- tables ------------------------------------------------------------------------------------


def flatten_table(rows: list[list[str]]) -> list[str]:
    """One line per data row, each cell with its column header: 支持类型：研发投入；支持标准：30%。"""
    rows = [[re.sub(r"\s+", " ", c).strip() for c in _dedupe(r)] for r in rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    if len(rows) == 1:
        return ["；".join(c for c in rows[0] if c) + "。"]
    header, body = rows[0], rows[1:]
    out = []
    for row in body:
        cells = [f"{h}：{c}" if h and h != c else c for h, c in zip(header, row, strict=False) if c]
        cells += [c for c in row[len(header) :] if c]
        if cells:
            out.append("；".join(cells).rstrip("。；") + "。")
    return out


def _dedupe(row: list[str]) -> list[str]:
    """Merged cells repeat their text in every column they span: keep it once."""
    out: list[str] = []
    for c in row:
        if not out or c != out[-1] or not c:
            out.append(c)
        else:
            out.append("")
    return out


# -- Markdown -----------------------------------------------------------------------------------

_MD_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def read_markdown(text: str) -> Extracted:
    lines: list[str] = []
    table: list[list[str]] = []
    title = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|") and line.endswith("|"):
            if not _MD_TABLE_RULE.match(line):
                table.append([c.strip() for c in line.strip("|").split("|")])
            continue
        if table:
            lines.extend(flatten_table(table))
            table = []
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            line = heading.group(2).strip()
            if heading.group(1) == "#" and title is None:
                title = line
        line = re.sub(r"^>\s?", "", line)
        line = re.sub(r"^[-*+]\s+", "", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        lines.append(line)
    if table:
        lines.extend(flatten_table(table))
    return Extracted(lines, title)


# -- HTML ---------------------------------------------------------------------------------------

_CHROME_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "button"]
_CHROME_NAMES = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|footer|foot|header|head|top|breadcrumb|crumbs?|share|sidebar|side|toolbar|"
    r"copyright|related|links?|search|login|banner|print|fontsize|pagination)([-_ ]|$)",
    re.IGNORECASE,
)
_CONTENT_NAMES = re.compile(r"(content|article|zoom|trs_editor|main|detail|text|zw|body)", re.IGNORECASE)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "br", "tr", "table", "dd", "dt", "center",
}  # fmt: skip


def read_html(data: bytes | str) -> Extracted:
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(data, "html.parser")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed or tag.attrs is None:
            continue
        names = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
        if names.strip() and _CHROME_NAMES.search(names) and not _CONTENT_NAMES.search(names):
            tag.decompose()
    root: Tag = soup.find("article") or soup.find("main") or _content_container(soup) or soup.body or soup  # type: ignore[assignment]
    h1 = root.find("h1") or soup.find("h1")
    title = h1.get_text("", strip=True) if h1 else _site_title(page_title)
    for table in root.find_all("table"):
        rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
        replacement = soup.new_tag("div")
        for line in flatten_table(rows):
            p = soup.new_tag("p")
            p.string = line
            replacement.append(p)
        table.replace_with(replacement)
    for br in root.find_all("br"):
        br.replace_with("\n")
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = root.get_text("")
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", ln).strip() for ln in text.splitlines()]
    return Extracted([ln for ln in lines if ln], title)


def _content_container(soup: object) -> object | None:
    from bs4 import BeautifulSoup, Tag

    assert isinstance(soup, BeautifulSoup)
    best: Tag | None = None
    best_len = 0
    for tag in soup.find_all(["div", "section", "td"]):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        names = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
        if names.strip() and _CONTENT_NAMES.search(names):
            length = len(tag.get_text("", strip=True))
            if length > best_len:
                best, best_len = tag, length
    return best


def _site_title(title: str | None) -> str | None:
    """《…》_北京市人民政府网站 → the page's own part."""
    if not title:
        return None
    return re.split(r"\s*[_|｜—-]\s*(?=[^_|｜—-]*(?:网站|门户|政府|官网)[^_|｜—-]*$)", title)[0].strip() or None


# -- DOCX ---------------------------------------------------------------------------------------


def read_docx(path: Path) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    lines: list[str] = []
    title = (document.core_properties.title or "").strip() or None
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.replace("\t", " ")
            if title is None and block.style is not None and block.style.name == "Title":
                title = text.strip()
            lines.extend(t for t in text.split("\n"))
        elif isinstance(block, Table):
            lines.extend(flatten_table([[cell.text for cell in row.cells] for row in block.rows]))
    return Extracted([ln.strip() for ln in lines], title)


# -- PDF ----------------------------------------------------------------------------------------


def read_pdf(path: Path) -> Extracted:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    for page in reader.pages:
        _identity_encoding(page)
    pages = [_page_lines(page.extract_text() or "") for page in reader.pages]
    if not any(pages):
        raise CorpusError(f"{path.name}: the PDF has no text layer (a scan?); add a text version instead")
    pages = strip_running_lines(pages)
    title = None
    if reader.metadata and reader.metadata.title:
        title = str(reader.metadata.title).strip() or None
    return Extracted(rejoin_wrapped([ln for page in pages for ln in page]), title)


def _identity_encoding(page: object) -> None:
    """Some writers (fpdf2 with OpenType CJK fonts) embed their own CMap as a CID font's /Encoding, with two-byte
    codes; pypdf then reads the codes as single bytes. Text needs only the codes' width: read them as /Identity-H
    (the characters still come from the font's ToUnicode map)."""
    from pypdf.generic import NameObject, StreamObject

    try:
        fonts = page["/Resources"]["/Font"]  # type: ignore[index]
    except (KeyError, TypeError):
        return
    for ref in fonts.values():
        font = ref.get_object()
        encoding = font.get("/Encoding")
        encoding = encoding.get_object() if encoding is not None else None
        if (
            font.get("/Subtype") == "/Type0"
            and isinstance(encoding, StreamObject)
            and re.search(rb"begincodespacerange\s*<0000>\s*<FFFF>\s*endcodespacerange", encoding.get_data())
        ):
            font[NameObject("/Encoding")] = NameObject("/Identity-H")


# Kangxi radicals and CJK radical supplement code points that PDF fonts map glyphs to (⾸ for 首, ⻚ for 页):
# NFKC maps the Kangxi block; the supplement has no decomposition, so its common simplified forms are listed.
_RADICALS = re.compile(r"[\u2f00-\u2fdf]")
_SUPPLEMENT = str.maketrans(
    "⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻨⻩⻬⻮⻰⻳",
    "西见角贝车长门青韦页风飞食马骨鬼鱼鸟麦黄齐齿龙龟",
)
# Layout spaces a PDF puts between Chinese and Latin letters or digits (不超过 500 万元).
_WIDE = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_LAYOUT_SPACE = re.compile(
    rf"(?<=[{_WIDE}]) +(?=[A-Za-z0-9“”‘’])|(?<=[A-Za-z0-9%“”‘’]) +(?=[{_WIDE}])|(?<=[“‘]) +| +(?=[”’])"
)


def _page_lines(text: str) -> list[str]:
    text = text.replace("\x00", "").replace("\u00a0", " ")
    text = _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text).translate(_SUPPLEMENT)
    text = _LAYOUT_SPACE.sub("", text)
    return [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines()]


def _shape(line: str) -> str:
    """A line with its numbers masked: '- 3 -' and '- 4 -', '第3页' and '第4页' look alike."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def strip_running_lines(pages: list[list[str]], edge: int = 3) -> list[list[str]]:
    """Drop page numbers and lines that repeat near the top or bottom of at least half the pages."""
    pages = [[ln for ln in page if ln] for page in pages]
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_shape(ln) for ln in [*page[:edge], *page[-edge:]]})
    limit = max(2, (len(pages) + 1) // 2)
    running = {s for s, n in counts.items() if n >= limit} if len(pages) >= 2 else set()
    out = []
    for page in pages:
        keep = []
        for i, ln in enumerate(page):
            near_edge = i < edge or i >= len(page) - edge
            if _PAGE_NUMBER.match(ln) and near_edge:
                continue
            if near_edge and _shape(ln) in running:
                continue
            keep.append(ln)
        out.append(keep)
    return out


def rejoin_wrapped(lines: Iterable[str]) -> list[str]:
    """Join lines that the page width or a page break cut: a full-width line without a sentence end
    continues on the next line unless that line opens a numbered part."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines:
        return []
    widths = sorted(_width(ln) for ln in lines)
    full = widths[int(len(widths) * 0.9)] if len(widths) >= 5 else widths[-1]
    out: list[str] = []
    for ln in lines:
        prev = out[-1] if out else ""
        hyphen = re.search(r"[A-Za-z]-$", prev) is not None and re.match(r"[a-z]", ln) is not None
        if out and (hyphen or _width(prev) >= 0.8 * full) and not prev.endswith(_TERMINAL) and not _MARKER.match(ln):
            if hyphen:
                out[-1] = prev[:-1] + ln  # inno- / vation
            elif re.search(r"[A-Za-z]$", prev) and re.match(r"[A-Za-z]", ln):
                out[-1] = f"{prev} {ln}"
            else:
                out[-1] = prev + ln
        else:
            out.append(ln)
    return out


def _width(line: str) -> float:
    """Printed width in full-width characters (a Latin letter or digit is about half)."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in line)
