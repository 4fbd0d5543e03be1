"""The one typed reading of a question, built once per turn and read by every later step.

`QueryReader.read(message, history)` → `Query`: the normalized text, the places named (resolved in
the place hierarchy, carried over from earlier turns when this one names none), the documents and
locators named, the facts with their periods (claims and unreadable numbers set apart), the
horizon asked (one year, N years, the longest the clause allows), the intents and flags. In LLM
mode the model fills the same shape. Nothing after this module re-parses the raw message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant import vocabulary as v
from assistant.facts import Kind, Quantity, extract, parse_number
from assistant.models import Message
from retrieval.corpus import Corpus
from retrieval.lexical import tokenize
from retrieval.normalize import normalize, squash
from retrieval.places import BEIJING, PLACES, Level, Place, document_regions, places_named


class IntentKind(StrEnum):
    AMOUNT = "amount"
    VALIDITY = "validity"
    LOOKUP = "lookup"
    ELIGIBILITY = "eligibility"
    COMPARISON = "comparison"
    OVERVIEW = "overview"
    PROFILE = "profile"  # "我们能申请哪些补贴": a company asking for everything it can claim


Period = Literal["year", "month", "day", "total"]


class Fact(BaseModel):
    """A number the user stated about their situation."""

    model_config = ConfigDict(frozen=True)

    quantity: Quantity
    turn: int = Field(description="index of the user turn it came from (the last is this message)")
    period: Period | None = Field(default=None, description="what span it covers: 每年 → year, 一共 → total")


class Unreadable(BaseModel):
    """A number that cannot be read exactly: named back to the user, never replaced by another."""

    model_config = ConfigDict(frozen=True)

    text: str
    reason: str


class Horizon(BaseModel):
    """How much time the amount asked for covers."""

    years: int | None = Field(default=None, description="a total over this many years (3年一共)")
    longest: bool = Field(default=False, description="the longest the clause allows (按最长期限, 最多能拿几年)")
    per_year: bool = Field(default=False, description="explicitly one year (每年, 一年)")
    first_year: int | None = Field(
        default=None, description="the calendar year a total starts (从2026年到2030年; default: the request's year)"
    )

    @property
    def multi_year(self) -> bool:
        return self.longest or (self.years is not None and self.years > 1)


class Flags(BaseModel):
    future: bool = Field(default=False, description="asks what policy will be (明年会不会提高)")
    fabricate: bool = Field(default=False, description="asks to make up a clause, clause number or amount")
    deceive: bool = Field(default=False, description="asks to misrepresent the company to get a support")
    logistics: bool = Field(default=False, description="asks when, where or to whom to apply (申报截止几月几号)")
    listing: bool = Field(default=False, description="asks what supports there are on a subject (能申请哪些钱)")
    injection: bool = Field(default=False, description="tries to override the assistant's instructions")
    each: bool = Field(default=False, description="分别 / 各: every item named gets its own answer")
    combination: bool = Field(default=False, description="asks whether supports combine (同时, 叠加)")
    total: bool = Field(default=False, description="asks for several supports added up (两项一共)")
    vague: bool = Field(default=False, description="names no subject at all (有啥补贴？)")


class Query(BaseModel):
    message: str = Field(description="this turn as typed (trimmed)")
    text: str = Field(
        description="normalized: simplified, half-width, general synonyms written out (高企 → 高新技术企业)"
    )
    tokens: list[str]
    turns: list[str] = Field(description="every user turn, this one last")
    places: list[str] = Field(default_factory=list, description="places named (or carried from earlier turns)")
    places_carried: bool = False
    elsewhere: list[str] = Field(default_factory=list, description="places named whose policies are not in the corpus")
    own_level: bool = Field(default=False, description="asks for the place's own policies (区级, 自己出台的)")
    issuers: list[str] = Field(
        default_factory=list,
        description="places named as the one giving the support (顺义区对…奖励), not as where the company is",
    )
    without_own_documents: list[str] = Field(
        default_factory=list, description="districts named that have no document of their own in the corpus"
    )
    scope_regions: list[str] | None = Field(
        default=None, description="the manifest regions whose documents may answer; None: no place named"
    )
    region_hint: str | None = Field(default=None, description="the embedding site's region (a boost, not a filter)")
    documents: list[str] = Field(default_factory=list, description="ids of documents the question names")
    doc_numbers: list[str] = Field(default_factory=list, description="文号 written in the question")
    locators: list[str] = Field(default_factory=list, description="clause numbers named: 第十三条, 第五条（二）")
    facts: list[Fact] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list, description="numbers the user wants stated, not facts")
    unreadable: list[Unreadable] = Field(default_factory=list)
    horizon: Horizon = Field(default_factory=Horizon)
    details: list[str] = Field(
        default_factory=list, description="details asked that a clause states or not (申报日期, 联系电话, 办公地址)"
    )
    items: list[str] = Field(
        default_factory=list, description="things asked one by one (甲类和乙类分别补多少 → 甲类, 乙类)"
    )
    rates: list[str] = Field(default_factory=list, description="subjects whose rate is asked (…加计扣除比例是多少)")
    asked: str = Field(default="", description="the phrase that carries the question (…贷款贴息能补多少)")
    intents: list[IntentKind] = Field(description="the main intent first")
    flags: Flags = Field(default_factory=Flags)

    @property
    def intent(self) -> IntentKind:
        return self.intents[0]

    @property
    def context(self) -> str:
        """The last two user turns, for a follow-up that names no topic of its own."""
        return " ".join(self.turns[-2:])

    def facts_of(self, turns: list[int] | None = None) -> list[Fact]:
        return [f for f in self.facts if turns is None or f.turn in turns]


class QueryReader:
    """Reads questions against one corpus (its documents, their names, numbers and regions)."""

    def __init__(self, corpus: Corpus, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.corpus = corpus
        self.today = today
        self.regions = {d.meta.region for d in corpus}
        self.doc_keys = document_keywords(corpus)
        # Whole short names people use (科创二十条, 人才年金实施办法): an alias without version and quotes.
        # Short names shared by several titles (人工智能若干措施) name each of them; the places asked
        # about decide between them (see _in_scope).
        self.doc_names: dict[str, set[str]] = {
            d.id: {n for a in (d.title, *d.meta.aliases) if len(n := _short_name(a)) >= 4} for d in corpus
        }
        self._title_df: dict[str, int] = {}
        for d in corpus:
            for w in set(tokenize(d.title)):
                self._title_df[w] = self._title_df.get(w, 0) + 1
        place_words = {w for p in _ALL_PLACES for w in p.words}
        # Words of a title that name it when followed by 政策/措施 ("人工智能政策"): rare in titles, not generic.
        self._title_patterns: dict[str, list[re.Pattern[str]]] = {
            d.id: [
                re.compile(re.escape(w) + r".{0,6}?(政策|措施|办法|细则|文[件档]|意见|方案)")
                for w in set(tokenize(d.title))
                if len(w) >= 2 and w not in v.TITLE_GENERIC and w not in place_words and self._title_df[w] <= 2
            ]
            for d in corpus
        }
        self.doc_numbers: dict[str, str] = {}
        for d in corpus:
            if d.meta.doc_number:
                self.doc_numbers[squash(d.meta.doc_number)] = d.id
            for rel in d.meta.superseded_by:
                if rel.doc_number and rel.doc_id:
                    self.doc_numbers.setdefault(squash(rel.doc_number), rel.doc_id)
            for rel in d.meta.supersedes:
                # A question about a document this one repeals (or would repeal) is answered from this one.
                if rel.doc_number:
                    self.doc_numbers.setdefault(squash(rel.doc_number), d.id)

    def read(self, message: str, history: list[Message] | None = None, region_hint: str | None = None) -> Query:
        message = message.strip()
        earlier = [m.content for m in (history or []) if m.role == "user"]
        turns = [*earlier, message]
        text = v.with_synonyms(normalize(message))
        named = places_named(message)
        carried = False
        if not named:
            for turn in reversed(earlier[-2:]):
                named = places_named(turn)
                if named:
                    carried = True
                    break
        elsewhere = [p.name for p in named if p.level == Level.ELSEWHERE]
        here = [p for p in named if p.level != Level.ELSEWHERE]
        if not named:
            elsewhere = unknown_districts(message)
        scope: list[str] | None = None
        own_level = bool(here) and v.OWN_LEVEL.search(text) is not None
        if own_level:
            # 东城区自己出台的…: the place's own documents (and its zone's), not the city's
            scope = sorted({r for p in here for r in document_regions(p, self.regions) if r != BEIJING})
        elif here:
            scope = sorted({r for p in here for r in document_regions(p, self.regions)})
        elif elsewhere:
            scope = []
        facts, claims, unreadable = read_facts(turns)
        return Query(
            message=message,
            text=text,
            tokens=tokenize(message),
            turns=turns,
            places=[p.name for p in here],
            places_carried=carried,
            elsewhere=elsewhere,
            own_level=own_level,
            issuers=[] if carried else [p.name for p in here if place_role(message, p) == "issuer"],
            without_own_documents=[
                p.name for p in here if p.level == Level.DISTRICT and not document_regions(p, self.regions) - {BEIJING}
            ],
            scope_regions=scope,
            region_hint=region_hint if region_hint and not here else None,
            documents=self._in_scope(self.documents_named(message) + self._place_documents(message, here), scope),
            doc_numbers=[m.group(0) for m in v.DOC_NUMBER.finditer(text)],
            locators=[m.group(0) for m in v.LOCATOR.finditer(text)],
            facts=facts,
            claims=claims,
            unreadable=unreadable,
            horizon=read_horizon(text, self.today().year),
            details=[name for name, (ask, _) in v.DETAILS.items() if ask.search(text)],
            rates=[m.group("subject") for m in v.RATE_ASKED.finditer(text)],
            items=[] if len(here) > 1 else items_asked(text),
            asked=asked_phrase(text),
            intents=read_intents(text, turns, here),
            flags=read_flags(text, here, self.today().year),
        )

    def _place_documents(self, text: str, places: Sequence[Place]) -> list[str]:
        """A district's own document named by a word of its title ("门头沟人工智能政策" → 门头沟区…人工智能…措施)."""
        q = normalize(text)
        regions = {p.name for p in places if p.level != Level.CITY}
        return [
            d.id
            for d in self.corpus
            if d.meta.region in regions and any(pattern.search(q) for pattern in self._title_patterns[d.id])
        ]

    def _in_scope(self, docs: list[str], scope: list[str] | None) -> list[str]:
        """Named documents of the places asked about, when some are (门头沟 … 人工智能若干措施)."""
        if not scope:
            return docs
        docs = list(dict.fromkeys(docs))
        inside = [d for d in docs if self.corpus.document(d).meta.region in scope]
        # A document of the district itself wins over the city's when both are named.
        own = [d for d in inside if self.corpus.document(d).meta.region_level != "city"]
        return own or inside or docs

    def documents_named(self, text: str) -> list[str]:
        """Documents named by a distinctive title word or by their 文号 (place names are not counted)."""
        q = v.with_synonyms(normalize(text))
        found = [doc_id for key, doc_id in self.doc_numbers.items() if key in squash(q)]
        place_words = {w for p in _ALL_PLACES for w in p.words}
        bare = squash(q)
        by_name: dict[str, str] = {}
        for doc_id, names in self.doc_names.items():
            matched = [n for n in names if n in bare]
            if doc_id not in found and matched:
                by_name[doc_id] = max(matched, key=len)
        for doc_id, name in by_name.items():
            # a name inside a longer name that is also written: the longer name is the one meant
            if not any(o != doc_id and name in other and name != other for o, other in by_name.items()):
                found.append(doc_id)
        for doc_id, words in self.doc_keys.items():
            if doc_id in found:
                continue
            if any(w in q for w in words if not any(r in w or w in r for r in place_words)):
                found.append(doc_id)
        return found

    def scope_docs(self, query: Query) -> set[str] | None:
        """The ids of documents allowed to answer: those of the places named and those it names itself."""
        if query.scope_regions is None:
            return set(query.documents) or None
        allowed = {d.id for d in self.corpus if d.meta.region in query.scope_regions}
        named = set(query.documents)
        if named and named & allowed:
            return named & allowed
        return allowed


_ALL_PLACES = [p for p in PLACES if p.level != Level.ELSEWHERE]


def _short_name(alias: str) -> str:
    """科创二十条2.0 → 科创二十条; 《人才年金实施办法(试行)》 → 人才年金实施办法."""
    name = re.sub(r"[(（].*?[)）]|\d+(?:\.\d+)?版|\d+\.\d+|[“”\"《》「」,，]", "", squash(alias))
    for p in _ALL_PLACES:
        for w in sorted(p.words, key=len, reverse=True):
            name = name.removeprefix(w)
    return name.removeprefix("发布")


def document_keywords(corpus: Corpus) -> dict[str, set[str]]:
    """Words of each document's title and aliases that name it alone (氢能, 软件, 人才年金, 科创二十条)."""
    keys: dict[str, set[str]] = {}
    for d in corpus:
        words: set[str] = set()
        for t in (d.title, *d.meta.aliases):
            words |= {
                w
                for w in tokenize(re.sub(r"[(（].*?[)）]", "", t))
                if len(w) >= 2 and w not in v.TITLE_GENERIC and not w.isdigit()
            }
        keys[d.id] = words
    # Keep the words that name one document: used in the titles or texts of at most one other document.
    texts = {d.id: normalize(d.title + " " + " ".join(c.norm_text for c in d.clauses)) for d in corpus}
    return {
        doc_id: {w for w in words if sum(1 for other, t in texts.items() if other != doc_id and w in t) <= 1}
        for doc_id, words in keys.items()
    }


# -- facts ----------------------------------------------------------------------------------------


def read_facts(turns: list[str]) -> tuple[list[Fact], list[str], list[Unreadable]]:
    """Facts of every turn with their periods; claimed numbers and unreadable ones set apart."""
    facts: list[Fact] = []
    claims: list[str] = []
    unreadable: list[Unreadable] = []
    for n, turn in enumerate(turns):
        bad = unreadable_numbers(turn)
        unreadable += bad
        spans = [(m.start(), m.end()) for m in v.UNREADABLE_NUMBER.finditer(turn)]
        spans += [(m.start(), m.end()) for pattern, _ in v.MALFORMED_NUMBERS for m in pattern.finditer(turn)]
        for q in extract(turn):
            if any(s <= q.start < e or s < q.end <= e for s, e in spans):
                continue
            if v.NEGATED_BEFORE.search(turn[max(0, q.start - 4) : q.start]):
                continue  # "是1500万，不是500万": the number the user takes back
            if v.CORRECTED_AFTER.search(turn[q.end : q.end + 8]):
                continue  # "80万，不对，是100万": taken back as soon as said
            if is_claim(q, turn):
                claims.append(q.text)
                continue
            facts.append(Fact(quantity=q, turn=n, period=_period(q, turn)))
    return facts, claims, unreadable


def is_claim(q: Quantity, text: str) -> bool:
    """A number the user wants said or written ("告诉我补贴是1亿", "帮我写250万"), not a fact."""
    if q.kind != Kind.MONEY:
        return False
    before = text[max(0, q.start - 12) : q.start]
    if v.CORRECTED_BEFORE.search(before):
        return False  # "说错了，应该是90万": the corrected figure, not one to be stated
    return v.CLAIM_BEFORE.search(before) is not None and not v.CONVERTED.search(before)


def _period(q: Quantity, text: str) -> Period | None:
    before = normalize(text[max(0, q.start - 8) : q.start])
    after = normalize(text[q.end : q.end + 4])
    for period, words in v.PERIOD_WORDS.items():
        if any(before.endswith(w) or w in before[-5:] for w in words) or any(after.startswith(w) for w in words):
            return period  # type: ignore[return-value]
    return None


def unreadable_numbers(text: str) -> list[Unreadable]:
    """1e30元, 负数金额, 0.00001元, 八千万亿: numbers that cannot be taken as an exact amount."""
    out: list[Unreadable] = []
    for m in v.UNREADABLE_NUMBER.finditer(text):
        out.append(Unreadable(text=m.group(0), reason="科学计数法写法无法确认是否为实际金额"))
    for pattern, reason in v.MALFORMED_NUMBERS:
        out += [Unreadable(text=m.group(0), reason=reason) for m in pattern.finditer(text)]
    for q in extract(text):
        if q.kind == Kind.MONEY and q.value < 0:
            out.append(Unreadable(text=q.text, reason="金额不能为负数"))
        elif q.kind == Kind.MONEY and q.value != 0 and abs(q.value) < Decimal("0.01"):
            out.append(Unreadable(text=q.text, reason="金额小于1分钱，不是可核算的金额"))
        elif q.kind == Kind.MONEY and abs(q.value) >= v.IMPLAUSIBLE_YUAN:
            out.append(Unreadable(text=q.text, reason="金额超出任何企业的实际规模，请核对数字和单位"))
    return out


# -- horizon, intents, flags ---------------------------------------------------------------------


def unknown_districts(message: str) -> list[str]:
    """Districts the company says it is in that no place of the table is (我们在火星区)."""
    out: list[str] = []
    for m in v.UNKNOWN_DISTRICT.finditer(normalize(message)):
        name = m.group("name")
        if not v.ZONE_KINDS.search(name) and not places_named(name):
            out.append(name)
    return out


def items_asked(text: str) -> list[str]:
    """Things asked one by one ("甲类和乙类分别补多少"); places compared are not such items."""
    out: list[str] = []
    for m in v.ITEMS_ASKED.finditer(text):
        pair = [m.group("a"), m.group("b")]
        if any(places_named(x) for x in pair):
            continue
        out += pair
    return out


def read_horizon(text: str, this_year: int | None = None) -> Horizon:
    first_year = this_year + 1 if this_year is not None and v.STARTS_NEXT_YEAR.search(text) else this_year
    span = v.YEAR_RANGE.search(text)
    if span is not None and int(span.group("a")) < int(span.group("b")) <= int(span.group("a")) + 20:
        first_year = int(span.group("a"))
        if v.TOTAL_ASKED.search(text):
            return Horizon(years=int(span.group("b")) - first_year + 1, first_year=first_year)
    asked = [parse_number(m.group("n") or m.group("n2") or "") for m in v.YEARS_TOTAL.finditer(text)]
    # The longest span named is the horizon ("3年一共…按一年365天算" asks for three years).
    if not asked and v.TOTAL_ASKED.search(text):
        asked = [parse_number(m.group("n")) for m in v.SUPPORT_SPAN.finditer(text)] + _spans_beside_total(text)
    years = max((int(n) for n in asked if n is not None and 1 <= n <= 20), default=None)
    longest = v.LONGEST.search(text) is not None
    if longest and years == 1:
        years = None  # a year and the whole term asked together: the total is the answer, the year a step
    per_year = years is None and not longest and v.ONE_YEAR.search(text) is not None
    return Horizon(years=years, longest=longest, per_year=per_year, first_year=first_year)


def _spans_beside_total(text: str) -> list[Decimal | None]:
    """Spans of years named in the same part of a sentence as the total asked ("两年的合计")."""
    out: list[Decimal | None] = []
    for part in v.CLAUSE_SPLIT.split(text):
        if not v.TOTAL_ASKED.search(part):
            continue
        for m in re.finditer(rf"(?P<n>{v.YEAR_COUNT})\s*(?:个)?年", part):
            if v.PAST_SPAN_BEFORE.search(part[: m.start()]) or v.PAST_SPAN_AFTER.match(part[m.end() :]):
                continue
            n = parse_number(m.group("n"))
            if n is not None and n >= 2:
                out.append(n)
    return out


def asks_validity(text: str) -> bool:
    """Validity asked: a validity word in the phrase that asks, or one that cannot describe a fact anywhere."""
    asked = asked_phrase(text)
    return any(not v.VALIDITY_IN_ASKED_ONLY.match(m.group(0)) or m.group(0) in asked for m in v.VALIDITY.finditer(text))


def read_intents(text: str, turns: list[str], places: Sequence[object]) -> list[IntentKind]:
    intents: list[IntentKind] = []
    if asks_validity(text):
        intents.append(IntentKind.VALIDITY)
    if v.PROFILE.search(text):
        intents.append(IntentKind.PROFILE)
    if v.AMOUNT.search(text):
        intents.append(IntentKind.AMOUNT)
    if v.ELIGIBILITY.search(text):
        intents.append(IntentKind.ELIGIBILITY)
    compare = v.COMPARE.search(text) is not None or (len(places) > 1 and v.COMPARE_MANY.search(text) is not None)
    if compare:
        intents.insert(0 if IntentKind.VALIDITY not in intents else 1, IntentKind.COMPARISON)
    if len(topical_remainder(text)) < 2:
        intents.append(IntentKind.OVERVIEW)
    intents.append(IntentKind.LOOKUP)
    return list(dict.fromkeys(intents))


def place_role(message: str, place: Place) -> Literal["issuer", "location"]:
    """Whether a place is where the company is (我们在顺义, 顺义的企业) or whose policy is asked (顺义区对…奖励).

    Every mention counts: one that names the place as a giver makes it the issuer; otherwise one that says
    where the company is makes it the location.
    """
    q = normalize(message)
    located = False
    for w in sorted(place.words, key=len, reverse=True):
        start = q.find(w)
        while start >= 0:
            after = q[start + len(w) : start + len(w) + 10]
            if v.PLACE_LOCATED_BEFORE.search(q[max(0, start - 5) : start]) or v.PLACE_LOCATED_AFTER.search(after):
                located = True
            elif v.PLACE_ISSUER_AFTER.search(after):
                return "issuer"
            start = q.find(w, start + len(w))
    return "location" if located else "issuer"


def places_listed(text: str, places: Sequence[Place]) -> bool:
    """Two or more places written as a list (西城、朝阳和石家庄): each is asked about."""
    if len(places) < 2:
        return False
    words = "|".join(re.escape(w) for p in places for w in sorted(p.words, key=len, reverse=True))
    return re.search(rf"({words})[区市]?\s*(、|和|与|及|跟|还有|以及|,)\s*({words})", text) is not None


def asked_phrase(text: str) -> str:
    """The phrase of the question that asks (the one holding 多少 / 能补 / 吗), else the last phrase."""
    phrases = [p for p in re.split(r"[，,。；;！!？?\n]", text) if p.strip()]
    asking = [p for p in phrases if v.AMOUNT.search(p) or re.search(r"吗|呢|什么|哪些|怎么|如何|是否", p)]
    return (asking or phrases or [""])[-1].strip()


def read_flags(text: str, places: Sequence[Place], this_year: int | None = None) -> Flags:
    return Flags(
        future=(v.FUTURE_WHEN.search(text) is not None and v.POLICY_CHANGE.search(text) is not None)
        or (this_year is not None and asks_later_year(text, this_year)),
        fabricate=v.FABRICATE.search(text) is not None
        or (v.GUARANTEE.search(text) is not None and v.WRITE_FOR_ME.search(text) is not None),
        deceive=v.DECEIVE.search(text) is not None
        or (v.MATERIAL.search(text) is not None and v.REWRITTEN.search(text) is not None)
        or made_up_records(text),
        logistics=v.APPLICATION_LOGISTICS.search(text) is not None,
        listing=v.LIST_ASKED.search(text) is not None,
        injection=v.INJECTION.search(text) is not None,
        each=v.EACH.search(text) is not None or places_listed(text, places),
        combination=v.COMBINATION.search(text) is not None,
        total=v.TOTAL.search(text) is not None,
        vague=len(topical_remainder(text)) < 2,
    )


def made_up_records(text: str) -> bool:
    """The company's own records to be made up (编一份研发台账): what is written is the company, not a clause."""
    for m in v.MADE_UP.finditer(text):
        obj = re.split(r"[，,。；;！!？?]", text[m.end() : m.end() + 12])[0]
        if v.COMPANY_RECORDS.search(obj):
            return True
    return False


def asks_later_year(text: str, this_year: int) -> bool:
    """A year still to come named with new policy ("2027年会出哪些新补贴"): asks what policy will be."""
    later = any(int(m.group(1)) > this_year for m in re.finditer(r"(20\d\d)\s*年", text))
    return later and v.NEW_POLICY.search(text) is not None


def topical_remainder(text: str) -> str:
    """The question without greetings, question words and words every policy question has."""
    q = re.sub(r"[\s\W\d_]+", "", normalize(text))
    for p in _ALL_PLACES:
        for w in p.words:
            q = q.replace(w, "")
    q = q.replace(BEIJING, "")
    return v.GENERIC.sub("", q)
