"""Every example of every facts rule (pipelines/rules/examples/), run through the real stages; and the rule files
failing loudly, naming file and line, on a bad row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.documents import Document
from pipelines.extract import extract_document
from pipelines.facts import rules
from pipelines.facts.examples import RULES, Example, load_examples
from pipelines.rulefiles import RuleFileError

EXAMPLES = load_examples()
RULES_DIR = Path(rules.__file__).parent.parent / "rules"


def _document(example: Example) -> Document:
    text, doc = example.text, example.document
    return Document(
        doc_id="example", source_file=example.path.name, source_files=(example.path.name,), part=1, file_start=0,
        file_end=len(text), text=text, title=doc["title"], issuer=None, published_date=doc["published_date"],
        index_number=None,
        doc_type=doc["doc_type"], region=doc["region"], region_level="city", province="安徽省",
        report_year=doc["report_year"], encoding="utf-8",
    )


def _same(got: object, expected: object) -> bool:
    if isinstance(expected, float) or isinstance(got, float):
        return got == pytest.approx(expected, rel=1e-9)
    return got == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"{e.group}/{e.rule}:{e.line}" for e in EXAMPLES])
def test_rule_example(example: Example):
    facts = extract_document(_document(example))[3]
    where = f"{example.path}:{example.line}"
    got = [{name: getattr(fact, name) for name in expected} for fact, expected in zip(facts, example.facts)]
    assert len(facts) == len(example.facts), f"{where}: {len(facts)} facts, expected {len(example.facts)}: {facts}"
    for fact, expected in zip(got, example.facts):
        assert all(_same(fact[k], v) for k, v in expected.items()), f"{where}: got {fact}, expected {expected}"
    field = {"construction": "construction", "kind": "kind_source"}.get(example.group)
    if facts and field and not any(field in expected for expected in example.facts):  # else the example says
        assert any(getattr(f, field) == example.rule for f in facts), f"{where}: no fact read by {example.rule}"


def test_every_rule_has_its_examples():
    have = {(e.group, e.rule) for e in EXAMPLES}
    assert [(group, rule) for group, names in RULES.items() for rule in names if (group, rule) not in have] == []


# ---- the rule files fail loudly -------------------------------------------------------------------------------

def _copy_rules(tmp_path: Path) -> Path:
    for name in ("indicators.csv", "facts_codes.csv", "cues.toml", "units.csv"):
        shutil.copy(RULES_DIR / name, tmp_path / name)
    return tmp_path


def _replace(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file and return the line it is on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def _load(folder: Path) -> None:
    codes = rules.load_codes(folder / "facts_codes.csv", folder / "units.csv")
    rules.load_phrases(codes, folder / "indicators.csv")
    rules.load_cues(codes, folder / "cues.toml")


def test_the_real_rule_files_load(tmp_path):
    _load(_copy_rules(tmp_path))


@pytest.mark.parametrize(("old", "new", "says"), [
    (",rd_expenditure,\n", ",rd_expenditre,\n", "'rd_expenditre' is no code"),  # a misspelled code
    (",rd_expenditure,\n", ",none,\n", "'none' is no code"),                    # a sentinel string
    (",rd_intensity,rd_expenditure|~rd\n", ",rd_intensity,rd_expenditure|~rdd\n", "after names '~rdd'"),
])
def test_a_bad_phrase_row_names_file_and_line(tmp_path, old, new, says):
    folder = _copy_rules(tmp_path)
    line = _replace(folder / "indicators.csv", old, new)
    with pytest.raises(RuleFileError, match=says) as error:
        _load(folder)
    assert str(error.value).startswith(f"{folder / 'indicators.csv'}:{line}:")


@pytest.mark.parametrize(("old", "new", "says"), [
    ("\ngrowth = [", "\ngrowht = [", "unknown key 'growht' in \\[measure\\]"),     # a misspelled cue key
    ("\nforecast = [", "\nforcast = [", "unknown key 'forcast' in \\[kind\\]"),
    ('"上半年" = "H1"', '"上半年" = "first_half"', "'first_half' is no period"),  # a stray marker
    ("\nhigh_tech_enterprises_new = [", "\nhigh_tech_enterprise_new = [", "unknown key 'high_tech_enterprise_new'"),
    ('"新认定", ', '"", ', "blank"),                                              # an empty cue word
])
def test_a_bad_cue_names_file_and_line(tmp_path, old, new, says):
    folder = _copy_rules(tmp_path)
    line = _replace(folder / "cues.toml", old, new) + old.startswith("\n")
    with pytest.raises(RuleFileError, match=says) as error:
        _load(folder)
    assert str(error.value).startswith(f"{folder / 'cues.toml'}:{line}:")


def test_a_bad_code_row_names_file_and_line(tmp_path):
    folder = _copy_rules(tmp_path)
    line = _replace(folder / "facts_codes.csv", "rd_expenditure,CNY,,true,", "rd_expenditure,CNY,,yes,")
    with pytest.raises(RuleFileError, match="statistical_lag must be true or false") as error:
        _load(folder)
    assert str(error.value).startswith(f"{folder / 'facts_codes.csv'}:{line}:")


def test_a_misspelled_example_key_names_file_and_line(tmp_path):
    from pipelines.facts.examples import load_examples

    (tmp_path / "construction").mkdir()
    (tmp_path / "construction" / "phrase_before.toml").write_text(
        '[[example]]\ntext = "一、工作成效\\n全市高新技术企业达到1511家。"\n[[example.facts]]\nindicatr = "x"\n',
        encoding="utf-8")
    with pytest.raises(RuleFileError, match="unknown key 'indicatr'"):
        load_examples(tmp_path)
    (tmp_path / "construction" / "phrase_befor.toml").write_text('[[example]]\ntext = "x"\n', encoding="utf-8")
    (tmp_path / "construction" / "phrase_before.toml").unlink()
    with pytest.raises(RuleFileError, match="no construction rule is named 'phrase_befor'"):
        load_examples(tmp_path)


def test_needs_only_spare_calls(monkeypatch):
    """What a construction, kind or year rule declares it needs only spares calls: with every rule tried on every
    figure, every example reads the same facts."""
    from pipelines.facts import constructions, when

    documents = [_document(example) for example in EXAMPLES]
    declared = [extract_document(doc)[3] for doc in documents]
    monkeypatch.setattr(constructions, "CONSTRUCTIONS",
                        tuple(c._replace(needs=0) for c in constructions.CONSTRUCTIONS))
    monkeypatch.setattr(when, "KIND_RULES", tuple((name, rule, 0) for name, rule, _ in when.KIND_RULES))
    monkeypatch.setattr(when, "YEAR_RULES", tuple((name, rule, 0) for name, rule, _ in when.YEAR_RULES))
    assert [extract_document(doc)[3] for doc in documents] == declared
