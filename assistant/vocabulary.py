"""General vocabulary for reading questions: how people ask for amounts, dates, comparisons.

Patterns match normalized text (retrieval.normalize: OpenCC tw2sp), which writes some mainland words
in their other form too (文件 → 文档): such words are written as both here (文[件档]).

Every entry is a general term of Chinese policy questions (question words, synonyms, units, time
words), never a phrase copied from a test question. `tests/assistant/test_vocabulary.py` checks
that every word-list entry occurs in the corpus or in the general tables below.
"""

from __future__ import annotations

import re
from decimal import Decimal

# -- synonyms: what users write → how the documents write it --------------------------------------

SYNONYMS: dict[str, str] = {
    "AI": "人工智能",
    "ai": "人工智能",
    "国高新": "国家高新技术企业",
    "高企": "高新技术企业",
}


def with_synonyms(text: str) -> str:
    for said, written in SYNONYMS.items():
        text = text.replace(said, written)
    return text


# Asking what it takes to qualify (要啥条件, 需要满足哪些要求).
CONDITIONS_ASKED = re.compile(r"条件|要求|资格|门槛|具备|满足(哪些|什么|啥)")

# Asking for a list of what there is (朝阳中小企业能申请哪些钱, 都支持些什么): an overview, not one clause.
LIST_ASKED = re.compile(
    r"(哪些|什么|啥)(钱|补贴|补助|支持|政策|扶持|奖励|资金|优惠|措施)|都(支持|补|奖|给|有)(些|了)?(什么|啥|哪些)|"
    r"(能|可以)申请(哪些|什么|啥)"
)

# Asking what a clause's terms are (its conditions, standard, maximum), not a figure for the company.
TERMS_ASKED = re.compile(
    r"(怎么|咋|如何)(规定|说|写|定|要求)|具体(规定|内容|标准|条件)|(什么|啥|哪些)(规定|标准|条件|要求|门槛)|门槛|"
    r"有(什么|啥|哪些)(奖励|支持|补贴|补助|政策)|(最高|最多)(能|可以|可)?(拿|给|补|奖|支持|享受|领|申请)?多少|上限(是|为)?多少|封顶"
)

# What the user says they do not have or did not do ("没种蔬菜", "没申请链主企业那条"): not a subject.
NEGATED_MENTION = re.compile(
    r"(没有|没|未曾|未|从未)(种|做|申请|申报|搞|开展|涉及|享受|拿|领|参加|建)?[\u4e00-\u9fff]{1,8}?(?=[，,。；;？?！!、]|那|这|$)"
)


def without_negated(text: str) -> str:
    return NEGATED_MENTION.sub(" ", text)


# -- what is asked -------------------------------------------------------------------------------

AMOUNT = re.compile(
    r"(多少钱|多少万|能拿多少|能补多少|补多少|奖多少|给多少|拿多少|领多少|获得多少|能领|能拿|能补|多少补贴|多少奖励|"
    r"补贴多少|奖励多少|支持多少|算下来|一共|合计|总共|累计|最多能|最高能|能获得|可获得|可以拿|可以领|能申请到|怎么算|"
    r"如何计算|几万|几百万|算多少|是多少|有多少|能有多少|能申请多少|可以申请多少|一年多少|每年多少|最多多少|最高多少|"
    r"咋补|怎么补|如何补|补几|给几|奖几|贴多少|能贴|贴息多少|"
    r"多少(?![天年人家项个次倍平亩公斤吨条名位月]))"
)
VALIDITY = re.compile(
    r"(有效期(多|到|至|是|还|怎么|几|呢|截止|内吗|里吗)|(在|过了?)有效期(内|里)?[吗呢]|还有效|有效吗|失效|过期|到期|"
    r"截止|废止|作废|还能用|还管用|管用吗|现在能申[报请]|还能申[报请]吗|现在还能(申|用|享受)|"
    r"现在可以申|试行期|什么时候(开始|实施|施行|生效|截止)|正式(文[件档]|施行|发布)|征求意见|草案|还在执行|"
    r"还能按|是否有效|(是|算)(政策)?原文|正式文[件档]吗|还算数|还作数|还能(拿|领|享受)吗|还适用|适用吗|[〔\[(（]\d{4}[〕\])）]\s*\d+\s*号)"
)
# Validity words that also describe a fact (截止2024年底, 标准正式发布了): validity only in the phrase that asks.
VALIDITY_IN_ASKED_ONLY = re.compile(r"^(截止|正式(文[件档]|施行|发布))$")
ELIGIBILITY = re.compile(
    r"(符合(条件|要求)?吗|够不够|够格|满足.{0,6}吗|有没有资格|有资格|能不能申请|可以申请吗|能申请吗|"
    # a yes/no question about applying: 还能申请…吗, 能否享受, 可不可以申报
    r"(能不能|可不可以|能否|可否|是否(能|可以))(申请|申报|享受|参评|拿|领)|"
    r"(能|可以|可)(申请|申报|享受|参评)[^，,。；;？?]{0,24}(吗|么|嘛))"
)
PROFILE = re.compile(r"((能|可以|可)申请(哪些|什么|啥)|有哪些(补贴|政策|支持)(可以|能)|能享受(哪些|什么))")
COMPARE = re.compile(
    r"(对比|比较|哪个(多|高|划算|好)|哪边|区别|差多少|和.{1,12}(比|相比)|vs|VS|有什么不同|一样吗|是不是都|两者)"
)
COMPARE_MANY = re.compile(r"哪|区别|不同|相比|比较|一样|分别|各")
EACH = re.compile(r"分别|各能|各自|各是|各补|各有")
# Several things of one kind in one question: 两个展会, 3笔贷款, 分别, 一个…一个….
SEVERAL = re.compile(
    r"(两|二|三|四|五|几|多|\d)\s*(个|项|笔|场|次|家|份|单)|分别|各自|一个.{1,16}一个|另一个|"
    r"第[一二三四五\d]年.{1,24}第[一二三四五\d]年"  # a figure for each year (第一年…万，第二年…万)
)
# Items asked one by one (甲类和乙类分别补多少, A、B各多少): each must be something a clause sets apart.
ITEMS_ASKED = re.compile(
    r"(?P<a>[\u4e00-\u9fff]{2,8})(?:和|与|跟|、)(?P<b>[\u4e00-\u9fff]{2,8}?)(?:分别|各自|各)"
    r"(?:给|是|能|可以|有|补|奖|支持|拿)?(?:多少|几)"
)
# An input of which only one is used (前3个合同中任选1个, 择一申报): of several given, the best counts.
CHOOSE_ONE = re.compile(r"任选[一1]个|任选其一|选择其一|择一|选[一1]个")
# One figure said to hold for each of several items (每场都花了200万, 各投入200万).
EACH_SAME = re.compile(
    r"(每个|每场|每次|每项|每笔|每家|每单|每一个|各)[^，,。；;？?]{0,12}?(都|均|各|按|是|为|花了?|投入了?)"
)
# A rate asked for, and how a clause states one.
ASKS_RATE = re.compile(r"比例是?多少|百分之(多少|几)|多少%|几成|比例(是|为)?(几|多少)|按多少比例|费率是?多少")
ASKS_SHARE = re.compile(ASKS_RATE.pattern + r"|各(分|占|得|拿|是)多少|怎么分|如何分配|分配比例|各占")
SUPPORT_WORD = re.compile(r"补贴|奖励|资助|补助|支持|贴息|减免|奖补|扶持|配套")
STATES_RATE = re.compile(r"\d+(?:\.\d+)?\s*[%％]|百分之|[一二三四五六七八九]成|\d\s*[:：]\s*\d|倍")
# Values the user offers to choose between: 按100%还是120%, 是50万还是30万.
OFFERED_VALUES = re.compile(
    r"(\d+(?:\.\d+)?\s*(?:%|万元?|元|倍))\s*(还是|或者|或)\s*(\d+(?:\.\d+)?\s*(?:%|万元?|元|倍))"
)
COMBINATION = re.compile(r"同时|一起|重复|叠加|还能再|兼得|都拿|两个都|一并")
TOTAL = re.compile(
    r"(一共|合计|加起来|总共|合起来|都算上|共计)(能|可以|可)?(拿|补|奖|领|给|扶持|支持|多少)|两项|三项|几项加|加在一起"
)
EXCLUSIVE = re.compile(r"不得同时|不重复|从优|从高|就高|不叠加|择一|不可同时|最高标准")

# -- the time an amount covers -----------------------------------------------------------------

_N = r"(?:\d+|[一二两三四五六七八九十]+)"
YEAR_COUNT = _N  # a count of years, in digits or numerals
# N years asked as a total: 3年一共, 4年下来, 连续支持3年总共, 按3年算, 三年合计.
YEARS_TOTAL = re.compile(
    rf"(?P<n>{_N})\s*(?:个)?年(?:下来|内|里|期间|加起来|合计|总共|一共|累计|共|总计|全部|都算|算|的?总额|的?合计|一共)"
    rf"|(?:连续|连着|累计|一共|总共|前|按|满)(?:申请|支持|补贴|补|拿|享受|给|贴息|运营)?(?P<n2>{_N})\s*(?:个)?年"
)
# A span of years the support would run ("运营4年", "打算租5年"); a total asked anywhere in the question
# ("…总共最多多少") makes it the horizon. Ages and past spans (成立3年, 3年前) are not spans of support.
SUPPORT_SPAN = re.compile(
    rf"(?:运营|申请|支持|补贴|贴息|享受|租赁?|经营|持续|连续|连着|打算|计划|坚持|维持|做|贷款?|借款?|签约?|合同期?)[^，,。；;？?]{{0,4}}?"
    rf"(?P<n>{_N})\s*(?:个)?年(?!前|以前|之前|度|底|初|以上|以下)"
)
TOTAL_ASKED = re.compile(
    r"一共|总共|合计|加起来|累计|总计|共计|总额|合起来|全部加|(整个|全部)[^，,。；;？?]{0,3}?(算下来|下来)"
)
LONGEST = re.compile(
    r"(拿|贴|补|享受|支持)满|满(年限|期限)|"
    # a reference to the clause's own term: 按条款最长年限, 整个周期, 最多可以享受几年
    r"(最长|最多|全部|整个|满|按)[^，,。；;？?！!]{0,6}?(年限|期限|年数|周期|几年)|全周期"
)
FIRST_YEAR = re.compile(r"第一年|首年|头一年|第1年")
# A span of calendar years asked (从2026年到2030年, 2026—2030年) and the year a total starts (明年起).
YEAR_RANGE = re.compile(r"(?P<a>\d{4})\s*年?\s*(?:到|至|-|—|–|~|～)\s*(?P<b>\d{4})\s*年")
STARTS_NEXT_YEAR = re.compile(r"(从|自)?明年(起|开始)")
# What makes "N年" the age or the past of the company, not a span of support (成立3年, 近三年, 3年前).
PAST_SPAN_BEFORE = re.compile(r"(成立|注册|设立|落户|入驻|经营了|做了|干了|近|过去|最近|第|已经|已|有)$")
PAST_SPAN_AFTER = re.compile(r"^(前|以前|之前|度|底|初|以上|以下|来|了|多)")
CLAUSE_SPLIT = re.compile(r"[，,。；;？?！!\n]")
ONE_YEAR = re.compile(r"每年|一年(能|可以|多少|最多)|单年|年度")
PERIOD_WORDS: dict[str, tuple[str, ...]] = {
    "year": ("每年", "年均", "一年", "/年", "每一年", "年度"),
    "month": ("每月", "每个月", "月均", "/月", "一个月"),
    "day": ("每天", "每日", "/天", "一天"),
    "total": ("一共", "总共", "合计", "累计", "总额", "总计"),
}

# The year a figure belongs to, for an increase the user gives as two figures (今年2000万，去年1500万).
# The year a figure belongs to, written before it in its phrase: 2023年…, or counted back from this one.
YEAR_NAMED = re.compile(r"((?:1|2)\d{3})\s*年度?[^，,。；;\d]{0,8}$")
YEARS_BACK: dict[str, int] = {
    "大前年": 3,
    "前年": 2,
    "去年": 1,
    "上年": 1,
    "上一年": 1,
    "前一年": 1,
    "上个年度": 1,
    "今年": 0,
    "本年": 0,
    "当年": 0,
    "这一年": 0,
}
YEAR_BACK = re.compile("(" + "|".join(sorted(YEARS_BACK, key=len, reverse=True)) + r")度?[^，,。；;\d]{0,8}$")
# Words saying a figure is itself an increase (比去年多了300万, 增长500万): nothing to derive.
INCREASE_SAID = re.compile(r"多了?|增加了?|增长了?|增量|增收|涨了?|净增|提高了?|上升了?")

# -- numbers that are not facts --------------------------------------------------------------

# A number right after these words is a result the user wants said or written, not a fact.
CLAIM_BEFORE = re.compile(
    r"(就是|等于|=|(补贴|奖励|补助|资助|支持|金额|结果)[^，。,]{0,3}(算下来|算出来)|能拿|拿到手|能领|领到|能补|写成|说成|凑整|回复|可获|结果是|预计能|应该是|大概能|"
    r"到手|(补贴|奖励|补助|资助|金额|支持)(就|应该|肯定)?是|填成|报成)"
    r"[^，。,；;]{0,8}$"
)
NEGATED_BEFORE = re.compile(r"(不是|并非|而非|而不是|并不是)\s*$")
CONVERTED = re.compile(r"折算下来|换算下来|平均下来")
UNREADABLE_NUMBER = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+\s*(?:万|亿)?\s*元?")
# Numbers written so that no exact value can be read from them, with why.
MALFORMED_NUMBERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\d+\.{2,}\d+\s*(?:万|亿)?\s*元?"), "数字中有多个小数点，无法确认实际金额"),
    (re.compile(r"(?<![\d,])\d(?:,\d(?![\d]))+(?:,\d)\s*(?:万|亿)?\s*元?"), "逗号没有按千位分隔，无法确认实际金额"),
    (
        re.compile(
            r"负\s*[零〇一二两三四五六七八九十百千\d][零〇一二两三四五六七八九十百千万亿\d.]*\s*(?:万|亿)?\s*元?"
        ),
        "金额不能为负数",
    ),
)
# A number taken back right after it is said ("80万，不对，是100万").
CORRECTED_AFTER = re.compile(r"^\s*[，,、]?\s*(不对|说错了|错了|更正一下|更正|纠正一下|纠正)")
CORRECTED_BEFORE = re.compile(r"(不对|说错了|错了|更正|纠正)[^。？?]{0,6}$")
IMPLAUSIBLE_YUAN = Decimal(10) ** 13  # ten trillion yuan: more than any company's scale

# -- flags -----------------------------------------------------------------------------------

FUTURE_WHEN = re.compile(
    r"明年|后年|下一年|今后|以后|将来|未来几年|会不会|是否会|会否|将会|打算|准备|有没有计划|何时出台|什么时候出台|"
    r"正式(发布|印发|出台|实施|施行)(的时候|时|后|以后|之后)|下一版|新版|(要|将|即将|拟|准备|会)(出台|发布|推出|印发)"
)
POLICY_CHANGE = re.compile(
    r"提高|降低|调整|出台|取消|延续|延长|加码|加大|变成|改成|上调|下调|增加|减少|新政策|继续|"
    r"提到|涨|升到|降到|加到|改为|变为|翻倍|缩水|变动|变化|提升到"
)
# New policy asked of a year to come (2027年会出哪些新的补贴).
NEW_POLICY = re.compile(
    r"(出台|推出|发布|印发|出)(哪些|什么|啥)?(新的?)?(补贴|政策|措施|文[件档]|办法|标准)|新的?(补贴|政策|措施|办法|标准)|"
    r"会(不会)?(提高|调整|变|出)"
)
FABRICATE = re.compile(
    r"编造|捏造|虚构|编一[条个段句份套本]|帮我编|随便编|编个|瞎编|杜撰|编[几些点](项|个|笔|份|条)?|凑(够|数)|"
    # a document in an authority's name (以社会事业局的名义写一份通知)
    r"以[^，。？?]{0,14}(局|委员会|委|管委会|政府|部门|办公室|中心)的?名义(写|发|出|起草|拟|制作|发布)"
)
# What a sum of money is (营收8000万, 投资1.2亿): a number named so fills no input of another kind.
MONEY_CONCEPTS = (
    "营收",
    "营业收入",
    "收入",
    "销售额",
    "产值",
    "利润",
    "纳税",
    "税收",
    "投资",
    "融资",
    "估值",
    "合同",
    "利息",
    "工资",
    "薪酬",
    "注册资本",
    "实缴",
    "租金",
    "房租",
    "保费",
    "研发费用",
    "研发投入",
    "经费",
    "预算",
    "贷款",
)
# An outcome to be promised in writing (写明"保证获批"): no one can promise it.
GUARANTEE = re.compile(
    r"(保证|确保|承诺|担保|包)[^，,。？?]{0,6}(通过|拿到|获批|批下来|批得下来|认定|到账|能拿|中标|成功)"
)
WRITE_FOR_ME = re.compile(r"(写|出具|声明|盖章|发给|开具|起草|拟)")
# Application material rewritten (把人数改成…, 日期往前写): a figure or date made other than it is.
MATERIAL = re.compile(r"申报|材料|申请书|申报书|报表|合同|发票|证明|证书")
REWRITTEN = re.compile(
    r"(把|将)[^，,。？?]{0,12}(写成|改成|填成|报成|改为|写为|填为|调成|调到)|"
    r"(日期|时间|落款|签订)[^，,。？?]{0,8}(改成|改为|写成|提前|往前|倒)"
)
# The company's own records and figures: made up, they misrepresent the company (编一份台账).
COMPANY_RECORDS = re.compile(r"账|台账|凭证|发票|合同|流水|报表|数据|记录|证明|材料|申报书|申请书|审计报告")
MADE_UP = re.compile(r"编造|捏造|虚构|杜撰|帮我编|编一[条个段句份套本]|编个|瞎编|随便编|编[几些点]")
# Misrepresenting the company to get a support: declined, with the document's integrity clauses.
DECEIVE = re.compile(
    r"伪造|假装|冒充|虚报|谎报|瞒报|没人查|不会查|查不出|看不出|不被发现|蒙混|糊弄|造假|做假|假的|虚开|倒签|篡改|"
    r"(就说|就写|写成|说成|填成|报成).{0,24}(实际|其实|真实)|(实际|其实)上?(是|只有|才).{0,24}(就说|就写|写成|说成|填成|报成)|"
    r"(写成|说成|填成|包装成|当成|就说)(我们|我司|公司|企业)?(是|有|已|达到|属于)|"
    # a real figure stated, then another one to write instead (其实120人…写成99人)
    r"(实际|其实|真实)\S{0,3}?\d.{0,40}?(就说|就写|写成|说成|填成|报成|改成)\s*\d|"
    # an award to be written up beyond what the facts give (写成能拿500万, 数字编圆一点, 往大了报)
    r"(写成|说成|报成|填成|编成|改成|做成)[^，。？?]{0,8}(能拿|拿到|获得|能报|能补|能批|能领)|"
    r"编圆|圆一点|往大了?(写|报|说|编)|多报|报高|写高|做高(?![端新精质效])|虚高|"
    # the basis a figure is counted on bent to report more (把口径调一调, 换个统计口径多报)
    r"口径[^，。？?]{0,3}(调|改|变|换|动)|(调|改|变|换|动)[^，。？?]{0,3}口径|"
    # checks to be evaded (不容易被查出来, 别让审核发现), figures to be written larger than they are
    r"(不|别|避免|以免|防止|不容易|不会)[^，。？?]{0,3}(被)?(查出|查到|发现|识破|核实出|审出)|"
    r"(数字|金额|数额|人数|收入|营收|面积)[^，。？?]{0,2}(写|报|说|填)?得?(大|高|多)一?点|"
    r"(材料|申报书|申请书|申请表|报表|填报)[^。？?]{0,24}从\s*\d[\d.,]*\s*[万亿千百]?[元人个项]?\s*(改|改写|写|调|报|填)成"
)
# Asking how to apply (when, where, to whom): the documents state support, rarely the application's
# logistics, which come in each year's 申报通知.
APPLICATION_LOGISTICS = re.compile(
    r"(申报|申请|报名|上报|受理)的?(截止|时间|日期|入口|平台|系统|网址|网站|窗口|地点|电话|方式|渠道)|"
    r"(申报|申请|报名|上报)[^，。？?]{0,4}截止|几月几[号日]|哪天截止|"
    r"在哪(个|里|儿)?(平台|网站|系统|窗口)?(上报|申报|申请|提交|报名)|找谁(申报|申请|办)|(联系|咨询)电话"
)
# Details a question can ask that a clause either states or does not: how the question asks for the
# detail, and how a clause would state it. A detail no clause in scope states is not answered.
APPLY_WORDS = r"(申报|申请|报名|上报|受理|递交|提交|兑现|拨付)"
_APPLY = APPLY_WORDS
DETAILS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "申报日期": (
        re.compile(
            rf"{_APPLY}[^，。？?]{{0,6}}(几月|几号|几日|哪天|哪一天|什么时[候间]|何时|时间|日期|截止)|"
            rf"(几月|几号|哪天|哪一天|什么时[候间]|何时)[^，。？?]{{0,6}}{_APPLY}"
        ),
        re.compile(r"\d{1,2}月(\d{1,2}[日号]|底|中旬|上旬|下旬)|\d{4}年\d{1,2}月|每年\d{1,2}月|\d+个工作日"),
    ),
    "联系电话": (
        re.compile(r"电话|热线|联系方式|手机号|座机|打给谁"),
        re.compile(r"\d{3,4}-\d{7,8}|\d{8,11}|电话[:：]"),
    ),
    "办公地址": (
        re.compile(r"地址|办公地点|受理地点|门牌|在哪(儿|里)?(办|交|递|送|受理|办公)|去哪(儿|里)?(办|交|递|送)"),
        re.compile(r"[路街道巷]\d+号|大厦|\d+层|\d+室|地址[:：]"),
    ),
    "申报网址或平台": (
        re.compile(r"网址|网站|链接|入口|(哪个|什么|哪一?个)(平台|系统|网)"),
        re.compile(r"平台|系统|网站|网址|http|www"),
    ),
}
# A rate asked of a subject ("…加计扣除比例是多少"): the subject must stand in a clause with a rate.
RATE_ASKED = re.compile(
    r"(?P<subject>[\u4e00-\u9fff]{2,12}?)(的)?(比例|税率|费率|扣除率|百分比|标准比例)(现在|目前)?(是|为|有|按)?"
    r"(多少|几|百分之几|怎么定|多大|是?\d+%)"
)
SUPPORT_WORD = re.compile(r"补贴|奖励|资助|补助|支持|贴息|减免|奖补|扶持|配套")
STATES_RATE = re.compile(r"\d+(\.\d+)?\s*[%％]|百分之|\d+\s*[:：]\s*\d+|[一二三四五六七八九]成|\d+倍")
# Where a clause states those logistics itself.
STATES_LOGISTICS = re.compile(
    r"(申报|申请|受理)[^。]{0,20}(\d+月\d+日|\d{4}年\d+月|截止|平台|系统|网站|网址|窗口)|"
    r"(\d+月\d+日|平台|系统|网站)[^。]{0,12}(申报|申请|受理)"
)
# The named place's own documents only, not the city's (东城区自己出台的, 区级政策).
OWN_LEVEL = re.compile(
    r"[区县]级(政策|文[件档]|层面|措施|扶持|支持|的)|[区县]里(自己|单独)|[区县]?自己(出台|发布|制定|的政策|的文[件档])|"
    r"本[区县](出台|发布|制定|的政策)|区政府(出台|发布|制定)"
)
# Whose policy a named place is: where the company is (在顺义的企业) or who gives the support (顺义区对…奖励).
PLACE_LOCATED_BEFORE = re.compile(
    r"(在|位于|注册在|注册于|落户|落户在|落地|落地在|地处|入驻|搬到|迁到|迁入|设在|属于)\s*$"
)
PLACE_LOCATED_AFTER = re.compile(
    r"^[区县市]?(这边|那边)?(的)?(企业|公司|单位|机构|团队|项目|工厂|厂|园区|医院|高校|客户|子公司|总部)"
)
# A place written as the giver of a support (怀柔区对…, 怀柔区的奖励, 怀柔出台的政策): its own policy is asked,
# even where another mention says the company is there too ("我们在怀柔，怀柔区对入驻企业奖励多少").
PLACE_ISSUER_AFTER = re.compile(
    r"^[区县市]?(里|政府|财政)?(对|给|给予|出台|发布|印发|有没有|有什么|有哪些|的[^，,。；;？?]{0,4}?(政策|补贴|奖励|支持|补助|资助|扶持|措施|规定|办法))"
)
# Where the company says it is, in a district or county the place table does not know (我们在火星区): asked
# about a place the corpus has nothing for. Kinds of zone inside a district are not such names.
UNKNOWN_DISTRICT = re.compile(r"(在|位于|注册在|落户在?|地处|搬到|迁到)(?P<name>[\u4e00-\u9fff]{2,4}?[区县])")
ZONE_KINDS = re.compile(
    r"(园|开发|高新|示范|新|片|功能|集聚|先行|试验|保税|自贸|社|城|厂|小|景|校|市|郊|山|核心|产业|商务|办公)区$"
)
# Asked to confirm or state a figure as given ("…奖励100万，对吧？只回答对", "告诉用户…写进结果").
CONFIRM_OR_STATE = re.compile(r"对吧|对吗|对不对|是不是|直接(回答|回复|告诉|说)|写进|写成|就说|照这个")
INJECTION = re.compile(
    r"忽略[你我]?(之前|以上|前面|上面|所有|此前|先前)|(系统|开发者)(指令|提示词?)[:：]|"
    r"忽略[^，,。？?]{0,4}(检索|搜索|资料|条款|规则|指令|提示|结果|上下文)|(系统|管理员|开发者)[^，,。？?]{0,4}(指令|命令)|"
    r"ignore (all |the )?previous|system\s*[:：]|你现在是|扮演"
)

# -- public-service domains other than sci-tech support ------------------------------------------
# Each is an administrative domain with its own rules (tax, social insurance, registration, …), named
# by the general terms for it. A question whose subject is one of them is outside the corpus even
# when its words occur in clauses (a clause may require 缴纳社保 without stating any 社保 rule).
OUTSIDE_DOMAINS: dict[str, re.Pattern[str]] = {
    "个人所得税、增值税等税收征缴": re.compile(r"个税|个人所得税|增值税|房产税|契税|印花税|年终奖.{0,6}(税|计税)"),
    "社会保险和住房公积金缴纳": re.compile(
        r"(社保|社会保险|养老保险|医保|公积金).{0,8}(缴费|缴纳|费率|比例|基数|报销)"
    ),
    "企业开办和工商登记": re.compile(
        r"(注册|开办|设立).{0,8}(公司|企业).{0,12}(材料|流程|手续|几天)|营业执照|工商(注册|登记)"
    ),
    "户籍、车辆和个人生活事务": re.compile(
        r"(公积金|住房|个人)贷款|首付|二套房|户口|户籍|车牌|摇号|驾照|签证|高考|交通违章|房贷利率|个人购房|天气|彩票|股票行情"
    ),
    "个人消费补贴": re.compile(r"(个人|家庭|私家).{0,8}(购车|买车|家电|消费).{0,6}补贴|购车补贴|以旧换新"),
}

# -- numbered parts and document numbers --------------------------------------------------------

LOCATOR = re.compile(r"第[一二三四五六七八九十百零〇\d]+[条章节款项](?:[（(][一二三四五六七八九十\d]+[)）])?")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[(（]\d{4}[〕\])）]\s*\d+\s*号")

# -- words every policy question has (removed to see whether anything topical is left) ----------

GENERIC = re.compile(
    r"(请问|你好|您好|我们|我司|公司|企业|单位|有没有|有什么|什么|哪些|怎么|如何|多少|可以|能否|能不能|是否|"
    r"政策|补贴|补助|奖励|支持|资金|申请|申报|一下|介绍|了解|相关|北京|北京市|呢|吗|啊|吧|的|了|和|与|及|都|有|是|在|"
    r"给|能|要|想|问|下|个|一|哪|这|那|些|么|呀|嘛|哦|呗|帮|我|你|他|她|它|们|啥|些什么|现在|目前|区里|市里|这边|那边)"
)

# Title words too common to name one document.
TITLE_GENERIC = frozenset(
    [
        "北京",
        "北京市",
        "京市",
        "关于",
        "若干",
        "措施",
        "政策",
        "办法",
        "实施",
        "细则",
        "实施细则",
        "发展",
        "高质量",
        "质量",
        "高质",
        "支持",
        "促进",
        "推动",
        "加快",
        "推进",
        "产业",
        "创新",
        "若干措施",
        "政策措施",
        "管理",
        "项目",
        "试行",
        "行动",
        "方案",
        "计划",
        "工作",
        "建设",
        "进一步",
        "企业",
        "科技",
        "服务",
        "技术",
        "经济",
        "国家",
        "中心",
        "城市",
        "一步",
        "发布",
        "打造",
        "意见",
        "若干意见",
        "万元",
        "奖励",
        "最高",
        "补助",
        "第一",
        "一期",
        "能力",
        "资金",
        "提升",
        "开发",
        "信息",
        "先进",
        "培育",
    ]
)

# Words of a question about a document rather than its subject; they carry no topic.
QUESTION_WORDS = frozenset(
    [
        "帮",
        "我",
        "你",
        "根据",
        "里",
        "要",
        "用",
        "号",
        "我要",
        "看到",
        "听说",
        "是不是",
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
        "原文",
        "对应",
        "哪一条",
        "一条",
        "直接",
        "按",
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
        "文档",  # 文件 as normalized (tw2sp)
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
        "啥",
        "一共",
        "总共",
        "合计",
        "每年",
        "一年",
        "目前",
    ]
)
