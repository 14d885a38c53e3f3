"""Which UI texts the code uses, and which values it passes them: read from the source.

``asibot content check`` must not trust a text's own ``vars:`` list: a text may
declare ``{cadre}`` while the call that sends it passes only ``name``, and the
mother would get an error instead of a message. So this module reads the Python
source of the packages that send texts (``flows/``, ``bot/``, ``scheduler/``) with
``ast``, never importing them (``messages/`` imports nothing of ours), and finds
every call that turns a key into a text:

- ``ctx.say(key, options=..., **values)``, ``ctx.t(key, ...)``, ``ctx.reprompt(key, ...)``
  (any receiver: these are the ``Ctx`` methods);
- ``text(key, lang, ...)`` / ``ui_text(key, lang, ...)`` imported from ``messages.texts``,
  and ``variants(key)`` (its raw texts, with no values);
- ``labels(keys, lang, "prefix")`` from ``flows.choices`` (the texts ``prefix.<key>``).

The key may be a literal, ``a if c else b``, an f-string (read as a pattern:
``f"welcome.{band}.{n}"`` uses every ``welcome.<x>.<y>``), a local name assigned
one of those in the same function, or a call given one (``welcome_key(f"...")``).
A key handed to a helper as a keyword ``<what>_key="cadre.x"`` is read with the
values of its ``<what>_values={...}`` keyword (``alert(..., note_key=...,
note_values={"staff": ...})``). A key the reader cannot follow (a parameter, a
value returned by another function) is skipped, never guessed. The values are
the keyword names of the call (``options`` excepted), plus the keys of a dict literal splatted with
``**values``; any other ``**`` splat makes the values unknown, and the use is
then not held against the text.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CODE_PACKAGES = ("flows", "bot", "scheduler")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
# Ctx methods: (first argument is the key, keyword arguments are the values).
_METHODS = frozenset({"say", "t", "reprompt"})
_TEXT_FUNCS = frozenset({"text"})  # messages.texts.text, under any local name
_NOT_VALUES = frozenset({"options"})


@dataclass(frozen=True)
class TextUse:
    """One call in the code that sends, or reads, a UI text."""

    key: str  # a literal key, or a regular expression when ``pattern``
    pattern: bool
    supplied: frozenset[str] | None  # the values passed; None when they are unknown
    path: str  # relative to the code root, e.g. flows/onboarding.py
    line: int

    def matches(self, key: str) -> bool:
        """True when this use may be of the text ``key``."""
        return re.fullmatch(self.key, key) is not None if self.pattern else self.key == key

    @property
    def shown(self) -> str:
        """The key as an editor reads it: ``welcome.*.*`` for a pattern."""
        return self.key.replace(r"\.", ".").replace("(.+)", "*") if self.pattern else self.key


def _imported_names(tree: ast.Module) -> tuple[set[str], set[str], set[str]]:
    """Local names of messages.texts.text, messages.texts.variants and flows.choices.labels."""
    text_names: set[str] = set()
    variant_names: set[str] = set()
    label_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("messages.texts", "flows.choices"):
            for alias in node.names:
                local = alias.asname or alias.name
                if node.module == "messages.texts" and alias.name in _TEXT_FUNCS:
                    text_names.add(local)
                elif node.module == "messages.texts" and alias.name == "variants":
                    variant_names.add(local)
                elif node.module == "flows.choices" and alias.name == "labels":
                    label_names.add(local)
    return text_names, variant_names, label_names


class _Scope:
    """The assignments of one function (or the module), to follow a key held in a name."""

    def __init__(self, body: ast.AST) -> None:
        self.values: dict[str, list[ast.expr]] = {}
        for node in ast.walk(body):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.values.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                if node.value is not None:
                    self.values.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.For | ast.comprehension) and isinstance(
                node.target, ast.Name
            ):
                self.values.setdefault(node.target.id, []).append(node.iter)


def _fstring_pattern(node: ast.JoinedStr) -> str | None:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(re.escape(value.value))
        else:
            parts.append("(.+)")
    # Only a pattern with a literal head names texts ("welcome.<x>"); f"{prefix}.{key}"
    # would match every text and tell nothing (labels() is read at its callers instead).
    head = node.values[0] if node.values else None
    if not (isinstance(head, ast.Constant) and isinstance(head.value, str) and "." in head.value):
        return None
    return "".join(parts)


def _keys(node: ast.expr, scope: _Scope, depth: int = 0) -> list[tuple[str, bool]]:
    """The keys (or key patterns) an expression may hold; empty when it cannot be told."""
    if depth > 4:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, False)] if _KEY_RE.match(node.value) else []
    if isinstance(node, ast.JoinedStr):
        pattern = _fstring_pattern(node)
        return [(pattern, True)] if pattern else []
    if isinstance(node, ast.IfExp):
        return _keys(node.body, scope, depth + 1) + _keys(node.orelse, scope, depth + 1)
    if isinstance(node, ast.List | ast.Tuple):
        return [k for item in node.elts for k in _keys(item, scope, depth + 1)]
    if isinstance(node, ast.Call):  # a key made from a key: welcome_key(f"welcome...", ...)
        return [k for arg in node.args if isinstance(arg, ast.Constant | ast.JoinedStr)
                for k in _keys(arg, scope, depth + 1)]
    if isinstance(node, ast.Name):
        return [k for value in scope.values.get(node.id, [])
                for k in _keys(value, scope, depth + 1)]
    return []


def _supplied(call: ast.Call, scope: _Scope) -> frozenset[str] | None:
    names = set()
    for keyword in call.keywords:
        if keyword.arg is not None:
            if keyword.arg not in _NOT_VALUES:
                names.add(keyword.arg)
            continue
        # **values: the keys of the dict literal assigned to that name, else unknown
        splat = keyword.value
        dicts = scope.values.get(splat.id, []) if isinstance(splat, ast.Name) else []
        if not dicts or not all(isinstance(d, ast.Dict) for d in dicts):
            return None
        for found in dicts:
            assert isinstance(found, ast.Dict)
            for key in found.keys:
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    return None
                names.add(key.value)
    return frozenset(names)


def _uses_in(tree: ast.Module, rel: str) -> list[TextUse]:
    text_names, variant_names, label_names = _imported_names(tree)
    uses: list[TextUse] = []
    # every call with its innermost enclosing function (or the module), in one walk
    calls: list[tuple[ast.Call, ast.AST]] = []
    stack: list[tuple[ast.AST, ast.AST]] = [(tree, tree)]
    while stack:
        parent, owner = stack.pop()
        for child in ast.iter_child_nodes(parent):
            inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else owner
            if isinstance(child, ast.Call):
                calls.append((child, owner))
            stack.append((child, inner))
    scopes: dict[int, _Scope] = {}

    def scope_of(owner: ast.AST) -> _Scope:
        if id(owner) not in scopes:
            scopes[id(owner)] = _Scope(owner)
        return scopes[id(owner)]

    for node, owner in sorted(calls, key=lambda c: (c[0].lineno, c[0].col_offset)):
        func = node.func
        method = isinstance(func, ast.Attribute) and func.attr in _METHODS
        name = func.id if isinstance(func, ast.Name) else ""
        if not node.args:
            uses += _handed_on(node, rel)
            continue
        if method or name in text_names:
            scope = scope_of(owner)
            uses += [TextUse(key, pattern, _supplied(node, scope), rel, node.lineno)
                     for key, pattern in _keys(node.args[0], scope)]
        elif name in variant_names:
            uses += [TextUse(key, pattern, None, rel, node.lineno)
                     for key, pattern in _keys(node.args[0], scope_of(owner))]
        elif name in label_names and len(node.args) >= 3:
            prefix = node.args[2]
            if isinstance(prefix, ast.Constant) and isinstance(prefix.value, str):
                uses.append(TextUse(re.escape(prefix.value + ".") + "(.+)", True,
                                    frozenset(), rel, node.lineno))
        else:
            uses += _handed_on(node, rel)
    return uses


def _handed_on(call: ast.Call, rel: str) -> list[TextUse]:
    """A key handed to a helper: ``alert(..., note_key="cadre.x", note_values={"staff": s})``.

    By the code's convention a keyword ``<what>_key`` holds a text key and the keyword
    ``<what>_values`` (a dict literal, or absent: none) the values it is sent with.
    """
    found = []
    keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
    for arg, value in keywords.items():
        if not (arg.endswith("_key") and isinstance(value, ast.Constant)
                and isinstance(value.value, str) and _KEY_RE.match(value.value)):
            continue
        values = keywords.get(arg[: -len("_key")] + "_values")
        supplied: frozenset[str] | None = frozenset()
        if isinstance(values, ast.Dict):
            names = [k.value for k in values.keys
                     if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            supplied = frozenset(names) if len(names) == len(values.keys) else None
        elif values is not None:
            supplied = None
        found.append(TextUse(value.value, False, supplied, rel, call.lineno))
    return found


def text_uses(code_root: Path, packages: tuple[str, ...] = CODE_PACKAGES) -> list[TextUse]:
    """Every UI text use found in the packages under ``code_root``, in file and line order."""
    uses: list[TextUse] = []
    for package in packages:
        for path in sorted((code_root / package).rglob("*.py")):
            stat = path.stat()
            rel = path.relative_to(code_root).as_posix()
            uses += _file_uses(str(path), rel, stat.st_mtime_ns, stat.st_size)
    return sorted(uses, key=lambda u: (u.path, u.line, u.key))


@lru_cache(maxsize=1024)
def _file_uses(path: str, rel: str, _mtime_ns: int, _size: int) -> tuple[TextUse, ...]:
    """The uses in one file, read again only when the file changes."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=rel)
    except SyntaxError:
        return ()  # not ours to judge here; the test suite and ruff will say
    return tuple(_uses_in(tree, rel))
