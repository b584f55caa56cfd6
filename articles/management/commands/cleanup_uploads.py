"""python manage.py cleanup_uploads [--hours N]: delete abandoned uploads and the files of finished ones."""
from django.conf import settings
from django.core.management import BaseCommand

from articles.services.uploads import uploads_cleanup


class Command(BaseCommand):
    help = "Delete pending uploads nobody confirmed within N hours, and the stored files of finished batches."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=settings.GAOKU_UPLOAD_ABANDON_HOURS,
                            help="age after which a pending upload counts as abandoned "
                                 "(default: GAOKU_UPLOAD_ABANDON_HOURS, %(default)s)")

    def handle(self, *args, hours, **options):
        abandoned, finished = uploads_cleanup(hours=hours)
        self.stdout.write(f"{abandoned} abandoned upload(s) deleted; files of {finished} finished batch(es) deleted")
