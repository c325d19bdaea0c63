# casetrail: the two commands of the README are `make demo` and `make test`.
# Both install missing system packages first (scripts/deps.sh), then
# configure and build with CMake.

BUILD ?= build
PREFIX ?= /usr/local
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps build test demo pack-preview report-preview bench soak fuzz valgrind install clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	sh examples/demo.sh $(BUILD)

# A demo MAP meeting pack rendered by headless Chromium (scripts/deps.sh
# installs it): $(BUILD)/pack-preview.html, .pdf and .png.
pack-preview: build
	sh scripts/pack-preview.sh $(BUILD)/bin $(BUILD)

# The compliance report of a small store with four months of history,
# printed by headless Chromium: $(BUILD)/report-preview.html, .pdf, .png.
report-preview: build
	sh scripts/report-preview.sh $(BUILD)/bin $(BUILD)

# Benchmarks on generated stores of BENCH_CASES cases each (default 1,000
# and 100,000: about 10 minutes), every measure beside its baseline of
# the same run; the table lands in bench/results.md, the method in
# BENCHMARKS.md.  The scaling table with the 1,000,000-case tier (long,
# and about 7 GB of disk at its peak):
#   make bench BENCH_CASES="1000 10000 100000 1000000"
BENCH_CASES ?= 1000 100000
bench: build
	BENCH_CASES="$(BENCH_CASES)" bash bench/run $(BUILD)

# Longer runs than make test (docs/reliability.md).  soak-rel: 1,000
# kills of writers and 8 writers x 500 concurrent writes (make test runs
# 50 and 4 x 50); soak-sync: the parallel store-sync test with three
# clones making 2,000 changes each (tests/cli/0081); soak-property: the
# property test of tests/cli/0128 (random tool commands verify clean)
# on PROPERTY_SEEDS seeds x PROPERTY_STEPS steps per store (make test
# runs 3 x 60).
.PHONY: soak soak-rel soak-sync soak-property
soak: soak-rel soak-sync soak-property
SOAK_KILLS ?= 1000
soak-rel: build
	CT_BIN=$(abspath $(BUILD))/bin CT_FIXTURES=$(CURDIR)/tests/fixtures \
		bash tests/reliability/crash.sh $(SOAK_KILLS)
	CT_BIN=$(abspath $(BUILD))/bin CT_FIXTURES=$(CURDIR)/tests/fixtures \
		REL_WORKERS=8 REL_WRITES=500 bash tests/cli/0006-concurrency.t
soak-sync: build
	CT_BIN="$$(cd $(BUILD) && pwd)/bin" CT_SYNC_CHANGES=2000 \
		bash tests/cli/0081-store-sync-parallel.t
PROPERTY_SEEDS ?= 20
PROPERTY_STEPS ?= 300
soak-property: build
	CT_BIN=$(abspath $(BUILD))/bin CT_FIXTURES=$(CURDIR)/tests/fixtures \
		CT_PROPERTY_SEED="$$(seq -s ' ' 1 $(PROPERTY_SEEDS))" \
		CT_PROPERTY_STEPS=$(PROPERTY_STEPS) \
		bash tests/cli/0128-verify-property.t

# libFuzzer harnesses of fuzz/, FUZZ_SECONDS each, built with clang in
# their own build directory.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCASETRAIL_FUZZ=ON -DCASETRAIL_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	bash fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Valgrind memcheck over a subset of the CLI tests (the build must be
# without sanitizers).
valgrind: build
	bash tests/valgrind/run $(BUILD)

# DESTDIR is honoured by cmake --install.
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD)
