"""The shape of the package: a pure core that never imports Django, a public API that is guarded."""

import ast
from pathlib import Path

import lowdose

SRC = Path(lowdose.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_nothing_outside_web_imports_django():
    offenders = []
    for path in SRC.rglob("*.py"):
        if (SRC / "web") in path.parents:
            continue
        for name in _imported_modules(path):
            if name == "django" or name.startswith(("django.", "ninja")):
                offenders.append(f"{path.relative_to(SRC)} imports {name}")
    assert offenders == []


def test_the_check_would_see_a_django_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from django.db import models\nimport os\n")
    assert "django.db" in _imported_modules(sample)


def test_public_api_is_exactly_what_is_listed():
    public = {name for name in dir(lowdose) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(lowdose, name)).__name__ == "module"}
    assert public - modules == set(lowdose.__all__) - {"__version__"}
