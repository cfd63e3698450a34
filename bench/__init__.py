"""`make bench` (``python -m bench.run_all``): figures printed and appended to RESULTS.md."""
