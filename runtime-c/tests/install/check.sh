#!/bin/sh
# check.sh PREFIX VERSION MAJOR: what `make install PREFIX=...` put there works through
# pkg-config alone (PKG_CONFIG_PATH set by the caller), shared and static.
set -eu
prefix=$1 version=$2 major=$3
here=$(dirname "$0")
out=$prefix/test
mkdir -p "$out"
fail() { echo "install test: $*" >&2; exit 1; }

[ "$(pkg-config --modversion kiln)" = "$version" ] || fail "pkg-config says $(pkg-config --modversion kiln), not $version"
soname=$(readelf -d "$prefix/lib/libkiln.so.$version" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = "libkiln.so.$major" ] || fail "SONAME is '$soname', not libkiln.so.$major"

# Shared: found at run time through the installed SONAME link.
cc $(pkg-config --cflags kiln) "$here/version_host.c" -o "$out/host-shared" $(pkg-config --libs kiln)
expected="$version $version
error named"
[ "$(LD_LIBRARY_PATH=$prefix/lib "$out/host-shared")" = "$expected" ] || fail "the shared-library host printed something else"
readelf -d "$out/host-shared" | grep -q "NEEDED.*libkiln.so.$major" || fail "the host does not need libkiln.so.$major"

# Static: the archive and the private libraries.
cc $(pkg-config --cflags kiln) "$here/version_host.c" -o "$out/host-static" \
    "$prefix/lib/libkiln.a" $(pkg-config --static --libs-only-l kiln | sed 's/-lkiln//')
[ "$("$out/host-static")" = "$expected" ] || fail "the static host printed something else"
echo "1 passed, 0 failed"
