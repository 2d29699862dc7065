"""The benchmark scripts of `make bench` (bench/run.sh runs them)."""
