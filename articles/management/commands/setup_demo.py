"""Demo content for `make run`: import fixtures/pages, publish them, create and print the admin login."""
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

PASSWORD_FILE = Path(settings.BASE_DIR) / "var" / "admin-password"


class Command(BaseCommand):
    help = "Import the demo pages in fixtures/pages (published) and ensure an admin login; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="where the site will be served")

    def handle(self, *args, username, addr, **options):
        pages = Path(settings.BASE_DIR) / "fixtures" / "pages"
        call_command("import_texts", str(pages), status="published", stdout=self.stdout, stderr=self.stderr)
        password = self._ensure_admin(username)
        self.stdout.write(
            self.style.SUCCESS(
                f"\n稿库 is ready: http://{addr}/\n"
                f"Admin: http://{addr}/admin/  username: {username}  password: {password}\n"
            )
        )

    def _ensure_admin(self, username):
        User = get_user_model()
        PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
        user = User.objects.filter(username=username).first()
        if user and PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text(encoding="utf-8").strip()
            if user.check_password(password):
                return password
        password = secrets.token_urlsafe(12)
        if user is None:
            user = User(username=username, is_staff=True, is_superuser=True, email=f"{username}@localhost")
        user.set_password(password)
        user.save()
        PASSWORD_FILE.write_text(password + "\n", encoding="utf-8")
        PASSWORD_FILE.chmod(0o600)
        return password
