import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.search.tantivy_index import Mark, open_index
from articles.search.tantivy_sync import sync, written_since


class Command(BaseCommand):
    help = ("Bring this machine's tantivy search index (GAOKU_SEARCH_INDEX_DIR) up to the database: the "
            "documents written since its last sync. Run it beside each web server with --follow.")

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="index every document again")
        parser.add_argument("--follow", type=float, metavar="SECONDS",
                            help="keep syncing, this many seconds apart (as a replica follows its primary)")
        parser.add_argument("--status", action="store_true", help="only print the index's watermark")

    def handle(self, *args, rebuild, follow, status, **options):
        path = settings.GAOKU_SEARCH_INDEX_DIR
        if not path:
            raise CommandError("GAOKU_SEARCH_INDEX_DIR is not set: give it the directory of this machine's index")
        if status:
            self._status(path)
            return
        while True:
            self._report(sync(path, rebuild=rebuild), quiet=follow is not None)
            if follow is None:
                return
            rebuild = False
            time.sleep(follow)

    def _status(self, path: str) -> None:
        """How far this machine's index is behind the database: what an operator asks of a replica."""
        mark = Mark.read(path)
        index = open_index(path)
        if mark is None or index is None:
            self.stdout.write(f"{path}：尚未建立索引（运行 sync_search_index 建立）")
            return
        behind = written_since(mark).count()
        self.stdout.write(f"{path}：索引 {index.searcher().num_docs} 篇，跟随 {mark.database}；"
                          f"待同步 {behind} 篇")

    def _report(self, result, *, quiet: bool):
        if result.skipped:
            self.stdout.write(f"未处理：{result.skipped}")
        elif result.written or result.removed or result.rebuilt:
            how = "重建" if result.rebuilt else "增量"
            self.stdout.write(self.style.SUCCESS(f"搜索索引已同步（{how}）：写入 {result.written} 篇，"
                                                 f"删除 {result.removed} 篇，{result.seconds:.1f} 秒。"))
        elif not quiet:
            self.stdout.write("搜索索引已是最新。")
