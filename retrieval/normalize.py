"""Text normalization shared by clauses and queries: one script, one width."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    # tw2sp also maps Taiwan/Hong Kong vocabulary (支援→支持, 資訊→信息), which the
    # 繁体 news report in the corpus and users typing 繁体 both use.
    return opencc.OpenCC("tw2sp")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese (characters and regional phrases) to simplified."""
    return str(_converter().convert(text))


def unify_width(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width (NFKC), keeping 。、《》."""
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """The form used for indexing and matching: simplified, half-width, single spaces."""
    out = unify_width(to_simplified(text))
    out = _SPACE_BETWEEN_CJK.sub("", out)
    return _SPACES.sub(" ", out).strip()


def squash(text: str) -> str:
    """Normalized text without any whitespace: for containment checks."""
    return re.sub(r"\s+", "", normalize(text))
