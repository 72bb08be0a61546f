# dc-tools.  make [all|check|install|clean|bench|fuzz|faults|crash]; make check SAN=1
PROGS   = dc-add dc-grep dc-check dc-count dc-budget dc-fmt dc-report
CORE    = util fault parallel escape record scan reader journal text unidata number schema table group grid registry filter sha256 select period figure compute render fmt_template
MAN1    = $(PROGS:=.1)
MAN5    = dc-format.5 dc-report.5
MAN7    = dc-tools.7

PREFIX  = /usr/local
MANDIR  = $(PREFIX)/share/man
CC      = cc
CFLAGS  = -O2
SANFLAGS_1 = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
ALLFLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror $(CFLAGS) $(SANFLAGS_$(SAN))
BATS    = bats

OBJ = $(CORE:%=build/%.o)
BIN = $(PROGS:%=bin/%)

# The fault-injection build: the programs that write, linked with
# fault.c compiled -DDC_FAULTS (only it reads that flag), for
# tests/faults.bats; never installed.
FAULT_PROGS = dc-add
FAULT_OBJ = $(filter-out build/fault.o,$(OBJ)) build/faults/fault.o
FAULT_BIN = $(FAULT_PROGS:%=bin/faults/%)
CRASH_TRIALS = 1000

all: $(BIN)

# Rebuild everything when the flags change (e.g. SAN=1 after a plain build).
build/flags: FORCE
	@mkdir -p build
	@echo '$(CC) $(ALLFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALLFLAGS) $(LDFLAGS)' > $@

build/%.o: src/%.c $(wildcard src/*.h) build/flags
	$(CC) $(ALLFLAGS) -c -o $@ $<

bin/%: build/%.o $(OBJ)
	@mkdir -p bin
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $< $(OBJ)

build/faults/fault.o: src/fault.c $(wildcard src/*.h) build/flags
	@mkdir -p build/faults
	$(CC) $(ALLFLAGS) -DDC_FAULTS -c -o $@ src/fault.c

bin/faults/%: build/%.o $(FAULT_OBJ)
	@mkdir -p bin/faults
	$(CC) $(ALLFLAGS) $(LDFLAGS) -o $@ $< $(FAULT_OBJ)

faults: $(FAULT_BIN)

# DC_TEST_CC: the compiler and flags of this build, for the tests that
# ask what it targets (tests/format.bats, the DC_SIMD paths).
check: all faults
	DC_TEST_CC='$(CC) $(ALLFLAGS)' PATH="$(CURDIR)/bin:$$PATH" $(BATS) tests

# The long kill test (tests/crash.sh); make check runs a short one.
crash: all
	PATH="$(CURDIR)/bin:$$PATH" sh tests/crash.sh $(CRASH_TRIALS)

bench: all
	sh tests/bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGS); do cp bin/$$p $(DESTDIR)$(PREFIX)/bin/; done
	for m in $(MAN1); do cp man/$$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(MAN5); do cp man/$$m $(DESTDIR)$(MANDIR)/man5/; done
	cp man/$(MAN7) $(DESTDIR)$(MANDIR)/man7/
	mkdir -p $(DESTDIR)$(PREFIX)/share/dc-tools/report
	cp src/report/* $(DESTDIR)$(PREFIX)/share/dc-tools/report/

# libFuzzer targets (clang): tests/fuzz/fuzz-NAME.c, seeds in
# tests/fuzz/corpus/NAME/, run FUZZ_TIME seconds each; what they find
# goes to build/fuzz/corpus/NAME/, the seeds stay as they are.  The core
# is built again for them, with the sanitizers, in build/fuzz/obj.
FUZZ_CC    = clang
FUZZ_TIME  = 60
FUZZ_RUNS  =
FUZZ_FLAGS = -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g -O1 \
    -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_BIN   = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_OBJ   = $(CORE:%=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJ)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@for t in $(FUZZ_BIN); do \
	    FUZZ_TIME=$(FUZZ_TIME) FUZZ_RUNS=$(FUZZ_RUNS) sh tests/fuzz/run.sh $$t || exit 1; done

clean:
	rm -rf build $(BIN) bin/faults

FORCE:
.PHONY: all check bench install clean fuzz fuzz-build faults crash FORCE
.SECONDARY:
