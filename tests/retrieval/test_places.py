from retrieval.places import BEIJING, Level, document_regions, place, places_named

REGIONS = {"北京市", "西城区", "海淀区", "朝阳区", "北京经济技术开发区", "通州区/城市副中心", "石家庄市"}


def test_places_in_order_of_mention_longest_name_first():
    assert [p.name for p in places_named("中关村科学城和西城")] == ["中关村科学城", "西城区"]


def test_beijing_with_a_district_is_the_district():
    assert [p.name for p in places_named("北京西城区的企业")] == ["西城区"]


def test_words_containing_a_place_name_are_not_places():
    assert places_named("朝阳产业和京津冀协同") == []


def test_document_regions_follow_the_hierarchy():
    assert document_regions(place("金融街"), REGIONS) == {"西城区", BEIJING}
    assert document_regions(place("大兴区"), REGIONS) == {BEIJING}
    assert document_regions(place(BEIJING), REGIONS) == REGIONS - {"石家庄市"}
    assert document_regions(place("石家庄市"), REGIONS) == {"石家庄市"}
    assert document_regions(place("上海"), REGIONS) == set()


def test_unknown_place_names_are_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="unknown place"):
        place("火星")


def test_levels():
    assert place("北京经济技术开发区").level == Level.ZONE
    assert [p.name for p in places_named("亦庄")] == ["北京经济技术开发区"]
