# dc-tools.  make [all|check|install|clean|bench|faults|crash]; make check SAN=1
PROGS   = dc-add dc-grep dc-check dc-count dc-budget dc-fmt dc-report
CORE    = util fault escape record reader journal text number schema table group grid registry filter sha256 select period figure compute render
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

check: all faults
	PATH="$(CURDIR)/bin:$$PATH" $(BATS) tests

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

clean:
	rm -rf build $(BIN) bin/faults

FORCE:
.PHONY: all check bench install clean faults crash FORCE
.SECONDARY:
