from articles.tag_strings import edit_string_for_tags, parse_tags


def test_chinese_and_ascii_separators():
    assert parse_tags("基层党建，乡村振兴、全面从严治党,党建 党建；改革") == sorted(
        ["全面从严治党", "党建", "乡村振兴", "基层党建", "改革"]
    )


def test_empty_and_blank():
    assert parse_tags("") == [] and parse_tags(" ，、 ") == []


def test_round_trip_uses_chinese_comma():
    class T:
        def __init__(self, name):
            self.name = name

    assert edit_string_for_tags([T("党建"), T("乡村振兴")]) == "乡村振兴，党建"
