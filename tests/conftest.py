import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seeded(db):
    """The real seed content, as `make run` loads it."""
    call_command("seed_content", verbosity=0)


@pytest.fixture
def staff_client(django_user_model):
    """A separate logged-in client, so ``client`` stays anonymous."""
    from django.test import Client

    client = Client()
    user = django_user_model.objects.create_user(
        "staff", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client
