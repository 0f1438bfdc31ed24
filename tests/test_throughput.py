"""MLPerf throughput: every row resolves to a quoted source; per-MW arithmetic; the ``output`` command."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from factorycore import hardware as hw
from factorycore.throughput import ranking, system_output, systems_without_submission
from tests.test_cli_engine import run_error, run_json

DATA = __import__("pathlib").Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return pd.read_csv(DATA / "reference" / "throughput.csv")


@pytest.fixture(scope="module")
def catalog() -> dict[str, hw.Hardware]:
    return hw.catalog_from_frame(pd.read_csv(DATA / "reference" / "hardware.csv"))


@pytest.fixture(scope="module")
def sources() -> pd.DataFrame:
    return pd.read_csv(DATA / "sources.csv").set_index("source_id")


def test_every_row_resolves_to_a_quoted_source(rows, catalog, sources):
    assert len(rows) >= 10
    for row in rows.to_dict("records"):
        assert row["status"] == "reported", row  # never an estimate
        assert row["source_id"] in sources.index, row
        source = sources.loc[row["source_id"]]
        assert source["status"] in ("firm", "secondary") and source["url"].startswith("https://github.com/")
        assert row["mlperf_round"] in source["title"] and row["submitter"] == "NVIDIA"
        assert row["division"] == "closed" and "closed" in source["title"]
        # the quote holds the very number, as the results file prints it
        numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", row["quote"])]
        assert row["tokens_per_s"] in numbers, row
        assert row["mlperf_system"] in str(row["seen_at"] or "") or row["mlperf_system"] in source["url"]
        assert row["scenario"] in ("offline", "server")
        assert catalog[row["hardware_id"]].kind == "system"
        assert row["accelerators"] == catalog[row["hardware_id"]].accelerators


def test_per_mw_arithmetic_by_hand(rows, catalog):
    # GB200 NVL72: 132 kW x 1.2 = 158.4 kW = 0.1584 MW; 14,774.3 / 0.1584 = 93,272.1 tokens/s per MW;
    # 72 GPUs / 0.1584 = 454.5 GPUs per MW.
    out = system_output(rows, catalog, "gb200_nvl72", "llama3.1-405b", "offline", pue=1.2)
    assert out.tokens_per_s == 14774.3
    assert out.tokens_per_s_per_mw == pytest.approx(93272.1, abs=0.1)
    assert out.gpus_per_mw == pytest.approx(454.55, abs=0.01)
    # DGX H100 server: 21,605.79 / (10.2 x 1.4 / 1000) = 1,513,010.5 tokens/s per MW.
    h100 = system_output(rows, catalog, "dgx_h100", "llama2-70b-99.9", "server", pue=1.4)
    assert h100.tokens_per_s_per_mw == pytest.approx(21605.79 / 0.01428)


def test_default_benchmark_is_the_systems_first(rows, catalog):
    assert system_output(rows, catalog, "dgx_b200").benchmark == "llama2-70b-99"
    assert system_output(rows, catalog, "gb300_nvl72").benchmark == "llama3.1-405b"


def test_no_submission_is_never_estimated(rows, catalog):
    with pytest.raises(ValueError, match="no MLPerf submission was read for dgx_a100.*none is estimated"):
        system_output(rows, catalog, "dgx_a100")
    with pytest.raises(ValueError, match="dgx_h100 on llama3.1-405b server.*gb200_nvl72 \\(llama3.1-405b"):
        system_output(rows, catalog, "dgx_h100", "llama3.1-405b", "server")
    with pytest.raises(ValueError, match="unknown system id"):
        system_output(rows, catalog, "h100_sxm")  # an accelerator, not a system


def test_ranking_is_best_first_and_only_submitted(rows, catalog):
    ranked = ranking(rows, catalog, "llama3.1-405b", "offline", pue=1.3)
    assert set(ranked["system"]) == {"gb200_nvl72", "gb300_nvl72", "dgx_b200"}
    assert ranked["tokens_per_s_per_mw"].is_monotonic_decreasing
    missing = systems_without_submission(rows, catalog, "llama3.1-405b")
    assert "dgx_h100" in missing and "gb200_nvl72" not in missing


def test_output_command(capsys):
    data = run_json(capsys, "output", "--system", "gb200_nvl72", "--scenario", "server", "--pue", "1.2")
    assert list(data)[:7] == [
        "system",
        "benchmark",
        "scenario",
        "tokens_per_s",
        "tokens_per_s_per_mw",
        "gpus_per_mw",
        "source_id",
    ]
    assert data["benchmark"] == "llama3.1-405b" and data["tokens_per_s"] == 11614.28
    assert data["tokens_per_s_per_mw"] == pytest.approx(11614.28 / 0.1584)
    assert data["source_id"] == "mlperf_v51_nvidia_gb200_nvl72"


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["output", "--system", "dgx_a100"], "submissions exist for: dgx_b200"),
        (["output", "--system", "dgx_h100", "--benchmark", "llama3.1-405b"], "no MLPerf submission for dgx_h100"),
        (["output", "--system", "nope"], "unknown system id"),
        (["output", "--system", "dgx_h100", "--scenario", "interactive"], "invalid choice"),
    ],
)
def test_output_command_errors(capsys, argv, fragment):
    assert fragment in run_error(capsys, *argv)
