import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import override

CREDENTIALS_FILE = Path(settings.BASE_DIR) / "var" / "admin-credentials.txt"


class Command(BaseCommand):
    help = (
        "Make sure an admin login exists for local use and print it. User name and password "
        "come from DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD when set; otherwise "
        "'admin' with a generated password kept in var/admin-credentials.txt (git-ignored). "
        "Then prints the admin's address in each language."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000",
            help="Where the site is served, for the admin addresses printed (make run's port).",
        )

    def handle(self, *args, **options):
        self._login()
        # The admin speaks the language of its address: one link per language, so nobody is
        # sent to the Simplified Chinese admin whatever they read.
        site = options["site"].rstrip("/")
        for code, name in settings.LANGUAGES:
            with override(code):
                self.stdout.write(f"Admin ({name}): {site}{reverse('admin:index')}")

    def _login(self):
        import os

        username = os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        users = get_user_model().objects
        user = users.filter(username=username).first()

        if password is None and user is None:
            password = secrets.token_urlsafe(12)
        if password is None:
            saved = self._saved_password(username)
            if saved and user.check_password(saved):
                self._print(username, saved)
            else:
                self.stdout.write(
                    f"Admin login: user {username!r} exists; its password was changed and is not "
                    "shown. Set DJANGO_SUPERUSER_PASSWORD to reset it."
                )
            return

        if user is None:
            users.create_superuser(username=username, email="", password=password)
        elif not user.check_password(password) or not user.is_superuser:
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
        if "DJANGO_SUPERUSER_PASSWORD" not in os.environ:
            CREDENTIALS_FILE.parent.mkdir(parents=True, exist_ok=True)
            CREDENTIALS_FILE.write_text(f"{username}\n{password}\n", encoding="utf-8")
            CREDENTIALS_FILE.chmod(0o600)
        self._print(username, password)

    def _saved_password(self, username):
        if not CREDENTIALS_FILE.exists():
            return None
        lines = CREDENTIALS_FILE.read_text(encoding="utf-8").splitlines()
        return lines[1] if len(lines) >= 2 and lines[0] == username else None

    def _print(self, username, password):
        self.stdout.write(
            self.style.SUCCESS(f"Admin login: user {username!r}, password {password!r}")
        )
