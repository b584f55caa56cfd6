#!/usr/bin/env python
"""Mutation benchmark: mutmut over the workflow, the near-duplicate matcher and the write path.

    .venv/bin/python bench/mutation.py                   # the default modules, 2 workers
    .venv/bin/python bench/mutation.py --all             # and the rest of articles/services and articles/ingest
    .venv/bin/python bench/mutation.py --jobs 1 --survivors     # also print the diff of every surviving mutant

mutmut changes one thing at a time in a module (a comparison, a constant, a returned value) and
runs the tests that reach the changed function; a mutant the tests still pass "survived". Prints,
per module, how many mutants there were and the share killed. Runs in a copy of the checkout
(var/mutation/), on SQLite, with only the tests named for each module, so it takes minutes, not
hours; it is not part of `make test`.

Every mutant runs pytest in a fresh process, and building the test database by migrating takes
seconds, far longer than the tests. So the database is migrated once (var/mutation/template.sqlite3)
and each process works on its own copy: this file is also the pytest plugin (`-p gaoku_mutation`)
that makes the copy.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutation"

# Each module with the tests that exercise it; mutmut then runs, per mutant, only those that reach it.
WORKFLOW_TESTS = ["tests/admin/test_workflow.py", "tests/admin/test_gate.py",
                  "tests/mutation_targets/test_workflow.py",
                  # the bulk edit (articles_save_edits) writes the table import's rows and the bulk actions' edits
                  "tests/admin/test_table_import_bulk.py", "tests/admin/test_edits_kept.py"]
WRITE_TESTS = ["tests/imports/test_reposts.py", "tests/mutation_targets/test_write_path.py"]
DEFAULT = {
    "articles/services/workflow.py": WORKFLOW_TESTS,
    "articles/ingest/dedup.py": ["tests/ingest/test_dedup.py", "tests/mutation_targets/test_dedup.py"],
    "articles/services/articles.py": WRITE_TESTS,
}
# Where only part of a module is measured: the write path of articles.py (re-extraction is not part of it).
FUNCTIONS = {
    "articles/services/articles.py": [
        "ǁSourceResolverǁ*", "_unique_slug", "near_duplicate_index", "_as_article", "find_near_duplicate",
        "apply_draft", "set_relations", "article_upsert_from_draft", "_upsert_known", "region_id_map",
        "tag_ids_for", "_search_documents", "articles_upsert_from_drafts",
    ],
}
MORE = {
    "articles/services/curation.py": ["tests/admin/test_curation.py", "tests/admin/test_edits_kept.py"],
    "articles/services/batches.py": ["tests/imports/test_robust.py"],
    "articles/ingest/script.py": ["tests/ingest/test_rules.py", "tests/ingest/test_samples.py"],
    "articles/ingest/segment.py": ["tests/ingest/test_tags.py", "tests/search/test_contract.py"],
    "articles/ingest/dates.py": ["tests/ingest/test_dates.py", "tests/ingest/test_samples.py"],
    "articles/ingest/checks.py": ["tests/ingest/test_checks.py"],
}
CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}
TEMPLATE_ENV = "GAOKU_MUTATION_DB_TEMPLATE"


def pytest_configure(config):
    """In each pytest process of the run: a private copy of the migrated database, reused as is."""
    import tempfile

    from django.conf import settings

    copy = Path(tempfile.gettempdir()) / f"gaoku-mutation-{os.getpid()}.sqlite3"
    shutil.copyfile(os.environ[TEMPLATE_ENV], copy)
    settings.DATABASES["default"]["TEST"]["NAME"] = str(copy)
    config.option.reuse_db = True  # keep the copy as it is: no new database, migrate finds nothing to do
    config._gaoku_mutation_db = copy


def pytest_unconfigure(config):
    copy = getattr(config, "_gaoku_mutation_db", None)
    for path in (copy, *(Path(f"{copy}{suffix}") for suffix in ("-wal", "-shm"))) if copy else ():
        path.unlink(missing_ok=True)


def migrated_template(dest: Path) -> Path:
    """The test database, migrated once, checkpointed into one file."""
    import sqlite3

    template = dest / "template.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": f"sqlite:///{template}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=dest, env=env, check=True)
    with sqlite3.connect(template) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    return template


def copy_checkout(dest: Path) -> None:
    """The working tree as git sees it (tracked and new files, nothing ignored) copied to `dest`."""
    if dest.exists():
        shutil.rmtree(dest)
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, names):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def write_config(dest: Path, modules: dict[str, list[str]]) -> None:
    tests = sorted({t for ts in modules.values() for t in ts if (ROOT / t).exists()})
    config = {
        "source_paths": ["articles"],
        "only_mutate": sorted(modules),
        "also_copy": ["config", "templates", "static", "fixtures", "manage.py", "pytest.ini"],
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-p", "gaoku_mutation", "-m", "not browser"],
        "pytest_add_cli_args_test_selection": tests,
    }
    lines = ["", "[tool.mutmut]"] + [f"{key} = {json.dumps(value)}" for key, value in config.items()]
    with open(dest / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def mutmut(*args: str, cwd: Path, log=None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{cwd / 'mutation.sqlite3'}", "PYTHONDONTWRITEBYTECODE": "1",
           TEMPLATE_ENV: str(cwd / "template.sqlite3"), "PYTHONPATH": str(cwd / "plugin")}
    env.pop("DATABASE_TEST_TEMPLATE", None)
    return subprocess.run([str(exe), *args], cwd=cwd, env=env, text=True, stdout=log or subprocess.PIPE,
                          stderr=subprocess.STDOUT)


def mutant_patterns(module: str) -> list[str]:
    """mutmut's names for the mutants of the module's measured functions (all of them: `module.*`)."""
    dotted = module.removesuffix(".py").replace("/", ".")
    functions = FUNCTIONS.get(module)
    if functions is None:
        return [f"{dotted}.*"]
    return [f"{dotted}.x{f}__mutmut_*" if f.startswith("ǁ") else f"{dotted}.x_{f}__mutmut_*" for f in functions]


def statuses(dest: Path, module: str) -> dict[str, str]:
    from mutmut.stats import status_by_exit_code

    meta = dest / "mutants" / (module + ".meta")
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    wanted = mutant_patterns(module)
    return {name: status_by_exit_code[code] for name, code in codes.items()
            if any(fnmatch.fnmatchcase(name, p) for p in wanted)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="also mutate the modules listed in MORE")
    parser.add_argument("--module", action="append", help="only this module (repeatable): articles/ingest/dedup.py")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--survivors", action="store_true", help="print the diff of every surviving mutant")
    options = parser.parse_args()

    modules = {**DEFAULT, **(MORE if options.all else {})}
    if options.module:
        unknown = set(options.module) - set(DEFAULT) - set(MORE)
        if unknown:
            parser.error(f"no tests are named for {', '.join(sorted(unknown))}; add it to DEFAULT or MORE")
        modules = {m: {**DEFAULT, **MORE}[m] for m in options.module}

    started = time.monotonic()
    copy_checkout(WORK)
    write_config(WORK, modules)
    (WORK / "plugin").mkdir()
    shutil.copyfile(__file__, WORK / "plugin" / "gaoku_mutation.py")
    migrated_template(WORK)
    log_path = WORK / "mutmut.log"
    print(f"mutmut over {len(modules)} module(s) in {WORK} (log: {log_path}); load {os.getloadavg()[0]:.2f}",
          flush=True)
    with open(log_path, "w", encoding="utf-8") as log:
        patterns = [p for m in modules for p in mutant_patterns(m)]
        run = mutmut("run", "--max-children", str(options.jobs), *patterns, cwd=WORK, log=log)
    elapsed = time.monotonic() - started
    if run.returncode != 0:
        print(f"mutmut failed (exit {run.returncode}); the end of {log_path}:", file=sys.stderr)
        print("".join(log_path.read_text(errors="replace").splitlines(True)[-30:]), file=sys.stderr)
        return 1

    sys.path.insert(0, str(WORK))  # mutmut's helpers read its config from the working directory
    os.chdir(WORK)
    width = max(len(m) for m in modules)
    print(f"\n{'module':<{width}}  mutants  killed  survived  no tests  score")
    survivors = []
    totals = Counter()
    for module in modules:
        found = statuses(WORK, module)
        counts = Counter(found.values())
        total = sum(counts.values()) - counts["skipped"] - counts["not checked"]
        caught = sum(counts[s] for s in CAUGHT)
        totals.update(total=total, caught=caught)
        score = f"{caught / total:6.1%}" if total else "     -"
        print(f"{module:<{width}}  {total:7d}  {caught:6d}  {counts['survived']:8d}  {counts['no tests']:8d}  {score}")
        survivors += [name for name, status in sorted(found.items()) if status in ("survived", "no tests")]
    if totals["total"]:
        print(f"{'all':<{width}}  {totals['total']:7d}  {totals['caught']:6d}  "
              f"{'':8}  {'':8}  {totals['caught'] / totals['total']:6.1%}")
    print(f"\n{elapsed / 60:.1f} min, load {os.getloadavg()[0]:.2f} at the end; killed = failed a test or timed out")
    if options.survivors:
        for name in survivors:
            print("\n" + mutmut("show", name, cwd=WORK).stdout.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
