from django.core.management.base import BaseCommand

from articles.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild every article's search document in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        done = rebuild_index(batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(f"已重建 {done} 篇文章的搜索索引。"))
