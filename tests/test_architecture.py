"""The layout holds: no import cycles (including imports inside functions),
every model declared content or not, the README's map matches the tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp
from django.apps import apps

from roles.editorial.workflow import KIND_SPECS
from roles.publishing import registry

ROOT = Path(__file__).resolve().parent.parent
ROLES = ROOT / "roles"


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in modules:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (
                            child,
                            iter(
                                sorted(graph.find_modules_directly_imported_by(child))
                            ),
                        )
                    )
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_even_through_imports_inside_functions():
    # grimp records every import statement, at module level or in a function.
    graph = grimp.build_graph("roles", "config")
    modules = {m for m in graph.modules if m.startswith(("roles", "config"))}
    assert _cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    assert _cycles(graph, {"a", "b", "c"}) == [["a", "b", "c"]]


def _function_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (
                    inner.module or ""
                ).startswith("roles"):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_application_code_imports_its_own_modules_at_the_top():
    """Only AppConfig.ready may import inside a function (Django's documented
    place to connect signals); anywhere else it would hide a cycle."""
    found = []
    for path in ROLES.rglob("*.py"):
        if "migrations" in path.parts or path.name == "apps.py":
            continue
        found += _function_level_imports(path)
    assert found == []


def test_every_model_is_declared_content_or_not():
    app_models = set(apps.get_app_config("roles").get_models())
    declared = {entry.model for entry in registry.entries()}
    assert app_models == declared, (
        "Declare each model with @content_model or @not_content in its "
        "models.py (roles/publishing/registry.py)."
    )


def test_every_draftable_model_has_a_draft_workflow():
    assert {
        str(kind): spec.model for kind, spec in KIND_SPECS.items()
    } == registry.draftable()


def test_scheduled_fields_and_followed_children_exist():
    for model, field, _ in registry.scheduled_fields():
        assert model._meta.get_field(field).get_internal_type() == "DateTimeField"
    for entry in registry.entries():
        for relation in entry.follow:
            related = entry.model._meta.get_field(relation).related_model
            assert registry.entry_for(related).history, (entry.model, relation)


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def test_readme_layout_names_every_domain_package_and_nothing_else():
    section = _readme_section("Where things live")
    named = set(re.findall(r"^  (\w+)/ ", section, re.M))
    packages = {
        p.parent.name
        for p in ROLES.glob("*/__init__.py")
        if p.parent.name not in {"migrations", "management", "templatetags"}
    }
    assert named >= packages, packages - named
    assert named <= packages | {"migrations", "management", "templatetags", "content"}


def _layout_blocks() -> dict[str, str]:
    """The README's map of roles/, by folder: what it says about each."""
    section = _readme_section("Where things live")
    tree = section.split("```")[1]
    blocks: dict[str, str] = {}
    folder = None
    for line in tree.splitlines():
        if match := re.match(r"^  ([\w/]+?)/ ", line):
            folder = match.group(1)
        elif not line.startswith("    "):
            folder = None  # the next top-level entry (templates/, tests/, ...)
        if folder:
            blocks[folder] = blocks.get(folder, "") + line + "\n"
    return blocks


def test_readme_layout_names_every_module_of_every_domain():
    """Each module of roles/'s packages, commands and tag libraries is named
    in its folder's entry of the README's map, so a new module is described
    where people look for it."""
    blocks = _layout_blocks()
    folders = [
        p.parent
        for p in ROLES.glob("**/__init__.py")
        if "migrations" not in p.parts and p.parent != ROLES
    ]
    missing = []
    for folder in folders:
        name = folder.relative_to(ROLES).as_posix()
        modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
        if not modules:
            continue
        assert name in blocks, f"the README's map has no entry for roles/{name}/"
        for module in sorted(modules):
            if not re.search(rf"(?<![\w.]){module}\b", blocks[name]):
                missing.append(f"roles/{name}/{module}.py")
    assert missing == []


def test_readme_names_only_modules_that_exist():
    section = _readme_section("Where things live")
    for path in re.findall(r"`(roles/[\w/]+\.py)`", section):
        assert (ROOT / path).exists(), path


def _private_request_attributes(source: str, name: str) -> list[str]:
    """Where ``source`` reads or sets a private attribute (``_x``) of a
    request: ``request._x``, or ``self.request._x`` in a class-based view."""
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if not (isinstance(node, ast.Attribute) and node.attr.startswith("_")):
            continue
        owner = node.value
        if (isinstance(owner, ast.Name) and owner.id == "request") or (
            isinstance(owner, ast.Attribute) and owner.attr == "request"
        ):
            found.append(f"{name}:{node.lineno} request.{node.attr}")
    return found


def test_no_state_on_private_request_attributes():
    """State travels on forms, drafts and arguments (issue 19, item 5), not
    on private attributes of a request - a hidden channel between hooks that
    Django may use itself (``request._files`` is how it loads uploads)."""
    found = []
    for path in ROLES.rglob("*.py"):
        if "migrations" not in path.parts:
            found += _private_request_attributes(
                path.read_text(), str(path.relative_to(ROOT))
            )
    assert found == []


def test_the_private_request_attribute_finder_finds_one():
    source = (
        "def view(request):\n"
        "    request._workflow_token = 1\n"
        "    return self.request._files, request.user, other._x\n"
    )
    assert _private_request_attributes(source, "v.py") == [
        "v.py:2 request._workflow_token",
        "v.py:3 request._files",
    ]


def _admin_internals_defined(classes: set[type]) -> list[str]:
    """Methods of ``classes`` from ``roles`` defined over an undocumented
    method of Django's admin: ``changeform_view`` or a ``_private`` one."""
    from django.contrib.admin.options import (
        BaseModelAdmin,
        InlineModelAdmin,
        ModelAdmin,
    )

    internal = {"changeform_view"} | {
        name
        for base in (BaseModelAdmin, ModelAdmin, InlineModelAdmin)
        for name in vars(base)
        if name.startswith("_") and not name.startswith("__")
    }
    return sorted(
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in classes
        if cls.__module__.startswith("roles.")
        for name in internal & set(vars(cls))
    )


def _site_admin_classes() -> set[type]:
    """Every class of the site's admins: the registered ones, their inlines
    and every mixin in their MRO."""
    from django.contrib import admin

    classes: set[type] = set()
    for model in apps.get_models():
        if admin.site.is_registered(model):
            model_admin = admin.site.get_model_admin(model)
            for cls in (type(model_admin), *model_admin.inlines):
                classes.update(cls.__mro__)
    return classes


def test_admin_classes_override_only_documented_hooks():
    """The workflow lives on the admin's documented hooks (issue 19, item 5:
    add_view, change_view, get_form, save_model, save_related, get_urls...):
    a Django upgrade that reshapes its internals cannot break it unseen."""
    classes = _site_admin_classes()
    assert any(c.__name__ == "WorkflowAdminMixin" for c in classes)
    assert _admin_internals_defined(classes) == []


def test_the_admin_internals_finder_finds_one():
    class Overrides:
        __module__ = "roles.example"

        def changeform_view(self): ...

        def _changeform_view(self): ...

        def change_view(self): ...  # documented

    assert _admin_internals_defined({Overrides, object}) == [
        "roles.example.test_the_admin_internals_finder_finds_one.<locals>.Overrides._changeform_view",
        "roles.example.test_the_admin_internals_finder_finds_one.<locals>.Overrides.changeform_view",
    ]
