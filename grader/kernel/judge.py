"""The judge: runs a submission's cells in a plain Python process and decides each test itself.

``course grade`` starts this module (inside the sandbox, under the OS limits) instead of a Jupyter
kernel, and sends it the prepared notebook on standard input. The learner's code can do anything a
Python program can, so the judge does not trust what the process *says* about itself; it decides
from what it controls before any learner code runs:

* **No IPython.** Cells run through :func:`exec`; the judge catches every failure itself. There is
  no custom exception handler, input transformer, event hook or ``sys.excepthook`` to rewrite, and
  ``get_ipython()`` in an answer is reported as tampering.
* **A trusted namespace.** The instructor's setup cells (imports, the check helpers, given data)
  run first, in a namespace of their own. Test cells run with those names on top of the learner's,
  so an answer that rebinds ``check_close`` or ``torch`` changes nothing for the tests, while an
  honest answer that defines its own ``check`` keeps using its own.
* **An integrity baseline** taken before the first learner cell: every module in ``sys.modules``
  and its functions, classes and submodules; the code, defaults and closures of the course's and
  the setup's functions; the methods of the classes tests rely on (``torch.Tensor``,
  ``nn.Module``, mocks); trace, profile and signal hooks; the import machinery. It is compared after
  every cell: a difference is tampering.
* **An audit hook** (:func:`sys.addaudithook`, which no Python code can remove) that sees the
  learner's code reach for what an attacker needs to rewrite the judge in memory: stack frames,
  ``gc`` object walks, ``ctypes``, trace functions, other audit hooks, another function's code,
  ``/proc/*/mem``; and the creation of ``unittest.mock`` objects.
* **An authenticated channel.** Each verdict goes to the grader over its own pipe, signed with a
  key that arrived on standard input before any learner code ran; a line that does not verify is
  itself tampering.

* **Held-out checks** (:mod:`grader.kernel.heldout`): a test cell's ``check_held_out_accuracy`` raises an
  audit event with its predictions, and the judge sends them with that cell's verdict; the grader,
  outside the sandbox that hides the labels, decides. Claims are heard even while the hook is busy, at
  most two a cell are kept (two already fail it).

A part whose test ran after tampering scores 0 (``course grade`` marks it ``tampered``). What an
attacker inside this process could still try is listed in README ("What grading enforces").
"""

from __future__ import annotations

import ast
import builtins
import hmac
import io
import json
import linecache
import marshal
import os
import signal
import sys
import threading
import time
import traceback
import types

from grader.kernel import heldout

#: The audit event of a held-out check, read once before any learner code runs.
_HELD_OUT = heldout.EVENT
#: Code object file names: learner cells, test cells. The grader reads them back in tracebacks.
LEARNER, TEST = "<answer-cell-{}>", "<test-cell-{}>"
#: Audit events that reach into the interpreter's own state; flagged when the learner's code asks.
_INTROSPECTION = {"sys._getframe", "sys._current_frames", "gc.get_objects", "gc.get_referrers",
                  "gc.get_referents", "sys.settrace", "sys.setprofile", "sys.addaudithook"}
_FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"}
#: Library functions that only hand a frame or memory to their caller: the caller is who asked.
_RELAYS = ("inspect.py", "traceback.py", os.path.join("ctypes", "__init__.py"), os.path.join("logging", "__init__.py"))


# --- the channel ----------------------------------------------------------------------------------

def _mac(key: bytes):
    """An HMAC-SHA256 object of the C library (its type cannot be patched from Python)."""
    import _hashlib

    return _hashlib.hmac_new(key, b"", "sha256")


def sign(key: bytes, seq: int, body: str) -> str:
    """The MAC of one message: HMAC-SHA256 over its sequence number and body."""
    mac = _mac(key)
    mac.update(f"{seq}\n{body}".encode())
    return mac.hexdigest()


def verify(key: bytes, lines: list[bytes]) -> tuple[list[dict], str | None]:
    """Return the messages of `lines` that verify, in order, and why reading stopped early (or None).

    A body is the hex of ``marshal.dumps(message)``; it is decoded only once its MAC verifies.
    """
    messages: list[dict] = []
    for seq, raw in enumerate(lines):
        mac, _, body = raw.decode("utf-8", "replace").partition(" ")
        if not hmac.compare_digest(mac, sign(key, seq, body)):
            return messages, f"message {seq} does not verify"
        try:
            messages.append(marshal.loads(bytes.fromhex(body)))
        except (ValueError, EOFError, TypeError):
            return messages, f"message {seq} does not decode"
    return messages, None


class _Channel:
    """Signed messages to the grader. Everything it calls is bound when it is made, before any learner
    code runs, and is C code (``marshal``, ``_hashlib``, ``os.write``): patching a module later changes
    nothing here."""

    def __init__(self, fd: int, key: bytes) -> None:
        self._template, self._fd, self._seq = _mac(key), fd, 0
        self._write, self._dumps = os.write, marshal.dumps

    def send(self, message: dict) -> None:
        body = self._dumps(message, 4).hex()
        mac = self._template.copy()
        mac.update(f"{self._seq}\n{body}".encode())
        data = f"{mac.hexdigest()} {body}\n".encode()
        self._seq += 1
        while data:
            data = data[self._write(self._fd, data):]


# --- the integrity baseline ------------------------------------------------------------------------

#: Class attributes that the interpreter or pickle fill in on their own.
_CLASS_CACHES = frozenset({"__doc__", "__weakref__", "__dict__", "__slotnames__", "__abstractmethods__", "_abc_impl",
                           "__annotations__"})


def _code_state(func: types.FunctionType) -> tuple:
    cells = tuple(id(c.cell_contents) if _filled(c) else None for c in (func.__closure__ or ()))
    return (id(func.__code__), id(func.__defaults__), repr(func.__kwdefaults__), id(func.__globals__), cells)


def _wraps(new: object, old: object, is_learner_code) -> bool:
    """Whether `new` is a library's wrapper around `old` (functools.wraps), with no learner code on the way."""
    for _ in range(4):
        code = getattr(new, "__code__", None)
        if code is not None and is_learner_code(code):
            return False
        new = getattr(new, "__wrapped__", None)
        if new is None:
            return False
        if new is old:
            return True
    return False


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 - an empty cell raises
        return True
    except ValueError:
        return False


class Baseline:
    """What must not change once the learner's code runs (see the module docstring)."""

    def __init__(self, trusted: dict, watched_classes: list[type]) -> None:
        self.modules = dict(sys.modules)
        self.attributes = {name: self._attributes(module) for name, module in self.modules.items()}
        functions = [v for v in trusted.values() if type(v) is types.FunctionType]
        # the setup's own classes (a library class imported there may be patched by its library)
        classes = [v for v in trusted.values() if issubclass(type(v), type) and v.__module__ == trusted["__name__"]]
        classes += watched_classes
        for name, module in self.modules.items():
            if name == "grader" or name.startswith("grader."):
                functions += [v for v in vars(module).values() if type(v) is types.FunctionType]
                classes += [v for v in vars(module).values() if issubclass(type(v), type)]
        for cls in list(classes):
            functions += [v for v in vars(cls).values() if type(v) is types.FunctionType]
        self.functions = {id(f): (f, _code_state(f)) for f in functions}
        self.classes = {id(c): (c, self._class_state(c)) for c in classes}
        self.hooks = self._hooks()

    @staticmethod
    def _attributes(module: object) -> dict[str, object]:
        try:
            items = list(vars(module).items())
        except TypeError:
            return {}
        return {k: v for k, v in items if callable(v) or issubclass(type(v), types.ModuleType)}

    @staticmethod
    def _class_state(cls: type) -> dict[str, int]:
        return {k: id(v) for k, v in list(vars(cls).items()) if k not in _CLASS_CACHES}

    @staticmethod
    def _hooks() -> dict[str, int]:
        return {"sys.settrace": id(sys.gettrace()), "sys.setprofile": id(sys.getprofile()),
                "threading.settrace": id(getattr(threading, "_trace_hook", None)),
                "threading.setprofile": id(getattr(threading, "_profile_hook", None)),
                "signal SIGALRM": id(signal.getsignal(signal.SIGALRM)),
                "signal SIGINT": id(signal.getsignal(signal.SIGINT)),
                "sys.meta_path": hash(tuple(id(x) for x in sys.meta_path)),
                "sys.path_hooks": hash(tuple(id(x) for x in sys.path_hooks)),
                "builtins.__import__": id(builtins.__import__)}

    def differences(self, is_learner_code=lambda code: False) -> list[str]:  # noqa: ARG005 - the default watches nothing
        """What changed since the baseline, as short English names (empty when nothing did).

        A library may wrap one of its own functions the first time it is imported (``torch._dynamo``
        wraps ``torch.manual_seed``): a replacement that is not the learner's code and whose
        ``__wrapped__`` chain leads to the original is not a change.
        """
        found = []
        for name, module in self.modules.items():
            now = sys.modules.get(name)
            if now is not module:
                found.append(f"sys.modules[{name!r}]")
                continue
            before = self.attributes[name]
            if not before:
                continue
            now_items = vars(module)
            for k, old in before.items():
                new = now_items.get(k)
                if new is not old and not _wraps(new, old, is_learner_code):
                    found.append(f"{name}.{k}")
        for func, state in self.functions.values():
            if _code_state(func) != state:
                found.append(f"{getattr(func, '__module__', '?')}.{func.__qualname__} (code)")
        for cls, state in self.classes.values():
            now_state = self._class_state(cls)
            if now_state != state:
                changed = sorted(set(state) ^ set(now_state) | {k for k, i in state.items() if now_state.get(k) != i})
                found.append(f"{cls.__module__}.{cls.__qualname__}.{'/'.join(changed[:3])}")
        now = self._hooks()
        found += [k for k, v in self.hooks.items() if now[k] != v]
        return found


# --- the judge -------------------------------------------------------------------------------------

#: What the learner's namespace gets in place of IPython's ``get_ipython`` and ``display``, and what
#: replaces ``unittest.mock``'s constructor. They live in globals of their own (nothing of the judge is
#: reachable through them) and report through :func:`sys.audit`, which the judge's hook hears.
_STUBS = """
def get_ipython():
    _audit("course.tampering", "get_ipython()")
    raise RuntimeError("IPython is not available while grading / 채점 중에는 IPython을 쓸 수 없습니다")

def display(*objects, **kwargs):
    print(*objects)

def mock_new(original):
    def __new__(cls, *args, **kwargs):
        _audit("course.mock")
        return original(cls, *args, **kwargs)
    return staticmethod(__new__)
"""


def _stubs() -> dict:
    namespace = {"_audit": sys.audit, "__builtins__": builtins, "__name__": "course_stubs"}
    exec(compile(_STUBS, "<course-stubs>", "exec"), namespace)  # noqa: S102
    return namespace


class Judge:
    """Runs one prepared notebook (see :func:`main` for the job's format) and reports every cell."""

    def __init__(self, job: dict, channel: _Channel) -> None:
        self.job, self.channel = job, channel
        from grader.budget import CELL_TIMEOUT_S

        self.cell_timeout_s = float(job.get("cell_timeout_s", CELL_TIMEOUT_S))
        self.output_left = int(job.get("output_limit", 1_000_000))  # characters of output still kept
        self.tampering: list[str] = []
        self.learner_codes: set[int] = set()
        self.learner_files: set[str] = set()
        self._keep: list[object] = []  # learner code objects, kept alive so their ids stay theirs
        self._busy = False
        self.phase = "setup"
        self.protected: dict[int, object] = {}  # the baseline's functions, by id
        self.timeout_text = "cell timeout"
        self.claims: list[tuple] = []  # the held-out checks' predictions, of the cell now running

    # -- running code --
    def _exec(self, source: str, namespace: dict, filename: str) -> tuple[list[dict], dict | None]:
        """Run `source`; return (outputs, error) in nbformat's shapes. Never raises."""
        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        error, result = None, None
        sys.stdout, sys.stderr = out, err
        started = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, self.cell_timeout_s)
        try:
            if not filename.startswith("<test-cell-hidden"):  # hidden tests never show their lines
                linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            written = _writefile(source)
            if written is not None:  # a %%writefile cell: the one IPython magic the judge runs itself
                path, mode, text = written
                if filename.startswith("<answer"):  # code imported from this file later is the answer's
                    self.learner_files.update({os.path.abspath(path), os.path.realpath(path)})
                print(("Appending to " if mode == "a" else "Overwriting " if os.path.exists(path) else "Writing ")
                      + path)
                with open(path, mode, encoding="utf-8") as handle:
                    handle.write(text)
            else:
                body, last = _split_last_expression(source, filename)
                if filename.startswith("<answer"):
                    for code in (body, last):
                        if code is not None:
                            self._mark_learner(code)
                exec(body, namespace)  # noqa: S102 - running the notebook is the job
                if last is not None:
                    value = eval(last, namespace)  # noqa: S307
                    if value is not None:
                        result = repr(value)[:10_000]
        except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt are failures too
            error = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = saved
        outputs = []
        for name, stream in (("stdout", out), ("stderr", err)):
            text = stream.getvalue()
            kept, self.output_left = text[: max(self.output_left, 0)], self.output_left - len(text)
            if kept:
                outputs.append({"output_type": "stream", "name": name, "text": kept})
        if result is not None:
            outputs.append({"output_type": "execute_result", "execution_count": None, "metadata": {},
                            "data": {"text/plain": result}})
        if type(error) is KeyboardInterrupt and time.monotonic() - started >= self.cell_timeout_s - 0.05:
            return outputs, {"output_type": "error", "ename": "TimeoutError", "evalue": self.timeout_text,
                             "traceback": []}
        if error is None:
            return outputs, None
        report = self._error(error)
        if filename.startswith("<test-cell-hidden"):
            report["line"] = _line_in(error, filename)  # which check failed; the grader shows only its requirement
        return outputs, report

    def _error(self, exc: BaseException) -> dict:
        try:
            text = "".join(traceback.format_exception(exc))[-20_000:]
            evalue = str(exc)[:5_000]
        except BaseException as failure:  # noqa: BLE001 - a hostile __str__ must not stop the judge
            text, evalue = "", f"<unprintable {type(failure).__name__}>"
        return {"output_type": "error", "ename": type(exc).__name__, "evalue": evalue,
                "traceback": text.splitlines()}

    def _mark_learner(self, code: types.CodeType) -> None:
        stack = [code]
        while stack:
            one = stack.pop()
            self.learner_codes.add(id(one))
            self._keep.append(one)
            stack += [c for c in one.co_consts if type(c) is types.CodeType]

    # -- the audit hook --
    def _learner_code(self, code: types.CodeType) -> bool:
        """Whether `code` came from an answer cell, or from code an answer compiled itself."""
        return id(code) in self.learner_codes or code.co_filename in self.learner_files

    def _is_learner(self, frame: types.FrameType | None) -> bool:
        for _ in range(4):  # a relay (inspect.currentframe, ctypes.string_at ...) acts for its caller
            if frame is None:
                return False
            code = frame.f_code
            if self._learner_code(code):
                return True
            if not code.co_filename.endswith(_RELAYS):
                return False
            frame = frame.f_back
        return False

    def audit(self, event: str, args: tuple) -> None:
        if event == _HELD_OUT:  # before the busy flag: a test's claim is never dropped, whatever else runs
            if self.phase == "learner" and len(self.claims) < 2:  # two already fail the cell
                well_formed = (len(args) == 2 and type(args[0]) is str and type(args[1]) is bytes
                               and len(args[1]) <= 1_000_000)
                self.claims.append(tuple(args) if well_formed else ("?", b""))
            return
        if self._busy or self.phase != "learner":
            return
        if event == "course.tampering":
            self.flag(str(args[0]) if args else event)
            return
        if event == "course.mock":
            self._busy = True
            try:
                if self._is_learner(sys._getframe(2)):  # the answer made it, not a library it called
                    self.flag("unittest.mock")
            finally:
                self._busy = False
            return
        watched = (event in _INTROSPECTION or event.startswith("ctypes.") or event in ("exec", "compile", "open")
                   or (event == "object.__getattr__" and len(args) > 1 and args[1] in _FRAME_ATTRIBUTES)
                   or (event == "object.__setattr__" and len(args) > 1 and args[1] in ("__code__", "__defaults__",
                                                                                       "__kwdefaults__")))
        if not watched:
            return
        self._busy = True
        try:
            if event == "open":
                path = str(args[0]) if args else ""
                if path.startswith("/proc/") and path.endswith("/mem"):  # writing it rewrites the judge's code
                    self.flag(f"open({path!r})")
                return
            frame = sys._getframe(1)
            learner = self._is_learner(frame)
            if event == "exec" and learner and args and type(args[0]) is types.CodeType:
                self._mark_learner(args[0])  # code the answer compiled itself is the answer's
            elif event == "compile" and learner and len(args) > 1:
                self.learner_files.add(str(args[1]))
            elif event == "object.__setattr__":
                if id(args[0]) in self.protected:  # caught as it happens, even if put back before a check
                    self.flag(f"{getattr(args[0], '__qualname__', '?')}.{args[1]} =")
            elif learner and event not in ("exec", "compile"):
                what = args[1] if event == "object.__getattr__" else event
                self.flag(str(what))
        finally:
            self._busy = False

    def flag(self, what: str) -> None:
        if len(self.tampering) < 20:
            self.tampering.append(what)

    def _mock_guard(self, stubs: dict) -> list[type]:
        """Report every unittest.mock object the answer creates; return the classes to watch."""
        try:
            from unittest import mock
        except ImportError:
            return []
        mock.NonCallableMock.__new__ = stubs["mock_new"](mock.NonCallableMock.__new__)
        return [mock.NonCallableMock, mock.NonCallableMagicMock, mock.MagicMixin]

    # -- the run --
    def run(self) -> None:
        self.phase = "setup"
        trusted: dict = {"__name__": "__course_tests__", "__builtins__": builtins}
        setup_outputs: list[tuple[list[dict], dict | None, dict]] = []
        for k, source in enumerate(self.job["setup"]):
            before = dict(trusted)
            outputs, error = self._exec(source, trusted, f"<setup-cell-{k}>")
            bound = {k: v for k, v in trusted.items() if k not in before or before[k] is not v}
            setup_outputs.append((outputs, error, bound))
        learner_module = types.ModuleType("__main__")
        learner = learner_module.__dict__
        stubs = _stubs()
        learner["get_ipython"], learner["display"] = stubs["get_ipython"], stubs["display"]
        sys.modules["__main__"] = learner_module  # pickle finds the learner's classes where Jupyter keeps them
        watched = self._mock_guard(stubs) + _watched_classes()
        baseline = Baseline(trusted, watched)
        self.protected = baseline.functions
        sys.addaudithook(self.audit)
        self.channel.send({"ready": True})
        tests: dict = {}
        self.phase = "learner"
        for cell in self.job["cells"]:
            index, role = cell["index"], cell["role"]
            self.claims = []
            if role == "learner" and cell.get("setup") is not None:
                outputs, error, bound = setup_outputs[cell["setup"]]
                learner.update(bound)  # the instructor's cell, unchanged: it already ran
            elif role == "learner":
                outputs, error = self._exec(cell["source"], learner, LEARNER.format(index))
            else:
                namespace = {**learner, **trusted, **tests}
                before = dict(namespace)
                name = TEST.format(f"hidden-{index}" if cell.get("hidden") else index)
                outputs, error = self._exec(cell["source"], namespace, name)
                made = {k: v for k, v in namespace.items() if k not in before or before[k] is not v}
                tests.update(made)
                learner.update(made)
                self.flag_names(namespace, trusted, cell["source"])
            if role == "test":  # the whole comparison before each verdict; the audit hook sees the rest at once
                self.check(baseline)
            self.channel.send({"cell": index, "outputs": outputs, "error": error,
                               "tampering": list(self.tampering), "held_out": list(self.claims)})
        self.check(baseline)
        self.phase = "done"
        self.channel.send({"done": True, "truncated": self.output_left < 0, "tampering": list(self.tampering)})

    def check(self, baseline: Baseline) -> None:
        for what in baseline.differences(self._learner_code):
            self.flag(what)

    def flag_names(self, namespace: dict, trusted: dict, source: str) -> None:
        """The helpers a test ran with must still be the instructor's afterwards, unless the test itself
        rebound the name: otherwise something reached into the test's own namespace while it ran."""
        rebound = _bound_names(source)
        for name, value in trusted.items():
            if (namespace.get(name) is not value and name not in rebound and not name.startswith("_")
                    and (callable(value) or issubclass(type(value), types.ModuleType))):
                self.flag(f"the test's {name}")


def _bound_names(source: str) -> set[str]:
    """Every name a cell's code assigns, imports or defines (at any depth)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def _watched_classes() -> list[type]:
    """The classes whose methods tests lean on: tensors, modules, parameters, sizes."""
    try:
        import torch
    except ImportError:
        return []
    found: list[type] = [torch.Tensor, torch.nn.Module, torch.nn.Parameter, torch.Size]
    base = getattr(torch._C, "TensorBase", None) or getattr(torch._C, "_TensorBase", None)
    return found + ([base] if issubclass(type(base), type) else [])


def _line_in(exc: BaseException, filename: str) -> int | None:
    """The line of `filename` (a cell) where `exc` left it, as its traceback says; None if it never ran there."""
    line, tb = None, exc.__traceback__
    for _ in range(1000):
        if tb is None:
            break
        if type(tb) is not types.TracebackType:
            return None
        if tb.tb_frame.f_code.co_filename == filename and type(tb.tb_lineno) is int:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _writefile(source: str) -> tuple[str, str, str] | None:
    """``(path, "w" or "a", text)`` for a ``%%writefile [-a] PATH`` cell, as IPython writes it; None for other cells.

    The judge has no IPython, so a cell magic would be a syntax error; this one is how a learner writes a
    file of a project (chapter 14), and it does nothing Python's ``open`` could not do in the sandbox.
    """
    first, _, text = source.partition("\n")
    words = first.split()
    if not words or words[0] != "%%writefile":
        return None
    import shlex

    try:
        args = shlex.split(first)[1:]
    except ValueError as error:
        raise SyntaxError(f"%%writefile: {error}") from None
    mode = "w"
    if args and args[0] in ("-a", "--append"):
        mode, args = "a", args[1:]
    if len(args) != 1:
        raise SyntaxError("usage: %%writefile [-a] PATH")
    return os.path.expanduser(args[0]), mode, text if text.endswith("\n") or not text else text + "\n"


def _split_last_expression(source: str, filename: str) -> tuple[types.CodeType, types.CodeType | None]:
    """Compile a cell like IPython does: the value of a last bare expression is shown."""
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def _no_core_access() -> None:
    """Make this process non-dumpable: no other process (a child the answer starts) may read or write its memory."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


def main(fd: int) -> None:
    """Read ``<key hex>\\n<job JSON>`` from standard input, run it, report on the pipe `fd`.

    The job: ``{"setup": [instructor's setup cell sources], "cells": [{"index", "role", "source",
    "setup"}], "cell_timeout_s", "output_limit"}`` where ``role`` is ``learner`` (answer and other
    cells, run in the learner's namespace; ``setup`` names the instructor's setup cell it is an
    unchanged copy of) or ``test`` (visible or hidden tests).
    """
    data = sys.stdin.buffer.read()
    sys.stdin.close()
    os.close(0)
    key_hex, _, job = data.partition(b"\n")
    channel = _Channel(fd, bytes.fromhex(key_hex.decode()))
    del data, key_hex
    _no_core_access()

    from grader import messages

    job = json.loads(job)
    judge = Judge(job, channel)
    judge.timeout_text = messages.one_line("grade.cell_timeout", seconds=int(judge.cell_timeout_s))
    # A cell's timer raises KeyboardInterrupt through a handler of C code; _exec tells a timeout by the clock.
    signal.signal(signal.SIGALRM, signal.default_int_handler)
    # Nothing of the judge stays reachable by name: `import grader.kernel.judge` in an answer loads a fresh copy.
    sys.modules.pop(__name__, None)
    parent, _, leaf = __name__.rpartition(".")
    package = sys.modules.get(parent)
    if package is not None and getattr(package, leaf, None) is not None:
        delattr(package, leaf)
    judge.run()
    sys.stdout.flush()
    os._exit(0)  # no atexit handler or finalizer of the learner's runs after the last verdict
