"""How a change to another project's code is made (edition.compat.guard):
checked whole before anything is assigned, skipped with its reason when the
code is not the code it was written against, and undone exactly."""

from __future__ import annotations

import hashlib
import inspect
import sys
import types

import pytest

from edition import compat
from edition.compat.guard import (
    ABSENT,
    Assignment,
    Change,
    Unavailable,
    add,
    apply,
    expect,
    look_up,
    replace,
    revert,
    rewritten,
    shadow,
)

SOURCE = "def greet(name):\n    return 'hello ' + name\n"


@pytest.fixture
def module(tmp_path, monkeypatch):
    """A module of another project, with its source on disk."""
    (tmp_path / "upstream_mod.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("upstream_mod", None)
    import upstream_mod

    yield upstream_mod
    sys.modules.pop("upstream_mod", None)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def loud(module) -> Change:
    def plan(app):
        new = rewritten(module, module.greet, sha(SOURCE), [("'hello '", "'HELLO '")])
        return [replace(module, "greet", new), add(module, "_edition_marker", True)]
    return Change("upstream.loud", "greets loudly", plan)


def test_a_change_is_made_whole_and_undone_exactly(module):
    stock = module.greet
    made = apply([loud(module)])
    assert made.applied == ["upstream.loud"] and made.skipped == {}
    assert module.greet("x") == "HELLO x" and module._edition_marker is True
    # The rewritten code keeps the module's file and line numbers.
    assert module.greet.__code__.co_filename == module.__file__
    assert module.greet.__code__.co_firstlineno == 1
    revert(made)
    assert module.greet is stock and not hasattr(module, "_edition_marker")


def test_a_changed_source_means_the_stock_code_runs(module):
    import importlib
    import linecache
    from pathlib import Path

    # Another release: the same function, changed.
    Path(module.__file__).write_text("def greet(name):\n    return 'hi ' + name\n", encoding="utf-8")
    linecache.clearcache()
    sys.modules.pop("upstream_mod")
    module = importlib.import_module("upstream_mod")
    made = apply([loud(module)])
    assert made.applied == [] and "upstream_mod.greet is not the code" in made.skipped["upstream.loud"]
    assert module.greet("x") == "hi x" and not hasattr(module, "_edition_marker")


def test_code_without_its_source_means_the_stock_code_runs(module):
    """A project installed without its .py files: nothing is changed."""
    bare = types.ModuleType("bare")
    exec(SOURCE, vars(bare))
    made = apply([loud(bare)])
    assert "cannot be read" in made.skipped["upstream.loud"] and bare.greet("x") == "hello x"


def test_a_plan_is_checked_whole_before_anything_is_assigned(module):
    """Its second assignment is refused: its first was never made."""
    module._edition_marker = "theirs"
    stock = module.greet
    made = apply([loud(module)])
    assert "exists already" in made.skipped["upstream.loud"]
    assert module.greet is stock and module._edition_marker == "theirs"


@pytest.mark.parametrize("trip", [
    lambda: look_up("no_such_project_module"),
    lambda: look_up("os", "no_such_name"),
    lambda: expect(len, "0" * 64),
    lambda: replace(types.SimpleNamespace(), "missing", 1),
    lambda: getattr(object(), "what_a_new_release_renamed"),   # AttributeError inside a plan
    lambda: inspect.getsource(42),                               # TypeError inside a plan
    lambda: compile("def (", "upstream.py", "exec"),              # a source that no longer parses
])
def test_whatever_trips_a_plan_skips_the_change_with_its_reason(trip):
    made = apply([Change("x.y", "", lambda app: [trip()])])
    assert made.applied == [] and made.skipped["x.y"]


def test_one_change_skipped_does_not_stop_another(module):
    failing = Change("x.failing", "", lambda app: (_ for _ in ()).throw(Unavailable("gone")))
    made = apply([failing, loud(module)])
    assert made.applied == ["upstream.loud"] and made.skipped == {"x.failing": "gone"}
    revert(made)


def test_an_object_may_shadow_its_class_until_reverted():
    class Loader:
        def render(self):
            return "stock"

    loader = Loader()
    made = apply([Change("x.shadow", "", lambda app: [shadow(loader, "render", lambda: "cached")])])
    assert loader.render() == "cached" and Loader().render() == "stock"
    revert(made)
    assert loader.render() == "stock" and "render" not in vars(loader)
    assert shadow(loader, "render", None).stock is ABSENT


def test_every_change_is_in_place_on_the_pinned_releases():
    """Each is written against the versions pyproject.toml pins: on them,
    every plan succeeds (a new release shows here first). The Sphinx
    changes need a build, and are checked by the Sphinx tier's tests."""
    without_app = [c for c in compat.CHANGES.values() if not c.name.startswith("sphinx.")]
    made = apply(without_app)
    try:
        assert made.skipped == {} and made.applied == [c.name for c in without_app]
    finally:
        revert(made)


def test_a_change_in_force_is_not_made_again_over_itself(module):
    """Two builds at once (or one that never ended): the second does not
    take the first's change for the stock code."""
    def quiet():
        return Change("upstream.quiet", "", lambda app: [replace(module, "greet", lambda name: "")])

    stock = module.greet
    first = apply([quiet()])
    second = apply([quiet()])
    assert second.applied == [] and "made already" in second.skipped["upstream.quiet"]
    revert(second)
    revert(first)
    assert module.greet is stock


def test_a_change_that_cannot_be_made_whole_is_undone(module):
    class Frozen:
        __slots__ = ()

    stock = module.greet

    def plan(app):
        return [replace(module, "greet", lambda name: name),
                Assignment(Frozen(), "anything", 1, None)]   # refused by the object

    made = apply([Change("x.half", "", plan)])
    assert made.applied == [] and "AttributeError" in made.skipped["x.half"]
    assert module.greet is stock
