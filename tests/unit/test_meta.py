"""grader.meta: metadata.course with defaults by kind."""

import pytest

from grader.errors import MetadataError
from grader.meta import read_meta
from tests.factory import notebook


def test_defaults_depend_on_the_folder(tmp_path):
    """Do lessons get 90 s and solutions 45 s when no budget is given?"""
    nb = notebook(course={"schema_version": 1})
    assert read_meta(nb, tmp_path / "notebooks" / "01_x.ipynb").budget_s == 90
    assert read_meta(nb, tmp_path / "solutions" / "01_x.ipynb").budget_s == 45


@pytest.mark.parametrize("course", [{"budget": 10}, {"budget_s": "fast"}, {"budget_s": -1}, {"gpu": "required"},
                                    {"schema_version": 9}, {"budget_s": True}, {"budget_s": 3601}])
def test_bad_course_metadata_is_an_error(tmp_path, course):
    """Is a typo or a bad value an error rather than a silent default?"""
    with pytest.raises(MetadataError):
        read_meta(notebook(course=course), tmp_path / "notebooks" / "01_x.ipynb")


def test_missing_kernelspec_is_an_error(tmp_path):
    """Is a notebook without a kernelspec rejected?"""
    nb = notebook()
    del nb.metadata["kernelspec"]
    with pytest.raises(MetadataError, match="kernelspec"):
        read_meta(nb, tmp_path / "notebooks" / "01_x.ipynb")
