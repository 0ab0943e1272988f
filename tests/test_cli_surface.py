"""The CLI is quiet and safe: a build prints its start line and summary, not Dagster's log lines (unless
--verbose); --version and --help say what they should; --workers 0 is refused."""

from __future__ import annotations

import pytest

from pipelines.cli import main
from tests.conftest import SAMPLE_CORPUS


def test_a_build_prints_its_summary_and_no_dagster_log_lines(tmp_path, capfd):
    assert main(["build", "--raw-dir", str(SAMPLE_CORPUS), "--warehouse", str(tmp_path / "w.duckdb")]) == 0
    out, err = capfd.readouterr()
    assert "facts " in out and "checks " in out and "zhibiao: building" in err
    assert " - dagster - " not in out + err


def test_verbose_shows_dagster_log_lines(tmp_path, capfd):
    assert main(["build", "--raw-dir", str(SAMPLE_CORPUS), "--warehouse", str(tmp_path / "w.duckdb"),
                 "--verbose", "--workers", "1"]) == 0
    assert " - dagster - " in capfd.readouterr().err


def test_workers_zero_is_refused(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["build", "--workers", "0"])
    assert stop.value.code == 2 and "must be 1 or more" in capsys.readouterr().err


def test_version_and_help_with_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("zhibiao 0.")
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    assert "(default: 50)" in text and "zhibiao.duckdb)" in text and "--verbose" in text
