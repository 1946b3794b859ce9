"""grader.website: executed outputs joined to the current prose, static progress bars, refusals."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from grader.errors import UsageError
from grader.website import WIDGET_STATE, WIDGET_VIEW, executed_lesson, index_markdown, static_widgets
from tests.factory import md, notebook


def tqdm_bar_notebook():
    """A notebook whose one output is tqdm's widget, with the state a papermill run stores."""
    cell = new_code_cell("for _ in tqdm(range(20)): pass")
    cell.outputs = [new_output("display_data", data={WIDGET_VIEW: {"model_id": "box"}, "text/plain": "  0%|"})]
    nb = notebook(cell)
    state = {
        "box": {"model_name": "HBoxModel",
                "state": {"children": ["IPY_MODEL_left", "IPY_MODEL_bar", "IPY_MODEL_right"]}},
        "left": {"model_name": "HTMLModel", "state": {"value": "epochs: 100%"}},
        "bar": {"model_name": "FloatProgressModel", "state": {"value": 20, "min": 0, "max": 20}},
        "right": {"model_name": "HTMLModel", "state": {"value": "20/20 [00:01&lt;00:00]"}},
    }
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": state}}
    return nb


def test_tqdm_bar_is_drawn_as_it_ended():
    nb = static_widgets(tqdm_bar_notebook())
    data = nb.cells[0].outputs[0].data
    assert WIDGET_VIEW not in data and "widgets" not in nb.metadata
    html = data["text/html"]
    assert '<progress value="20" max="20">' in html
    assert "epochs: 100%" in html and "20/20 [00:01&lt;00:00]" in html  # escaped once, not twice


def test_widget_values_cannot_become_markup():
    """A saved state is data: a value that looks like HTML is shown as text, in an attribute or in a span."""
    nb = tqdm_bar_notebook()
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    state["bar"]["state"]["max"] = '20"><script>alert(1)</script>'
    state["left"]["state"]["value"] = "<img src=x onerror=alert(1)>"
    html = static_widgets(nb).cells[0].outputs[0].data["text/html"]
    assert "<script" not in html and "<img" not in html and "&lt;img src=x" in html


def test_unknown_widget_keeps_its_text_fallback():
    nb = tqdm_bar_notebook()
    nb.metadata["widgets"][WIDGET_STATE]["state"]["box"]["model_name"] = "SliderModel"
    data = static_widgets(nb).cells[0].outputs[0].data
    assert "text/html" not in data and data["text/plain"] == "  0%|"


def write_pair(tmp_path, source_code: str, ran_code: str, *, failed: bool = False):
    source = notebook(md("# 00. 제목", "ko"), md("# 00. Title", "en"), new_code_cell(source_code))
    ran = nbformat.from_dict(source)
    ran.cells[2].source = ran_code
    ran.cells[2].outputs = [new_output("stream", name="stdout", text="42\n")]
    if failed:
        ran.metadata["papermill"] = {"exception": True}
    (tmp_path / "notebooks").mkdir(exist_ok=True)
    (tmp_path / "build").mkdir(exist_ok=True)
    nbformat.write(source, tmp_path / "notebooks" / "00_demo.ipynb")
    nbformat.write(ran, tmp_path / "build" / "00_demo.ipynb")
    return tmp_path / "notebooks" / "00_demo.ipynb", tmp_path / "build"


def test_outputs_join_the_current_prose(tmp_path):
    source, executed = write_pair(tmp_path, "print(42)", "print(42)")
    nb = executed_lesson(source, executed)
    assert nb.cells[2].outputs[0].text == "42\n"


@pytest.mark.parametrize(("ran_code", "failed", "key"), [
    ("print(41)", False, "site.stale"),
    ("print(42)", True, "site.failed"),
])
def test_stale_or_failed_runs_are_refused(tmp_path, ran_code, failed, key):
    source, executed = write_pair(tmp_path, "print(42)", ran_code, failed=failed)
    with pytest.raises(UsageError) as err:
        executed_lesson(source, executed)
    assert err.value.key == key


def test_missing_run_is_refused(tmp_path):
    source, executed = write_pair(tmp_path, "print(42)", "print(42)")
    (executed / "00_demo.ipynb").unlink()
    with pytest.raises(UsageError, match="make course"):
        executed_lesson(source, executed)


def test_index_lists_lessons_and_exercises(tmp_path):
    root = tmp_path / "en"
    lesson, exercise = root / "notebooks" / "00_demo.ipynb", root / "exercises" / "00_demo.ipynb"
    for path, title in ((lesson, "# 00. Setup"), (exercise, "# 00. Exercise")):
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook(md(title, "en")), path)
    text = index_markdown("en", [(lesson, exercise)], root)
    assert "| 00 | [00. Setup](notebooks/00_demo.ipynb) | [00. Exercise](exercises/00_demo.ipynb) |" in text
    assert "notebooks/00_demo\n```" in text and "exercises/00_demo\n```" in text


def test_code_cells_are_highlighted_as_ipython(tmp_path):
    """Are code cells lexed as IPython? A `!` shell line (as in 14_project) is an error token to the python
    lexer, and Sphinx's warning about it fails the site's build."""
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Error

    line = '!"{sys.executable}" new_project.py "{PROJECT}"'
    source, executed = write_pair(tmp_path, line, line)
    lexer = executed_lesson(source, executed).metadata.language_info.pygments_lexer
    assert lexer == "ipython3"
    assert not any(kind in Error for kind, _ in get_lexer_by_name(lexer).get_tokens(line))
    assert any(kind in Error for kind, _ in get_lexer_by_name("python").get_tokens(line))
