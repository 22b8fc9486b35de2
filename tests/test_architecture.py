"""The house's layout holds: infrastructure imports no domain app, the home pages sit above every app, no two
modules import each other (directly or through others), and no module outgrows 800 lines.

The contracts themselves live in pyproject.toml (`[tool.importlinter]`), which `make lint` checks too.
"""

import tomllib
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
MAX_LINES = 800


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a list of modules."""
    edges = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(module: str) -> None:
        index[module] = lowlink[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges[module]:
            if imported not in index:
                visit(imported)
                lowlink[module] = min(lowlink[module], lowlink[imported])
            elif imported in on_stack:
                lowlink[module] = min(lowlink[module], index[imported])
        if lowlink[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return cycles


def test_the_import_contracts_of_pyproject_are_kept():
    assert lint_imports(no_cache=True, no_logo=True) == 0, "a contract of [tool.importlinter] is broken (see above)"


def test_no_two_modules_of_the_project_import_each_other_even_through_others():
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True, cache_dir=None)

    cycles = import_cycles(graph)

    assert cycles == [], "import cycles (imports inside functions count): " + "; ".join(
        " ↔ ".join(cycle) for cycle in cycles
    )


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = grimp.ImportGraph()
    for importer, imported in [("a.services", "a.sourcing"), ("a.sourcing", "a.tasks"), ("a.tasks", "a.services")]:
        graph.add_import(importer=importer, imported=imported)
    graph.add_import(importer="a.views", imported="a.services")

    assert import_cycles(graph) == [["a.services", "a.sourcing", "a.tasks"]]


def test_no_module_outside_migrations_is_longer_than_800_lines():
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for package in [*PACKAGES, "tests", "bench"]
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }

    assert {path: length for path, length in lengths.items() if length > MAX_LINES} == {}
