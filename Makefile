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
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread $(WARN) $(CFLAGS) \
             $(shell $(PKG_CONFIG) --cflags gsl zlib)
LIBS = $(shell $(PKG_CONFIG) --libs gsl zlib) -lcsv -lm -pthread

ifeq ($(SANITIZE),1)
  OPT = -O1 -g -fno-omit-frame-pointer
  ALL_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=address,undefined
  BUILD = build/asan
else ifeq ($(SANITIZE),thread)
  # ThreadSanitizer: the threads that read in parts share nothing unlocked
  OPT = -O1 -g -fno-omit-frame-pointer
  ALL_CFLAGS += -fsanitize=thread
  LDFLAGS += -fsanitize=thread
  BUILD = build/tsan
else
  BUILD = build/release
endif

# src/core: arrays in, status codes out; src/input: bytes to batches;
# src/output: tables, reports, figures; src/cli: the commands
# (doc/DESIGN.md).
LIB_SRC = $(filter-out src/cli/main.c,$(wildcard src/*/*.c src/*/*/*.c))
LIB_OBJ = $(LIB_SRC:src/%.c=$(BUILD)/%.o)
HEADERS = $(wildcard src/*/*.h src/*/*/*.h)
UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_OBJ = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%.o)
BIN = $(BUILD)/flstat
UNIT = $(BUILD)/check_flstat

.PHONY: all check unit cli replay tsan fuzz demo deps install uninstall clean bench

all: flstat

flstat: $(BIN)
	cp $(BIN) $@

deps:
	@FLSTAT_VALGRIND_DEPS=$(if $(filter 1,$(VALGRIND)),1,0) scripts/install-deps.sh

# The array math must vectorize; it raises no floating-point flags we read.
$(BUILD)/core/vmath.o $(BUILD)/core/summary.o $(BUILD)/core/sweep.o \
    $(BUILD)/core/loss_terms.o: ALL_CFLAGS += -O3 -fno-trapping-math
# FMA, where vmath.c builds for it (see there); -Wno-psabi: GCC's note on
# the vector ABI of GCC 4.6 concerns calls across objects, and its vector
# helpers are static
$(BUILD)/core/vmath.o: ALL_CFLAGS += -ffp-contract=fast -Wno-psabi
# The row loops of the input layer hold more than the registers do: GCC
# then spills less where it schedules before allocating registers, minding
# their pressure, and without global CSE (about 2% fewer instructions a
# row).
READER_SCHED := $(shell $(CC) -fsched-pressure -fschedule-insns -fno-gcse \
    -x c -c /dev/null -o /dev/null 2>/dev/null && \
    echo -fsched-pressure -fschedule-insns -fno-gcse)
INPUT_OBJ = $(filter $(BUILD)/input/%,$(LIB_OBJ))
$(INPUT_OBJ): ALL_CFLAGS += -O3 $(READER_SCHED)

$(BUILD)/%.o: src/%.c $(HEADERS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

$(BUILD)/unit/%.o: tests/unit/%.c $(HEADERS) $(wildcard tests/unit/*.h) tests/unit/suites.def | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc $(shell $(PKG_CONFIG) --cflags check) -c $< -o $@

$(BUILD)/libflstat.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BIN): $(BUILD)/cli/main.o $(BUILD)/libflstat.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(UNIT): $(UNIT_OBJ) $(BUILD)/libflstat.a
	$(CC) $(LDFLAGS) -o $@ $^ $(shell $(PKG_CONFIG) --libs check) $(LIBS)

# FLSTAT_REFERENCE: the reference vectors (default: the copy in tests/reference).
FLSTAT_REFERENCE ?= $(abspath tests/reference)
export FLSTAT_REFERENCE

check: unit cli replay

# The 100-million-row totals test runs 10 million rows under the sanitizers.
# The suites run side by side, one a core (CK_RUN_SUITE picks one): under
# ASan they take minutes, one after another.
SUITES = $(shell sed -n 's/^FL_SUITE(\(.*\))/\1/p' tests/unit/suites.def)
JOBS := $(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
unit: $(UNIT)
	echo $(SUITES) | tr ' ' '\n' | CK_FORK=yes CK_DEFAULT_TIMEOUT=600 \
	    $(if $(filter 1,$(SANITIZE)),FLSTAT_BIG_ROWS=10000000) \
	    xargs -P $(JOBS) -I{} env CK_RUN_SUITE={} $(UNIT)

# Every CLI test twice: with the fast line reader and inputs read on several
# threads in parts of 4 MiB; then with libcsv alone, in parts of 50 bytes
# (cut after every record or two).  Under the sanitizers and valgrind, which
# cost 0.1 to 1 s a run, the second pass runs the files about reading alone
# (READER_TESTS; the others read small files the first pass reads the same
# way), and valgrind, which also runs threads one at a time, has
# test_parts cut each case one way, in parts of 500 bytes.
# scripts/valgrind-subset.sh checks with gcov that valgrind's runs reach
# every line of src/ that the two full passes reach.
READER_TESTS = badinput threads wide softmax summarize reference
CHECKED = $(filter 1 thread,$(SANITIZE))$(filter 1,$(VALGRIND))
cli: $(BIN) | deps
	tests/cli/run.sh $(BIN) $(if $(filter 1,$(VALGRIND)),--valgrind)
	$(if $(CHECKED),T_ONLY="$(READER_TESTS)") \
	    FLSTAT_LIBCSV_ONLY=1 FLSTAT_PART_BYTES=$(if $(filter 1,$(VALGRIND)),500,50) \
	    tests/cli/run.sh $(BIN) $(if $(filter 1,$(VALGRIND)),--valgrind)

# The tests of reading in parts under ThreadSanitizer, inputs cut every 50
# bytes so that the threads overlap as much as they can.
tsan: | deps
	$(MAKE) SANITIZE=thread build/tsan/flstat
	T_ONLY="parts threads output" FLSTAT_PART_BYTES=50 \
	    tests/cli/run.sh build/tsan/flstat

# Fuzzing (clang's libFuzzer): make fuzz FUZZ_SECONDS=N runs each harness of
# tests/fuzz for N seconds from its seeds; crashing inputs land in build/fuzz.
# make check replays tests/fuzz/seeds and tests/fuzz/regress (kept crashes).
FUZZERS = reader options numparse
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread -g -O1 \
             -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
             -Isrc \
             $(shell $(PKG_CONFIG) --cflags gsl zlib)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) $(HEADERS)
	@FLSTAT_FUZZ_DEPS=1 scripts/install-deps.sh
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $< $(LIB_SRC) -o $@ $(LIBS)

fuzz: $(FUZZERS:%=build/fuzz/fuzz_%)
	for f in $(FUZZERS); do \
	    mkdir -p build/fuzz/corpus-$$f && \
	    build/fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        $$([ $$f = options ] && echo -close_fd_mask=2) \
	        -artifact_prefix=build/fuzz/$$f- build/fuzz/corpus-$$f \
	        tests/fuzz/seeds/$$f || exit 1; \
	done

$(BUILD)/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(BUILD)/libflstat.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $^ $(LDFLAGS) $(LIBS)

# The harnesses' messages for inputs they refuse are captured and compared
# with tests/fuzz/expect/NAME.stderr, so that a passing check is quiet.
replay: $(FUZZERS:%=$(BUILD)/replay_%)
	for f in $(FUZZERS); do \
	    err=$(BUILD)/replay_$$f.stderr; \
	    $(BUILD)/replay_$$f $$(find tests/fuzz/seeds/$$f tests/fuzz/regress/$$f \
	        -type f 2>/dev/null | LC_ALL=C sort) 2>$$err || \
	        { cat $$err >&2; exit 1; }; \
	    cmp -s tests/fuzz/expect/$$f.stderr $$err || \
	        { echo "replay: $$f: stderr is not tests/fuzz/expect/$$f.stderr:" >&2; \
	          diff -a tests/fuzz/expect/$$f.stderr $$err >&2; exit 1; }; \
	done

# The README's quick start: builds ./flstat, which its next commands run.
demo: flstat
	./flstat summarize data/sample.csv.gz

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
