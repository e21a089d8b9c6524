import socket

import pytest


def test_socket_connect_is_refused_in_tests() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(RuntimeError, match="network access"):
        s.sendto(b"x", ("192.0.2.1", 53))
    with pytest.raises(RuntimeError, match="network access"):
        socket.create_connection(("192.0.2.1", 53))


def test_public_names_are_not_resolved_in_tests() -> None:
    with pytest.raises(RuntimeError, match="network access"):
        socket.getaddrinfo("example.com", 53)


def test_loopback_servers_started_by_tests_are_reachable() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            peer, _ = server.accept()
            with peer:
                client.sendall(b"ping")
                assert peer.recv(4) == b"ping"
