"""`make bench` (python -m bench): speed and memory at trust and national scale.

Builds a demo store (trust scale) and a national-scale store (bench.national) in a temporary
folder, then measures, with medians of several runs and the floor measured in the same run:
page script runs (bench.pages), imports (bench.imports), the difference-in-differences with
bootstrap (bench.analysis_speed), the Streamlit server's peak memory (bench.memory) and the
hostile files through the importer (bench.hostile).
Writes bench/results/speed.json and hostile.json and regenerates BENCHMARKS.md from every
results file
(the long reliability and simulation runs have their own targets: see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from streamlit.logger import set_log_level

from bench import analysis_speed, hostile, imports, machine, memory, national, pages, report

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--schools", type=int, default=22000, help="national-scale schools")
    args = parser.parse_args(argv)
    set_log_level("error")
    started = time.perf_counter()
    result: dict = {"machine": machine.describe(), "runs": args.runs}
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        from impact import demo

        print("building the demo store (trust scale) …", flush=True)
        demo_db = tmp / "demo.duckdb"
        demo.build(demo_db, force=True, directory=tmp / "demo_files")
        print("building the national-scale store …", flush=True)
        national_db = tmp / "national.duckdb"
        t0 = time.perf_counter()
        result["national_rows"] = national.build(national_db, schools=args.schools)
        result["national_build_s"] = time.perf_counter() - t0

        print("page speed …", flush=True)
        result["bare_script"] = pages.bare_script(args.runs)
        result["pages_trust"] = pages.page_times(demo_db, args.runs)
        result["pages_national"] = pages.page_times(national_db, args.runs)
        print("import speed …", flush=True)
        result["imports"] = imports.run(runs=max(3, args.runs // 2))
        print("analysis speed …", flush=True)
        result["analysis"] = analysis_speed.run(national_db, runs=max(3, args.runs // 2))
        print("server memory at national scale …", flush=True)
        result["memory"] = memory.server_memory(national_db)
    print("hostile files …", flush=True)
    hostile_result = hostile.run()
    result["seconds"] = time.perf_counter() - started
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hostile.json").write_text(json.dumps(hostile_result, indent=2, default=str),
                                          encoding="utf-8")
    (RESULTS / "speed.json").write_text(json.dumps(result, indent=2, default=str),
                                        encoding="utf-8")
    text = report.write()
    print(report.speed_section(result))
    print(f"BENCHMARKS.md updated ({len(text.splitlines())} lines); "
          f"took {result['seconds']:.0f} s")
    return result


if __name__ == "__main__":
    main()
