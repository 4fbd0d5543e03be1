"""What a question asks for: an amount, validity, a comparison, or a clause lookup."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel

from retrieval.hybrid import regions_mentioned
from retrieval.normalize import normalize


class IntentKind(StrEnum):
    AMOUNT = "amount"
    VALIDITY = "validity"
    LOOKUP = "lookup"


_AMOUNT = re.compile(
    r"(多少钱|多少万|能拿多少|能补多少|补多少|奖多少|给多少|拿多少|领多少|获得多少|能领|能拿|能补|多少补贴|多少奖励|"
    r"补贴多少|奖励多少|支持多少|算下来|一共|合计|总共|最多能|最高能|能获得|可获得|可以拿|可以领|能申请到|怎么算|如何计算|"
    r"几万|几百万|算多少|是多少|有多少|能有多少|能申请多少|可以申请多少|一年多少|每年多少|最多多少|最高多少|"
    r"咋补|怎么补|如何补|补几|给几|奖几|"
    r"多少(?![天年人家项个次倍平亩公斤吨条名位月]))"
)
_VALIDITY = re.compile(
    r"(有效期(多|到|至|是|还|怎么|几|呢|截止|内吗|里吗)|(在|过了?)有效期(内|里)?[吗呢]|还有效|有效吗|失效|过期|到期|"
    r"截止|废止|作废|还能用|还管用|管用吗|还能申[报请]吗?$|现在能申[报请]|还能申[报请]吗|现在还能(申|用|享受)|"
    r"现在可以申|试行期|什么时候(开始|实施|施行|生效|截止)|正式(文件|施行|发布)|原文|征求意见|草案|还在执行|哪年截止|"
    r"还能按|能按这个|按这个申请|是否有效|还算数|还作数|还能(拿|领|享受)吗|[〔\[(（]\d{4}[〕\])）]\s*\d+\s*号)"
)
_COMPARE = re.compile(
    r"(对比|比较|哪个(多|高|划算|好)|哪边|区别|差多少|和.{1,12}(比|相比)|vs|VS|搞混|有什么不同|一样吗|是不是都|两者|两个都)"
)
_GENERIC = re.compile(
    r"(请问|你好|您好|我们|我司|公司|企业|单位|有没有|有什么|什么|哪些|怎么|如何|多少|可以|能否|能不能|是否|"
    r"政策|补贴|补助|奖励|支持|资金|申请|申报|一下|介绍|了解|相关|北京|北京市|呢|吗|啊|吧|的|了|和|与|及|都|有|是|在|"
    r"给|能|要|想|问|下|个|一|哪|这|那|些|么|呀|嘛|哦|呗|帮|我|你|他|她|它|们)"
)


class Intent(BaseModel):
    kind: IntentKind
    compare: bool
    regions: list[str]
    vague: bool  # nothing topical left once generic words are removed
    total: bool = False  # "两项一共", "加起来", "合计": several supports summed
    fabricate: bool = False  # asks to make up a clause or a number


def topical_remainder(question: str) -> str:
    """The question without greetings, question words and words every policy question has."""
    q = normalize(question)
    q = re.sub(r"[\s\W\d_]+", "", q)
    return _GENERIC.sub("", q)


_TOTAL = re.compile(
    r"(一共|合计|加起来|总共|合起来|都算上|共计)(能|可以|可)?(拿|补|奖|领|给|扶持|支持|多少)|两项|三项|几项加|加在一起"
)
_FABRICATE = re.compile(r"帮我编|编一条|编个|编造|捏造|伪造|随便编|编一个|写得像正式|假装是|虚构")


def classify(question: str) -> Intent:
    q = normalize(question)
    if _VALIDITY.search(q):
        kind = IntentKind.VALIDITY
    elif _AMOUNT.search(q):
        kind = IntentKind.AMOUNT
    else:
        kind = IntentKind.LOOKUP
    return Intent(
        kind=kind,
        compare=bool(_COMPARE.search(q))
        or (len(regions_mentioned(q)) > 1 and re.search(r"哪|区别|不同|相比|比较|一样", q) is not None),
        regions=sorted(regions_mentioned(q)),
        vague=len(topical_remainder(question)) < 2,
        total=bool(_TOTAL.search(q)),
        fabricate=bool(_FABRICATE.search(q)),
    )
