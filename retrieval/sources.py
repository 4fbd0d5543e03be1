"""Split the raw source files into documents and clean their artefacts.

Each raw file is one of four shapes, recognised by its content:

- an aggregator page: ``-`` separators, a title line, then the whole policy on one line
  behind an ``[地址:…]面议`` prefix, with the site's hotline and ICP lines at the end;
- a government gazette: a Chinese and an English table of contents, then several
  notices (title, 文号, notice text, date) each followed by the document it issues,
  with repeated page headers and words broken across page breaks;
- a web page holding one notice and its document (navigation and footer around it);
- a single document (a news report, a draft for comment).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from retrieval.errors import CorpusError
from retrieval.formats import SUPPORTED, read_document

_ADDR_PREFIX = re.compile(r"^\[地址:[^\]]*\]面议")
_CHAPTER_MENU_NUMBER = re.compile(r"(?:^|(?<=\s))0\d\s*(?=第[一二三四五六七八九十]+章)")
_DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,6}[〔\[(（]\d{4}[〕\])）]\s*\d+\s*号$")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_CONTACT_LINE = re.compile(r"^[(（]?联系人[:：].*[)）]?$|^联系电话")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$")
_SENTENCE_END = tuple("。；;！!？?：:")
_TERMINAL = (*_SENTENCE_END, *"”’」』）)】》…")
_MARKER_START = re.compile(
    r"^(第[一二三四五六七八九十百零]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}\s*[.．、](?!\d)|附\s*则)"
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"


@dataclass(frozen=True)
class Cleaning:
    """Site boilerplate, from corpus/cleaning.yaml: lines to drop, and lines where a site footer begins."""

    drop_lines: tuple[str, ...] = ()
    end_at: tuple[str, ...] = ()

    def apply(self, lines: list[str]) -> list[str]:
        end = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith(self.end_at)), len(lines))
        return [ln for ln in lines[:end] if not ln.lstrip().startswith(self.drop_lines)]


def load_cleaning(path: Path) -> Cleaning:
    """The cleaning configuration (none when the file is missing); an invalid file is a CorpusError."""
    if not path.exists():
        return Cleaning()
    return _load_cleaning(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load_cleaning(path: Path, _mtime: int) -> Cleaning:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"drop_lines", "end_at"}
    lists = all(isinstance(data.get(k, []), list) for k in ("drop_lines", "end_at"))
    if unknown or not lists:
        raise CorpusError(f"{path}: expected lists drop_lines and end_at (line starts), got {sorted(data)}")
    return Cleaning(tuple(str(x) for x in data.get("drop_lines", [])), tuple(str(x) for x in data.get("end_at", [])))


@dataclass
class RawPiece:
    """A document as cut out of a raw file, before it is parsed into clauses."""

    file: str
    key: str
    title: str
    paragraphs: list[str]
    layout: str = "lines"  # "lines": one paragraph per line; "flat": a whole policy on one line
    preamble_count: int = 0  # leading paragraphs that are the issuing notice
    meta_lines: list[str] = field(default_factory=list)  # dropped lines that carry dates, sources

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


def join_cjk_spaces(text: str) -> str:
    """Remove the spaces that line wrapping left between two Chinese characters."""
    return re.sub(rf"(?<=[{_CJK}》”、])[ \t\u3000]+(?=[{_CJK}《“])", "", text).strip()


def strip_title_echo(body: str, title: str) -> str:
    """Drop the document's own title when the text repeats it before the first sentence."""
    target = re.sub(r"\s+", "", title)
    cut = 0
    for m in re.finditer(r"\s+", body[: len(title) + 20]):
        head = re.sub(r"\s+", "", body[: m.start()])
        core = head.removeprefix("关于")
        if len(core) >= 0.6 * len(target) and core in target:
            cut = m.end()
    return body[cut:]


def rejoin_broken_lines(lines: list[str], min_len: int = 20) -> list[str]:
    """Join lines a page or line break cut in the middle of a word or sentence."""
    out: list[str] = []
    for line in lines:
        # An item's title line ("(二)支持科技型社会组织前瞻拓展和布局新领域") is short; a numbered
        # line cut by a page break fills the printed width (26 characters and more).
        need = max(min_len, 26) if _MARKER_START.match(out[-1] if out else "") else min_len
        if (
            out
            and len(out[-1]) >= need
            and not out[-1].endswith(_TERMINAL)
            and not _MARKER_START.match(line)
            and not _DATE_LINE.match(line)
            and not _DOC_NUMBER_LINE.match(line)
        ):
            out[-1] = out[-1] + line
        else:
            out.append(line)
    return out


def _nonblank(lines: list[str]) -> list[str]:
    return [ln.strip() for ln in lines if ln.strip()]


# -- aggregator page ------------------------------------------------------------------------


def _is_aggregator(lines: list[str]) -> bool:
    return bool(lines) and lines[0].strip() == "-" and any(_ADDR_PREFIX.match(ln) for ln in lines[:5])


def _split_aggregator(file: str, lines: list[str]) -> Iterator[RawPiece]:
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i].strip()
        if line == "-" or not line:
            i += 1
            continue
        if i + 1 < n and _ADDR_PREFIX.match(lines[i + 1].strip()):
            title = line
            body = _ADDR_PREFIX.sub("", lines[i + 1].strip()).strip()
            # The page numbered chapters for its menu: "01 第一章 总则 … 02 第二章 …".
            body = _CHAPTER_MENU_NUMBER.sub("", body).strip()
            body = strip_title_echo(body, title)
            if body in ("", "-"):
                # A title with no text (the page lists it and gives nothing): keep it empty.
                yield RawPiece(file=file, key=title, title=title, paragraphs=[], layout="flat")
            else:
                yield RawPiece(file=file, key=title, title=title, paragraphs=[body], layout="flat")
            i += 2
            continue
        # Anything else is the site footer: hotline, ICP number, copyright.
        i += 1


# -- government gazette ---------------------------------------------------------------------

_GAZETTE_HEADER = "北京市人民政府公报"


def _is_gazette(text: str) -> bool:
    return text.count(_GAZETTE_HEADER) >= 2 and "GAZETTE" in text


def _split_gazette(file: str, lines: list[str]) -> Iterator[RawPiece]:
    # Drop everything up to the end of the English table of contents.
    start = next(
        (i for i, ln in enumerate(lines) if "Table of Contents is prepared" in ln),
        None,
    )
    if start is None:
        raise CorpusError(f"{file}: gazette without the table-of-contents note; cannot find its start")
    end = next((i for i, ln in enumerate(lines) if ln.strip() == "政府公报查询方式"), len(lines))
    body = [ln.replace("**", "") for ln in lines[start + 1 : end]]
    body = [
        ln
        for ln in body
        if ln.strip() != _GAZETTE_HEADER and not _PAGE_NUMBER.match(ln) and not _CONTACT_LINE.match(ln.strip())
    ]
    # A notice starts with its title block (consecutive lines) right before its 文号 line.
    numbered = [i for i, ln in enumerate(body) if _DOC_NUMBER_LINE.match(ln.strip())]
    starts: list[int] = []
    for k in numbered:
        j = k - 1
        while j >= 0 and not body[j].strip():
            j -= 1
        while j - 1 >= 0 and body[j - 1].strip():
            j -= 1
        starts.append(j)
    for n, (s, k) in enumerate(zip(starts, numbered, strict=True)):
        stop = starts[n + 1] if n + 1 < len(starts) else len(body)
        notice_title = join_cjk_spaces("".join(ln.strip() for ln in body[s:k] if ln.strip()))
        yield _gazette_piece(file, notice_title, body[k].strip(), _nonblank(body[k + 1 : stop]))


def _take_title(lines: list[str]) -> tuple[str, list[str]]:
    """Split the title lines (short, no sentence end, no numbering) off the front of a body."""
    rest = list(lines)
    title_lines: list[str] = []
    while rest and not _MARKER_START.match(rest[0]) and len(rest[0]) <= 60 and not rest[0].endswith(_SENTENCE_END):
        title_lines.append(rest.pop(0))
    return join_cjk_spaces("".join(title_lines)), rest


def _gazette_piece(file: str, notice_title: str, doc_number: str, lines: list[str]) -> RawPiece:
    date_idx = next((i for i, ln in enumerate(lines) if _DATE_LINE.match(ln)), None)
    if date_idx is None:
        raise CorpusError(f"{file}: notice {doc_number} has no date line")
    notice = rejoin_broken_lines(lines[: date_idx + 1])
    title, rest = _take_title(lines[date_idx + 1 :])
    rest = rejoin_broken_lines(rest)
    # The title of the issued document, without a trailing period like (2022—2025 年).
    key = re.sub(r"\s*[(（][^()（）]*\d{4}[^()（）]*[)）]$", "", title)
    return RawPiece(
        file=file,
        key=key,
        title=title,
        paragraphs=notice + rest,
        preamble_count=len(notice),
        meta_lines=[notice_title, doc_number],
    )


# -- web page with one notice ------------------------------------------------------------------

_WEB_NAV = re.compile(r"^[•/]|^\s*•")


def _is_notice_page(lines: list[str]) -> bool:
    return any(ln.strip().startswith("发布时间") for ln in lines[:10])


def _split_notice_page(file: str, lines: list[str], cleaning: Cleaning) -> Iterator[RawPiece]:
    text = [ln for ln in cleaning.apply(_nonblank(lines)) if not _WEB_NAV.match(ln)]
    published = next(ln for ln in text if ln.startswith("发布时间"))
    text = text[text.index(published) + 1 :]
    # The notice title runs until the salutation line (各有关单位：).
    salutation = next(i for i, ln in enumerate(text) if re.match(r"^各.{1,12}[:：]$", ln))
    notice_title = join_cjk_spaces("".join(text[:salutation]))
    text = text[salutation:]
    date_idx = next(i for i, ln in enumerate(text) if _DATE_LINE.match(ln))
    # Signature lines of the notice are broken after "、": rejoin them.
    notice = rejoin_broken_lines(text[: date_idx + 1], min_len=1)
    title, rest = _take_title(text[date_idx + 1 :])
    yield RawPiece(
        file=file,
        key="*",
        title=title,
        paragraphs=notice + rest,
        preamble_count=len(notice),
        meta_lines=[notice_title, published],
    )


# -- a single document (any new document) -----------------------------------------------------

_BREADCRUMB = re.compile(r"^首页\s*[>＞›»]")
_HEAD_META = re.compile(r"^(日期|來源|来源)[:：]")
# The information table of a government page: 索引号, 发文机关, 发文字号, 成文日期, 发布日期 …
_INFO_LINE = re.compile(
    r"^(索引号|主题分类|发文机关|發文機關|发文字号|發文字號|文号|成文日期|发布日期|發佈日期|发布时间|發佈時間|发布机构|"
    r"生效日期|实施日期|有效性|时效性|信息来源|文章来源|来源)\s*[:：]"
)
_SALUTATION = re.compile(r"^各.{1,24}[:：]$")


def _split_single(file: str, lines: list[str], cleaning: Cleaning) -> Iterator[RawPiece]:
    text = [ln for ln in cleaning.apply(_nonblank(lines)) if not _BREADCRUMB.match(ln)]
    meta: list[str] = []
    if text and re.match(r"^附件\s*\d*$", text[0]):
        meta.append(text.pop(0))
    salutation = next((i for i, ln in enumerate(text[:12]) if _SALUTATION.match(ln)), None)
    if salutation is not None:
        yield _notice_piece(file, text, salutation)
        return
    # Title: the lines before the first long line or the first sentence.
    title_lines: list[str] = []
    while text and len(text[0]) <= 40 and not text[0].endswith("。") and not _MARKER_START.match(text[0]):
        if _HEAD_META.match(text[0]):
            meta.append(text.pop(0))
            break
        if _INFO_LINE.match(text[0]) or _DOC_NUMBER_LINE.match(text[0]) or _DATE_LINE.match(text[0]):
            meta.append(text.pop(0))
            continue
        title_lines.append(text.pop(0))
    while text and (_HEAD_META.match(text[0]) or _INFO_LINE.match(text[0]) or _DOC_NUMBER_LINE.match(text[0])):
        meta.append(text.pop(0))
    draft = [t for t in title_lines if re.fullmatch(r"[（(]征求意见稿[)）]", t)]
    title = join_cjk_spaces("".join(t for t in title_lines if t not in draft))
    yield RawPiece(file=file, key="*", title=title, paragraphs=text, meta_lines=meta + draft)


def _notice_piece(file: str, text: list[str], salutation: int) -> RawPiece:
    """A notice (title, 文号, 各有关单位：, text, issuer, date) and the document it issues."""
    head = text[:salutation]
    meta = [ln for ln in head if _INFO_LINE.match(ln) or _DOC_NUMBER_LINE.match(ln) or _DATE_LINE.match(ln)]
    notice_title = join_cjk_spaces("".join(ln for ln in head if ln not in meta))
    rest = text[salutation:]
    date_idx = next((i for i, ln in enumerate(rest) if _DATE_LINE.match(ln)), None)
    if date_idx is None:
        # A notice with no date line: the whole text is the notice's own.
        return RawPiece(file=file, key="*", title=notice_title, paragraphs=rest, meta_lines=meta)
    notice = rest[: date_idx + 1]
    title, body = _take_title(rest[date_idx + 1 :])
    draft = re.search(r"[（(]征求意见稿[)）]$", title)
    if draft:
        title = title[: draft.start()]
        meta.append(draft.group(0))
    if not title:
        title = re.sub(r"^关于印发|的通知$", "", notice_title).strip("《》")
    return RawPiece(
        file=file,
        key="*",
        title=title,
        paragraphs=notice + body,
        preamble_count=len(notice),
        meta_lines=[notice_title, *meta],
    )


def split_file(path: Path, cleaning: Cleaning | None = None) -> list[RawPiece]:
    """Cut one raw file (any supported format) into the documents it holds.

    `cleaning`: the site boilerplate to remove; by default corpus/cleaning.yaml next to the file's raw/ folder.
    """
    cleaning = cleaning or load_cleaning(path.parent.parent / "cleaning.yaml")
    if path.suffix.lower() == ".txt":
        lines = path.read_text(encoding="utf-8").splitlines()
    else:
        lines = read_document(path).lines
    raw = "\n".join(lines)
    if _is_aggregator(lines):
        return list(_split_aggregator(path.name, lines))
    if _is_gazette(raw):
        return list(_split_gazette(path.name, lines))
    if _is_notice_page(lines):
        return list(_split_notice_page(path.name, lines, cleaning))
    return list(_split_single(path.name, lines, cleaning))


def source_files(raw_dir: Path) -> list[Path]:
    """The raw files of the corpus, in name order (every supported format)."""
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED)


def split_sources(raw_dir: Path) -> dict[tuple[str, str], RawPiece]:
    """All documents of all raw files, keyed by (file name, key)."""
    pieces: dict[tuple[str, str], RawPiece] = {}
    files = source_files(raw_dir)
    if not files:
        raise CorpusError(f"no sources in {raw_dir}: copy the raw files into corpus/raw/")
    cleaning = load_cleaning(raw_dir.parent / "cleaning.yaml")
    for path in files:
        for piece in split_file(path, cleaning):
            pieces[(piece.file, piece.key)] = piece
    return pieces
