"""grader.kernel.offline: only local connections while the guard is on."""

import socket
import threading

import pytest

from grader.kernel.offline import OfflineError, offline


def test_remote_lookups_and_connections_are_refused_with_a_bilingual_error():
    """Are a DNS lookup and a connection to a public address both refused, in both languages?"""
    with offline():
        with pytest.raises(OfflineError, match="네트워크.*network access is blocked"):
            socket.getaddrinfo("pypi.org", 443)
        with pytest.raises(OfflineError):
            socket.create_connection(("8.8.8.8", 53), timeout=1)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(OfflineError):
            udp.sendto(b"x", ("1.1.1.1", 53))


@pytest.mark.parametrize(("family", "address"), [(socket.AF_INET, ("8.8.8.8", 53)),
                                                 (socket.AF_INET6, ("2001:4860:4860::8888", 53, 0, 0))])
@pytest.mark.parametrize("method", ["connect", "connect_ex"])
def test_a_socket_connecting_by_number_is_refused_before_it_leaves(family, address, method):
    """connect/connect_ex with a numeric address never asks the resolver: the socket methods themselves refuse."""
    with offline(), socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        with pytest.raises(OfflineError, match="network access is blocked"):
            getattr(sock, method)(address)


def test_loopback_still_works_and_the_guard_comes_off():
    """Does a local server still answer under the guard, and is socket restored afterwards?"""
    original = socket.getaddrinfo
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        accepter = threading.Thread(target=lambda: server.accept()[0].close(), daemon=True)
        accepter.start()
        with offline():
            socket.create_connection(("localhost", port), timeout=5).close()
        accepter.join(timeout=10)  # the server socket must outlive accept(), even on a busy machine
    assert socket.getaddrinfo is original
