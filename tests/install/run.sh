#!/usr/bin/env bash
# tests/install/run.sh: ctest `install_consumer`.
#
#   run.sh BUILD_DIR WORK_DIR LIBDIR CC CMAKE PKG_CONFIG CONFIG VERSION [EXTRA_FLAGS]
#
# Installs BUILD_DIR into WORK_DIR/prefix with `cmake --install`, checks what
# was installed, then builds consumer.c twice against that prefix and runs
# both programs:
#   1. cc consumer.c $(pkg-config --cflags --libs vbgraph)
#   2. this directory as a CMake project: find_package(vbgraph CONFIG)
# EXTRA_FLAGS (e.g. sanitizer flags of the build under test) are added to
# both compile and link lines.
set -euo pipefail

if [ $# -lt 8 ]; then
  echo "usage: run.sh BUILD_DIR WORK_DIR LIBDIR CC CMAKE PKG_CONFIG CONFIG VERSION [EXTRA_FLAGS]" >&2
  exit 2
fi
build=$1 work=$2 libdir_rel=$3 cc=$4 cmake=$5 pkgconfig=$6 config=$7 version=$8
extra=${9:-}
here=$(cd "$(dirname "$0")" && pwd)
prefix=$work/prefix
libdir=$prefix/$libdir_rel

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work"

step "cmake --install into $prefix"
"$cmake" --install "$build" --prefix "$prefix" ${config:+--config "$config"} \
  >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }

for f in include/vbgraph.h include/vbgraph_export.h \
  "$libdir_rel/libvbgraph.so" "$libdir_rel/libvbgraph.so.0" \
  "$libdir_rel/pkgconfig/vbgraph.pc" \
  "$libdir_rel/cmake/vbgraph/vbgraphConfig.cmake" \
  "$libdir_rel/cmake/vbgraph/vbgraphConfigVersion.cmake" \
  "$libdir_rel/cmake/vbgraph/vbgraphTargets.cmake"; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
echo "installed files present"

# Only the public vbg_ functions may be exported; internal vbg__ helpers and
# anything without the prefix must stay hidden.
if command -v nm >/dev/null 2>&1; then
  leaked=$(nm -D --defined-only "$libdir/libvbgraph.so" | awk '{print $NF}' |
    grep -Ev '^(_init|_fini|_edata|_end|__bss_start)$' |
    grep -Ev '^__(asan|odr_asan|ubsan|sancov)' |
    grep -Ev '^vbg_[a-z0-9]' || true)
  leaked="$leaked$(nm -D --defined-only "$libdir/libvbgraph.so" |
    awk '{print $NF}' | grep -E '^vbg__' || true)"
  [ -z "$leaked" ] || fail "symbols exported that are not public API: $(echo "$leaked" | tr "\n" " ")"
  echo "exported symbols: public vbg_* only"
fi

# The installed CLI must find the installed library by its RPATH alone.
if [ -x "$prefix/bin/vbgraph" ]; then
  step "installed bin/vbgraph --version"
  env -u LD_LIBRARY_PATH "$prefix/bin/vbgraph" --version ||
    fail "installed vbgraph --version"
fi

step "consumer via pkg-config"
export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pc_prefix=$("$pkgconfig" --variable=prefix vbgraph)
[ "$(realpath "$pc_prefix")" = "$(realpath "$prefix")" ] ||
  fail "pkg-config prefix is $pc_prefix, expected $prefix"
[ "$("$pkgconfig" --modversion vbgraph)" = "$version" ] ||
  fail "pkg-config version $("$pkgconfig" --modversion vbgraph), expected $version"
pc_flags=$("$pkgconfig" --cflags --libs vbgraph)
echo "pkg-config --cflags --libs vbgraph: $pc_flags"
# shellcheck disable=SC2086 # the flags are meant to be split into words
"$cc" -std=c11 -Wall -Wextra -pedantic -Werror $extra \
  "$here/consumer.c" -o "$work/consumer_pc" $pc_flags -Wl,-rpath,"$libdir"
"$work/consumer_pc" || fail "consumer built with pkg-config"

step "consumer via find_package(vbgraph CONFIG)"
"$cmake" -S "$here" -B "$work/cmake-consumer" \
  -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$extra" \
  -DCMAKE_EXE_LINKER_FLAGS="$extra" \
  -DVBG_EXPECT_PREFIX="$prefix" \
  -DVBG_EXPECT_VERSION="$version" >"$work/cmake-consumer.log" ||
  { cat "$work/cmake-consumer.log"; fail "configuring the CMake consumer"; }
grep -F -- "-- vbgraph $version from" "$work/cmake-consumer.log" || true
"$cmake" --build "$work/cmake-consumer" >>"$work/cmake-consumer.log" 2>&1 ||
  { cat "$work/cmake-consumer.log"; fail "building the CMake consumer"; }
"$work/cmake-consumer/consumer" || fail "consumer built with CMake"

echo "install_consumer: ok"
