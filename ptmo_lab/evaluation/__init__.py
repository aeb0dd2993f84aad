"""Evaluation: leakage scoring, privacy attacks, benchmark suite and profiler."""
