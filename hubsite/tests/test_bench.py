"""A tiny-scale run of `manage.py bench` (the real 100x network is for `make bench`, not for tests)."""

import os
import subprocess
import sys
from pathlib import Path

from hubsite.core.bench import Bench, bench_database_name

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_bench_command_builds_a_small_network_and_prints_the_table():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="hubsite.settings.test")
    env.pop("HUBSITE_TEST_DB_NAME", None)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "bench",
            "--scale",
            "0.005",
            "--repeat",
            "1",
            "--apps",
            "reports",
            "mutualaid",
            "--drop",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "Building took" in out
    assert "reports: " in out and " values" in out
    assert "mutualaid: " in out and " assessments" in out
    for label in (
        "grid page",
        "review queue",
        "figures export CSV",
        "page/SQL",
        "reminder sweep (creates all)",
        "mutualaid: eligibility overview",
        "mutualaid: overview, first after a change",
    ):
        assert label in out
    assert "goal ms" in out and "measures pass." in out
    overview = next(line for line in out.splitlines() if line.startswith("mutualaid: overview, first after"))
    assert " 500 " in overview and ("PASS" in overview or "FAIL" in overview)
    assert "Dropped hubsite_bench_0_005" in out


def test_the_bench_database_is_separate_and_named_after_the_scale():
    assert bench_database_name("hubsite", 1.0) == "hubsite_bench"
    assert bench_database_name("hubsite", 0.01) == "hubsite_bench_0_01"


def test_ratios_and_percentiles_are_computed_from_the_samples():
    bench = Bench(scale=0.01, out=lambda line: None)
    bench.time("fast", lambda: None, repeat=3)
    bench.results["fast"].median_ms = 10
    bench.time("slow", lambda: None, repeat=3)
    bench.results["slow"].median_ms = 25
    assert bench.ratio("slow", "fast") == 2.5
    assert bench.n_orgs == 10 and bench.n_centres == 16


def test_a_measure_passes_or_fails_against_its_goal_and_pages_against_their_size():
    from hubsite.core.bench import PAGE_SIZE_GOAL_KIB, Result

    assert Result("page", "page", 90, 140, 5, goal_ms=150, size_kib=40).verdict == "PASS"
    assert Result("page", "page", 90, 151, 5, goal_ms=150, size_kib=40).verdict == "FAIL"
    assert Result("heavy", "page", 90, 100, 5, goal_ms=150, size_kib=PAGE_SIZE_GOAL_KIB + 1).verdict == "FAIL"
    assert Result("sweep", "call", 900, 1000).verdict == ""


def test_only_keeps_the_measures_whose_label_has_one_of_the_words():
    printed = []
    bench = Bench(scale=0.01, out=printed.append, repeat=1, only=["grid", "Partner Home"])
    assert bench.wants("grid page (1 year, 100 of all orgs)")
    assert bench.wants("partner home")
    assert not bench.wants("review queue")
    assert bench.time("review queue", lambda: None) is None
    assert bench.time("grid page", lambda: None).label == "grid page"
    assert list(bench.results) == ["grid page"]
    assert bench.ratio("grid page", "grid SQL") is None  # the SQL was left out: no ratio, no error
    assert Bench(only=[]).wants("anything")
