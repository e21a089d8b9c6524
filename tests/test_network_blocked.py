import socket

import pytest


def test_socket_connect_is_refused_in_tests() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(RuntimeError, match="network access"):
        s.sendto(b"x", ("192.0.2.1", 53))
    with pytest.raises(RuntimeError, match="network access"):
        socket.create_connection(("192.0.2.1", 53))
