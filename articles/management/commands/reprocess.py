"""python manage.py reprocess [ID ...]: re-run extraction on stored raw text (editors' changes kept)."""
from django.core.management import BaseCommand, CommandError

from articles.models import Article
from articles.services.articles import articles_reprocess


class Command(BaseCommand):
    help = "Re-run extraction on the stored raw text of articles, keeping fields an editor changed."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="article ids (default: every imported article)")

    def handle(self, *args, ids, **options):
        queryset = Article.objects.exclude(raw_text="")
        if ids:
            queryset = queryset.filter(pk__in=ids)
        errors: list[tuple[int, str]] = []
        seen, changed = articles_reprocess(queryset=queryset, errors=errors)
        for pk, reason in errors:
            self.stderr.write(f"error  article {pk}: {reason}")
        message = f"Reprocessed {seen} articles: {changed} changed, {seen - changed - len(errors)} unchanged"
        if errors:
            self.stdout.write(self.style.WARNING(f"{message}, {len(errors)} failed (tracebacks in the log)."))
            raise CommandError(f"{len(errors)} article(s) failed", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"{message}."))
