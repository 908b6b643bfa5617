"""The history's compare page shows what changed in a text: a changed Chinese character is one
mark, not a whole sentence; a changed English word is one word; and any two texts, however
long or repetitive, are compared within a bounded amount of work."""

import difflib
import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procedures.editorial import textdiff


def read_back(marked: str) -> tuple[str, str]:
    """The old and the new text a diff shows: without <ins>, and without <del>."""
    old = re.sub(r"<ins>.*?</ins>", "", marked, flags=re.S)
    new = re.sub(r"<del>.*?</del>", "", marked, flags=re.S)

    def strip(text):
        return html.unescape(re.sub(r"</?(ins|del)>", "", text))

    return strip(old), strip(new)


def test_a_changed_chinese_character_is_marked_alone():
    old = "请带上护照到营业厅办理实名登记。"
    new = "请带上身份证到营业厅办理实名登记。"
    marked = textdiff.diff_html(old, new)
    assert marked == "请带上<del>护照</del><ins>身份证</ins>到营业厅办理实名登记。"


def test_a_changed_english_word_is_marked_alone():
    marked = textdiff.diff_html("Bring your passport to a store.", "Bring your ID card to a store.")
    assert marked == "Bring your <del>passport</del><ins>ID card</ins> to a store."


def test_markup_in_texts_is_shown_not_run():
    marked = textdiff.diff_html("<b>old</b>", "<script>x</script>")
    assert "<script>" not in marked and "&lt;script&gt;" in marked


WORDS = st.sampled_from(["实名", "登记", "护照", "。", "eSIM", "SIM", "card", " ", "\n", "&", "<"])


@given(old=st.lists(WORDS, max_size=40).map("".join), new=st.lists(WORDS, max_size=40).map("".join))
def test_any_diff_reads_back_as_the_two_texts(old, new):
    assert read_back(textdiff.diff_html(old, new)) == (old, new)


@pytest.mark.parametrize("where", ["start", "middle", "end", "everywhere"])
def test_long_repetitive_texts_are_compared_within_a_bounded_work(monkeypatch, where):
    """8,000 repeated words (10.6 s to compare before): no single comparison is asked more than
    MAX_WORK steps, and the change is still found."""
    work = []
    original = difflib.SequenceMatcher

    class Counting(original):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            work.append(len(a) * len(b))
            super().__init__(isjunk, a, b, autojunk)

    monkeypatch.setattr(textdiff.difflib, "SequenceMatcher", Counting)
    sentence = "Bring your passport and the SIM card to the store. "
    old = sentence * 800  # 8,000 words
    changed = sentence.replace("passport", "ID card")
    if where == "start":
        new = changed + sentence * 799
    elif where == "middle":
        new = sentence * 400 + changed + sentence * 399
    elif where == "end":
        new = sentence * 799 + changed
    else:
        new = changed * 800
    marked = textdiff.diff_html(old, new)
    assert max(work, default=0) <= textdiff.MAX_WORK
    assert read_back(marked) == (old, new)
    assert "ID card" in "".join(re.findall(r"<ins>(.*?)</ins>", marked, re.S))


def test_long_chinese_text_with_one_change_marks_only_that_change():
    sentence = "请带上护照和SIM卡到营业厅办理实名登记。"
    old = sentence * 600
    new = sentence * 300 + sentence.replace("护照", "身份证") + sentence * 299
    marked = textdiff.diff_html(old, new)
    assert re.findall(r"<del>(.*?)</del>", marked) == ["护照"]
    assert re.findall(r"<ins>(.*?)</ins>", marked) == ["身份证"]
