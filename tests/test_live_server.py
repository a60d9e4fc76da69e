"""The browser tests' live server (tests/conftest.py's ``live_server``).

Its request threads share the test database's connection (SQLite in memory).
A thread left waiting on a browser's kept-alive connection outlived the
server: when the browser finally closed it, after the server had stopped
sharing the connection, the thread's closing of the connections raised
("DatabaseWrapper objects created in a thread can only be used in that same
thread", a warning pinned on whatever test ran then). So the server answers
one request per connection, and its threads end with their request."""

import http.client
import threading
import time

import pytest


def _request_threads() -> list[threading.Thread]:
    return [
        t
        for t in threading.enumerate()
        if t.name.endswith("(process_request_thread)") and t.is_alive()
    ]


@pytest.mark.django_db(transaction=True)
def test_a_request_thread_ends_with_its_request_although_the_client_keeps_the_connection(
    live_server,
):
    before = set(_request_threads())
    client = http.client.HTTPConnection(
        live_server.thread.host, live_server.thread.port, timeout=10
    )
    try:
        client.request("GET", "/robots.txt")  # HTTP/1.1: the client would keep it
        response = client.getresponse()
        assert response.status == 200
        response.read()
        deadline = time.monotonic() + 5
        while set(_request_threads()) - before and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not set(_request_threads()) - before, "a request thread lingers"
    finally:
        client.close()
