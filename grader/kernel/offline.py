"""Offline guard: refuse network connections except to this machine, so downloads fail loudly.

`course run` and `course grade` set ``COURSE_OFFLINE=1``; every course kernel (and each process it
starts, such as DataLoader workers) then loads :func:`install` through ``grader/kernel/site/sitecustomize.py``.
Loopback and Unix sockets keep working (Jupyter's own channels, debuggers, local servers).
In JupyterLab the variable is unset, so a learner with internet can still opt into a download.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from grader import messages

ENV = "COURSE_OFFLINE"
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""}
_original: dict[str, object] = {}


class OfflineError(OSError):
    """A network connection the course does not allow."""


def _is_local(host: object) -> bool:
    if host is None or isinstance(host, bytes | bytearray):
        host = (host or b"").decode() if isinstance(host, bytes | bytearray) else ""
    host = str(host).strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(target: object) -> None:
    raise OfflineError(messages.one_line("offline.blocked", target=target))


def _check_address(family: int, address: object) -> None:
    if family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and not _is_local(address[0]):
        _refuse(f"{address[0]}:{address[1]}")


def install() -> None:
    """Patch the socket module so only local connections and local name lookups succeed."""
    if _original:
        return
    _original.update(connect=socket.socket.connect, connect_ex=socket.socket.connect_ex,
                     getaddrinfo=socket.getaddrinfo, sendto=socket.socket.sendto)

    def connect(self, address):
        _check_address(self.family, address)
        return _original["connect"](self, address)

    def connect_ex(self, address):
        _check_address(self.family, address)
        return _original["connect_ex"](self, address)

    def sendto(self, data, *args):
        _check_address(self.family, args[-1])
        return _original["sendto"](self, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            _refuse(host)
        return _original["getaddrinfo"](host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = getaddrinfo


def uninstall() -> None:
    """Undo :func:`install`."""
    if not _original:
        return
    socket.socket.connect = _original["connect"]
    socket.socket.connect_ex = _original["connect_ex"]
    socket.socket.sendto = _original["sendto"]
    socket.getaddrinfo = _original["getaddrinfo"]
    _original.clear()


@contextmanager
def offline() -> Iterator[None]:
    """Run a block with the guard installed (and ``COURSE_OFFLINE=1`` for processes it starts)."""
    before = os.environ.get(ENV)
    os.environ[ENV] = "1"
    install()
    try:
        yield
    finally:
        uninstall()
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before
