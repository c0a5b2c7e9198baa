# Included by runtime-c/Makefile. The embedding guarantees, tested with real modules: the .wat
# sources in tests/embedding/wat are compiled with the kiln binary passed as KILN.
#
#   make test-embedding KILN=../.build-embed/debug/kiln          the guarantees (10,000 cycles)
#   make test-embedding-leaks KILN=...                           the same under LeakSanitizer and valgrind
#   make test-embedding-races KILN=...                           the threaded groups under ThreadSanitizer
#   make examples-embedding KILN=...                             build and run examples/reload.c (also part of test-embedding)

EMB_DIR := $(BUILD)/embedding
EMB_SRCS := $(wildcard tests/embedding/*.c)
EMB_WATS := $(wildcard tests/embedding/wat/*.wat)
EMB_MODULES := $(EMB_WATS:tests/embedding/wat/%.wat=$(EMB_DIR)/modules/%.so)
EMB_TEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Iinclude

.PHONY: test-embedding test-embedding-leaks test-embedding-races check-kiln examples-embedding

check-kiln:
	@test -x "$(KILN)" || { echo "set KILN to the kiln compiler, e.g. make $(MAKECMDGOALS) KILN=../.build-embed/debug/kiln" >&2; exit 2; }

# Always recompiled: the compiler may have changed since the last run, and make cannot see that.
$(EMB_DIR)/modules/%.so: tests/embedding/wat/%.wat check-kiln
	@mkdir -p $(dir $@)
	$(KILN) compile $< -o $@

# valgrind's virtual CPU lacks some host features (AVX-512): its run uses portable code.
$(EMB_DIR)/generic/%.so: tests/embedding/wat/%.wat check-kiln
	@mkdir -p $(dir $@)
	$(KILN) compile --cpu generic $< -o $@

$(EMB_DIR)/embedding_test: $(EMB_SRCS) tests/embedding/harness.h $(BUILD)/libkiln.a include/kiln.h
	@mkdir -p $(dir $@)
	$(CC) $(EMB_TEST_CFLAGS) $(EMB_SRCS) $(BUILD)/libkiln.a -o $@ $(LDLIBS)

# The leak build links the runtime's sources directly, so LeakSanitizer sees all of them.
$(EMB_DIR)/embedding_test_lsan: $(EMB_SRCS) $(SRCS) tests/embedding/harness.h $(HDRS)
	@mkdir -p $(dir $@)
	$(LSAN_CC) $(EMB_TEST_CFLAGS) -D_GNU_SOURCE -fsanitize=leak $(EMB_SRCS) $(SRCS) -o $@ $(LDLIBS)

# The race build, like the leak build, links the runtime's sources so ThreadSanitizer instruments
# them (generated code is not instrumented: its accesses to linear memory are the guest's own).
$(EMB_DIR)/embedding_test_tsan: $(EMB_SRCS) $(SRCS) tests/embedding/harness.h $(HDRS)
	@mkdir -p $(dir $@)
	$(LSAN_CC) $(EMB_TEST_CFLAGS) -D_GNU_SOURCE -fsanitize=thread $(EMB_SRCS) $(SRCS) -o $@ $(LDLIBS)

EMB_RUN = $(abspath $(KILN)) $(abspath tests/embedding/wat) $(abspath $(EMB_DIR)/modules) $(abspath $(EMB_DIR)/scratch)

EMB_RUN_GENERIC = $(abspath $(KILN)) $(abspath tests/embedding/wat) $(abspath $(EMB_DIR)/generic) $(abspath $(EMB_DIR)/scratch)

test-embedding: check-kiln $(EMB_DIR)/embedding_test $(EMB_MODULES) examples-embedding
	@mkdir -p $(EMB_DIR)/scratch
	$(EMB_DIR)/embedding_test $(EMB_RUN)

# gcc's -fsanitize=leak works without extra packages; clang-19 needs libclang-rt-19-dev.
LSAN_CC ?= gcc
LEAK_CYCLES ?= 300
# Not under valgrind: "threads" traps through guard-page faults, which valgrind reports as invalid
# reads; "release" holds 32 reservations of 8 GiB, more address space than valgrind manages.
VALGRIND_GROUPS ?= reload cycles memory_grow host exceptions
test-embedding-leaks: check-kiln $(EMB_DIR)/embedding_test $(EMB_DIR)/embedding_test_lsan $(EMB_MODULES) \
                      $(EMB_MODULES:$(EMB_DIR)/modules/%=$(EMB_DIR)/generic/%)
	@mkdir -p $(EMB_DIR)/scratch
	EMBEDDING_CYCLES=$(LEAK_CYCLES) LSAN_OPTIONS=exitcode=23 $(EMB_DIR)/embedding_test_lsan $(EMB_RUN)
	EMBEDDING_CYCLES=$(LEAK_CYCLES) EMBEDDING_CPU=generic EMBEDDING_SKIP_RSS=1 valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --error-exitcode=23 \
	    $(EMB_DIR)/embedding_test $(EMB_RUN_GENERIC) $(VALGRIND_GROUPS)

# The runtime's own data races, with instances on several threads: shared_memory (atomics, wait and
# notify, growth seen across threads), wasi_threads (spawning, a program's end across its threads)
# and the groups that load, link and free concurrently.
# ThreadSanitizer cannot follow a thread that leaves signal handlers by siglongjmp thousands of
# times, so the groups that trap in a loop (threads, trap_loop, cycles) are not run under it.
RACE_GROUPS ?= shared_memory wasi_threads memory_grow reload host exceptions backtrace stack_limit
test-embedding-races: check-kiln $(EMB_DIR)/embedding_test_tsan $(EMB_MODULES)
	@mkdir -p $(EMB_DIR)/scratch
	TSAN_OPTIONS="halt_on_error=1 exitcode=23" $(EMB_DIR)/embedding_test_tsan $(EMB_RUN) $(RACE_GROUPS)

# The reload example of docs/embedding.md, run for real: compile v1, let the example rebuild the
# same path to v2 with kiln, and compare its output with what the document shows.
$(BUILD)/examples/reload: examples/reload.c $(BUILD)/libkiln.a include/kiln.h
	@mkdir -p $(dir $@)
	$(CC) $(EMB_TEST_CFLAGS) $< $(BUILD)/libkiln.a -o $@ $(LDLIBS)

examples-embedding: check-kiln $(BUILD)/examples/reload
	$(KILN) compile examples/reload/v1.wat -o $(BUILD)/examples/counter.so
	$(BUILD)/examples/reload $(BUILD)/examples/counter.so \
	    $(abspath $(KILN)) compile examples/reload/v2.wat -o $(BUILD)/examples/counter.so > $(BUILD)/examples/reload.out
	diff -u examples/reload/expected.txt $(BUILD)/examples/reload.out
	@echo "examples-embedding: reload example output as documented"
