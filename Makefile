# flowreport: build, test, render.
#   make report   install what is missing, build in release mode, render reports/lognormal.yaml
#   make test     install what is missing, run the whole test suite
#   make gallery  render every shipped spec and the plot gallery
#   make bench    run the speed and memory benchmarks (release mode)
#   make fuzz     fuzz check/run/sample/eval with mutants of reports/*.yaml for SECONDS (default 60)

SWIFT      ?= swift
RELEASE    := $(SWIFT) build -c release
BIN        := .build/release
APT_PKGS   := libcairo2-dev libpng-dev pkg-config poppler-utils fonts-dejavu-core
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test report gallery bench fuzz clean

## Install the Debian packages a fresh machine lacks (Cairo and libpng headers, pkg-config, poppler, DejaVu).
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

bench: deps
	$(RELEASE) --product flowbench
	$(BIN)/flowbench bench

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
