"""Benchmark `luoshi report`: a mid-term report for 50 indicators and 300 measures.

The indicator table and observations are generated from the demo city table (its rows repeated
with varied targets and noisy series, every target kind present), the tasks from a fixed mix of
key areas, departments and states. Measured in the same run:

  evaluate   the baseline: `luoshi.indicators.evaluate` on the same tables (the judgement alone)
  docx/pdf/html   `evaluate_rows` + `build_report` + the renderer, end to end, charts included

Goal (issue 8): under 5 s for Word and under 15 s for PDF. Printed as seconds per format and as
the ratio to evaluating alone.

    .venv/bin/python bench/report.py [--indicators 50 --measures 300 --repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

from luoshi.indicators.evaluation import evaluate
from luoshi.indicators.interchange import read_indicators
from luoshi.indicators.model import IndicatorTable, Observations
from luoshi.reports import render
from luoshi.reports.compose import build_report
from luoshi.reports.evaluated import evaluate_rows, status_table
from luoshi.reports.model import TASK_STATES, TaskRecord

SAMPLES = Path(__file__).parent.parent / "src" / "luoshi" / "data" / "samples"
YEAR = 2028  # mid-term: three of five years elapsed
AREAS = ("现代化产业体系", "科技创新", "城乡融合发展", "绿色低碳转型", "民生保障", "安全发展")
DEPARTMENTS = tuple(
    f"市{d}"
    for d in (
        "发展改革委",
        "工业和信息化局",
        "科技局",
        "住房城乡建设局",
        "交通运输局",
        "生态环境局",
        "民政局",
        "人力资源社会保障局",
        "卫生健康委",
        "教育局",
        "商务局",
        "农业农村局",
    )
)


def tables(n: int, rng: random.Random) -> tuple[IndicatorTable, Observations]:
    """n indicators cycling through the demo table's rows, each with a noisy 2021–2028 series."""
    demo = [i for i in read_indicators(SAMPLES / "city-indicators.csv") if not i.benchmark]
    rows, obs = [], []
    for k in range(n):
        ind = demo[k % len(demo)].to_dict()
        code = f"B{k:03d}"
        ind |= {"code": code, "name": f"{ind['name']}{k // len(demo) or ''}", "benchmark": ""}
        rows.append(ind)
        base = ind["base_value"] if ind["base_value"] is not None else 5.0
        for year in range(2021, YEAR + 1):
            if ind["kind"] == "qualitative":
                obs.append({"code": code, "year": year, "judgement": "基本符合预期"})
                continue
            step = (year - 2025) * (abs(base) * 0.01 + 0.05) * rng.uniform(-0.5, 1.5)
            rate_like = ind["base_value"] is None
            value = rng.uniform(1, 7) if rate_like else base + step
            obs.append({"code": code, "year": year, "value": round(value, 2)})
    return IndicatorTable.from_rows(rows), Observations.from_rows(obs)


def tasks(n: int, rng: random.Random) -> list[TaskRecord]:
    """n measures spread over key areas and departments, some late with a reason."""
    states = list(TASK_STATES)
    out = []
    for k in range(n):
        state = rng.choices(states, weights=(4, 8, 2, 1))[0]
        out.append(
            TaskRecord(
                title=f"举措{k + 1}:推进{rng.choice(AREAS)}重点工作",
                area=rng.choice(AREAS),
                department=rng.choice(DEPARTMENTS),
                state=state,  # type: ignore[arg-type]
                is_project=k % 15 == 0,
                late_reason="前期手续办理滞后" if state == "late" else "",
            )
        )
    return out


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time of `repeat` runs, in seconds.

    CPU time is printed beside wall time because a shared machine's load inflates wall time.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--measures", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(8)
    indicators, observations = tables(args.indicators, rng)
    measures = tasks(args.measures, rng)

    def report_in(fmt: str) -> bytes:
        rows = evaluate_rows(indicators, observations, YEAR)
        report = build_report(
            "midterm",
            "示例市国民经济和社会发展第十五个五年规划纲要",
            YEAR,
            rows,
            status_table(),
            measures,
            issuer="示例市发展和改革委员会",
        )
        return render(report, fmt)

    for fmt in ("docx", "pdf", "html"):  # warm-up: imports, font lookup, template compile
        report_in(fmt)
    baseline, baseline_cpu = best(lambda: evaluate(indicators, observations, YEAR), args.repeat)
    print(
        f"mid-term report: {args.indicators} indicators, {args.measures} measures, "
        f"best of {args.repeat}"
    )
    print(f"  {'':<5} {'':>10} {'wall':>9} {'cpu':>9}")
    print(f"  {'evaluate alone':<16} {baseline:9.3f} {baseline_cpu:9.3f} s  (baseline)")
    goals = {"docx": 5.0, "pdf": 15.0, "html": None}
    for fmt, goal in goals.items():
        size = len(report_in(fmt))
        wall, cpu = best(lambda fmt=fmt: report_in(fmt), args.repeat)
        verdict = (
            "" if goal is None else f"  goal < {goal:g} s: {'met' if wall < goal else 'MISSED'}"
        )
        print(
            f"  {fmt:<5} {size / 1024:6.0f} KB {wall:9.3f} {cpu:9.3f} s  "
            f"{wall / baseline:6.0f}x evaluate (cpu {cpu / baseline_cpu:.0f}x){verdict}"
        )


if __name__ == "__main__":
    main()
