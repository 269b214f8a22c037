# shellcheck shell=bash disable=SC2034 # sourced; its variables are used by the sourcing script
# scripts/deps.sh: the steps scripts/run.sh and scripts/test.sh share.
# Sourced, not run:  . scripts/deps.sh
#
#   vbg_deps                       install the Debian packages that are missing
#   vbg_build DIR TYPE [ARG...]    configure (CMAKE_BUILD_TYPE=TYPE) and build DIR
#
# VBG_ROOT must be the repository root; the sourcing script sets it.

# Everything a build, the tests and the scorer need, as Debian 12 packages.
VBG_DEB_PACKAGES=(
  cmake gcc make pkg-config
  libpcre2-dev libutf8proc-dev libigraph-dev libgraphviz-dev libjansson-dev
  libmimalloc-dev
  python3 graphviz python3-networkx python3-igraph time
  python3-pandas python3-pygraphviz fonts-dejavu-core ripgrep clang libclang-rt-14-dev valgrind
)

# The Release build both scripts share (build/), with every option spelled
# out so that a cache left by an earlier hand-made configure is reset.
VBG_RELEASE_ARGS=(
  -DVBG_BUILD_CLI=ON -DBUILD_TESTING=ON -DVBG_FUZZ=OFF -DVBG_SANITIZE=
)

vbg_log() { echo "vbgraph: $*" >&2; }

# Installs only what is missing, so a second run touches nothing.  Uses sudo
# only when not root.  apt-get update runs once, and only before an install.
vbg_deps() {
  local missing=() pkg status
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    vbg_log "no dpkg/apt-get here: assuming these are installed: ${VBG_DEB_PACKAGES[*]}"
    return 0
  fi
  for pkg in "${VBG_DEB_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    vbg_log "all Debian packages present"
    return 0
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      vbg_log "missing packages and not root (no sudo): apt-get install ${missing[*]}"
      return 1
    fi
    sudo=(sudo)
  fi
  vbg_log "installing: ${missing[*]}"
  # Wait for another apt/dpkg run to finish instead of failing on its lock.
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
  "${sudo[@]}" "${apt[@]}" update -q
  "${sudo[@]}" "${apt[@]}" install -y -q --no-install-recommends "${missing[@]}"
}

vbg_jobs() { nproc 2>/dev/null || echo 2; }

vbg_build() {
  local name=$1 type=$2
  local dir=$VBG_ROOT/$name
  shift 2
  # A cache made for another checkout (a copied tree) cannot be reused.
  if [ -f "$dir/CMakeCache.txt" ] &&
    ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$VBG_ROOT" "$dir/CMakeCache.txt"; then
    vbg_log "$dir was configured for another source tree: removing its cache"
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  vbg_log "configure $name ($type)"
  cmake -S "$VBG_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@"
  vbg_log "build $name"
  cmake --build "$dir" -j "$(vbg_jobs)"
}
