"""How a change to another project's code is made safely: checked first,
applied whole, reverted whole.

A :class:`Change` is written against one release of another project's code.
Its ``plan`` function looks up everything the change replaces or relies on,
checks that each piece is the code it was written against (the SHA-256 of
its source, whole), and returns the assignments to make, without making any;
anything unexpected (a missing module or name, a source that cannot be read,
a different hash) raises :class:`Unavailable` with the reason, and the stock
code runs. :func:`apply` plans every change asked for before it assigns
anything, so that no change is ever half made; :func:`revert` puts the stock
code back. A build applies the changes it asks for when its builder starts
and reverts them when it ends (``edition.sphinxext.compat``).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any


class Unavailable(Exception):
    """The code a change relies on is not the code it was written against."""


@dataclass(frozen=True)
class Assignment:
    """``setattr(owner, name, value)``, with the value it replaces."""

    owner: Any
    name: str
    value: Any
    stock: Any


@dataclass(frozen=True)
class Change:
    """One change to another project's code (see the module's docstring).

    ``plan`` takes the running Sphinx application (None outside a build) and
    returns the assignments to make, or raises :class:`Unavailable`."""

    name: str            # "weasyprint.page-styles": the project, then what it changes
    summary: str         # what it does, in a line
    plan: Callable[[Any], list[Assignment]]
    speedup: bool = True  # False: it changes what is made (a typesetting rule), not how fast
    builders: tuple[str, ...] = ()   # the Sphinx builders it serves (none named: every one)
    per_build: bool = False  # its plan depends on the build (the application): not kept


@dataclass
class Report:
    """What :func:`apply` did: the changes made, and those skipped, with why."""

    applied: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    _made: list[Assignment] = field(default_factory=list, repr=False)


def apply(changes: Iterable[Change], app: Any = None) -> Report:
    """Plan each change, then make every change whose plan succeeded. A
    change whose names another report still in force has replaced (a build
    that never ended) is not made again over it."""
    report = Report()
    planned: list[tuple[Change, list[Assignment]]] = []
    replaced = {(id(a.owner), a.name) for made in _in_force for a in made._made}
    for change in changes:
        try:
            assignments = _plan(change, app)
        except Unavailable as exc:
            report.skipped[change.name] = str(exc)
            continue
        except Exception as exc:   # noqa: BLE001 — a plan assigns nothing: whatever trips it, stock code runs
            report.skipped[change.name] = f"{type(exc).__name__}: {exc}"
            continue
        if any((id(a.owner), a.name) in replaced for a in assignments):
            report.skipped[change.name] = "made already, by a build that has not ended"
            continue
        planned.append((change, assignments))
    for change, assignments in planned:
        made: list[Assignment] = []
        try:
            for assignment in assignments:
                setattr(assignment.owner, assignment.name, assignment.value)
                made.append(assignment)
        except Exception as exc:   # noqa: BLE001 — undone whole: no change is left half made
            _undo(made)
            report.skipped[change.name] = f"{type(exc).__name__}: {exc}"
            continue
        report._made.extend(made)
        report.applied.append(change.name)
    if report._made:
        _in_force.append(report)
    return report


def prepare(changes: Iterable[Change]) -> None:
    """Plan ahead the changes whose plan does not depend on the build (a
    process that will build loads them while it waits; reading and hashing
    sources, compiling rewritten code). Nothing is assigned; a plan that
    fails is tried, and reported, again by :func:`apply`."""
    for change in changes:
        if not change.per_build:
            try:
                _plan(change, None)
            except Exception:   # apply() says why
                pass


# Plans made before: change → (what the plan looked up, its assignments).
_plans: dict[Change, tuple[list[tuple[str, tuple[str, ...], Any]], list[Assignment]]] = {}
_looked_up: list[tuple[str, tuple[str, ...], Any]] | None = None


def _plan(change: Change, app: Any) -> list[Assignment]:
    """The change's plan; one made before is used again while everything it
    looked up, and every name it replaces, is still what it was."""
    global _looked_up
    if change.per_build:
        return change.plan(app)
    known = _plans.get(change)
    if known is not None and _still(*known):
        return known[1]
    _looked_up = []
    try:
        planned = change.plan(app)
        _plans[change] = (_looked_up, planned)
    finally:
        _looked_up = None
    return planned


def forget() -> None:
    """Forget the plans made before: the next :func:`apply` plans anew."""
    _plans.clear()


def _still(looked_up: list, assignments: list[Assignment]) -> bool:
    try:
        return (all(look_up(module, *path) is value for module, path, value in looked_up)
                and all(getattr(a.owner, a.name, ABSENT) is a.stock for a in assignments))
    except Unavailable:
        return False


def revert(report: Report) -> None:
    """Put back the stock code :func:`apply` replaced, last change first."""
    _undo(report._made)
    report._made.clear()
    _in_force[:] = [made for made in _in_force if made is not report]


def _undo(assignments: list[Assignment]) -> None:
    for assignment in reversed(assignments):
        if assignment.stock is ABSENT:
            delattr(assignment.owner, assignment.name)
        else:
            setattr(assignment.owner, assignment.name, assignment.stock)


def in_force() -> list[Report]:
    """The reports of the changes made and not yet reverted, oldest first (a
    build reverts its own when it ends; a Sphinx application made and never
    built, as tests make them, leaves its changes here)."""
    return list(_in_force)


_in_force: list[Report] = []


# -- What a plan uses to check and to build its assignments -----------------------------

def look_up(module: str, *path: str) -> Any:
    """``module.path[0].path[1]…``, or :class:`Unavailable` naming what is missing."""
    try:
        value: Any = importlib.import_module(module)
    except ImportError as exc:
        raise Unavailable(f"{module} cannot be imported ({exc})") from None
    for name in path:
        try:
            value = getattr(value, name)
        except AttributeError:
            raise Unavailable(f"{module}.{'.'.join(path)} does not exist") from None
    if _looked_up is not None:
        _looked_up.append((module, path, value))
    return value


def source(code: Any) -> str:
    """The source of a function or class, or :class:`Unavailable`."""
    try:
        return inspect.getsource(code)
    except (OSError, TypeError) as exc:
        raise Unavailable(f"the source of {_name(code)} cannot be read ({exc})") from None


def expect(code: Any, sha256: str) -> str:
    """The source of ``code``, if it is the source a change was written against."""
    text = source(code)
    if hashlib.sha256(text.encode()).hexdigest() != sha256:
        raise Unavailable(f"{_name(code)} is not the code this change was written against")
    return text


def replace(owner: Any, name: str, value: Any) -> Assignment:
    """An assignment of ``value`` to ``owner.name``, which must exist."""
    try:
        stock = getattr(owner, name)
    except AttributeError:
        raise Unavailable(f"{_name(owner)}.{name} does not exist") from None
    return Assignment(owner, name, value, stock)


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()   # the stock "value" of a name the owner did not have


def add(owner: Any, name: str, value: Any) -> Assignment:
    """An assignment of a name ``owner`` does not have yet (rewritten code
    may need one in its module); :func:`revert` removes it."""
    if hasattr(owner, name):
        raise Unavailable(f"{_name(owner)}.{name} exists already")
    return Assignment(owner, name, value, ABSENT)


def shadow(instance: Any, name: str, value: Any) -> Assignment:
    """An assignment that gives one object its own ``name`` in place of its
    class's; :func:`revert` removes it, and the class's shows again."""
    if not hasattr(instance, name):
        raise Unavailable(f"{_name(type(instance))}.{name} does not exist")
    if name in vars(instance):
        raise Unavailable(f"{_name(type(instance))}.{name} is replaced on this object already")
    return Assignment(instance, name, value, ABSENT)


def rewritten(module: ModuleType, function: Any, sha256: str,
              replacements: list[tuple[str, str]]) -> Any:
    """``function`` (of ``module``, or a method of a class in it) defined
    again from its own source with each ``old`` text replaced by ``new``,
    if its whole source is the one the replacements were written against.
    It runs in the module's own globals, so it calls whatever the module
    holds at the time (a name it needs that the module lacks is one more
    assignment of the plan); its tracebacks keep the module's file and line
    numbers. Nothing is assigned here."""
    text = expect(function, sha256)
    for old, new in replacements:
        if text.count(old) != 1:   # a mistake in the change itself, not a new release
            raise Unavailable(f"a replacement does not occur once in {_name(function)}")
        text = text.replace(old, new)
    first_line = inspect.getsourcelines(function)[1]
    defined: dict[str, Any] = {}
    exec(compile("\n" * (first_line - 1) + textwrap.dedent(text), module.__file__, "exec"),
         vars(module), defined)
    return defined[function.__name__]


def _name(code: Any) -> str:
    module = getattr(code, "__module__", None) or getattr(code, "__name__", "")
    return f"{module}.{getattr(code, '__qualname__', '')}".rstrip(".")
