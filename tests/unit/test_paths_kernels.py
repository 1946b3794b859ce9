"""grader.paths discovery and grader.kernels kernelspecs."""

from grader.kernels import kernelspec_of, read_kernels
from grader.paths import discover, kind_of


def test_discover_orders_by_chapter_then_folder_and_ignores_other_names(tmp_path):
    """Are NN_name notebooks found in chapter order, lesson before solution, and others ignored?"""
    lessons, solutions = tmp_path / "notebooks", tmp_path / "solutions"
    for folder, names in ((lessons, ["01_b.ipynb", "00_a.ipynb", "Untitled.ipynb"]), (solutions, ["00_a.ipynb"])):
        folder.mkdir()
        for name in names:
            (folder / name).write_text("{}")
    found = [f"{p.parent.name}/{p.name}" for p in discover((lessons, solutions))]
    assert found == ["notebooks/00_a.ipynb", "solutions/00_a.ipynb", "notebooks/01_b.ipynb"]
    assert [kind_of(p) for p in discover((lessons, solutions))] == ["lesson", "solution", "lesson"]


def test_kernelspecs_point_at_their_environment_and_the_course_matplotlibrc():
    """Does each kernelspec run its own environment's python with the Hangul matplotlibrc?"""
    for kernel in read_kernels().values():
        spec = kernelspec_of(kernel)
        assert spec["argv"][0].endswith(f".venvs/{kernel.env}/bin/python")
        assert spec["env"]["MATPLOTLIBRC"].endswith("grader/matplotlibrc")
    assert kernelspec_of(read_kernels()["course-xla"])["env"]["PJRT_DEVICE"] == "CPU"
