from articles.ingest.divisions import read_divisions, short_name
from articles.ingest.regions import Gazetteer, choose_regions, score_regions


def test_short_names():
    assert [short_name(n) for n in ["杭州市", "内蒙古自治区", "广西壮族自治区", "延边朝鲜族自治州", "香港特别行政区", "陵水黎族自治县"]] == [
        "杭州", "内蒙古", "广西", "延边", "香港", "陵水"]


def test_divisions_cover_every_province_level_unit():
    regions, aliases = read_divisions()
    provinces = [r for r in regions if r.level == "province"]
    assert len(provinces) == 34
    assert any(a.name == "昆山市" and a.region_code == "3205" for a in aliases)


def paths(g, text, zone="title"):
    return [g.path(c) for c in choose_regions(g, score_regions(g, [(zone, text)]))]


def test_county_resolves_to_city(gazetteer):
    assert paths(gazetteer, "第六届全国基层党建创新论坛在江苏昆山举办") == ["江苏省/苏州市"]
    assert paths(gazetteer, "山东冠县女企业家苏银霞") == ["山东省/聊城市"]


def test_municipality_district_resolves_to_municipality(gazetteer):
    assert paths(gazetteer, "重庆渝中区推进基层治理") == ["重庆市"]


def test_taiwan_district_resolves_to_city(gazetteer):
    assert paths(gazetteer, "北市士林区葫芦街一处民宅") == ["台湾省/台北市"]


def test_words_containing_place_characters_are_not_places(gazetteer):
    assert paths(gazetteer, "中华人民共和国国家发展和改革委员会召开会议") == []


def test_a_passing_mention_in_the_body_is_not_enough(gazetteer):
    assert paths(gazetteer, "有代表提到香港。", zone="body") == []


def test_from_rows_builds_the_same_gazetteer():
    regions, aliases = read_divisions()
    g = Gazetteer.from_rows(regions, aliases)
    assert g.path("3301") == "浙江省/杭州市" and "杭州" in g.names


def test_county_names_that_are_ordinary_words_need_their_region(gazetteer):
    # 比如 (那曲), 合作 (甘南), 平安 (海东) are counties, and far more often "for example",
    # "cooperation", "safe": the dictionary's part of speech says which.
    assert paths(gazetteer, "比如，企业之间加强合作，保障生产平安有序，就是很好的做法。", "body") == []
    assert paths(gazetteer, "西藏那曲比如县举办赛马节") == ["西藏自治区/那曲市"]
    assert paths(gazetteer, "甘南州合作市召开会议") == ["甘肃省/甘南藏族自治州"]


def test_a_place_named_in_passing_is_not_the_subject(gazetteer):
    text = "近两周来大盘下跌，不少上市公司纷纷展开自救。其中一家总部位于湖南的公司宣布回购，另一家公司则申请停牌，市场人士认为自救效果有待观察。"
    assert paths(gazetteer, text, "body") == []
    assert paths(gazetteer, text.replace("湖南", "湖南长沙") + "长沙市政府表示支持。长沙的企业积极响应。长沙", "body") == ["湖南省/长沙市"]


def test_many_places_none_leading_is_a_national_topic(gazetteer):
    others = "上海、福建、江西、江苏、广东、四川"
    text = "。".join([f"湖南和{others}的企业都在布局物联网" for _ in range(3)] + ["湖南省今年又新增了两个园区。"])
    assert choose_regions(gazetteer, score_regions(gazetteer, [("body", text)])) == []
    # One place leading the same crowd is what the article is about.
    text = "。".join([f"湖南和{others}的企业都在布局物联网" for _ in range(3)] + ["湖南省今年又新增了两个园区"] * 12)
    assert [gazetteer.path(c) for c in choose_regions(gazetteer, score_regions(gazetteer, [("body", text)]))] == ["湖南省"]
