# Included by runtime-c/Makefile. WASI preview 1 tests: the C programs in ../tests/wasi are built
# to wasm32-wasi and natively by ../scripts/build-wasi-tests, compiled with the kiln binary passed
# as KILN, run through the C API, and compared with their native builds.
#
#   make test-wasi KILN=../.build-wasi/debug/kiln

WASI_TEST_DIR := $(BUILD)/wasi-tests

.PHONY: test-wasi check-kiln-wasi wasi-test-programs

check-kiln-wasi:
	@test -x "$(KILN)" || { echo "set KILN to the kiln compiler, e.g. make test-wasi KILN=../.build-wasi/debug/kiln" >&2; exit 2; }

# The script is idempotent (it rebuilds only what changed), so it always runs.
wasi-test-programs:
	../scripts/build-wasi-tests $(WASI_TEST_DIR)

$(BUILD)/tests/wasi_test: tests/wasi/wasi_test.c $(BUILD)/libkiln.a include/kiln.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Wno-format-truncation -Iinclude $< $(BUILD)/libkiln.a -o $@ $(LDLIBS)

test-wasi: check-kiln-wasi wasi-test-programs $(BUILD)/tests/wasi_test
	$(BUILD)/tests/wasi_test $(KILN) $(WASI_TEST_DIR)
