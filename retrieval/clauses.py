"""Parse a document body into citable clauses that follow its own numbering.

The parser reads the body as a sequence of segments (paragraphs; for documents flattened
onto one line, runs of text split at numbering marks and sentence ends). A segment that
starts with a numbering mark (第X章, 第X条, 一、, （一）, 1., （1）, 01) opens a new node
only when the number continues a sequence already open (the next sibling) or starts a new
one (1), so numbers quoted inside sentences do not break clauses. Unnumbered documents
(news reports, summaries) are cut at their short headings and lead phrases instead.

Every character of the body ends up in exactly one clause: the concatenated clause texts
equal the body (modulo whitespace).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from retrieval.models import Clause, ClauseKind
from retrieval.normalize import normalize, to_simplified

CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_NUM = "一二三四五六七八九十百零"


def cn_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 三十八 → 38, 一百零二 → 102."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = CN_DIGITS[ch]
    return total + current


@dataclass(frozen=True)
class Marker:
    type: str
    number: int
    label: str  # as printed, whitespace removed
    end: int  # where the text after the marker starts


_UNIT_AFTER = "万亿元%％年月日个家人次名倍台套岁平亩"
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"第([{CN_NUM}]+)章")),
    ("section", re.compile(rf"第([{CN_NUM}]+)[节節]")),
    ("article", re.compile(rf"第([{CN_NUM}]+)[条條]")),
    ("cn_num", re.compile(r"([一二三四五六七八九十]+)、")),
    ("cn_paren", re.compile(r"[（(]([一二三四五六七八九十]+)[）)]")),
    ("arabic_dot", re.compile(r"(\d{1,2})\s*[.．、](?!\d)")),
    ("arabic_paren", re.compile(r"[（(](\d{1,2})[）)]")),
    ("circled", re.compile(r"([①-⑳])")),
    ("two_digit", re.compile(rf"(\d{{2}})(?!\d)(?!\s?(?:[{_UNIT_AFTER}]|项(?!目)))(?=\s?[\u4e00-\u9fff])")),
]
# Marks that open a top-level part without a number.
_FUZE = re.compile(r"附\s*[则則]")
# An attachment heading on a line of its own: 附件, 附件1, 附件一：目录 (not 附件中所列…).
_ANNEX = re.compile(r"附\s*件\s*([一二三四五六七八九十]+|\d{1,2})?(?=\s*$|\s*[:：]|\s+\S)")
_ANNEX_MAX = 40
# In flattened text 一、 lost its 、: "一 主要举措".
_FLAT_CN_NUM = re.compile(r"([一二三四五六七八九十]+) (?=[\u4e00-\u9fff])")
_CLOSING = re.compile(r"^本(若干)?(政策)?(措施|办法|细则|实施细则|方案|意见|计划|规定|政策措施)")
_CLOSING_WORDS = re.compile(r"施行|有效期|负责解释|所指|废止|执行至|起执行|自发布|自印发")
_SENTENCE_PUNCT = re.compile(r"[，,；;：:？?！!]")
_LEAD_ACTION = re.compile(r"^((?:實施|实施)[^,，。；]{2,20}(?:行動|行动))[,，]")
# A measure that starts inside a paragraph: "…5項重點行動。實施中小企業“春筍”行動,強化…"
# and short headline sentences run together: "…补助支持。加强信息基础设施保障。随着…".
_LEAD_SPLIT = re.compile(
    r"(?<=。)(?=(?:實施|实施)[^,，。；]{2,20}(?:行動|行动)[,，]"
    r"|(?:加快|加强|强化|适度|提供|打造|补齐|支持|推动|提升|优化|完善|鼓励|降低)[^,，。；:：]{2,14}。)"
)
# The labelled blocks of a measure: 支持对象：… 支持条件：… 支持标准：…
_BLOCK = re.compile(r"^(支持|申报|申请|扶持|补贴|奖励|资助)(对象|条件|标准|内容|方式|范围|材料|程序|流程|主体)\s*[:：]")
_HEADING_MAX = 24
_TITLE_MAX = 24


def _number(kind: str, raw: str) -> int:
    if kind == "circled":
        return ord(raw) - ord("①") + 1
    return int(raw) if raw.isdigit() else cn_to_int(raw)


def parse_marker(segment: str, flat: bool) -> Marker | None:
    """The numbering mark at the start of a segment, if any."""
    s = segment.lstrip()
    offset = len(segment) - len(s)
    for kind, pattern in _MARKERS:
        m = pattern.match(s)
        if m:
            raw = m.group(1)
            number = _number(kind, raw)
            label = re.sub(r"\s+", "", m.group(0))
            return Marker(kind, number, label, offset + m.end())
    if flat:
        m = _FLAT_CN_NUM.match(s)
        if m:
            return Marker("cn_num", cn_to_int(m.group(1)), m.group(1) + "、", offset + m.end())
    m = _FUZE.match(s)
    if m and (len(s) == m.end() or s[m.end()] in " \t"):
        return Marker("fuze", 0, "附则", offset + m.end())
    m = _ANNEX.match(s)
    if m and not flat and len(s.strip()) <= _ANNEX_MAX:
        raw = m.group(1) or ""
        number = (int(raw) if raw.isdigit() else cn_to_int(raw)) if raw else 1
        end = offset + m.end()
        rest = segment[end:]
        end += len(rest) - len(rest.lstrip(" \t:："))
        return Marker("annex", number, "附件" + raw, end)
    return None


@dataclass
class _Node:
    marker: Marker | None
    kind: ClauseKind
    parts: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None
    token: str = ""
    forced_locator: str | None = None
    title: str | None = None

    @property
    def text(self) -> str:
        return "".join(self.parts)


# -- segmentation ---------------------------------------------------------------------------


_BARE_MARKER = re.compile(rf"\d{{1,2}}[.．、]?|[（(][{CN_NUM}\d]+[）)]|第[{CN_NUM}]+[章条]|[{CN_NUM}]+、?")
_MEASURE_VERB = re.compile(r"^(支持|鼓励|降低|强化|保障|完善|激励|推动|加快|加强|提升|优化|打造|实施|實施|促进|培育)")


def _is_heading_phrase(chunk: str) -> bool:
    c = chunk.strip().rstrip("。")
    if re.fullmatch(r"[^。，,；;]{0,40}《[^》]+》", c):
        return True  # a compilation's source heading: …印发《人工智能算力券实施方案》
    return 2 <= len(c) <= _HEADING_MAX and not _SENTENCE_PUNCT.search(c) and "。" not in c


def _flat_segments(text: str) -> list[str]:
    """Split a one-line document at whitespace where a new unit plausibly starts."""
    pieces = re.split(r"(\s+)", text)
    segments: list[str] = []
    prev_chunk, prev_started = "", False
    for i in range(0, len(pieces), 2):
        chunk = pieces[i]
        ws = pieces[i - 1] if i > 0 else ""
        if not chunk:
            if segments:
                segments[-1] += ws
            continue
        ahead = "".join(pieces[i : i + 3])
        after_sentence = prev_chunk.endswith(("。", "；", ";", "！", "？"))
        bare_marker = _BARE_MARKER.fullmatch(prev_chunk) is not None
        after_heading = (
            _is_heading_phrase(prev_chunk)
            and not bare_marker
            and (prev_started or _MEASURE_VERB.match(prev_chunk) is not None)
        )
        heading_here = _is_heading_phrase(chunk) and _MEASURE_VERB.match(chunk) is not None and len(chunk) >= 6
        new = not bare_marker and (
            not segments
            or parse_marker(ahead, flat=True) is not None
            or after_sentence
            or after_heading
            or heading_here
            or chunk.startswith(("■", "《"))
        )
        if new:
            segments.append(ws + chunk if segments else chunk)
        else:
            segments[-1] += ws + chunk
        prev_chunk, prev_started = chunk, new
    return segments


# -- tree building ---------------------------------------------------------------------------


class _TreeBuilder:
    def __init__(self, flat: bool) -> None:
        self.flat = flat
        self.root = _Node(None, ClauseKind.HEADING)
        self.stack: list[_Node] = []
        self.last_seen: dict[str, int] = {}
        self.current: _Node | None = None

    def _attach(self, node: _Node, parent: _Node) -> None:
        node.parent = parent
        parent.children.append(node)
        self.current = node

    def _open(self, marker: Marker, segment: str) -> bool:
        types = [n.marker.type for n in self.stack if n.marker]
        if marker.type == "annex":
            if marker.number not in (1, self.last_seen.get("annex", 0) + 1):
                return False
            self.stack.clear()
        elif marker.type == "fuze":
            self.stack.clear()
        elif marker.type in types:
            idx = types.index(marker.type)
            top = self.stack[idx].marker
            assert top is not None
            if marker.number != top.number + 1:
                return False
            del self.stack[idx:]
        elif marker.number not in (1, self.last_seen.get(marker.type, 0) + 1):
            return False
        node = _Node(marker, ClauseKind.CLAUSE, [segment])
        self._attach(node, self.stack[-1] if self.stack else self.root)
        self.stack.append(node)
        self.last_seen[marker.type] = marker.number
        return True

    def feed(self, segment: str, preamble: bool = False) -> None:
        if preamble:
            node = _Node(None, ClauseKind.PREAMBLE, [segment], token="notice", forced_locator="印发通知")
            if self.current and self.current.kind == ClauseKind.PREAMBLE and self.current.token == "notice":
                self.current.parts.append("\n" + segment)
            else:
                self._attach(node, self.root)
            return
        marker = parse_marker(segment, self.flat)
        if marker and self._open(marker, segment):
            return
        body = segment.strip()
        simple = to_simplified(body)
        if _CLOSING.match(simple) and _CLOSING_WORDS.search(simple) and self.last_seen:
            cur = self.current
            own = _own_text(cur) if cur is not None and cur.marker else "x。"
            if cur is not None and not cur.children and (not own or _is_heading_phrase(own)):
                # 八、附则 followed by its paragraph: the paragraph belongs to it.
                cur.parts.append(("" if self.flat else "\n") + segment)
                return
            self.stack.clear()
            self._attach(_Node(None, ClauseKind.CLOSING, [segment]), self.root)
            return
        if self.current is None or (self.current.kind == ClauseKind.PREAMBLE and self.current.token == "notice"):
            self._attach(_Node(None, ClauseKind.PREAMBLE, [segment]), self.root)
            return
        sep = "" if self.flat else "\n"
        self.current.parts.append(sep + segment if self.current.parts else segment)


def _unnumbered_nodes(segments: list[str], flat: bool) -> list[_Node]:
    """Documents without numbering: cut at short headings and lead phrases."""
    nodes: list[_Node] = []
    heading_stack: list[_Node] = []
    current: _Node | None = None
    sep = "" if flat else "\n"
    for seg in segments:
        body = seg.strip()
        lead = _lead_phrase(body)
        simple = to_simplified(body)
        if _CLOSING.match(simple) and _CLOSING_WORDS.search(simple) and len(body) <= 80 and not flat:
            # 本措施自发布之日起施行。 closes an unnumbered document too.
            node = _Node(None, ClauseKind.CLOSING, [seg])
            nodes.append(node)
            current = node
        elif (
            _BLOCK.match(simple)
            and current is not None
            and current.kind not in (ClauseKind.PARAGRAPH, ClauseKind.CLOSING)
        ):
            # 支持对象：… 支持条件：… 支持标准：… belong to the measure they describe.
            current.kind = ClauseKind.CLAUSE
            current.parts.append(sep + seg)
        elif _is_heading_phrase(body) or body.startswith("■"):
            book = re.search(r"《[^》]+》$", body.rstrip("。"))
            title = book.group(0) if book else body.lstrip("■").rstrip("。")
            node = _Node(None, ClauseKind.HEADING, [seg], title=title)
            if current is not None and current.kind == ClauseKind.HEADING:
                # Two headings in a row: the first is a section heading above the second.
                heading_stack = [current]
            elif current is None or current.kind != ClauseKind.HEADING:
                heading_stack = []
            node.parent = heading_stack[-1] if heading_stack else None
            nodes.append(node)
            current = node
        elif lead:
            node = _Node(None, ClauseKind.CLAUSE, [seg], title=lead, parent=_heading_parent(current))
            nodes.append(node)
            current = node
        elif current is not None and current.kind == ClauseKind.HEADING:
            # A heading followed by its text: one clause cited by the heading.
            current.kind = ClauseKind.CLAUSE
            current.parts.append(sep + seg)
        elif current is not None and current.kind == ClauseKind.CLAUSE and current.title and flat:
            current.parts.append(sep + seg)
        else:
            node = _Node(None, ClauseKind.PARAGRAPH, [seg], parent=_heading_parent(current))
            nodes.append(node)
            current = node
    return nodes


def _heading_parent(current: _Node | None) -> _Node | None:
    if current is None:
        return None
    if current.kind == ClauseKind.HEADING:
        return current
    return current.parent


def _lead_phrase(body: str) -> str | None:
    m = _LEAD_ACTION.match(body)
    if m:
        return m.group(1)
    m = re.match(r"^([^，,；;：:。\s]{2,20})。(?=\S)", body)
    if m and not body.startswith(("近日", "此外", "同时")):
        return m.group(1)
    return None


# -- locators --------------------------------------------------------------------------------


def _own_text(node: _Node) -> str:
    """The node's text after its numbering mark."""
    text = node.text
    if node.marker:
        text = text.lstrip()[node.marker.end - (len(text) - len(text.lstrip())) :]
    return text.strip()


def _title_of(node: _Node, flat: bool) -> str | None:
    own = _own_text(node)
    if not own:
        return None
    if len(own) <= 30 and not _SENTENCE_PUNCT.search(own) and not re.search(r"\s|。.", own):
        # The whole text is a short phrase: a heading ("第一条 支持企业形成国家战略科技力量"),
        # unless it is a one-sentence clause with nothing under it.
        if node.children or not own.endswith("。"):
            return own.rstrip("。")
        return None
    m = re.match(rf"^([^，,；;：:。、\n]{{2,{_TITLE_MAX}}})。(?=\s*\S)", own)
    if m:
        return m.group(1)
    # A title set apart by a space or line break may be longer.
    gap = r"\s+" if flat else r"\s*\n\s*"
    m = re.match(r"^([^，,；;：:。、\s]{2,40})" + gap + r"(?=\S)", own)
    if m and not m.group(1).endswith(("的", "和", "及", "与", "或", "在", "对")):
        return m.group(1)
    return None


def _path(node: _Node) -> list[_Node]:
    path: list[_Node] = []
    n: _Node | None = node
    while n is not None and n.marker is not None:
        path.append(n)
        n = n.parent
    return path[::-1]


def _join_labels(labels: list[str]) -> str:
    out = ""
    for label in labels:
        if out and out[-1].isdigit() and label[0].isdigit():
            out += " "
        out += label
    return out


def _with_title(label: str, title: str | None) -> str:
    if not title:
        return label
    sep = " " if label[-1].isdigit() or label.endswith((".", "条", "章", "节", "條", "節", "件")) else ""
    return f"{label}{sep}{title}"


def build_clauses(doc_id: str, paragraphs: list[str], flat: bool, preamble_count: int = 0) -> list[Clause]:
    """Parse paragraphs into clauses, in document order."""
    segments: list[tuple[str, bool]] = []
    for i, p in enumerate(paragraphs):
        if i < preamble_count:
            segments.append((p, True))
        elif flat:
            segments.extend((s, False) for s in _flat_segments(p))
        else:
            segments.append((p, False))
    body_segments = [s for s, pre in segments if not pre]
    builder = _TreeBuilder(flat)
    for seg, pre in segments:
        builder.feed(seg, preamble=pre)
    nodes = _flatten(builder.root)
    if not any(n.marker for n in nodes):
        notice = [n for n in nodes if n.token == "notice"]
        split = [part for seg in body_segments for part in _LEAD_SPLIT.split(seg) if part]
        nodes = notice + _unnumbered_nodes(split, flat)
    return _to_clauses(doc_id, nodes, flat)


def _flatten(root: _Node) -> list[_Node]:
    out: list[_Node] = []

    def walk(n: _Node) -> None:
        for c in n.children:
            out.append(c)
            walk(c)

    walk(root)
    return out


def _to_clauses(doc_id: str, nodes: list[_Node], flat: bool) -> list[Clause]:
    numbered = [n for n in nodes if n.marker]
    for n in numbered:
        n.title = _title_of(n, flat)
    label_count = Counter(n.marker.label for n in numbered if n.marker)
    global_types = _global_types(numbered)
    clauses: list[Clause] = []
    used: Counter[str] = Counter()
    counters: Counter[str] = Counter()
    for order, n in enumerate(nodes):
        locator, token, labels = _locate(n, label_count, counters, global_types)
        token = token or f"x{order}"
        used[token] += 1
        if used[token] > 1:
            token = f"{token}~{used[token]}"
        kind = n.kind
        if n.marker and not _own_text(n).replace(n.title or "", "", 1).strip(" 。") and n.children:
            kind = ClauseKind.HEADING
        clauses.append(
            Clause(
                id=f"{doc_id}#{token}",
                doc_id=doc_id,
                order=order,
                kind=kind,
                locator=locator,
                labels=tuple(labels),
                title=n.title,
                heading_path=tuple(_heading_path(n)),
                text=n.text.strip(),
                norm_text=normalize(n.text),
            )
        )
    return clauses


_TOKENS = {
    "chapter": "ch",
    "article": "a",
    "cn_num": "s",
    "cn_paren": "p",
    "arabic_dot": "i",
    "arabic_paren": "n",
    "two_digit": "h",
    "fuze": "fz",
    "section": "se",
    "circled": "c",
    "annex": "ax",
}


def _locate(
    n: _Node, label_count: Counter[str], counters: Counter[str], global_types: set[str]
) -> tuple[str, str, list[str]]:
    if n.forced_locator:
        return n.forced_locator, n.token, []
    if n.marker:
        path = _path(n)
        labels = [p.marker.label for p in path if p.marker]
        token = ".".join(f"{_TOKENS[p.marker.type]}{p.marker.number}" for p in path if p.marker)
        articles = [i for i, p in enumerate(path) if p.marker and p.marker.type == "article"]
        if articles:
            start = articles[-1]
        else:
            start = len(path) - 1
            while start > 0 and not _stands_alone(path[start], path[start - 1], label_count, global_types):
                start -= 1
        cite = [p.marker.label for p in path[start:] if p.marker]
        if articles:
            if path[0].marker and path[0].marker.type == "annex" and start > 0:
                cite = [path[0].marker.label, *cite]  # 附件1第三条: an attachment numbers its own articles
            return _join_labels(cite), token, labels
        if len(cite) == 1:
            return _with_title(cite[0], n.title), token, labels
        head_node = path[start]
        head = cite[0]
        if head_node.marker and head_node.marker.type in ("two_digit", "arabic_dot"):
            head = _with_title(head, head_node.title)  # 09 知识产权证券化融资成本补贴 1.
        rest = _join_labels(cite[1:])
        sep = " " if head[-1].isdigit() or (head[-1] not in "、)）" and rest[0].isdigit()) else ""
        return _with_title(f"{head}{sep}{rest}", n.title), token, labels
    if n.kind == ClauseKind.CLOSING:
        counters["end"] += 1
        return "末段", f"end{counters['end']}", []
    if n.kind == ClauseKind.PREAMBLE:
        counters["pre"] += 1
        return "序言", f"pre{counters['pre']}", []
    if n.title:
        counters["g"] += 1
        return n.title, f"g{counters['g']}", []
    counters["para"] += 1
    return f"第{counters['para']}段", f"para{counters['para']}", []


_SECTION_TYPES = {"chapter", "cn_num", "fuze", "section", "annex"}


def _stands_alone(node: _Node, parent: _Node, label_count: Counter[str], global_types: set[str]) -> bool:
    """Whether a person would cite this node without its parent's number.

    Yes when its number occurs once in the document and the list it belongs to runs on
    across parents (1.–20. under 一、…八、), or it is a numbered item right under a section
    heading (二、… 6. 支持智改数转). Otherwise it is cited with its parent: 三、(一), 09 … 1.
    """
    assert node.marker is not None and parent.marker is not None
    if label_count[node.marker.label] > 1:
        return False
    if node.marker.type in global_types:
        return True
    return parent.marker.type in _SECTION_TYPES and node.marker.type in ("arabic_dot", "two_digit")


def _global_types(nodes: list[_Node]) -> set[str]:
    """Numbering types whose lists continue across parents (a first child numbered above 1)."""
    out: set[str] = set()
    for n in nodes:
        parent = n.parent
        if n.marker is None or parent is None:
            continue
        first = next((c for c in parent.children if c.marker and c.marker.type == n.marker.type), None)
        if first is n and n.marker.number > 1:
            out.add(n.marker.type)
    return out


def _heading_path(n: _Node) -> list[str]:
    out: list[str] = []
    p = n.parent
    while p is not None and (p.marker is not None or p.kind == ClauseKind.HEADING or p.title):
        if p.marker:
            out.append(_with_title(p.marker.label, p.title) if p.title else p.marker.label)
        elif p.title:
            out.append(p.title)
        p = p.parent
    return out[::-1]
