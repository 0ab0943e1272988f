"""The facts stage: from mentions to facts. `engine` holds the figure loop, `rules` loads the rule tables of
`pipelines/rules/` once per process."""

from pipelines.facts.engine import Fact, extract_facts

__all__ = ["Fact", "extract_facts"]
