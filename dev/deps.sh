#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# deps.sh GROUP... - make sure the Debian packages that GROUP needs are installed.
#
#   host    build and test the user-space tool and the host KUnit shim
#   kernel  provision Linux 6.12 and run KUnit on arm64 in QEMU
#   docs    build the kernel documentation (make htmldocs)
#   fuzz    clang with libFuzzer and the sanitizer runtimes
#
# Prints nothing when everything is installed. As root, installs what is
# missing (apt-get's output goes to stderr, so callers' stdout stays clean);
# otherwise prints the apt-get command to run and exits 1.
set -euo pipefail

usage="usage: deps.sh GROUP...   (GROUP: host kernel docs fuzz)"

# gcc only recommends libc6-dev, and we install without recommends.
# checkpatch.pl runs scripts/spdxcheck.py in a git tree, which needs ply and git.
host=(gcc libc6-dev make python3 valgrind)
kernel=(linux-source-6.12 gcc libc6-dev make patch
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	bc bison flex libelf-dev libssl-dev xz-utils rsync cpio kmod sparse
	python3 python3-ply python3-git perl)
# Linux 6.12's docs use the alabaster theme (a dependency of python3-sphinx)
# unless DOCS_THEME=sphinx_rtd_theme; Documentation/sphinx/requirements.txt
# also wants pyyaml.
docs=(python3-sphinx python3-sphinx-rtd-theme python3-yaml make perl gcc libc6-dev)
# Debian 12's default clang is clang-14; its libFuzzer and sanitizer
# runtimes are in libclang-rt-14-dev.
fuzz=(clang libclang-rt-14-dev)

if [ $# -eq 0 ]; then
	echo "$usage" >&2
	exit 2
fi

wanted=()
for group in "$@"; do
	case $group in
	host)   wanted+=("${host[@]}") ;;
	kernel) wanted+=("${kernel[@]}") ;;
	docs)   wanted+=("${docs[@]}") ;;
	fuzz)   wanted+=("${fuzz[@]}") ;;
	*)
		echo "deps.sh: unknown group '$group'" >&2
		echo "$usage" >&2
		exit 2
		;;
	esac
done

missing=()
declare -A seen=()
for pkg in "${wanted[@]}"; do
	[ -n "${seen[$pkg]:-}" ] && continue
	seen[$pkg]=1
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = "install ok installed" ] || missing+=("$pkg")
done

[ ${#missing[@]} -eq 0 ] && exit 0

install=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing Debian packages: ${missing[*]}" >&2
	echo "deps.sh: install them as root with:" >&2
	echo "  apt-get update && DEBIAN_FRONTEND=noninteractive ${install[*]}" >&2
	exit 1
fi

echo "deps.sh: installing ${missing[*]}" >&2
apt-get update >&2
DEBIAN_FRONTEND=noninteractive "${install[@]}" >&2
