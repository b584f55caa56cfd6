import re
from datetime import datetime
from pathlib import Path

import pytest

from articles.ingest.dates import _YEAR, find_dates


@pytest.mark.parametrize(
    "line, value, has_time, rule",
    [
        ("15:312018/09/16", datetime(2018, 9, 16, 15, 31), True, "time_glued_before_date"),
        ("发布时间:2024-03-01 21:52   阅读量:10614次", datetime(2024, 3, 1, 21, 52), True, "ymd"),
        ("时间：2019年10月31日 23:00  浏览：  33", datetime(2019, 10, 31, 23, 0), True, "ymd"),
        ("2017-03-10 09:58:03来源：网易科学人作者：责任编辑：肖春芳", datetime(2017, 3, 10, 9, 58, 3), True, "ymd"),
        ("来源:dgti 发布时间:2023-12-25 点击量:", datetime(2023, 12, 25), False, "ymd"),
        ("中華民國105年3月4日", datetime(2016, 3, 4), False, "roc"),
        ("25/12/2023 14:05", datetime(2023, 12, 25, 14, 5), True, "day_first"),
        # Times and outlets glued to the date.
        ("2021-01-20 04:29:4439健康网", datetime(2021, 1, 20, 4, 29, 44), True, "ymd"),
        ("TNW中文站2016年10月14日07:17", datetime(2016, 10, 14, 7, 17), True, "ymd"),
        # 12-hour clocks: 上午/下午 before the time, AM/PM after it.
        ("2024年5月20日週一 下午2:05", datetime(2024, 5, 20, 14, 5), True, "ymd"),
        ("2024年5月22日週三 上午8:21", datetime(2024, 5, 22, 8, 21), True, "ymd"),
        ("作者： size=\"20\"   来源： size=\"20\"   发布日期： 7/5/2005 9:23:57 PM",
         datetime(2005, 7, 5, 21, 23, 57), True, "month_first"),
        # A zone label between the date and the clock.
        ("更新时间 2012年12月10日, 格林尼治标准时间10:41", datetime(2012, 12, 10, 10, 41), True, "ymd"),
        # English month names on blogs and old portals.
        ("Saturday, September 10th, 2005   10:56 am", datetime(2005, 9, 10, 10, 56), True, "month_name"),
        ("Dec 28 Sat 2013 00:28", datetime(2013, 12, 28, 0, 28), True, "month_name"),
        ("September 19th, 2005 at 7:32 pm", datetime(2005, 9, 19, 19, 32), True, "month_name"),
        ("10 December 2012, 10:41 GMT", datetime(2012, 12, 10, 10, 41), True, "day_month_name"),
        ("许先生著作 [图] 大卫 20:02:45 9/12/05 (75)", None, None, None),
    ],
)
def test_real_date_lines(line, value, has_time, rule):
    hits = find_dates(line)
    if value is None:
        assert hits == []
        return
    assert (hits[0].value, hits[0].has_time, hits[0].rule) == (value, has_time, rule)


def test_month_archive_ranges_are_two_month_first_dates_not_one_mixed_date():
    hits = find_dates("12/01/2004 - 01/01/2005")
    assert [h.value for h in hits] == [datetime(2004, 12, 1), datetime(2005, 1, 1)]


@pytest.mark.parametrize("line", ["1899年5月4日", "2999-01-01", "民国9年1月1日", "Vol. 8 No. 2 (May 2018)"])
def test_years_out_of_range_give_no_date(line):
    assert find_dates(line) == []


def test_view_counter_is_not_a_time():
    assert find_dates("点击量: 12:30") == []


def test_impossible_dates_are_ignored():
    assert find_dates("2023-13-45") == []


def test_the_month_of_an_issue_dates_a_page_with_no_day():
    from articles.ingest.dates import find_issue_month
    assert find_issue_month("——《北京之春》1996年6月号").value.isoformat() == "1996-06-01T00:00:00"
    assert find_issue_month("Vol. 8 No. 2 (May 2018)").value.isoformat() == "2018-05-01T00:00:00"
    assert find_issue_month("2019年3月，我们去了北京") is None  # a month in a sentence dates an event, not an issue


def test_a_page_dated_by_its_issue_says_so(gazetteer, vocabulary):
    from articles.ingest import draft_to_record, parse
    p1 = "当今中国最流行的是什么主义？答：犬儒主义。犬儒主义是一种对什么都不相信的态度，它在今天的中国随处可见。"
    p2 = "人心不会熄灭，但它可能蒙上灰烬而不再燃烧。灰烬本来是燃烧的产物，但它反过来又抑制了燃烧，这就是犬儒。"
    data = "\n\n".join(["犬儒病(上)", "胡平", p1, p2, "——《北京之春》1998年3月号"]).encode()
    draft = parse(data, "p.txt", gazetteer=gazetteer, vocabulary=vocabulary)
    assert draft.published_at.date().isoformat() == "1998-03-01" and draft.date_only
    assert draft_to_record(draft, file="p.txt", status="new")["published_at"] == "1998-03"
    assert any("month" in w for w in draft.warnings)
    # A full date anywhere wins over the issue's month.
    data = "\n\n".join(["犬儒病(上)", "2024-05-20 10:00 来源：北京之春", p1, p2, "——《北京之春》1998年3月号"]).encode()
    assert parse(data, "p.txt", gazetteer=gazetteer, vocabulary=vocabulary).published_at.year == 2024


def test_year_test_finds_what_the_lookahead_form_found():
    """dates._YEAR consumes its digit first (the engine then scans for digits): whether it matches is
    what (?=\\d)(?:(?:19|20)\\d\\d|\\d[^\\S\\n]*年) says, on every line of the sample pages and on edge cases."""
    before = re.compile(r"(?=\d)(?:(?:19|20)\d\d|\d[^\S\n]*年)")
    samples = Path(__file__).parent / "samples"
    lines = {line for path in samples.glob("*.txt") for line in path.read_text("utf-8", "replace").split("\n")}
    lines |= {"2019", "x1999", "1 年", "3\u3000年", "1\n年", "19x", "209", "٣年", "２０１９", "12019", "9 \t 年", "1920"}
    for line in lines:
        assert bool(_YEAR.search(line)) == bool(before.search(line)), line
