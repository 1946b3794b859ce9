"""Single-language copies hold only their language, and every code cell unchanged."""

from __future__ import annotations

import nbformat
import pytest

from grader.render import render_language
from tests.course.conftest import ALL, nb_id


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("path", ALL, ids=nb_id)
def test_rendered_copy_has_one_language(path, lang, tmp_path):
    """Does the copy keep every cell of `lang`, none of the other, and the code cells as they were?"""
    (out,) = render_language(lang, [path], out=tmp_path)
    source, rendered = nbformat.read(path, 4), nbformat.read(out, 4)
    other = {"ko": "en", "en": "ko"}[lang]
    assert not [c for c in rendered.cells if other in c.metadata.get("tags", [])]
    kept = [c for c in source.cells if other not in c.metadata.get("tags", [])]
    assert [c.source for c in rendered.cells] == [c.source for c in kept]
    assert any(lang in c.metadata.get("tags", []) for c in rendered.cells)
