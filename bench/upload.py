#!/usr/bin/env python
"""Admin upload benchmark: a zip of N pages uploaded to a running server, previewed by the background worker.

    .venv/bin/python bench/upload.py [--count 20000] [--database-url URL] [--confirm]

Starts gunicorn and `manage.py db_worker` on a fresh database (SQLite in a temporary folder
unless --database-url), logs in as an admin, uploads the zip, then polls the preview page
every second as the page itself does. Prints the upload request's time, every poll's time
(the slowest must stay within a few seconds: nothing is parsed in a request), the progress
N/M as the worker reports it, and the time the whole preview took. With --confirm it also
imports the batch and follows the batch page the same way.
"""
import argparse
import http.cookiejar
import importlib.util
import io
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PASSWORD = "bench-password-1"


def make_pages_module():
    spec = importlib.util.spec_from_file_location("bench_import", ROOT / "bench" / "import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_zip(folder: Path, count: int) -> bytes:
    """N distinct pages (bench/import.py's generator), zipped as an editor would."""
    pages = folder / "pages"
    pages.mkdir()
    make_pages_module().make_pages(pages, count)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(pages.rglob("*.txt")):
            zf.write(path, path.relative_to(folder).as_posix())
    return buf.getvalue()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser: cookies, CSRF tokens, timed requests, redirects not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, str, float]:
        headers = {"Referer": self.base + path, **(headers or {})}
        req = urllib.request.Request(self.base + path, data=data, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=300) as resp:
                body, status, location = resp.read().decode(), resp.status, resp.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            body, status, location = exc.read().decode(errors="replace"), exc.code, exc.headers.get("Location", "")
        return status, location, body, time.monotonic() - started

    def csrf(self, path: str) -> str:
        _, _, body, _ = self.request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post_form(self, path: str, fields: dict) -> tuple[int, str, str, float]:
        fields = {"csrfmiddlewaretoken": self.csrf(path), **fields}
        return self.request(path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_files(self, path: str, fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[int, str, str, float]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {"csrfmiddlewaretoken": self.csrf(path), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for field, filename, data in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not start")


def follow(browser: Browser, path: str, pattern: str, done: str, limit: float) -> tuple[list[float], float]:
    """Poll a page every second until `done` appears; print progress; return each poll's time."""
    polls, started, last_line = [], time.monotonic(), ""
    while time.monotonic() - started < limit:
        status, _, body, seconds = browser.request(path)
        polls.append(seconds)
        match = re.search(pattern, body)
        line = match.group(0) if match else ""
        if status != 200 or done in body:
            print(f"  {time.monotonic() - started:6.1f} s  HTTP {status}  {done if done in body else body[:200]}")
            return polls, time.monotonic() - started
        if line != last_line:
            print(f"  {time.monotonic() - started:6.1f} s  {line}  (poll {seconds * 1000:.0f} ms)")
            last_line = line
        time.sleep(1)
    raise SystemExit(f"gave up after {limit:.0f} s")


def figures(name: str, polls: list[float]) -> str:
    return (f"{name}: {len(polls)} polls, median {statistics.median(polls) * 1000:.0f} ms, "
            f"slowest {max(polls) * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--confirm", action="store_true", help="also import the batch and follow its progress")
    parser.add_argument("--limit", type=float, default=1800, help="seconds to wait for the preview or the import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "False",
               "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3", "MEDIA_ROOT": str(tmp / "media"),
               "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
        started = time.monotonic()
        archive = make_zip(tmp, args.count)
        print(f"{args.count} pages zipped: {len(archive) / 2**20:.1f} MiB in {time.monotonic() - started:.1f} s "
              f"({os.cpu_count()} cores)")
        manage = [PY, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "createsuperuser", "--noinput", "--username", "bench", "--email", "b@example.com"],
                       cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen([PY, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2",
                                   "--timeout", "30", "--env", "DJANGO_SETTINGS_MODULE=config.settings.dev"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        worker = subprocess.Popen([*manage, "db_worker", "--no-startup-delay", "--interval", "0.5"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/robots.txt")
            browser = Browser(base)
            status, location, _, _ = browser.post_form("/admin/login/", {"username": "bench", "password": PASSWORD,
                                                                          "next": "/admin/"})
            assert status == 302, f"login failed: HTTP {status}"
            upload = "/admin/articles/importbatch/upload/"
            status, confirm, body, upload_seconds = browser.post_files(upload, {"status": "draft", "source": ""},
                                                                       [("files", "pages.zip", archive)])
            assert status == 302, f"upload answered HTTP {status}: {body[:500]}"
            print(f"upload request: {upload_seconds:.2f} s (HTTP {status}, {len(archive) / 2**20:.1f} MiB)")
            polls, preview_seconds = follow(browser, confirm, r"已解析 \d+/[\d?]+[^。]*", "确认导入", args.limit)
            _, _, page, page_seconds = browser.request(confirm)
            summary = re.search(r"共 \d+ 个文件[^<]*", page)
            print(f"preview done in {preview_seconds:.1f} s: {summary.group(0) if summary else '?'}")
            print(figures("preview polls", polls) + f"; the finished preview page: {page_seconds * 1000:.0f} ms")
            if args.confirm:
                status, batch_page, _, seconds = browser.post_form(confirm, {"confirm": "1"})
                print(f"confirm request: {seconds:.2f} s (HTTP {status})")
                polls, import_seconds = follow(browser, batch_page, r"已处理 \d+/\d+", "查看本批次导入的文章",
                                               args.limit)
                print(f"import done in {import_seconds:.1f} s; " + figures("batch page polls", polls))
                _, _, page, _ = browser.request(batch_page)
                counts = re.search(r'<p class="result-filters">(.*?)</p>', page, re.S)
                print("the batch page says: " + (re.sub(r"<[^>]+>", "", counts.group(1)) if counts else "?"))
                left = [p for p in (tmp / "media").rglob("*") if p.is_file()]
                print(f"uploaded files left in the storage after the import: {len(left)}")
            else:
                browser.post_form(confirm, {"cancel": "1"})
        finally:
            for proc in (server, worker):
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
