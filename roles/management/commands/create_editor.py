import getpass
import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from roles.editorial.permissions import (
    EDITORS_GROUP,
    PUBLISHERS_GROUP,
    sync_editors_group,
    sync_publishers_group,
)


class Command(BaseCommand):
    help = (
        "Create an editor account (staff, in the Editors group). The password is "
        "prompted for, or read from EDITOR_PASSWORD for scripts."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--publisher",
            action="store_true",
            help="Also in the Publishers group: may publish, schedule and review.",
        )

    def handle(
        self, *args, username: str, email: str, publisher: bool = False, **options
    ):
        User = get_user_model()
        # "Alice" beside "alice" is two accounts people cannot tell apart.
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user called {username!r} already exists.")
        user = User(username=username, email=email, is_staff=True)
        try:
            # The name's and the address's own rules (letters, digits and
            # @.+-_ only, at most 150 characters; a real email address).
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError(
                " ".join(
                    f"{field}: {' '.join(errors)}"
                    for field, errors in exc.message_dict.items()
                )
            ) from exc
        password = os.environ.get("EDITOR_PASSWORD")
        if not password:
            try:
                password = getpass.getpass("Password: ")
                again = getpass.getpass("Password (again): ")
            except EOFError:
                raise CommandError(
                    "No password: set EDITOR_PASSWORD, or run this in a terminal."
                ) from None
            if password != again:
                raise CommandError("The passwords do not match.")
        if not password.strip():
            raise CommandError("The password is only spaces.")
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        group = Group.objects.filter(name=EDITORS_GROUP).first()
        if group is None:  # e.g. after a flush: rebuild it as the migration does
            sync_editors_group(apps)
            group = Group.objects.get(name=EDITORS_GROUP)
        user.groups.add(group)
        if publisher:
            publishers = Group.objects.filter(name=PUBLISHERS_GROUP).first()
            if publishers is None:
                sync_publishers_group(apps)
                publishers = Group.objects.get(name=PUBLISHERS_GROUP)
            user.groups.add(publishers)
        role = "Publisher" if publisher else "Editor"
        self.stdout.write(f"{role} {username!r} created. Log in at /admin/.")
