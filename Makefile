# flowreport: build, test, render.
#   make report   install what is missing, build in release mode, render reports/lognormal.yaml
#   make test     install what is missing, run the whole test suite
#   make gallery  render every shipped spec and the plot gallery
#   make bench    run the speed and memory benchmarks (release mode), then issue 13's table:
#                 whole flowreport runs at 10^4, 10^7, 10^9 samples against the numpy reference
#                 script (installs numpy, scipy and matplotlib with pip for $(PYTHON) if missing)
#   make bench-peers  training speed and quality against normflows, zuko and torchcfm in the same
#                 run (issues 10 and 12; a virtualenv .venv-bench with torch 2.13 CPU, installed
#                 if missing; PEER_FLAGS=--full for the issues' iteration counts); also run by bench
#   make fuzz     fuzz check/run/sample/eval with mutants of reports/*.yaml for SECONDS (default 60)

SWIFT      ?= swift
# The Swift runtime, standard library and Foundation linked statically into the release tools
# (issue 13): the dynamic loader binds a dozen fewer libraries at every start, about 8 ms of
# CPU and 4 MiB less per flowreport run; Cairo, libpng and the C library stay shared.
RELEASE    := $(SWIFT) build -c release --static-swift-stdlib
BIN        := .build/release
APT_PKGS   := libcairo2-dev libpng-dev pkg-config poppler-utils fonts-dejavu-core libopenblas-dev
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTHON     ?= python3
# The numpy + scipy + matplotlib peer of reports/lognormal.yaml (shared/bench, beside the repo).
REFERENCE  ?= ../shared/bench/reference_lognormal.py

.PHONY: deps build test report gallery bench bench-venv bench-peers fuzz clean

## Install the Debian packages a fresh machine lacks (Cairo and libpng headers, pkg-config, poppler, DejaVu,
## OpenBLAS for the fitted networks' matrix products).
deps:
	@missing=""; \
	for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(RELEASE) --product flowreport

test: deps
	$(SWIFT) test

report: build
	$(BIN)/flowreport run reports/lognormal.yaml
	@echo "report: reports/lognormal/index.html (also report.md, report.pdf, metrics.json)"

gallery: build
	$(BIN)/flowreport run reports/*.yaml
	$(RELEASE) --product flowbench
	$(BIN)/flowbench gallery gallery
	@echo "reports: reports/index.html; plot gallery: gallery/"

## Benchmarks: flowbench (kernels, the pass and its per-phase breakdown, plots; the numpy peer
## measured in the same run by Scripts/numpy_peer.py), then the table of whole processes.
bench: deps
	$(RELEASE) --product flowreport
	$(RELEASE) --product flowbench
	@$(PYTHON) -c "import numpy, scipy, matplotlib" 2>/dev/null || $(PYTHON) -m pip install --quiet numpy scipy matplotlib
	FLOWBENCH_PYTHON=$(PYTHON) $(BIN)/flowbench bench
	@if [ -f $(REFERENCE) ]; then $(PYTHON) Scripts/bench_table.py $(BIN)/flowreport $(REFERENCE); \
	else echo "bench: no $(REFERENCE), table of whole processes skipped"; fi
	@$(MAKE) --no-print-directory bench-peers

## The training peers (issues 10 and 12) in their own virtualenv, versions pinned (torch 2.13 CPU as a
## constraint, so that no other package upgrades it); installed only when missing, never by `make test`.
BENCH_VENV ?= .venv-bench
PEER_PKGS  := torch==2.13.0+cpu normflows==1.7.3 zuko==1.6.0 torchcfm==1.0.7 POT==0.9.7.post1 torchdyn==1.0.6
PEERS      ?= ../shared/bench
PEER_FLAGS ?=
bench-venv:
	@$(BENCH_VENV)/bin/python -c "import torch, normflows, zuko, torchcfm, ot, torchdyn.core; assert torch.__version__ == '2.13.0+cpu'" 2>/dev/null || { \
	  echo "bench-venv: installing $(PEER_PKGS) into $(BENCH_VENV)"; \
	  $(PYTHON) -m venv $(BENCH_VENV) && echo "torch==2.13.0+cpu" > $(BENCH_VENV)/constraints.txt && \
	  $(BENCH_VENV)/bin/pip install --quiet -c $(BENCH_VENV)/constraints.txt $(PEER_PKGS) && \
	  $(BENCH_VENV)/bin/pip uninstall --quiet -y torchvision; }
# torchdyn pulls in PyPI's torchvision, built for a CUDA torch: with the CPU torch its operators are
# missing and torchmetrics (imported by torchdyn through pytorch-lightning) fails on import; without
# torchvision, torchmetrics skips its image metrics and the peers run.

## Ours beside each peer, workload by workload, the same iterations (Scripts/peer_bench.py).
bench-peers: deps bench-venv
	$(RELEASE) --product flowbench
	$(PYTHON) Scripts/peer_bench.py $(BIN)/flowbench $(BENCH_VENV)/bin/python $(PEERS) $(PEER_FLAGS)

## Mutation fuzzing (release mode): every distinct crash, hang or success on nonsense is written
## with its input to fuzz-findings/; exits 1 when there is any. make fuzz SECONDS=600 FUZZ_SEED=2
SECONDS    ?= 60
FUZZ_SEED  ?= 1
fuzz: deps
	$(RELEASE) --product flowreport
	$(RELEASE) --product flowfuzz
	$(BIN)/flowfuzz --seconds $(SECONDS) --seed $(FUZZ_SEED) --binary $(BIN)/flowreport --findings fuzz-findings reports/*.yaml

clean:
	rm -rf .build
