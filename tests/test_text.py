import unicodedata

import pytest

from listingforge.text import detect_lang, text_length
from listingforge.text.length import char_width
from listingforge.text.normalize import dedupe_words, join_words, normalize_text, to_halfwidth
from listingforge.text.segment import Segmenter


def test_detect_lang():
    assert detect_lang("花花连衣裙 夏季") == "zh"
    assert detect_lang("Apple iPhone 15 手机壳 硅胶") == "zh"  # Latin brand + Chinese words
    assert detect_lang("Men's Merino Wool Sweater") == "en"
    assert detect_lang("", default="zh") == "zh"
    assert detect_lang("12345", default="en") == "en"


@pytest.mark.parametrize(("text", "unit", "expected"), [
    ("连衣裙", "width", 6),
    ("连衣裙", "chars", 3),
    ("连衣裙", "bytes", 9),
    ("iPhone 15 壳", "width", 12),  # 10 narrow + one CJK counted 2
    ("ＡＢ", "width", 4),  # full-width letters are wide
    ("", "width", 0),
])
def test_text_length_units(text, unit, expected):
    assert text_length(text, unit) == expected


def test_width_matches_unicode_definition():
    sample = "".join(chr(c) for c in range(0x20, 0x3100)) + "中文ｶﾞ한국어😀𠀀"
    for ch in sample:
        if unicodedata.category(ch) in ("Cs",):
            continue
        assert text_length(ch, "width") == char_width(ch), hex(ord(ch))


def test_unknown_unit():
    with pytest.raises(ValueError, match="unknown length unit"):
        text_length("x", "inches")


def test_normalization():
    assert to_halfwidth("ＡＢＣ１２３！") == "ABC123!"
    assert normalize_text("  花花\u3000 连衣裙   夏季 ") == "花花 连衣裙 夏季"
    assert dedupe_words(["红色", "连衣裙", "红色", "Red", "red"]) == ["红色", "连衣裙", "Red"]
    assert join_words(["Apple", "iPhone", "15", "手机壳"]) == "Apple iPhone 15手机壳"


def test_user_dictionary_keeps_brands_whole():
    plain = Segmenter().cut("三只松鼠坚果大礼包徕卡相机")
    custom = Segmenter(["三只松鼠", "徕卡"]).cut("三只松鼠坚果大礼包徕卡相机")
    assert "三只松鼠" in custom and "徕卡" in custom
    assert "三只松鼠" not in plain  # the default dictionary splits it: the user words matter
    # a second segmenter is not affected by the first one's words
    assert "徕卡" not in Segmenter().cut("徕卡相机")


def test_segmenter_spans_and_latin():
    seg = Segmenter()
    assert seg.cut("Apple iPhone 15 Pro") == ["Apple", "iPhone", "15", "Pro"]
    text = "花花 连衣裙"
    for tok, s, e in seg.spans(text):
        assert text[s:e] == tok


def test_find_all_positions_case_and_length_changing_lowercase():
    from listingforge.text.find import find_all

    assert find_all("ab", "xABab ab", ignore_case=True) == [(1, 3), (3, 5), (6, 8)]
    assert find_all("ab", "xABab ab") == [(3, 5), (6, 8)]
    assert find_all("", "abc") == []
    # "İ".lower() is two code points: positions must still index the original text
    text = "İstanbul Nike nike"
    assert [text[s:e] for s, e in find_all("nike", text, ignore_case=True)] == ["Nike", "nike"]


def test_bigram_overlaps_by_hand():
    from listingforge.text.similarity import char_bigrams, dice, jaccard

    a, b = char_bigrams("abcd"), char_bigrams("bcde")  # {ab,bc,cd} vs {bc,cd,de}: 2 shared, 4 in all
    assert jaccard(a, b) == 0.5 and abs(dice(a, b) - 2 / 3) < 1e-12
    assert char_bigrams("Levi's 牛仔裤", fold=True) == char_bigrams("levi's牛仔裤")
    assert char_bigrams("Levi's 牛仔裤") != char_bigrams("levi's牛仔裤")
    assert jaccard(set(), a) == 0.0 == dice(a, set())


def test_prepared_dictionary_cache_segments_the_same_and_survives_damage(tmp_path, monkeypatch):
    from listingforge.text import segment

    monkeypatch.setenv("LISTINGFORGE_CACHE", str(tmp_path))
    words = ["三只松鼠", "徕卡"]
    text = "三只松鼠坚果大礼包徕卡相机"
    built = Segmenter(words).cut(text)  # builds the dictionary and writes the cache
    files = list((tmp_path / "segmenter").glob("jieba-*.pkl"))
    assert len(files) == 1
    cached = Segmenter(words)
    assert cached.cut(text) == built and "徕卡" in built
    assert cached._tokenizer().FREQ["徕卡"] >= 50000  # the user words came back from the file
    # other words are another file: a cache for one catalog never changes another's segmentation
    assert "徕卡" not in Segmenter().cut("徕卡相机")
    assert len(list((tmp_path / "segmenter").glob("jieba-*.pkl"))) == 2
    files[0].write_bytes(b"not a pickle")  # a damaged file is rebuilt, not fatal
    assert Segmenter(words).cut(text) == built
    monkeypatch.setenv("LISTINGFORGE_CACHE", "off")
    assert segment.cache_dir() is None and Segmenter(words).cut(text) == built


def test_a_failed_cache_write_leaves_no_partial_file(tmp_path, monkeypatch):
    from listingforge.text import segment

    monkeypatch.setenv("LISTINGFORGE_CACHE", str(tmp_path))

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(segment.pickle, "dump", disk_full)
    assert "徕卡" in Segmenter(["徕卡"]).cut("徕卡相机")  # segments all the same
    assert list((tmp_path / "segmenter").iterdir()) == []


def test_outermost_keeps_the_words_no_other_contains_in_order_once():
    from listingforge.text.find import outermost

    assert outermost(["电脑", "电脑椅", "椅", "男士", "电脑椅"]) == ["电脑椅", "男士"]
    assert outermost(["男", "女"]) == ["男", "女"] and outermost([]) == []
