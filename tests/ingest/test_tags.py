"""Tags an editor would keep: no segmentation fragments, no 'our hospital', no numerals or page chrome."""
import pytest

from articles.ingest import Vocabulary, parse
from articles.ingest.tagging import extract_tags

NONE = Vocabulary()


def test_pieces_of_a_name_and_of_a_split_phrase_are_no_tags():
    # Real lines of a news feature: 于家乐 is segmented 于|家乐 and 辱母者 刺死辱|母者.
    title = "刺死辱母者于欢的罪与悔：出狱第一晚仅睡三四个小时"
    body = "\n".join([
        "距离“刺死辱母者”的那个晚上已经过去4年多。提起自己的案子，于欢说后悔自己冲动触犯了法律。",
        "姐姐于家乐一脸埋怨，“家里虽然是做生意的，父母在生活上极其抠门，钱都用到了厂子里。”",
        "借高利贷还不够，苏银霞还吸引民间资金。于欢的姐姐于家乐在济南经营一家正典投资公司，承揽民间吸储业务。",
        "如今，距离“刺死辱母者”的那个晚上已经过去1678个日夜。回溯往事，于欢说，苏银霞也后悔。",
    ])
    tags = extract_tags(title, body, NONE, limit=8)
    assert "于欢" in tags and "苏银霞" in tags
    assert not {"家乐", "母者"} & set(tags)


def test_pronoun_glued_to_one_character_is_no_tag():
    # 我院 ("our hospital") is how the page refers to itself.
    title = "【不忘初心 牢记使命】我院医技药剂党支部举办2019年中药、药学理论知识与专业技能大赛"
    body = ("为深入推进党建与业务工作紧密结合，弘扬我院中药特色，培养优秀的药学人才，我院举办中药、药学理论知识大赛。"
            "此次的大赛成绩较去年有了显著的提升，这是药剂科全体同仁不断努力精进自己的结果，我院药剂科注重药剂人才培养。")
    tags = extract_tags(title, body, NONE, limit=8)
    assert "中药" in tags and "药学" in tags
    assert "我院" not in tags


def test_numerals_and_page_chrome_are_no_tags():
    title = "雄安新区"
    body = ("雄安新区位于河北省保定市东部，于2017年4月1日正式成立。雄安官网发布规划。" * 2
            + "本文已被浏览万次，点赞数众多，请看一篇又一篇的文章。浏览万次，点赞数，一篇。")
    tags = extract_tags(title, body, NONE, limit=8)
    assert not {"万次", "一篇", "点赞数", "浏览", "雄安官"} & set(tags)


def test_words_next_to_dictionary_words_are_kept():
    # 新冠|肺炎: an unknown word whose neighbour is a word of the dictionary is no fragment.
    body = "新冠肺炎疫情发生后，社区居家隔离。新冠肺炎患者得到救治，新冠病毒检测全面展开。"
    assert "新冠" in extract_tags("武汉抗击新冠肺炎疫情", body, NONE, limit=8)


@pytest.mark.parametrize("name, banned", [("web-006.txt", {"我院"}), ("web-029.txt", {"家乐", "母者"})])
def test_published_samples_keep_no_fragment(name, banned, samples_dir, gazetteer, vocabulary):
    draft = parse((samples_dir / name).read_bytes(), name, gazetteer=gazetteer, vocabulary=vocabulary)
    assert len(draft.tags) == 5 and not banned & set(draft.tags)


def test_the_phrase_heads_a_text_holds_are_its_two_character_slices_among_the_heads():
    """_heads_in matches the text's character pairs against a large vocabulary's phrase heads in NumPy:
    the same heads as the set of the text's two-character slices, astral and odd characters included."""
    from articles.ingest.tagging import _heads_in

    phrases = [f"{a}{b}建设" for a in "全党乡城农社文经科" for b in "面建村市业会化济技"] + ["𠀀𠀁𠀂𠀃", "ab\ud800cd", "经济\n发展"]
    vocabulary = Vocabulary(tags=frozenset(phrases))
    assert len(vocabulary.long_phrases) > 64
    for text in ["全面从严治党，乡村振兴。党建引领城市发展", "x𠀀𠀁y", "ab\ud800cd", "经济\n发展", "", "全", "农业农会"]:
        slices = {text[i:i + 2] for i in range(len(text) - 1)} & vocabulary.phrases_by_head.keys()
        found = _heads_in(text, vocabulary)
        assert sorted(found) == sorted(slices)
