# The two commands of the README. Each installs what it needs first (and skips what is there).
.PHONY: run test bench

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# Not one of the two commands: release build and load tests, figures in BENCHMARKS.md.
bench:
	bash scripts/bench.sh
