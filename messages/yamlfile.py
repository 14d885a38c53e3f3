"""Line-aware YAML loading for the content files.

PyYAML silently keeps the last of two equal keys in a mapping, which would let a
copied-and-edited tip hide its twin. This loader records every duplicate key and
keeps the line number of every mapping, list and key, so the content checker can
point an editor at ``path:line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in the content, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class LineMap(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def __init__(self) -> None:
        super().__init__()
        self.key_lines = {}

    def line_of(self, key: Any) -> int:
        """Line of ``key`` in the file, or the mapping's own line if the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.item_lines = []


@dataclass(frozen=True)
class Duplicate:
    """A key that appears twice in one YAML mapping."""

    key: Any
    line: int
    first_line: int


@dataclass
class YamlDocument:
    """The parsed data of one file and the duplicate keys met while parsing it."""

    data: Any
    duplicates: list[Duplicate] = field(default_factory=list)


class YamlFileError(Exception):
    """The file is not valid YAML; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader that builds LineMap/LineList and collects duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Duplicate] = []


def _construct_map(loader: _LineLoader, node: MappingNode) -> LineMap:
    loader.flatten_mapping(node)  # resolves YAML merge keys (<<) like SafeLoader does
    result = LineMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise YamlFileError(line, f"a mapping key must be a plain value, not {key!r}") from None
        if key in result:
            loader.duplicates.append(Duplicate(key, line, result.key_lines[key]))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: _LineLoader, node: SequenceNode) -> LineList:
    result = LineList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)  # type: ignore[arg-type]
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)  # type: ignore[arg-type]


def parse_yaml(text: str) -> YamlDocument:
    """Parse YAML text into LineMap/LineList data, collecting duplicate keys.

    Raises YamlFileError (with the line of the error) when the text is not YAML.
    """
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise YamlFileError(line, f"YAML does not parse: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlFileError(0, f"YAML does not parse: {exc}") from None
    finally:
        loader.dispose()
    return YamlDocument(data, loader.duplicates)


def load_yaml(path: Path) -> YamlDocument:
    """Read and parse one YAML file (UTF-8); see parse_yaml."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFileError(0, f"file is not UTF-8: {exc}") from None
    return parse_yaml(text)
