# tests/fuzz/fuzz.mk — fuzz targets, included by the Makefile.
#
# `make fuzz FUZZ_SECONDS=N` builds one libFuzzer binary per reader with
# clang (ASan + UBSan, in $(FUZZ_B)) and runs each for N seconds from a
# temporary copy of its seed corpus tests/fuzz/corpus/<target>/, stopping
# at the first crash with the reproducer's path.  `make fuzz-regress`
# (part of `make test`) links the same targets with a plain driver and the
# ordinary compiler, and replays every seed and every malformed-input file
# of the target's reader, so regressions are caught without clang.

FUZZ_SECONDS ?= 30
FUZZ_B       ?= build-fuzz
# The GAP file target joins once models/gap_file.h exists (it calls
# cpt_gap_file_parse).
FUZZ_TARGETS := doctors patients slots availability history pinned config \
                nrp nrp_roster rpps communes territory \
                $(if $(wildcard models/gap_file.h),gap)

# Malformed-input folders replayed besides tests/fuzz/corpus/<target>.
FUZZ_REGRESS_doctors      := tests/data/malformed/doctors \
                             $(wildcard tests/data/good/doctors_*)
FUZZ_REGRESS_patients     := tests/data/malformed/patients \
                             $(wildcard tests/data/good/patients_*)
FUZZ_REGRESS_slots        := $(wildcard tests/data/rota/malformed/slots_*)
FUZZ_REGRESS_availability := \
  $(wildcard tests/data/rota/malformed/availability_*)
FUZZ_REGRESS_history      := $(wildcard tests/data/rota/malformed/history_*)
FUZZ_REGRESS_pinned       := $(wildcard tests/data/rota/malformed/pinned_*)
FUZZ_REGRESS_config       := tests/data/config
FUZZ_REGRESS_nrp          := tests/data/nrp/malformed
FUZZ_REGRESS_nrp_roster   := tests/data/nrp/malformed_roster
FUZZ_REGRESS_rpps         := tests/data/rpps
FUZZ_REGRESS_communes     := tests/data/malformed/communes
FUZZ_REGRESS_territory    := tests/data/territories
FUZZ_REGRESS_gap          := \
  $(wildcard tests/data/gap/*.txt tests/data/gap/malformed)

FUZZ_CFLAGS  := -O1 -fno-omit-frame-pointer \
                -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_LDFLAGS := -fopenmp -fsanitize=fuzzer,address,undefined

.PHONY: fuzz fuzz-build fuzz-bins fuzz-regress fuzz-clean

fuzz: fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_B)/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# clang's warnings differ from gcc's: the fuzz build does not make them
# errors (make and make asan still do).
fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=clang OPT="$(FUZZ_CFLAGS)" \
	  WARN="$(filter-out -Werror,$(WARN))" LDFLAGS="$(FUZZ_LDFLAGS)" fuzz-bins

fuzz-bins: $(FUZZ_TARGETS:%=$(B)/fuzz/fuzz_%)

FUZZ_COMMON := $(B)/tests/fuzz/fuzz_common.o $(B)/libcptsopt.a
.SECONDARY: $(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%.o) \
            $(B)/tests/fuzz/fuzz_common.o $(B)/tests/fuzz/regress_main.o

$(B)/fuzz/fuzz_%: $(B)/tests/fuzz/fuzz_%.o $(FUZZ_COMMON)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/fuzz/regress_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/regress_main.o \
                     $(FUZZ_COMMON)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz-regress: $(FUZZ_TARGETS:%=$(B)/fuzz/regress_%)
	@$(foreach t,$(FUZZ_TARGETS),$(B)/fuzz/regress_$(t) \
	  tests/fuzz/corpus/$(t) $(FUZZ_REGRESS_$(t)) &&) true

test: fuzz-regress

clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_B)

-include $(wildcard $(B)/tests/fuzz/*.d)
