from django.core.management.base import BaseCommand

from articles.search.settle import BATCH, backlog, settle


class Command(BaseCommand):
    help = ("Move unsettled search documents into the rum index (PostgreSQL with rum; nothing to do elsewhere). "
            "A worker does this after each import; run it from cron for ordinary edits, or by hand.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH, help="documents a transaction, row by row")
        parser.add_argument("--max-rows", type=int, help="settle at most this many, row by row")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--rebuild", action="store_true", default=None,
                          help="rebuild the rum index (CONCURRENTLY) instead of inserting row by row")
        mode.add_argument("--no-rebuild", dest="rebuild", action="store_false",
                          help="row by row however large the backlog")
        parser.add_argument("--status", action="store_true", help="only print how many documents are unsettled")

    def handle(self, *args, batch_size, max_rows, rebuild, status, **options):
        if status:
            self.stdout.write(f"未归档（unsettled）搜索文档：{backlog()}")
            return
        result = settle(batch_size=batch_size, max_rows=max_rows, rebuild=rebuild)
        if result.skipped:
            self.stdout.write(f"未处理：{result.skipped}")
            return
        how = "重建 rum 索引" if result.rebuilt else "逐行"
        self.stdout.write(self.style.SUCCESS(
            f"已归档 {result.rows} 篇搜索文档（{how}，{result.seconds:.1f} 秒；开始时积压 {result.backlog} 篇）。"))
