import hashlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from roles import models as m
from roles.content_io.schema import CONTENT_DIR, load_seed_files

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def _hashes(name: str) -> set[str]:
    return {
        line.strip()
        for line in (DATA / name).read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def words(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", text)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def banned_in(text: str) -> list[str]:
    banned = _hashes("banned_hashes.txt")
    tokens = words(text)
    found = []
    for size in (1, 2, 3):
        for i in range(len(tokens) - size + 1):
            phrase = " ".join(tokens[i : i + size])
            if short_hash(phrase) in banned:
                found.append(phrase)
    return found


def copied_runs(text: str) -> list[str]:
    article = _hashes("article_8word_hashes.txt")
    tokens = words(text)
    return [
        " ".join(tokens[i : i + 8])
        for i in range(len(tokens) - 7)
        if short_hash(" ".join(tokens[i : i + 8])) in article
    ]


def all_seed_text() -> str:
    return "\n".join(p.read_text() for p in sorted(CONTENT_DIR.rglob("*.yaml")))


def test_banned_phrase_check_can_fail():
    assert banned_in("Back to top") == ["back to top"]


def test_seed_files_contain_no_spam_or_advertising():
    assert banned_in(all_seed_text()) == []


def test_no_run_of_eight_words_is_copied_from_the_founding_article():
    assert copied_runs(all_seed_text()) == []


def test_copy_check_catches_a_copied_sentence():
    # Built from the hashes alone: the detector must flag a run we know is there.
    article = _hashes("article_8word_hashes.txt")
    assert short_hash("product owner vs product manager it can be") in article


def test_seed_creates_the_founding_content():
    out = call_command_output("seed_content")
    assert "created" in out
    po = m.Role.objects.get(slug="product-owner")
    pm = m.Role.objects.get(slug="product-manager")
    assert po.is_published() and pm.is_published()
    assert po.origin == "Scrum"
    assert po.responsibilities.count() >= 6
    assert pm.responsibilities.count() >= 6
    assert m.Comparison.objects.filter(key="product-manager-vs-product-owner").exists()


# Tests that start from a seeded database ask for ``seeded``: the database
# as ``seed_content`` left it (tests/seed_once.py runs that same command once
# per test database), instead of running the seed again first.


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seeding_twice_changes_nothing_and_says_so(seeded):
    before = m.Role.objects.get(slug="product-owner").updated_at
    out = call_command_output("seed_content")
    assert "0 created, 0 updated" in out
    assert "Nothing to change" in out
    assert m.Role.objects.get(slug="product-owner").updated_at == before


def test_seed_keeps_a_record_an_editor_changed_and_reports_it(seeded):
    role = m.Role.objects.get(slug="product-owner")
    role.summary = "An editor's better summary."
    role.save()
    out = call_command_output("seed_content")
    assert "kept: role product-owner" in out
    assert (
        m.Role.objects.get(slug="product-owner").summary
        == "An editor's better summary."
    )


def test_seed_keeps_a_role_whose_child_an_editor_changed(seeded):
    item = m.Responsibility.objects.filter(role__slug="product-manager").first()
    item.text = "Rewritten by an editor."
    item.save()
    out = call_command_output("seed_content")
    assert "kept: role product-manager" in out
    assert m.Responsibility.objects.filter(text="Rewritten by an editor.").exists()


def test_seed_recreates_a_deleted_record(seeded):
    m.Comparison.objects.filter(key="product-manager-vs-product-owner").delete()
    out = call_command_output("seed_content")
    assert "created: comparison product-manager-vs-product-owner" in out


def test_the_seed_reads_each_role_by_its_slug_once_however_many_rows_name_it():
    """Every question's points name roles; a role is looked up once per
    seed, not once per row that names it (1,300 reads of 16 roles before)."""
    from collections import Counter

    from django.db import connection

    reads: Counter = Counter()

    def count(execute, sql, params, many, context):
        if (
            sql.startswith("SELECT")
            and 'FROM "roles_role"' in sql
            and '"slug" =' in sql
        ):
            reads[tuple(params or ())] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        call_command_output("seed_content")
    assert reads, "the seed looked up no role by slug: the check is blind"
    # A role's own write reads it (to find it, and to check its slug is
    # unique); the rows that name it (up to 40 points each) add nothing.
    assert max(reads.values()) <= 3, reads.most_common(3)


def test_seed_files_are_well_formed():
    doc = load_seed_files()
    assert len(doc["roles"]) >= 10
    assert len({r["slug"] for r in doc["roles"]}) == len(doc["roles"])


def test_pages_show_no_spam(client, seeded):
    urls = [reverse("roles:home"), reverse("roles:role_list"), reverse("roles:quiz")]
    urls += [r.get_absolute_url() for r in m.Role.objects.all()]
    urls += [c.get_absolute_url() for c in m.Comparison.objects.all()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert banned_in(response.content.decode()) == [], url
