"""The examples every facts rule must read right, kept as data beside the rules: `pipelines/rules/examples/
<group>/<rule>.toml`, one file per construction (`construction/`), kind rule (`kind/`) and year rule (`year/`).
Each `[[example]]` is a composed text (a heading line, then the sentence), the report it sits in (`doc_type`,
`report_year`, `region`, `title`, `published_date` (a TOML date); the defaults below; `unknown` lists those the report leaves unknown) and the facts it must
give, in text order (`[[example.facts]]`, with any of the Fact fields; `unknown` lists those that must be empty). tests/test_rule_examples.py runs them all; the loader checks every key, so a
misspelled one is an error naming the file and line.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import NamedTuple

from pipelines.facts.constructions import CONSTRUCTIONS
from pipelines.facts.engine import Fact
from pipelines.facts.when import KIND_RULES, YEAR_RULES
from pipelines.rulefiles import TomlRules

EXAMPLES_DIR = Path(__file__).parent.parent / "rules" / "examples"
# The rule names of each group: an examples file names one of them. recalled_year is the figure loop's own kind.
RULES = {
    "construction": tuple(c.name for c in CONSTRUCTIONS),
    "kind": (*(name for name, _, _ in KIND_RULES), "recalled_year"),
    "year": tuple(name for name, _, _ in YEAR_RULES),
}
DOCUMENT_DEFAULTS = {"doc_type": "summary_and_plan", "report_year": 2023, "region": "芜湖市", "title": None,
                     "published_date": None}
_FACT_FIELDS = tuple(f.name for f in fields(Fact))


class Example(NamedTuple):
    path: Path
    line: int
    group: str      # construction, kind or year
    rule: str       # the rule the file is about
    text: str
    document: dict  # doc_type, report_year, region
    facts: tuple[dict, ...]


def load_examples(root: Path = EXAMPLES_DIR) -> list[Example]:
    examples: list[Example] = []
    for group_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        group = group_dir.name
        for path in sorted(group_dir.glob("*.toml")):
            examples += _load_file(TomlRules(path), group, path.stem)
    return examples


def _load_file(toml: TomlRules, group: str, rule: str) -> list[Example]:
    if group not in RULES:
        raise toml.error((), f"{toml.path.parent.name}/ is no rule group; the groups are {', '.join(RULES)}")
    if rule not in RULES[group]:
        raise toml.error((), f"no {group} rule is named {rule!r}; they are {', '.join(RULES[group])}")
    toml.check_keys((), toml.data, ("example",))
    found = []
    for i, example in enumerate(toml.data.get("example", ())):
        line = _nth_header_line(toml, i) or toml.line_of("example")
        toml.check_keys(("example",), example, ("text", "facts", "unknown", *DOCUMENT_DEFAULTS))
        _check_unknown(toml, ("example", "unknown"), example, DOCUMENT_DEFAULTS)
        if not isinstance(example.get("text"), str) or not example["text"].strip():
            raise toml.error(("example",), f"example {i + 1} has no text")
        facts = example.get("facts", [])
        for fact in facts:
            toml.check_keys(("example", "facts"), fact, (*_FACT_FIELDS, "unknown"))
            _check_unknown(toml, ("example", "facts", "unknown"), fact, _FACT_FIELDS)
        document = {**DOCUMENT_DEFAULTS, **{k: example[k] for k in DOCUMENT_DEFAULTS if k in example}}
        document.update(dict.fromkeys(example.get("unknown", ())))
        expected = tuple({**{k: v for k, v in f.items() if k != "unknown"}, **dict.fromkeys(f.get("unknown", ()))}
                         for f in facts)
        found.append(Example(toml.path, line, group, rule, example["text"], document, expected))
    if not found:
        raise toml.error((), f"the {group} rule {rule!r} has no example")
    return found


def _check_unknown(toml: TomlRules, keys: tuple[str, ...], table: dict, allowed) -> None:
    """`unknown` lists fields that must be empty (TOML has no null): each a known field, not also given a value."""
    for name in table.get("unknown", ()):
        if name not in allowed:
            raise toml.error(keys, f"unknown lists {name!r}, which is none of {', '.join(allowed)}")
        if name in table:
            raise toml.error(keys, f"{name!r} is both given and listed as unknown")


def _nth_header_line(toml: TomlRules, n: int) -> int | None:
    """The line of the n-th `[[example]]` header (for naming a failing example)."""
    lines = [i for i, line in enumerate(toml.path.read_text(encoding="utf-8").splitlines(), 1)
             if line.strip() == "[[example]]"]
    return lines[n] if n < len(lines) else None
