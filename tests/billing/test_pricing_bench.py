"""The engine benchmark's output, which scripts parse."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*arguments: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "billing.pricing.bench", "--count", "20", "--runs", "1", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def test_json_output_is_one_line_with_the_rate():
    lines = run_bench("--json").splitlines()

    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report["cdrs_per_second"] > 0
    assert report["runs"] == 1 and report["count"] == 20


def test_text_output_stays_the_default():
    output = run_bench()

    assert re.fullmatch(
        r"price_cdr: [\d,]+ CDRs/s on one core \([\d.]+ µs per CDR; best of 1 runs of 20\)\n",
        output,
    )
