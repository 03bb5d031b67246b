"""Chinese title search (issue #23): the title's words, space-separated, within the size limit."""

from starter.title_words import title_words


def test_a_chinese_title_is_split_into_its_words():
    words = title_words("某小区电梯频繁故障无人维修").split(" ")
    assert "电梯" in words and "小区" in words and "故障" in words and "维修" in words


def test_long_words_also_as_their_parts_and_no_punctuation():
    words = title_words("关于南通市住房和城乡建设局的回应，网民：不满意！").split(" ")
    assert {"南通", "南通市", "建设局"} <= set(words)
    assert not {"，", "：", "！", ""} & set(words)


def test_words_stay_within_the_search_attribute_size_limit():
    words = title_words("电梯维修" * 50 + "".join(chr(0x4E00 + i) for i in range(400)), 500)
    assert len(words.encode("utf-8")) <= 500 and len(set(words.split())) == len(words.split())
