# brief — build, test and install. See README.md.
VERSION = 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/brief
MANDIR = $(PREFIX)/share/man/man1
DOCDIR = $(PREFIX)/share/doc/brief

CC ?= cc
PKGS = cairo freetype2 libcmark-gfm yaml-0.1 harfbuzz harfbuzz-subset nettle jansson shapelib fribidi libpng libjpeg libdeflate
WARN = -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion \
       -Wmissing-prototypes -Wstrict-prototypes -Wwrite-strings -Wvla \
       -Wformat=2 -Wundef
OPT ?= -O2 -g
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DBRIEF_VERSION='"$(VERSION)"' \
            -DBRIEF_FONTDIR='"$(DATADIR)/fonts"' -DBRIEF_MAPDIR='"$(DATADIR)/mappings"' \
            -DBRIEF_LOCALEDIR='"$(DATADIR)/locale"' \
            -DBRIEF_TEMPLATEDIR='"$(DATADIR)/templates"' -DBRIEF_DOCDIR='"$(DOCDIR)"'
CFLAGS += -std=c11 $(OPT) $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Libraries are linked from their static archives where Debian ships one,
# so that a run loads 13 shared objects instead of 37 (start-up: README,
# Performance); a missing archive falls back to the shared library. Those
# that harfbuzz and libharu, which have no archives, load themselves
# (freetype, libpng, zlib and what they pull in) stay shared: one copy of
# each in the process. STATIC= (empty) links everything shared.
STATIC ?= 1
SHARED_ONLY = freetype png16 z m harfbuzz harfbuzz-subset hpdf glib-2.0 gobject-2.0
# cairo's own dependencies, which its archive needs after it.
CAIRO_DEPS = pixman-1 fontconfig expat Xrender Xext X11 xcb-shm xcb-render xcb Xau Xdmcp
ARCHIVE_DIRS = /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null) /usr/lib /usr/local/lib
lib_archive = $(firstword $(wildcard $(addsuffix /lib$(1).a,$(ARCHIVE_DIRS))))
link_lib = $(if $(and $(STATIC),$(filter-out $(SHARED_ONLY),$(1)),$(call lib_archive,$(1))),-l:lib$(1).a,-l$(1))
LIBS_SHARED = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lhyphen -lunistring -lz -lm
# (A group: archives in any order, such as cmark-gfm's two.)
LDLIBS += -Wl,--start-group \
	$(foreach f,$(LIBS_SHARED),$(if $(filter -l%,$(f)),$(call link_lib,$(f:-l%=%)),$(f))) \
	$(if $(findstring -l:libcairo.a,$(call link_lib,cairo)),$(foreach l,$(CAIRO_DEPS),$(call link_lib,$(l)))) \
	-Wl,--end-group -pthread
# Everything shared: for the injector, which must wrap only brief's calls.
LDLIBS_SHARED = $(LIBS_SHARED) -pthread

BUILD ?= build
SRCS = $(filter-out src/main.c,$(wildcard src/*.c))
OBJS = $(SRCS:src/%.c=$(BUILD)/%.o)
LIB = $(BUILD)/libbrief.a
TEST_SRCS = $(wildcard tests/unit/test_*.c)
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# The text engine's standalone demo, run by tests/cli/text.sh.
TEXT_DEMO = $(BUILD)/tests/text_demo
# brief with the allocation-failure injector, for tests/cli/allocfail.sh.
AF_LITE = $(BUILD)/tests/brief-allocfail

.PHONY: print-ldlibs all deps test-deps test asan valgrind clean install uninstall report reports bench fuzz allocfail

all: deps brief

deps:
	@tools/deps.sh build

test-deps:
	@tools/deps.sh test

brief: $(BUILD)/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(OBJS)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -o $@ $< $(LIB) $(LDLIBS) -lcsv -lcmocka

$(TEXT_DEMO): tests/text/demo.c $(LIB) tests/unit/text_fonts.h | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -Isrc -Itests/unit -o $@ $< $(LIB) $(LDLIBS)

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

test: test-deps brief $(TEST_BINS) $(TEXT_DEMO) $(AF_LITE)
	@BUILD=$(BUILD) tests/run.sh

# Tests under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' brief-asan test-asan

brief-asan: $(BUILD)/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $(BUILD)/brief $^ $(LDLIBS)

test-asan: test-deps brief-asan $(TEST_BINS) $(TEXT_DEMO) $(AF_LITE)
	@BUILD=$(BUILD) BRIEF=$(BUILD)/brief BRIEF_FONTS=$(CURDIR)/fonts tests/run.sh

# Allocation-failure injection: brief under ASan/UBSan with every
# allocation its own code makes wrapped (tests/shim/allocfail.c); each one
# of a few small runs fails in turn and must end in exit 3, "out of
# memory", no crash and no leak (tests/allocfail.sh; ALLOCFAIL_JOBS=N).
# Linked shared (STATIC=): only brief's own calls are wrapped, not those
# inside libraries that would come from their archives.
AF_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup
allocfail: test-deps
	$(MAKE) BUILD=build-allocfail STATIC= OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' brief-allocfail
	@BRIEF=build-allocfail/brief BRIEF_FONTS=$(CURDIR)/fonts tests/allocfail.sh

brief-allocfail: $(BUILD)/main.o $(LIB) tests/shim/allocfail.c
	$(CC) $(CFLAGS) $(LDFLAGS) $(AF_WRAP) -o $(BUILD)/brief $(BUILD)/main.o \
		tests/shim/allocfail.c $(LIB) $(LDLIBS)

# The same injector for `make test` (tests/cli/allocfail.sh runs a sample):
# linked from the objects every build has, with LeakSanitizer only, and
# shared, as above.
$(AF_LITE): $(BUILD)/main.o $(LIB) tests/shim/allocfail.c | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -fsanitize=leak $(AF_WRAP) -o $@ $(BUILD)/main.o \
		tests/shim/allocfail.c $(LIB) $(LDLIBS_SHARED)

# Tests with every brief process and unit test under valgrind memcheck.
valgrind: test-deps brief $(TEST_BINS) $(TEXT_DEMO)
	@BUILD=$(BUILD) VALGRIND=1 tests/run.sh

report: all
	./brief build layouts/karabakh.md

# Every layout's PDF, rebuilt only when its inputs changed (make -j works).
LAYOUTS = $(wildcard layouts/*.md)
REPORTS = $(LAYOUTS:layouts/%.md=reports/%.pdf)
reports: $(REPORTS)

reports/%.pdf: layouts/%.md brief $(wildcard datasets/*.csv datasets/vocabulary.yaml) $(wildcard fonts/*)
	@mkdir -p reports
	./brief build --if-changed -q -o $@ $<

# Timings and peak memory against the performance targets (not a test).
bench: all
	@tools/bench.sh

# The libraries brief links with (tools/bench.sh links an empty program
# with them to measure what loading them costs).
print-ldlibs:
	@echo $(LDFLAGS) $(LDLIBS)

clean:
	rm -rf build build-asan build-fuzz build-allocfail brief

# The installed binary is linked afresh from main.c and cmd_init.c (the
# files that compile in directories) so that its font, template and doc
# directories are this PREFIX's, whatever PREFIX ./brief was built with. DOCDIR mirrors the source tree (README.md, docs/,
# datasets/ with the data dictionary, layouts/karabakh.md), so its links
# work and it is itself a sample project: copy it and build the layout.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR)/mappings $(DESTDIR)$(DATADIR)/locale $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/datasets $(DESTDIR)$(DOCDIR)/datasets/geo \
		$(DESTDIR)$(DOCDIR)/layouts
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $(BUILD)/brief-install src/main.c src/cmd_init.c $(LIB) $(LDLIBS)
	install -m 755 $(BUILD)/brief-install $(DESTDIR)$(BINDIR)/brief
	install -m 644 fonts/*.ttf fonts/fonts.conf fonts/COPYRIGHT-noto.txt $(DESTDIR)$(DATADIR)/fonts/
	install -m 644 mappings/*.yaml $(DESTDIR)$(DATADIR)/mappings/
	install -m 644 locale/*.yaml $(DESTDIR)$(DATADIR)/locale/
	if [ -f brief.1 ]; then install -m 644 brief.1 $(DESTDIR)$(MANDIR)/brief.1; fi
	cd templates && find . -type d -exec install -d '$(DESTDIR)$(DATADIR)/templates/{}' ';'
	cd templates && find . -type f -exec sh -c 'for f; do m=644; [ -x "$$f" ] && m=755; \
		install -m $$m "$$f" "$$0/$$f"; done' '$(DESTDIR)$(DATADIR)/templates' '{}' +
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md docs/*.png $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 datasets/README.md datasets/*.csv $(DESTDIR)$(DOCDIR)/datasets/
	install -m 644 datasets/geo/* $(DESTDIR)$(DOCDIR)/datasets/geo/
	install -m 644 layouts/karabakh.md $(DESTDIR)$(DOCDIR)/layouts/

# Removes what install put there: brief's own directories and two files.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/brief $(DESTDIR)$(MANDIR)/brief.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR)

# libFuzzer targets for the CSV and layout parsers and whole documents
# typeset to PDF (clang), run for FUZZ_SECONDS each; corpora grow in
# build-fuzz/, seeds in tests/fuzz/corpus.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -O1 -g $(WARN) $(FUZZ_SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	-DFUZZ_DATA_DIR='"$(CURDIR)/tests/layouts/data"' -DFUZZ_FONT_DIR='"$(CURDIR)/fonts"'
FUZZ_OBJS = $(SRCS:src/%.c=build-fuzz/%.o)

fuzz: build-fuzz/fuzz_csv build-fuzz/fuzz_layout build-fuzz/fuzz_vocab build-fuzz/fuzz_doc
	mkdir -p build-fuzz/corpus-csv build-fuzz/corpus-layout build-fuzz/corpus-vocab build-fuzz/corpus-doc
	build-fuzz/fuzz_csv -max_len=4096 -timeout=5 -max_total_time=$(FUZZ_SECONDS) \
		build-fuzz/corpus-csv tests/fuzz/corpus/csv
	build-fuzz/fuzz_layout -max_len=8192 -timeout=5 -max_total_time=$(FUZZ_SECONDS) \
		-dict=tests/fuzz/layout.dict build-fuzz/corpus-layout tests/fuzz/corpus/layout
	build-fuzz/fuzz_vocab -max_len=2048 -timeout=5 -max_total_time=$(FUZZ_SECONDS) \
		build-fuzz/corpus-vocab tests/fuzz/corpus/vocab
	build-fuzz/fuzz_doc -max_len=8192 -timeout=10 -max_total_time=$(FUZZ_SECONDS) \
		-dict=tests/fuzz/layout.dict build-fuzz/corpus-doc tests/fuzz/corpus/doc tests/fuzz/corpus/layout

build-fuzz/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJS)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -Isrc -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

-include $(OBJS:.o=.d) $(BUILD)/main.d
