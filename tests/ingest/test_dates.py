from datetime import datetime

import pytest

from articles.ingest.dates import find_dates


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
    ],
)
def test_real_date_lines(line, value, has_time, rule):
    hit = find_dates(line)[0]
    assert (hit.value, hit.has_time, hit.rule) == (value, has_time, rule)


def test_view_counter_is_not_a_time():
    assert find_dates("点击量: 12:30") == []


def test_impossible_dates_are_ignored():
    assert find_dates("2023-13-45") == []
