"""Every process that serves the site collects garbage as ``hubsite.apps`` says (issue #19: the p95 of
a page was twice its median because of full collections over the start-up heap)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from hubsite.apps import GC_THRESHOLDS

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_process_that_loads_the_site_freezes_its_start_up_objects_and_collects_young_ones_less_often():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="hubsite.settings.test")
    probe = (
        "import gc, json, django; before = gc.get_threshold(); django.setup(); "
        "print(json.dumps([before, gc.get_threshold(), gc.get_freeze_count()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    before, after, frozen = json.loads(result.stdout)
    assert before == [700, 10, 10]
    assert tuple(after) == GC_THRESHOLDS
    assert frozen > 10_000  # modules, models, settings: the start-up heap is out of the collector's way
