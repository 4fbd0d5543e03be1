from retrieval.normalize import normalize, squash


def test_traditional_and_simplified_meet():
    assert normalize("北京經開區發佈“科創二十條2.0版”") == normalize("北京经开区发布“科创二十条2.0版”")


def test_regional_vocabulary_is_mapped():
    assert "信息技术" in normalize("新一代資訊技術")


def test_width_is_unified():
    assert normalize("第五条（二）按照合同额的３０％") == "第五条(二)按照合同额的30%"


def test_squash_drops_spaces():
    assert squash("有效期 3 年") == "有效期3年"
