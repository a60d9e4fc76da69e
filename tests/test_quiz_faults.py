# ruff: noqa: F811 (fixtures imported from test_database_outage are parameters here)
"""The one-question-per-page flow under faults, on the production stack
(issue 22, item 4: "Back, reload and a second tab are safe"; the quality bar:
faults stopped mid-test, never a 500, nothing lost). gunicorn with the
production settings and its own redis-server, on a PostgreSQL cluster of the
module's own (tests/pg_cluster.py); Redis is killed, PostgreSQL stopped, while
visitors (each with a cookie jar of its own, no JavaScript) are half-way
through the questionnaire. Skipped, with the reason, where PostgreSQL's server
binaries or redis-server are missing."""

from __future__ import annotations

import hashlib
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape

import pytest

from .test_database_outage import (  # noqa: F401 - fixtures: the outage tests' cluster
    pg_cluster,
    site,
)
from .test_proxy_stack import _LoopbackIsSecure

# On the worker of test_database_outage.py: they share one seeded cluster.
pytestmark = pytest.mark.xdist_group("database_outage")

QUICK = 5.0  # seconds: an answer, not a hang (gunicorn's timeout is 30)
STEP = re.compile(r"^/quiz/q/([a-z0-9-]+)/$")
RESULT = re.compile(r"^/quiz/results/([0-9a-f-]{36})/$")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r"<input\b[^>]*\bname=\"answer\"[^>]*>")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test follows each redirect itself


class _Answer:
    def __init__(self, status: int, headers, body: str, seconds: float):
        self.status, self.headers, self.body, self.seconds = (
            status,
            headers,
            body,
            seconds,
        )

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path


class _Visitor:
    """A browser without JavaScript, with a cookie jar of its own: it answers
    the questions it is asked, each from its own seed, and keeps what it
    answered."""

    def __init__(self, site, name: str):
        self.origin = site.url
        self.name = name
        self.jar = http.cookiejar.CookieJar(policy=_LoopbackIsSecure())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )
        self.answers: dict[str, int] = {}
        self.pages: list[_Answer] = []  # every answer the site gave, to check

    def open(self, path: str, fields: dict | None = None) -> _Answer:
        url = self.origin + path
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        headers = {"Origin": self.origin, "Referer": url} if data else {}
        request = urllib.request.Request(url, data=data, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=15) as response:
                answer = _Answer(
                    response.status,
                    response.headers,
                    response.read().decode(),
                    time.monotonic() - started,
                )
        except urllib.error.HTTPError as error:
            answer = _Answer(
                error.code,
                error.headers,
                error.read().decode(),
                time.monotonic() - started,
            )
        self.pages.append(answer)
        assert answer.status != 500, f"{self.name} {path}: 500\n{answer.body[:3000]}"
        assert answer.seconds < QUICK, f"{path} took {answer.seconds:.1f} s"
        return answer

    def start(self) -> str:
        """The start page, Start: the first question's key."""
        page = self.open("/quiz/")
        assert page.status == 200, page.body[:2000]
        begun = self.open("/quiz/start/", {"csrfmiddlewaretoken": _csrf(page.body)})
        assert begun.status == 302, begun.body[:2000]
        return _step_key(begun.location)

    def choice(self, key: str, page: str) -> int:
        values = [int(_attribute(tag, "value")) for tag in RADIO.findall(page)]
        assert values, page[:3000]
        digest = hashlib.sha256(f"{self.name}:{key}".encode()).digest()
        return sorted(values)[digest[0] % len(values)]

    def answer(self, key: str, page: str) -> _Answer:
        """Answer the question on ``page`` (its step's GET) and post it."""
        value = self.choice(key, page)
        posted = self.open(
            f"/quiz/q/{key}/",
            {"csrfmiddlewaretoken": _csrf(page), "answer": str(value)},
        )
        if posted.status == 302:
            self.answers[key] = value
        return posted

    def step(self, key: str) -> tuple[_Answer, str | None]:
        """GET the step and answer it: the answer to the post and the next
        key (None at the result or a refusal)."""
        page = self.open(f"/quiz/q/{key}/")
        assert page.status == 200, page.body[:2000]
        posted = self.answer(key, page.body)
        following = STEP.match(posted.location) if posted.status == 302 else None
        return posted, following.group(1) if following else None

    def finish(self, key: str) -> str:
        """Answer from ``key`` on until the result: its address."""
        while True:
            posted, following = self.step(key)
            assert posted.status == 302, posted.body[:2000]
            if following is None:
                assert RESULT.match(posted.location), posted.location
                return posted.location
            key = following


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    assert found, tag
    return unescape(found.group(1))


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found, html[:3000]
    return found.group(1)


def _step_key(path: str) -> str:
    found = STEP.match(path)
    assert found, path
    return found.group(1)


def _checked(page: str) -> int | None:
    for tag in RADIO.findall(page):
        if re.search(r"\bchecked\b", tag):
            return int(_attribute(tag, "value"))
    return None


def _stored_answers(pg_cluster, result_path: str) -> dict[str, int]:
    import psycopg

    pk = RESULT.match(result_path).group(1)
    with psycopg.connect(pg_cluster.url, connect_timeout=3) as conn:
        row = conn.execute(
            "SELECT answers FROM roles_submission WHERE id = %s", (pk,)
        ).fetchone()
    assert row is not None, f"result {pk} was not stored"
    return row[0]


def _assert_no_traceback_flood(site) -> None:
    """No traceback but the cache's own, logged once a minute per worker (2)
    while Redis is away, not per request."""
    lines = site.log_lines()
    traced = [line for line in lines if "Traceback" in str(line)]
    assert all(line["logger"] == "roles.cache" for line in traced), traced[:1]
    assert len(traced) <= 2 * 2, [line["message"] for line in traced]


def _wait_until(check, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "did not recover in time"
        time.sleep(0.2)


def test_redis_killed_mid_flow_every_step_and_the_result_still_work(site, pg_cluster):
    first, second = _Visitor(site, "first"), _Visitor(site, "second")
    keys = {first.name: first.start(), second.name: second.start()}
    for _ in range(2):  # a few answers each, interleaved
        for visitor in (first, second):
            posted, keys[visitor.name] = visitor.step(keys[visitor.name])
            assert posted.status == 302 and keys[visitor.name], posted.location

    site.redis.kill()
    # Each goes on from where it was; a third starts during the outage.
    third = _Visitor(site, "third")
    keys[third.name] = third.start()
    results = {}
    for visitor in (first, second, third):
        results[visitor.name] = visitor.finish(keys[visitor.name])
    for visitor in (first, second, third):
        page = visitor.open(results[visitor.name])
        assert page.status == 200, page.body[:2000]
        assert "Answer more questions" in page.body  # the owner's own result
        assert _stored_answers(pg_cluster, results[visitor.name]) == visitor.answers
    assert len(set(results.values())) == 3
    # None continues from another's result.
    stranger = first.open(results[second.name] + "continue/")
    assert (stranger.status, stranger.location) == (302, "/quiz/")
    assert "Answer more questions" not in first.open(results[second.name]).body

    site.redis.start()
    health = _Visitor(site, "probe")
    _wait_until(lambda: '"status": "ok"' in health.open("/healthz/").body)
    fourth = _Visitor(site, "fourth")
    result = fourth.finish(fourth.start())
    assert fourth.open(result).status == 200
    assert _stored_answers(pg_cluster, result) == fourth.answers
    _assert_no_traceback_flood(site)


def _assert_503(page: _Answer) -> None:
    assert page.status == 503, page.body[:2000]
    assert page.headers["Retry-After"].isdigit()
    assert "Traceback" not in page.body


def test_postgres_stopped_mid_flow_keeps_the_answers_and_finishes_once_back(
    site, pg_cluster
):
    first, second = _Visitor(site, "first"), _Visitor(site, "second")
    visitors = (first, second)
    # The second has taken it before: its session (its results) rides along.
    earlier = second.finish(second.start())
    second.answers = {}
    keys = {first.name: first.start(), second.name: second.start()}
    for _ in range(2):  # a few answers each, interleaved
        for visitor in visitors:
            posted, keys[visitor.name] = visitor.step(keys[visitor.name])
            assert posted.status == 302 and keys[visitor.name], posted.location
    # Each has a question open when the database stops.
    open_pages = {v.name: v.open(f"/quiz/q/{keys[v.name]}/").body for v in visitors}

    pg_cluster.stop()
    # Past the content version mirror's trust (5 s): the database is asked.
    time.sleep(6)
    # The answer on the open page, sent now, is taken: a step needs only the
    # questionnaire, which is cached.
    for visitor in visitors:
        posted = visitor.answer(keys[visitor.name], open_pages[visitor.name])
        assert posted.status == 302, posted.body[:2000]
        keys[visitor.name] = _step_key(posted.location)
    # A visitor arriving now can start too.
    third = _Visitor(site, "third")
    third.start()
    # Each goes on, step by step, until the result, which must be stored:
    # the site's 503 page, saying the answers are kept, and keeping them.
    stopped_at: dict[str, str] = {}
    for _ in range(40):
        going = [v for v in visitors if v.name not in stopped_at]
        if not going:
            break
        for visitor in going:
            key = keys[visitor.name]
            page = visitor.open(f"/quiz/q/{key}/")
            assert page.status == 200, page.body[:2000]
            # Not another visitor's answer: this one has not answered it.
            assert _checked(page.body) is None
            posted = visitor.answer(key, page.body)
            if posted.status == 503:
                _assert_503(posted)
                assert "Your answers are kept" in posted.body, posted.body[:2000]
                assert 'name="answer"' in posted.body  # a button to send it again
                stopped_at[visitor.name] = key
                continue
            assert posted.status == 302, posted.body[:2000]
            assert STEP.match(posted.location), "no result without the database"
            keys[visitor.name] = _step_key(posted.location)
    assert set(stopped_at) == {"first", "second"}

    pg_cluster.start()
    # Reloading the step where each was stopped shows their own last answer,
    # chosen; sending it again stores the result, with every answer.
    for visitor in visitors:
        key = stopped_at[visitor.name]
        page = visitor.open(f"/quiz/q/{key}/")
        assert page.status == 200, page.body[:2000]
        assert _checked(page.body) == visitor.choice(key, page.body)
        posted = visitor.answer(key, page.body)
        assert posted.status == 302, posted.body[:2000]
        assert RESULT.match(posted.location), posted.location
        assert visitor.open(posted.location).status == 200
        assert _stored_answers(pg_cluster, posted.location) == visitor.answers
    # The earlier result is still the second's own, the new one too.
    assert "Answer more questions" in second.open(earlier).body
    _assert_no_traceback_flood(site)
    outage = [
        line["message"]
        for line in site.log_lines()
        if line["message"].startswith("Database unavailable")
    ]
    # Once per interval per worker (2) and message (2: served from the cache,
    # answered 503), not once per request.
    assert 1 <= len(outage) <= 4, outage
