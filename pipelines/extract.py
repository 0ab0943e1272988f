"""The per-document path from text to facts: segment -> mentions -> facts.

One function, so that the Dagster asset, the benchmark and the property tests run exactly the same code.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from pathlib import Path

from pipelines.documents import Document
from pipelines.facts import Fact, extract_facts
from pipelines.mentions import Mention, extract_mentions
from pipelines.segment import Section, Sentence, segment


def extract_document(doc: Document) -> tuple[list[Section], list[Sentence], list[Mention], list[Fact]]:
    """Sections, sentences, every number, and the facts of one document."""
    # The path allocates tens of thousands of small objects per document and builds no reference cycles, so the
    # cyclic garbage collector only re-walks live objects (15-30 % of the time): it is paused, then restored.
    collecting = gc.isenabled()
    gc.disable()
    try:
        sections, sentences = segment(doc.doc_id, doc.text)
        mentions = extract_mentions(doc.doc_id, doc.text, sentences)
        facts = extract_facts(doc, sections, sentences, mentions)
    finally:
        if collecting:
            gc.enable()
    return sections, sentences, mentions, facts


# The modules whose output a build keeps from one run to the next (texts, documents, the per-document rows and the
# columns they are stored in).
_CACHED_STAGES = ("ingest", "regions", "documents", "segment", "mentions", "extract", "warehouse", "rulefiles")


@functools.cache  # the code and rules a process runs are those it imported: read them once
def extractor_version() -> str:
    """A fingerprint of the code and rules that turn a file into documents and rows. These are reused from the
    previous warehouse only when it is unchanged, so editing a rule re-reads and re-extracts everything; the later
    stages (derive, checks, views) run on every build anyway."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    # the rule files (not rules/examples/: the examples test the rules, they change no output)
    rule_files = (p for p in root.glob("rules/*") if p.is_file())
    for path in sorted([*(root / f"{name}.py" for name in _CACHED_STAGES), *root.glob("facts/*.py"),
                        *root.glob("formats/*.py"), *rule_files]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
