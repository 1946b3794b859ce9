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


def test_every_status_of_the_records_has_its_label():
    """A status added to a record's vocabulary (models.py) without a label would print a KeyError."""
    from typing import get_args

    from grader.models import CellStatus, SubmissionStatus

    for prefix, vocabulary in (("grade.status.", CellStatus), ("gradeall.status.", SubmissionStatus)):
        assert {prefix + s for s in get_args(vocabulary)} <= set(messages.MESSAGES), prefix


def test_no_message_is_dead():
    """Each key is used by the code: literally ('hub.bad_lang') or under an f-string prefix (f"grade.status.{s}")."""
    from pathlib import Path

    root = Path(messages.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in [*root.rglob("*.py"), *root.rglob("*.html")]
                     if p.name != "messages.py")
    prefixes = set(re.findall(r"f[\"']([\w.]+\.)\{", code))
    dead = [k for k in messages.MESSAGES
            if f'"{k}"' not in code and f"'{k}'" not in code and not any(k.startswith(p) for p in prefixes)]
    assert not dead, dead
