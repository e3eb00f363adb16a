"""The project's layers, read from the imports of every module (README: Project layout).

    site      hubsite (urls, home pages, settings, commands, operations)
    imports   imports                        (bringing the past in: writes through every app below)
    reports   reports
    programmes  mutualaid, training          (siblings: neither imports the other)
    meetings  meetings                       (calendar, invitations, action items: reused above)
    partners  partners
    ground    hubsite.core                   (imports no app)

A module may import its own app and anything in a lower layer. A lower layer that needs a higher
one offers a hook (hubsite/core/hooks.py) that the higher one fills in its AppConfig.ready. Tests
(``tests/`` folders, ``test_*.py``, conftest) sit above everything and are not checked.
"""

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LAYER = {
    "hubsite.core": 0,
    "partners": 1,
    "meetings": 2,
    "mutualaid": 3,
    "training": 3,
    "reports": 4,
    "imports": 5,
    "hubsite": 6,
}
APPS = set(LAYER)


def owner(dotted: str) -> str | None:
    """The app a dotted module name belongs to (hubsite.core before hubsite)."""
    if dotted == "hubsite.core" or dotted.startswith("hubsite.core."):
        return "hubsite.core"
    top = dotted.split(".")[0]
    return top if top in APPS else None


def project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", "var", "tests") or relative.parts[0] not in {"hubsite", *APPS}:
            continue
        if "tests" in relative.parts or path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield relative, ".".join(relative.with_suffix("").parts).removesuffix(".__init__")


def imported_names(tree: ast.AST, module: str, is_package: bool):
    """(line, dotted name) of every import, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            for alias in node.names:
                # `from hubsite import core` imports hubsite.core, `from x import name` imports x.
                candidate = f"{prefix}.{alias.name}"
                yield node.lineno, candidate if owner(candidate) == "hubsite.core" else prefix


def dynamic_imports(tree: ast.AST):
    """importlib.import_module / __import__ calls and `except ImportError` around an app import."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__"):
                yield node.lineno, "importlib.import_module"
        elif isinstance(node, ast.Try):
            catches = set()
            for handler in node.handlers:
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                catches |= {getattr(t, "id", "") for t in types if t is not None}
            if catches & {"ImportError", "ModuleNotFoundError"}:
                for inner in node.body:
                    for sub in ast.walk(inner):
                        names = []
                        if isinstance(sub, ast.Import):
                            names = [alias.name for alias in sub.names]
                        elif isinstance(sub, ast.ImportFrom) and sub.module and not sub.level:
                            names = [sub.module]
                        if any(owner(name) for name in names):
                            yield sub.lineno, "except ImportError around an app import"


def violations():
    found = set()
    for relative, module in project_modules():
        app = owner(module)
        tree = ast.parse((ROOT / relative).read_text(), filename=str(relative))
        is_package = relative.name == "__init__.py"
        for line, name in imported_names(tree, module, is_package):
            target = owner(name)
            if target is None or target == app:
                continue
            if LAYER[target] >= LAYER[app]:
                found.add(f"{relative}:{line} {app} imports {name} ({target} is not below {app})")
        for line, what in dynamic_imports(tree):
            found.add(f"{relative}:{line} {what}")
    return sorted(found)


def test_every_import_points_down_the_layers():
    assert violations() == []


def test_it_sees_the_modules_it_checks():
    modules = {module for _, module in project_modules()}
    # A checker that reads nothing passes everything: make sure each layer is read.
    assert {"hubsite.core.models", "partners.models", "meetings.models", "mutualaid.actions"} <= modules
    assert {"reports.regional.content", "hubsite.urls"} <= modules


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("hubsite.core.permissions", "from partners.choices import Role", "is not below"),
        ("partners.coverage.views", "from reports import coverage", "is not below"),
        ("meetings.views", "from mutualaid.models import Group", "is not below"),
        ("mutualaid.views", "from training.models import Module", "is not below"),
        ("mutualaid.actions", "from meetings.models import ActionItem", None),
        ("meetings.ideas", "import importlib\nimportlib.import_module('reports.api')", "import_module"),
        (
            "hubsite.views",
            "try:\n    import reports.api\nexcept ImportError:\n    pass",
            "except ImportError",
        ),
        ("reports.views", "from . import models\nfrom meetings.models import Meeting", None),
        ("hubsite.views", "from reports import home", None),
    ],
)
def test_it_catches_an_import_against_the_layers(tmp_path, module, source, expected, monkeypatch):
    parts = module.split(".")
    target = tmp_path.joinpath(*parts[:-1], parts[-1] + ".py")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    found = violations()
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found
