# pgkeel build.
#
#   make            build build/pgkeel
#   make check      install missing dependencies, build, run unit tests (plain
#                   and under ASan+UBSan), the layering and docs' links
#                   checks, the integration tests and the package check
#                   (deb-check)
#   make unit       unit tests only (plain and sanitized)
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (mk/fuzz.mk)
#   make docs       rewrite the parts of docs/ generated from src/'s tables
#                   (src/docgen/docgen.h; a unit test checks them)
#   make demo       run a local monitor and two data nodes (scripts/demo)
#   make bench      benchmarks, written to docs/benchmarks.md
#   make bench-etcd the etcd control plane next to the postgres store
#                   (bench/etcd_control_plane.py), into docs/benchmarks.md
#   make bench-compare  the same faults with pg_auto_failover and Patroni
#   make install    the binary, man pages, bash completion, the systemd
#                   template unit and the docs under $(DESTDIR)$(PREFIX)
#                   (default /usr/local)
#   make deb        the Debian package build/deb/pgkeel_VERSION_amd64.deb
#   make deb-check  builds, installs, tries and removes that package
#                   (root; part of `make check`)
#   make clean
#
# Dependencies are Debian packages installed by scripts/install-deps.

CC      ?= cc
PYTHON  ?= /usr/bin/python3
PKGS    := libpq libmicrohttpd jansson inih libcurl ncursesw openssl
# Compiled against but loaded only when first used (src/common/dynlib.h):
# the HTTP API's, the etcd driver's and `pgkeel watch`'s libraries.
LOADED_PKGS := libmicrohttpd libcurl ncursesw
BUILD   := build

# Recursive (=) on purpose: pkg-config runs only when a recipe needs the
# flags, after `make check`/`make demo` have installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(LOADED_PKGS),$(PKGS)))

# snprintf into fixed buffers is how this code bounds every string on
# purpose; GCC's guesses about possible truncation are not defects.
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral \
           -Wno-format-truncation
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS  ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -Isrc $(PKG_CFLAGS) -MMD -MP
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all

LIB_SRCS  := $(filter-out src/main.c,$(wildcard src/*/*.c))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRCS))

OBJ      := $(BUILD)/obj
SAN      := $(BUILD)/san
LIB_OBJS := $(patsubst src/%.c,$(OBJ)/%.o,$(LIB_SRCS))
SAN_OBJS := $(patsubst src/%.c,$(SAN)/%.o,$(LIB_SRCS))

.PHONY: security faults-fast all unit unit-plain unit-san check integration faults integration-slow demo demo-etcd bench \
        bench-compare bench-etcd \
        deps layering docs clean install deb deb-check

PREFIX ?= /usr/local
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/pgkeel

all: $(BUILD)/pgkeel

$(OBJ)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(SAN)/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"
	@$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/libpgkeel.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libpgkeel-san.a: $(SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/pgkeel: $(OBJ)/main.o $(BUILD)/libpgkeel.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# A test's own helper files besides tests/unit/test_NAME.c.
UNIT_EXTRA_test_store_contract := tests/unit/store_drivers.c \
    tests/unit/store_contract_ops.c tests/unit/store_contract_lease.c \
    tests/unit/store_contract_slots.c
$(BUILD)/unit/test_store_contract $(BUILD)/unit-san/test_store_contract: \
    tests/unit/store_drivers.c tests/unit/store_drivers.h \
    tests/unit/store_contract_ops.c tests/unit/store_contract_lease.c \
    tests/unit/store_contract_slots.c tests/unit/store_contract.h

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/libpgkeel.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(UNIT_EXTRA_$*) $(BUILD)/libpgkeel.a \
	    -lcmocka $(PKG_LIBS) -lm

$(BUILD)/unit-san/%: tests/unit/%.c $(BUILD)/libpgkeel-san.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< $(UNIT_EXTRA_$*) \
	    $(BUILD)/libpgkeel-san.a -lcmocka $(PKG_LIBS) -lm

unit-plain: $(addprefix $(BUILD)/unit/,$(UNIT_NAMES))
	@scripts/run-unit $(BUILD)/unit $(UNIT_NAMES)

unit-san: $(addprefix $(BUILD)/unit-san/,$(UNIT_NAMES))
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    scripts/run-unit $(BUILD)/unit-san $(UNIT_NAMES)

unit: unit-plain unit-san

# Reads the compiled objects for the calls between files (the script);
# then every relative link of the Markdown files; then the return
# contracts of the headers (docs/architecture.md).
layering: $(LIB_OBJS)
	@scripts/check-layering $(OBJ)
	@$(PYTHON) scripts/check-doc-links
	@$(PYTHON) scripts/check-contracts

# The generated parts of docs/ (tests/unit/test_docs.c fails while one
# differs from what this writes).
docs: $(BUILD)/gendocs
	@$(BUILD)/gendocs

$(BUILD)/gendocs: scripts/gendocs.c $(BUILD)/libpgkeel.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libpgkeel.a $(PKG_LIBS) -lm

deps:
	@scripts/install-deps --quiet

# The README's test command. Installs what is missing, then runs everything
# that fits in a CI run: the fast scenarios of the network fault suite
# included; the whole fault matrix is `make faults`.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory layering
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory security
	@$(MAKE) --no-print-directory faults-fast
	@$(MAKE) --no-print-directory deb-check

# two at a time (pytest-xdist): most of a test's time is spent waiting
# for servers and timeouts, and each test has its own directory and ports
integration: all $(BUILD)/unit/test_store_contract $(BUILD)/unit/test_etcd_rbac
	@scripts/run-integration tests/integration -m "not slow" -n 2

# the long variants of cases `make check` covers (marked slow)
integration-slow: all $(BUILD)/unit/test_store_contract $(BUILD)/unit/test_etcd_rbac
	@scripts/run-integration tests/integration -m slow

# Attacks replayed against real formations (docs/security.md).
security: all
	@scripts/run-integration tests/security

faults-fast: all
	@scripts/run-integration tests/faults -m fast

faults: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-integration tests/faults

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo

# the same formation on three etcd members and two monitors (docs/etcd.md)
demo-etcd: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo start --store etcd

bench: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) bench/run.py

# the etcd store (three members, two monitors) against the postgres store:
# failover and switchover, monitor takeover, both at once (docs/etcd.md)
bench-etcd: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) bench/etcd_control_plane.py

# pgkeel side by side with pg_auto_failover and Patroni (with etcd), which
# the script installs from Debian's packages when missing (not `deps`).
bench-compare: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) bench/compare.py

# Man pages, completion and the template unit are written by the binary
# from its own command tables (src/cli/cligen.h), never kept by hand.
install: all
	install -D -m 0755 $(BUILD)/pgkeel $(DESTDIR)$(PREFIX)/bin/pgkeel
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(SYSTEMD_UNITDIR) $(DESTDIR)$(DOCDIR)/docs
	$(BUILD)/pgkeel __generate man $(DESTDIR)$(MANDIR)/man1
	$(BUILD)/pgkeel __generate bash-completion \
	    > $(DESTDIR)$(BASHCOMPDIR)/pgkeel
	$(BUILD)/pgkeel show systemd --template --exec $(PREFIX)/bin/pgkeel \
	    > $(DESTDIR)$(SYSTEMD_UNITDIR)/pgkeel@.service
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)
	install -m 0644 docs/*.md $(DESTDIR)$(DOCDIR)/docs

# The package, built from what `make all` built (debian/rules).
deb: all
	@scripts/build-deb $(BUILD)/deb

deb-check: deb
	@scripts/deb-check $(BUILD)/deb

clean:
	rm -rf $(BUILD)

include mk/fuzz.mk

-include $(LIB_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(OBJ)/main.d $(BUILD)/gendocs.d
