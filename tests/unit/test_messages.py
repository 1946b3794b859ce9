"""grader.messages: the bilingual catalogue."""

import re
import string

from grader import messages


def test_every_message_has_korean_and_english_with_the_same_fields():
    """Does each key have Hangul in Korean, none in English, and the same placeholders?"""
    hangul = re.compile(r"[\uac00-\ud7a3]")
    for key, (ko, en) in messages.MESSAGES.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in (ko, en)]
        assert fields[0] == fields[1], key
        assert hangul.search(ko), key
        assert not hangul.search(en), key


def test_format_puts_korean_first_then_english():
    """Is the Korean line first?"""
    assert messages.format("run.timeout", budget_s=5).splitlines() == [
        "제한 시간 5초를 넘어 중단했습니다", "stopped after exceeding its time budget of 5 s"]
