# mk/fuzz.mk - libFuzzer targets for pgkeel's parsers of hostile input
# (tests/fuzz/fuzz_*.c; docs/testing.md, "Fuzzing").
#
#   make fuzz          fuzz each target for FUZZ_SECONDS (default 120);
#                      new inputs go to build/fuzz/new/<target>, crashes
#                      to build/fuzz/crash/, never into the repository
#   make fuzz-replay   replay the whole corpus (tests/fuzz/corpus) and
#                      fuzz each target for 2 s (part of `make check`)
#   make fuzz FUZZ_TARGETS=lag   one target only
#
# The library is compiled again by clang with the fuzzer's coverage
# instrumentation and ASan+UBSan into build/fuzz/obj.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 120
FUZZ         := $(BUILD)/fuzz
FUZZ_SAN     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all
FUZZ_CFLAGS   = $(CSTD) $(WARN) -Wno-unknown-warning-option -Isrc \
                $(PKG_CFLAGS) $(FUZZ_SAN) -MMD -MP
FUZZ_ALL     := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_OBJS    := $(patsubst src/%.c,$(FUZZ)/obj/%.o,$(LIB_SRCS))
FUZZ_BINS     = $(addprefix $(FUZZ)/bin/fuzz_,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build fuzz-replay

$(FUZZ)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ)/libpgkeel-fuzz.a: $(FUZZ_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(FUZZ)/bin/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h \
		$(FUZZ)/libpgkeel-fuzz.a
	@mkdir -p $(dir $@)
	@echo "  LD-FUZZ $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ)/libpgkeel-fuzz.a $(PKG_LIBS) -lm

fuzz-build: $(FUZZ_BINS)

# Each target starts from its seed corpus and the inputs it found before
# in build/fuzz/new/<target>; it stops at the first crash (exit status
# non-zero, the input in build/fuzz/crash/<target>-crash-*).
fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ)/new/$$t $(FUZZ)/crash; \
	    echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(FUZZ)/bin/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=4096 -timeout=10 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ)/crash/$$t- \
	        $(FUZZ)/new/$$t tests/fuzz/corpus/$$t \
	        >$(FUZZ)/$$t.log 2>&1 || { tail -60 $(FUZZ)/$$t.log; \
	        echo "fuzz: $$t failed, see $(FUZZ)/$$t.log"; exit 1; }; \
	    grep -E '^stat::(number_of_executed_units|new_units_added)' \
	        $(FUZZ)/$$t.log | sed "s/^/  $$t /"; \
	done

fuzz-replay:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=2

-include $(FUZZ_OBJS:.o=.d)
