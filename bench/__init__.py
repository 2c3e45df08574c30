"""Benchmarks and long-running checks: `make bench` (python -m bench) prints figures and ratios.

Speed and memory targets live here, never in timed unit tests. Published figures and how to
reproduce them: BENCHMARKS.md.
"""
