"""Is a question inside what the corpus covers? Other places, other subjects, weak matches."""

from __future__ import annotations

import re

from pydantic import BaseModel

from retrieval.lexical import tokenize
from retrieval.models import SearchHit
from retrieval.normalize import normalize

# Places with policies of their own that the corpus does not hold (石家庄 and 北京 are in it).
OTHER_PLACES = (
    "上海",
    "浦东",
    "深圳",
    "南山区",
    "广州",
    "杭州",
    "天津",
    "滨海新区",
    "重庆",
    "南京",
    "苏州",
    "成都",
    "武汉",
    "西安",
    "合肥",
    "青岛",
    "厦门",
    "宁波",
    "长沙",
    "郑州",
    "济南",
    "东莞",
    "佛山",
    "无锡",
    "雄安",
    "香港",
    "澳门",
    "台湾",
    "浙江",
    "江苏",
    "广东",
    "山东",
    "四川",
    "湖北",
    "湖南",
    "福建",
    "安徽",
    "河南",
    "海南",
    "新加坡",
    "美国",
)
# Subjects the corpus has no document on.
OTHER_SUBJECTS = (
    "个税",
    "个人所得税",
    "年终奖",
    "增值税",
    "社保缴费",
    "社保单位缴费",
    "缴费比例",
    "养老交",
    "公积金",
    "注册一家",
    "注册公司",
    "工商注册",
    "营业执照",
    "购车补贴",
    "买新能源车",
    "车牌",
    "摇号",
    "天气",
    "下雨",
    "带伞",
    "股票",
    "彩票",
    "房贷利率",
    "签证",
    "高考",
    "医保报销比例",
    "小客车",
    "积分排队",
    "积分落户",
    "个人购房",
    "房产税",
    "契税",
    "交通违章",
)
_GENERIC_TOKENS = {
    # words of questions about a document rather than its subject
    "帮",
    "我",
    "你",
    "一句",
    "根据",
    "里",
    "要",
    "用",
    "号",
    "随便",
    "编",
    "申请书",
    "汇报",
    "写得",
    "像",
    "得",
    "一样",
    "标",
    "放进",
    "我要",
    "看到",
    "听说",
    "是不是",
    "文档",
    "哪条",
    "条款",
    "依据",
    "材料",
    "里面",
    "那份",
    "这份",
    "写",
    "吧",
    "吗",
    "网上",
    "那篇",
    "这篇",
    "区里",
    "市里",
    "正式",
    "印发",
    "原文",
    "对应",
    "哪一条",
    "一条",
    "直接",
    "按",
    "群里",
    "我们",
    "我司",
    "公司",
    "企业",
    "单位",
    "政策",
    "补贴",
    "补助",
    "奖励",
    "支持",
    "资金",
    "申请",
    "申报",
    "多少",
    "什么",
    "怎么",
    "如何",
    "可以",
    "能否",
    "是否",
    "有没有",
    "哪些",
    "北京",
    "北京市",
    "现在",
    "还能",
    "能",
    "能补",
    "能拿",
    "一下",
    "相关",
    "这个",
    "那个",
    "情况",
    "问题",
    "请问",
    "给予",
    "一个",
    "规定",
    "文件",
    "措施",
    "办法",
    "最高",
    "万",
    "元",
    "多少钱",
    "万元",
    "今年",
    "去年",
    "明年",
    "要求",
    "条件",
    "标准",
    "具体",
    "需要",
    "哪个",
    "是",
    "有",
}


class ScopeDecision(BaseModel):
    in_scope: bool
    reason: str | None = None  # shown to the user when out of scope
    coverage: float = 1.0


def place_or_subject_outside(question: str) -> str | None:
    """The reason a question is outside the corpus before searching, or None."""
    q = normalize(question)
    in_beijing = any(w in q for w in ("北京", "中关村", "海淀", "西城", "朝阳", "通州", "亦庄", "经开区", "石家庄"))
    for place in OTHER_PLACES:
        if place in q and not in_beijing:
            return f"语料库只收录北京市（另有石家庄市一份）的科技政策，没有{place}的政策文件，无法回答。"
    for subject in OTHER_SUBJECTS:
        if subject in q:
            return f"语料库是北京科技创新扶持政策，不涉及“{subject}”这类问题，无法据此回答。"
    return None


def content_tokens(text: str) -> list[str]:
    return [t for t in tokenize(text) if t not in _GENERIC_TOKENS and not re.fullmatch(r"[\d.%]+", t)]


def coverage(question: str, hits: list[SearchHit], vocabulary: set[str] | None = None) -> float:
    """Share of the question's topical words (those the corpus uses at all) found in the best clauses.

    Words the corpus never uses (an expo's name, a product) are detail, not topic, and do not count —
    unless most of the question consists of them, which is itself a sign it is about something else.
    """
    words = set(content_tokens(question))
    if not words:
        return 1.0
    known = words & vocabulary if vocabulary is not None else words
    if vocabulary is not None and len(known) < 0.3 * len(words):
        return len(known) / len(words)
    if not known:
        return 0.0
    haystack = " ".join(normalize(h.clause.text + h.doc_title + " ".join(h.clause.heading_path)) for h in hits)
    found = {w for w in known if w in haystack}
    return len(found) / len(known)


def judge(
    question: str, hits: list[SearchHit], vocabulary: set[str] | None = None, min_coverage: float = 0.34
) -> ScopeDecision:
    reason = place_or_subject_outside(question)
    if reason:
        return ScopeDecision(in_scope=False, reason=reason, coverage=0.0)
    if not hits:
        return ScopeDecision(in_scope=False, reason="语料库中没有找到与这个问题相关的条款。", coverage=0.0)
    cov = coverage(question, hits[:3], vocabulary)
    if cov < min_coverage:
        return ScopeDecision(
            in_scope=False,
            reason="语料库中没有找到直接回答这个问题的条款（最接近的条款与问题关系不大，不宜据此作答）。",
            coverage=cov,
        )
    return ScopeDecision(in_scope=True, coverage=cov)


def corpus_vocabulary(texts: list[str]) -> set[str]:
    """Every search token the corpus uses."""
    return {t for text in texts for t in tokenize(text)}
