"""Lexical search: BM25 (bm25s) over jieba tokens of the normalized text."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import jieba
import numpy as np

from retrieval.normalize import normalize

# Terms of this domain jieba would otherwise cut apart.
DOMAIN_WORDS = [
    "专利导航",
    "专利预警",
    "加氢站",
    "独角兽",
    "潜在独角兽",
    "专精特新",
    "小巨人",
    "算力券",
    "人才年金",
    "春笋",
    "白菜心",
    "揭榜挂帅",
    "首台套",
    "首批次",
    "孵化器",
    "概念验证",
    "贴息",
    "房租补贴",
    "租金补贴",
    "高新技术企业",
    "科技型中小企业",
    "技术经理人",
    "技术转移",
    "升规",
    "稳规",
    "数字人",
    "氢能",
    "合成生物",
    "新三板",
    "北交所",
    "并购重组",
    "知识产权证券化",
    "科技保险",
    "国际标准",
    "团体标准",
    "中关村标准",
    "研发费用",
    "加计扣除",
    "配套支持",
    "后补贴",
    "经开区",
    "副中心",
    "西城园",
    "大模型",
    "智算中心",
]
_STOP = set(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "对",
        "给予",
        "按照",
        "不",
        "为",
        "等",
        "以",
        "于",
        "其",
        "之",
        "中",
        "上",
        "下",
        "有",
        "被",
        "将",
        "并",
        "由",
        "从",
        "向",
        "把",
        "也",
        "就",
        "都",
        "而",
        "且",
    ]
)
_TOKEN = re.compile(r"[\w%.]+")


@lru_cache(maxsize=1)
def _init_jieba() -> None:
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    for w in DOMAIN_WORDS:
        jieba.add_word(w, freq=20000)


def tokenize(text: str) -> list[str]:
    """Search tokens: jieba's search-mode words of the normalized text, punctuation and stop words out."""
    _init_jieba()
    words = jieba.lcut_for_search(normalize(text).lower())
    return [w for w in words if _TOKEN.fullmatch(w) and w not in _STOP]


class BM25Index:
    """An in-memory BM25 index over (id, text) pairs."""

    def __init__(self, ids: Sequence[str], texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        if len(ids) != len(texts):
            raise ValueError("ids and texts must have the same length")
        self.ids = list(ids)
        self._retriever = bm25s.BM25(k1=k1, b=b)
        corpus = [tokenize(t) or ["∅"] for t in texts]
        self._retriever.index(corpus, show_progress=False)
        self._vocab = self._retriever.vocab_dict

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Best ids for the query with their BM25 scores (only ids in `allowed`, when given)."""
        tokens = [t for t in tokenize(query) if t in self._vocab]
        if not tokens:
            return []
        scores = self._retriever.get_scores(tokens)
        order = np.argsort(-scores)
        out: list[tuple[str, float]] = []
        for i in order:
            if scores[i] <= 0 or len(out) >= k:
                break
            if allowed is None or self.ids[i] in allowed:
                out.append((self.ids[i], float(scores[i])))
        return out
