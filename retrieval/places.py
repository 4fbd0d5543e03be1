"""Places and how they nest: which documents apply where.

A document's `region` in the manifest is one of these places. A district's companies can use the
district's documents and the city's (北京市); a 北京 question may use any Beijing document; 石家庄 is
its own city. Places outside the corpus are known by name so a question about them can be refused.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from retrieval.normalize import normalize


class Level(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    ZONE = "zone"  # 北京经济技术开发区, 中关村
    AREA = "area"  # a part of a district people name instead of it (金融街, 望京)
    ELSEWHERE = "elsewhere"  # a place with policies of its own that the corpus does not hold


class Place(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str  # as the manifest writes regions: 西城区, 北京经济技术开发区
    level: Level
    parent: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


BEIJING = "北京市"

PLACES: tuple[Place, ...] = (
    Place(name=BEIJING, level=Level.CITY, aliases=("北京",)),
    Place(name="石家庄市", level=Level.CITY, aliases=("石家庄", "河北")),
    # Districts of Beijing (those without documents of their own still get the city's).
    Place(name="东城区", level=Level.DISTRICT, parent=BEIJING, aliases=("东城",)),
    Place(name="西城区", level=Level.DISTRICT, parent=BEIJING, aliases=("西城",)),
    Place(name="朝阳区", level=Level.DISTRICT, parent=BEIJING, aliases=("朝阳",)),
    Place(name="海淀区", level=Level.DISTRICT, parent=BEIJING, aliases=("海淀",)),
    Place(name="丰台区", level=Level.DISTRICT, parent=BEIJING, aliases=("丰台",)),
    Place(name="石景山区", level=Level.DISTRICT, parent=BEIJING, aliases=("石景山",)),
    Place(name="门头沟区", level=Level.DISTRICT, parent=BEIJING, aliases=("门头沟",)),
    Place(name="房山区", level=Level.DISTRICT, parent=BEIJING, aliases=("房山",)),
    Place(name="通州区/城市副中心", level=Level.DISTRICT, parent=BEIJING, aliases=("通州", "城市副中心", "副中心")),
    Place(name="顺义区", level=Level.DISTRICT, parent=BEIJING, aliases=("顺义",)),
    Place(name="昌平区", level=Level.DISTRICT, parent=BEIJING, aliases=("昌平",)),
    Place(name="大兴区", level=Level.DISTRICT, parent=BEIJING, aliases=("大兴",)),
    Place(name="怀柔区", level=Level.DISTRICT, parent=BEIJING, aliases=("怀柔",)),
    Place(name="平谷区", level=Level.DISTRICT, parent=BEIJING, aliases=("平谷",)),
    Place(name="密云区", level=Level.DISTRICT, parent=BEIJING, aliases=("密云",)),
    Place(name="延庆区", level=Level.DISTRICT, parent=BEIJING, aliases=("延庆",)),
    Place(
        name="北京经济技术开发区",
        level=Level.ZONE,
        parent=BEIJING,
        aliases=("经济技术开发区", "经开区", "亦庄", "北京亦庄", "开发区"),
    ),
    Place(name="中关村", level=Level.ZONE, parent=BEIJING, aliases=("中关村示范区", "中关村国家自主创新示范区")),
    # Parts of districts that people name instead of the district.
    Place(name="金融街", level=Level.AREA, parent="西城区"),
    Place(name="望京", level=Level.AREA, parent="朝阳区"),
    Place(name="中关村科学城", level=Level.AREA, parent="海淀区"),
    Place(name="未来科学城", level=Level.AREA, parent="昌平区"),
    Place(name="怀柔科学城", level=Level.AREA, parent="怀柔区"),
    # Elsewhere: cities and provinces with policies of their own.
    *(
        Place(name=n, level=Level.ELSEWHERE)
        for n in (
            "上海",
            "浦东",
            "深圳",
            "广州",
            "杭州",
            "天津",
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
            "保定",
            "唐山",
            "廊坊",
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
    ),
)
_BY_NAME = {p.name: p for p in PLACES}
# Longest names first, so 中关村科学城 is read before 中关村 and 北京经济技术开发区 before 北京.
_ALIASES = sorted(((normalize(w), p) for p in PLACES for w in p.words), key=lambda t: -len(t[0]))
# Words a place name is part of without naming the place (朝阳产业, 京津冀 is 北京 + others).
_NOT_A_PLACE = ("朝阳产业", "京津冀", "南京市场", "北京时间", "京东", "京津")


def place(name: str) -> Place:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown place {name!r}; known: {sorted(_BY_NAME)}") from None


def places_named(text: str) -> list[Place]:
    """The places a text names, in the order it names them (each once)."""
    q = normalize(text)
    for w in _NOT_A_PLACE:
        q = q.replace(w, " " * len(w))
    found: list[tuple[int, Place]] = []
    for alias, p in _ALIASES:
        if len(alias) < 2:
            continue  # 京 alone is too ambiguous to read as a place
        start = q.find(alias)
        while start >= 0:
            found.append((start, p))
            q = q[:start] + " " * len(alias) + q[start + len(alias) :]
            start = q.find(alias)
    out: list[Place] = []
    for _, p in sorted(found, key=lambda t: t[0]):
        if p not in out:
            out.append(p)
    # 北京 named together with one of its districts adds nothing: the district is the place; and a
    # part of a district named with the district (西城金融街) is where in it, not another place.
    if any(p.parent is not None for p in out):
        out = [p for p in out if p.name != BEIJING]
    names = {p.name for p in out}
    return [p for p in out if not (p.level == Level.AREA and p.parent in names)]


def ancestors(p: Place) -> list[Place]:
    out: list[Place] = []
    while p.parent is not None:
        p = _BY_NAME[p.parent]
        out.append(p)
    return out


def document_regions(p: Place, corpus_regions: set[str]) -> set[str]:
    """The manifest regions whose documents apply in place `p`.

    A district (or a part of one) gets its own documents and those of every level above it; the
    city of Beijing named alone gets every Beijing document; a place elsewhere gets none.
    """
    if p.level == Level.ELSEWHERE:
        return set()
    if p.name == BEIJING:
        return {r for r in corpus_regions if r == BEIJING or _within(r, BEIJING)}
    chain = [p, *ancestors(p)]
    return {x.name for x in chain if x.name in corpus_regions}


def _within(region: str, city: str) -> bool:
    p = _BY_NAME.get(region)
    return p is not None and any(a.name == city for a in ancestors(p))


def nearest_regions(places: list[Place], corpus_regions: set[str]) -> set[str]:
    """For each place, the nearest level that has documents (金融街 → 西城区; 中关村 → 北京市): for boosting."""
    out: set[str] = set()
    for p in places:
        for x in [p, *ancestors(p)]:
            if x.name in corpus_regions:
                out.add(x.name)
                break
    return out
