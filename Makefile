# flstat: build, test, install.  GSL, Check and zlib through pkg-config;
# libcsv has no .pc file, so -lcsv.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man/man1
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wformat=2
# Never -ffast-math: compensated sums depend on IEEE evaluation order.
CFLAGS ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) \
             $(shell $(PKG_CONFIG) --cflags gsl zlib)
LIBS = $(shell $(PKG_CONFIG) --libs gsl zlib) -lcsv -lm

ifeq ($(SANITIZE),1)
  OPT = -O1 -g -fno-omit-frame-pointer
  ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
  BUILD = build/asan
else
  BUILD = build/release
endif

LIB_SRC = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%.o)
BIN = $(BUILD)/flstat
UNIT = $(BUILD)/check_flstat

.PHONY: all check unit cli demo deps install uninstall clean bench

all: flstat

flstat: $(BIN)
	cp $(BIN) $@

deps:
	@scripts/install-deps.sh

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/unit/%.o: tests/unit/%.c $(wildcard src/*.h tests/unit/*.h) tests/unit/suites.def | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(shell $(PKG_CONFIG) --cflags check) -c $< -o $@

$(BUILD)/libflstat.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/main.o $(BUILD)/libflstat.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(UNIT): $(UNIT_OBJ) $(BUILD)/libflstat.a
	$(CC) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs check) $(LIBS)

# FLSTAT_REFERENCE: the reference vectors (default: the copy in tests/reference).
FLSTAT_REFERENCE ?= $(abspath tests/reference)
export FLSTAT_REFERENCE

check: unit cli

unit: $(UNIT)
	CK_FORK=yes $(UNIT)

cli: $(BIN)
	tests/cli/run.sh $(BIN) $(if $(filter 1,$(VALGRIND)),--valgrind)

demo: $(BIN)
	$(BIN) summarize data/sample.csv.gz

bench: $(BIN)
	scripts/bench.sh $(BIN)

install: flstat
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 flstat $(DESTDIR)$(BINDIR)/flstat
	install -m 644 man/flstat.1 $(DESTDIR)$(MANDIR)/flstat.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/flstat $(DESTDIR)$(MANDIR)/flstat.1

clean:
	rm -rf build flstat

# The README's gallery (doc/gallery/*.png), remade from data/sample.csv.gz.
.PHONY: gallery
gallery: $(BIN)
	scripts/gallery.sh $(BIN)
