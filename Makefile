# cptsopt — plain Makefile.  `make` builds build/cptsopt and
# build/libcptsopt.a; `make test` runs the cmocka suites; `make asan` runs
# them under AddressSanitizer + UndefinedBehaviorSanitizer; `make demo` runs
# assign on the bundled example; `make bench` runs the benchmark harness.

VERSION  := 0.1.0
GIT_ID   := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
PREFIX   ?= /usr/local
DATADIR  ?= $(CURDIR)/datasets

CC       ?= cc
OPT      ?= -O2
WARN     := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Werror
CFLAGS   += -std=c11 $(OPT) -g $(WARN) -fopenmp -D_POSIX_C_SOURCE=200809L \
            -DCPT_VERSION='"$(VERSION)"' -DCPT_DATADIR='"$(DATADIR)"' -I$(B)
LDLIBS   += -lglpk -lcsv -lcjson -lm
LDFLAGS  += -fopenmp

B        ?= build
LIB_SRC  := $(sort $(wildcard models/*.c solver/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_SRC  := $(sort $(wildcard cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
TSUP_SRC := $(sort $(wildcard tests/support/*.c))
TSUP_OBJ := $(TSUP_SRC:%.c=$(B)/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(TEST_SRC:tests/%.c=$(B)/tests/%)
BENCH_SRC := $(sort $(wildcard bench/*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

DEPS_PKGS := libglpk-dev libcsv-dev libcjson-dev libcmocka-dev
DEPS_HDRS := /usr/include/glpk.h /usr/include/csv.h /usr/include/cjson/cJSON.h /usr/include/cmocka.h
# Tests only: chromium renders the HTML reports (tests/test_html.c skips
# those checks without it, and fails without it when CI is set); groff
# checks the man page (tests/test_manpage.c).
TEST_PKGS := chromium groff-base

.PHONY: FORCE all test asan demo deps deps-check test-deps-check bench bench-assign bench-depart bench-rota bench-export bench-gap bench-gap-mt clean format check-format install
.DELETE_ON_ERROR:

all: $(B)/cptsopt

# V=1 shows the full commands
Q := $(if $(V),,@)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The git id lives in a generated header rewritten only when it changes, so
# that --version names the commit the binary was built from.
$(B)/cpt_git_id.h: FORCE
	@mkdir -p $(B)
	@echo '#define CPT_GIT_ID "$(GIT_ID)"' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(B)/cli/common.o: $(B)/cpt_git_id.h
FORCE:

$(B)/libcptsopt.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/cptsopt: $(CLI_OBJ) $(B)/libcptsopt.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/libcptsopt.a $(LDLIBS)

# Tests link the CLI objects too (except main) so that they can drive
# commands end to end.
CLI_NOMAIN := $(filter-out $(B)/cli/main.o,$(CLI_OBJ))
$(B)/tests/%: tests/%.c $(TSUP_OBJ) $(CLI_NOMAIN) $(B)/libcptsopt.a
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) -Itests -o $@ $< $(TSUP_OBJ) $(CLI_NOMAIN) $(B)/libcptsopt.a $(LDLIBS) -lcmocka

$(B)/bench/%: bench/%.c $(B)/libcptsopt.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libcptsopt.a $(LDLIBS)

# The suites run from the repository root (they read tests/data/...).
test: deps-check test-deps-check $(TEST_BIN) $(B)/cptsopt
	@sh tests/run.sh $(B) $(TEST_BIN)

asan:
	$(MAKE) B=build-asan OPT="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fopenmp -fsanitize=address,undefined" test

# make fuzz, make fuzz-regress (part of make test)
include tests/fuzz/fuzz.mk

# Every suite under valgrind's memcheck (build-memcheck, -O1 -g), two at a
# time; fails on any memory error or definite/indirect leak.  Logs in
# build-memcheck/memcheck/.  tests/valgrind.supp: third-party frames only.
# Left out: test_nrp_heur (10 s of CPU natively: 30-50 times slower, its
# heuristic runs hit their 10-60 s time limits before a first roster).
MC_SKIP  := test_nrp_heur
MC_TESTS := $(filter-out $(MC_SKIP:%=build-memcheck/tests/%),$(TEST_SRC:tests/%.c=build-memcheck/tests/%))
.PHONY: memcheck
memcheck: deps-check
	$(MAKE) --no-print-directory B=build-memcheck OPT=-O1 build-memcheck/cptsopt $(MC_TESTS)
	@sh tests/memcheck.sh build-memcheck $(MC_TESTS)

# The demo: a GP of the Ouest vosgien (bundled territory vosges-rural)
# leaves; their patients are placed in three monthly waves of at most 40 new
# patients per colleague, with two alternatives each.  Then assign on the
# small Épinal example.
DEMO := $(B)/demo
demo: deps-check $(B)/cptsopt
	@mkdir -p $(DEMO)
	$(B)/cptsopt generate --territory vosges-rural --seed 1 --departures 1 --out $(DEMO)/vosges-rural
	$(B)/cptsopt depart --doctors $(DEMO)/vosges-rural/doctors.csv \
	  --patients $(DEMO)/vosges-rural/departure_patients.csv \
	  --leaving $$(sed -n 's/.*"leaving":[^"]*"\([^"]*\)".*/\1/p' $(DEMO)/vosges-rural/scenario.json) \
	  --waves 3 --max-new-per-wave 40 --proposals 3 --mip-gap 1e-4 \
	  --out $(DEMO)/placements.csv --report $(DEMO)/depart-report.json --html $(DEMO)/depart.html
	$(B)/cptsopt assign --doctors datasets/examples/doctors.csv \
	  --patients datasets/examples/patients.csv \
	  --out $(DEMO)/assignments.csv --report $(DEMO)/assign-report.json --html $(DEMO)/assign.html
	@echo "outputs in $(DEMO)/ (open depart.html and assign.html in a browser)"

bench: bench-assign bench-depart bench-rota bench-export bench-gap bench-gap-mt

bench-assign: deps-check $(B)/cptsopt $(BENCH_BIN)
	sh bench/run.sh $(B)

bench-depart: deps-check $(B)/cptsopt
	sh bench/run_depart.sh $(B)

bench-rota: deps-check $(B)/cptsopt $(BENCH_BIN)
	sh bench/run_rota.sh $(B)

# The exported models solved by COIN-OR CBC (skipped, with the install
# command, when cbc is missing).
bench-export: deps-check $(B)/cptsopt $(BENCH_BIN)
	sh bench/run_export.sh $(B)

bench-gap-mt: deps-check $(B)/cptsopt $(BENCH_BIN)
	sh bench/run_gap_mt.sh $(B)

bench-gap: deps-check $(B)/cptsopt $(BENCH_BIN)
	sh bench/run_gap.sh $(B)

# Install the Debian packages when root, else print the exact command.
deps:
	@missing=""; for h in $(DEPS_HDRS); do [ -f $$h ] || missing=1; done; \
	if [ -z "$$missing" ]; then echo "deps: all present ($(DEPS_PKGS))"; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y $(DEPS_PKGS); \
	else echo "deps: missing; run: sudo apt-get install -y $(DEPS_PKGS)"; exit 1; fi

deps-check:
	@for h in $(DEPS_HDRS); do [ -f $$h ] || { $(MAKE) --no-print-directory deps; break; }; done

test-deps-check:
	@{ command -v chromium >/dev/null || command -v chromium-browser >/dev/null; } && \
	command -v groff >/dev/null || \
	if [ "$$(id -u)" = 0 ]; then { apt-get update && apt-get install -y $(TEST_PKGS); } || \
	  echo "test: could not install $(TEST_PKGS): the browser checks of test_html and the groff check of test_manpage are skipped"; \
	else echo "test: missing chromium or groff: some checks of test_html / test_manpage are skipped (sudo apt-get install -y $(TEST_PKGS))"; fi

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) models/*.h solver/*.h cli/*.h tests/*.c

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the binary, the
# library and its headers (#include <cptsopt/cptsopt.h>), the man page and
# the bundled data, which the installed binary finds next to itself
# (PREFIX/bin/../share/cptsopt).
PUB_HDRS := $(filter-out %_internal.h,$(wildcard models/*.h solver/*.h))
MANDIR   ?= $(PREFIX)/share/man
INC      := $(DESTDIR)$(PREFIX)/include/cptsopt
SHARE    := $(DESTDIR)$(PREFIX)/share/cptsopt
$(B)/include/cptsopt.h: include/cptsopt.h
	@mkdir -p $(dir $@)
	sed 's|"\.\./|"|' $< > $@
install: $(B)/cptsopt $(B)/libcptsopt.a $(B)/include/cptsopt.h
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(INC)/models $(INC)/solver \
	  $(DESTDIR)$(MANDIR)/man1 $(SHARE)/communes $(SHARE)/territories
	install -m 755 $(B)/cptsopt $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(B)/libcptsopt.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 $(B)/include/cptsopt.h $(INC)/
	install -m 644 $(filter models/%,$(PUB_HDRS)) $(INC)/models/
	install -m 644 $(filter solver/%,$(PUB_HDRS)) $(INC)/solver/
	install -m 644 man/cptsopt.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 datasets/communes/communes.csv datasets/communes/ATTRIBUTION.md $(SHARE)/communes/
	install -m 644 datasets/territories/*.json $(SHARE)/territories/
	install -m 644 datasets/PARAMETERS.md $(SHARE)/

clean:
	rm -rf build build-asan build-memcheck

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TSUP_OBJ:.o=.d)
