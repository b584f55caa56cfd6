import ast
from pathlib import Path

import articles.ingest

PACKAGE = Path(articles.ingest.__file__).parent


def test_ingest_imports_nothing_from_django():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in {"django", "taggit", "import_export"}]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("articles.") and not n.startswith("articles.ingest")]
    assert offenders == []
