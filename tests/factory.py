"""In-memory builders for course notebooks (and a TLS certificate for the hub), used by the tests."""

from __future__ import annotations

from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "course-main", "display_name": "PyTorch 2.14 (course)", "language": "python"}


def md(text: str, lang: str) -> NotebookNode:
    """A markdown cell tagged with its language."""
    return new_markdown_cell(text, metadata={"tags": [lang]})


def confirmed(ko: NotebookNode, en: NotebookNode) -> tuple[NotebookNode, NotebookNode]:
    """A ko/en pair whose translation is recorded as confirmed (what `course confirm` writes)."""
    from grader.translation import KEY, fingerprint

    ko.metadata["course"] = {KEY: fingerprint(en.source)}
    return ko, en


def answer(grade_id: str, source: str) -> NotebookNode:
    """An nbgrader answer cell."""
    meta = {"grade": False, "solution": True, "locked": False, "grade_id": grade_id, "schema_version": 3}
    return new_code_cell(source, metadata={"nbgrader": meta})


def graded_cell(grade_id: str, source: str, points: float = 1) -> NotebookNode:
    """An nbgrader test cell (autograded, locked)."""
    meta = {"grade": True, "solution": False, "locked": True, "points": points, "grade_id": grade_id,
            "schema_version": 3}
    return new_code_cell(source, metadata={"nbgrader": meta})


def notebook(*cells: NotebookNode, course: dict | None = None) -> NotebookNode:
    """A clean course notebook with the given cells."""
    nb = new_notebook(cells=list(cells), metadata={
        "kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"},
        "course": course if course is not None else {"schema_version": 1, "budget_s": 30},
    })
    return nb


def demo_solution(budget_s: float = 30) -> NotebookNode:
    """A four-part exercise that needs no torch, so its kernel starts in about a second."""
    parts = []
    for name, body, ok, hidden in [
        ("add", "return a + b", "check_equal(add(1, 2), 3, name='add(1, 2)')", "check_equal(add(-1, 1), 0)"),
        ("double", "return [2 * x for x in xs]", "check_equal(double([1]), [2])", "check_equal(double([]), [])"),
        ("square", "return x * x", "check_equal(square(3), 9)",
         "check_equal(square(-2), 4, name='square(음수) / square(a negative number)')"),
        ("greet", "return f'hi {name}'", "check_equal(greet('a'), 'hi a')", "check_equal(greet(''), 'hi ')"),
    ]:
        arg = {"add": "a, b", "double": "xs", "square": "x", "greet": "name"}[name]
        parts += [
            md(f"## {name}: 함수를 작성하세요", "ko"), md(f"## {name}: write the function", "en"),
            answer(f"{name}_answer", f"def {name}({arg}):\n    ### BEGIN SOLUTION\n    {body}\n    ### END SOLUTION"),
            graded_cell(f"{name}_tests", points=2, source=f"{ok}\nvisible_checks_passed()\n"
                        f"### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"),
        ]
    return notebook(
        md("# 99. 연습 문제", "ko"), md("# 99. Exercise", "en"),
        new_code_cell("from grader.asserts import check_equal, visible_checks_passed"),
        *parts,
        course={"schema_version": 1, "budget_s": budget_s},
    )


def self_signed(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """Write a self-signed certificate for `host` (an IP address) and its key, as PEM files; return their paths."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "hub.crt", folder / "hub.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path
