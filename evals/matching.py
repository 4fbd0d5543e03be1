"""How answers are compared with expectations: script-, width- and spelling-insensitive."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.facts import money
from retrieval.normalize import normalize

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "．": "."})


def norm(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text)).translate(_BRACKETS)


def title_matches(expected_doc: str, title: str, aliases: tuple[str, ...] = ()) -> bool:
    e = norm(expected_doc)
    return any(e in norm(t) for t in (title, *aliases))


def locator_matches(expected: str | None, locator: str) -> bool:
    """'13.' matches '13. 支持加氢站建设运营'; '第五条（二）' matches '第五条(二)'."""
    if not expected:
        return True
    e, got = norm(expected), norm(locator)
    return bool(e) and (got == e or got.startswith(e) or (len(got) >= 2 and e.startswith(got) and _label_only(got)))


def _label_only(locator: str) -> bool:
    return re.fullmatch(r"[第一二三四五六七八九十百条章()\d.、]+", locator) is not None


def amount_value(phrase: str) -> Decimal | None:
    """The yuan value of an amount phrase ('24万' → 240000), or None when it is not one."""
    found = money(phrase)
    if len(found) == 1 and found[0].currency == "CNY" and norm(found[0].text) == norm(phrase).rstrip("。"):
        return found[0].value
    return None


def phrase_in(phrase: str, text: str) -> bool:
    """Literal containment after normalization; amounts also match any spelling of the same value."""
    if norm(phrase) in norm(text):
        return True
    value = amount_value(phrase)
    if value is None:
        return False
    return any(q.value == value for q in money(text) if q.currency == "CNY")
