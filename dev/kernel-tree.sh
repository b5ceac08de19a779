#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel-tree.sh pristine|work|apply|version - the Linux 6.12 trees s2attr builds in.
#
#   pristine  print the pristine source tree, unpacking Debian's
#             linux-source-6.12 into $S2ATTR_CACHE/src first if needed;
#             with KDIR=/path, that tree is the pristine one. Never written to.
#   work      print the work tree, $S2ATTR_CACHE/work/<name>, a full copy of
#             the pristine tree (made if missing); each pristine tree has its own.
#   apply     make the work tree = pristine + the repo's overlay (include/ arch/
#             lib/ tools/ Documentation/ scripts/) + patches/series. Files whose
#             content does not change keep their mtime, so O= builds stay
#             incremental.
#   version   print the pristine tree's kernel version, e.g. 6.12.117.
#
# S2ATTR_CACHE defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/s2attr.
set -euo pipefail
shopt -s inherit_errexit

usage="usage: kernel-tree.sh pristine|work|apply|version   (env: KDIR, S2ATTR_CACHE)"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cache=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
tarball=/usr/src/linux-source-6.12.tar.xz
overlay_dirs=(include arch lib tools Documentation scripts)

die() {
	echo "kernel-tree.sh: $*" >&2
	exit 1
}

# remove_on_exit PATH: remove PATH however this shell exits. The traps are
# set again each time because $(...) subshells do not inherit them.
cleanup=()
remove_on_exit() {
	cleanup+=("$1")
	trap 'rm -rf "${cleanup[@]}"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
}

# make_var TREE NAME: the value of "NAME = value" in TREE's top Makefile.
make_var() {
	awk -v name="$2" '$1 == name && $2 == "=" { sub(/^[^=]*= */, ""); print; exit }' "$1/Makefile"
}

tree_version() {
	local v p s e
	v=$(make_var "$1" VERSION)
	p=$(make_var "$1" PATCHLEVEL)
	s=$(make_var "$1" SUBLEVEL)
	e=$(make_var "$1" EXTRAVERSION)
	echo "$v.$p${s:+.$s}$e"
}

# check_tree DIR LABEL: DIR must be a Linux 6.12.y source tree.
check_tree() {
	local dir=$1 label=$2 v p
	[ -f "$dir/Makefile" ] || die "$label has no Makefile; it must be a Linux 6.12.y source tree"
	v=$(make_var "$dir" VERSION)
	p=$(make_var "$dir" PATCHLEVEL)
	if [ -z "$v" ] || [ -z "$p" ]; then
		die "$label is not a Linux source tree (no VERSION and PATCHLEVEL in its Makefile)"
	fi
	[ "$v.$p" = 6.12 ] || die "$label is Linux $(tree_version "$dir"), s2attr targets 6.12.y"
}

# Unpack Debian's linux-source-6.12 into $1, atomically.
unpack() {
	local dest=$1 tmp
	[ -f "$tarball" ] || bash "$repo/dev/deps.sh" kernel
	[ -f "$tarball" ] || die "$tarball is missing even though linux-source-6.12 is installed"
	mkdir -p "$(dirname "$dest")"
	tmp=$(mktemp -d "$dest.tmp.XXXXXX")
	remove_on_exit "$tmp"
	echo "kernel-tree.sh: unpacking $tarball into $dest" >&2
	tar -xJf "$tarball" -C "$tmp"
	[ -f "$tmp/linux-source-6.12/Makefile" ] ||
		die "$tarball has no linux-source-6.12/Makefile"
	# -T: never move into a tree that another run finished first.
	mv -T "$tmp/linux-source-6.12" "$dest" 2>/dev/null || [ -f "$dest/Makefile" ] ||
		die "could not move the unpacked tree to $dest"
}

pristine_dir() {
	local dir
	if [ -n "${KDIR:-}" ]; then
		[ -d "$KDIR" ] || die "KDIR=$KDIR does not exist"
		check_tree "$KDIR" "KDIR=$KDIR"
		dir=$(cd "$KDIR" && pwd -P)
	else
		dir=$cache/src/linux-source-6.12
		[ -f "$dir/Makefile" ] || unpack "$dir"
		check_tree "$dir" "$dir"
	fi
	echo "$dir"
}

# work_dir PRISTINE: the work tree of PRISTINE, named after its real path.
work_dir() {
	local hash
	hash=$(printf '%s' "$1" | sha256sum | cut -c1-12)
	echo "$cache/work/$(basename "$1")-$hash"
}

# lock WORK: hold WORK.lock until we exit, so runs on one work tree take turns.
lock() {
	mkdir -p "$(dirname "$1")"
	exec 9>"$1.lock"
	flock 9
}

# make_work PRISTINE WORK: create WORK as a full copy of PRISTINE, atomically.
make_work() {
	local tmp
	[ -f "$2/Makefile" ] && return 0
	mkdir -p "$(dirname "$2")"
	tmp=$(mktemp -d "$2.tmp.XXXXXX")
	remove_on_exit "$tmp"
	echo "kernel-tree.sh: copying $1 to $2" >&2
	cp -a "$1/." "$tmp/"
	mv -T "$tmp" "$2" 2>/dev/null || [ -f "$2/Makefile" ] ||
		die "could not move the copied tree to $2"
}

# The overlay: repo files under overlay_dirs, as paths relative to the repo.
# In a git checkout, the tracked and the untracked-but-not-ignored files.
overlay_files() {
	local dirs=() d
	for d in "${overlay_dirs[@]}"; do
		if [ -d "$repo/$d" ]; then dirs+=("$d"); fi
	done
	[ ${#dirs[@]} -gt 0 ] || return 0
	if [ "$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null)" = "$repo" ]; then
		git -C "$repo" ls-files --cached --others --exclude-standard -- "${dirs[@]}" |
			while IFS= read -r f; do
				if [ -f "$repo/$f" ]; then echo "$f"; fi
			done
	else
		(cd "$repo" && find "${dirs[@]}" -type f)
	fi | sort -u
}

# The patch names in patches/series, in order (quilt format: "#" comments,
# blank lines and per-patch options after the name are allowed).
series() {
	local line name
	[ -f "$repo/patches/series" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		read -r name _ <<<"$line" || true
		if [ -n "$name" ]; then echo "$name"; fi
	done <"$repo/patches/series"
}

apply() {
	local pristine work version tmp list f d name out
	local -a popts=()
	local -a old=() overlay=() patches=() touched=()
	local -A saved=() absent=() new=()
	local changed=0

	pristine=$(pristine_dir)
	version=$(tree_version "$pristine")
	work=$(work_dir "$pristine")
	lock "$work"
	make_work "$pristine" "$work"
	list=$work/.s2attr-applied
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/s2attr-apply.XXXXXX")
	remove_on_exit "$tmp"

	if [ -f "$list" ]; then
		grep -v '^$' "$list" >"$tmp/old.list" || true
		mapfile -t old <"$tmp/old.list"
	fi
	overlay_files >"$tmp/overlay.list" || die "could not list the overlay files in $repo"
	mapfile -t overlay <"$tmp/overlay.list"
	series >"$tmp/series.list" || die "could not read $repo/patches/series"
	mapfile -t patches <"$tmp/series.list"
	for name in "${patches[@]}"; do
		[ -f "$repo/patches/$name" ] ||
			die "patches/series names $name, but patches/$name does not exist"
	done

	# Remember each file's state before this run (content and mtime) so
	# files that end up unchanged get their mtime back.
	save() {
		local f
		for f in "$@"; do
			[ -n "${saved[$f]:-}" ] && continue
			saved[$f]=1
			if [ -f "$work/$f" ]; then
				mkdir -p "$(dirname "$tmp/old/$f")"
				cp -p "$work/$f" "$tmp/old/$f"
			else
				absent[$f]=1
			fi
		done
	}
	# Record a superset of what we touch first, so an interrupted run is
	# still undone by the next one.
	record() {
		printf '%s\n' "$@" | sed '/^$/d' | sort -u >"$list.tmp"
		mv "$list.tmp" "$list"
	}
	# Give files that ended up as they were their mtime back; count the others.
	restore_mtimes() {
		local f
		for f in "${!saved[@]}"; do
			if [ -n "${absent[$f]:-}" ]; then
				if [ -e "$work/$f" ]; then changed=$((changed + 1)); fi
			elif [ -f "$work/$f" ] && cmp -s "$tmp/old/$f" "$work/$f"; then
				touch -r "$tmp/old/$f" "$work/$f"
			else
				changed=$((changed + 1))
			fi
		done
	}
	# put SRC DEST: copy SRC over DEST unless they are already equal.
	put() {
		cmp -s "$1" "$2" && return 0
		mkdir -p "$(dirname "$2")"
		cp -f --preserve=mode "$1" "$2"
	}

	save "${old[@]}" "${overlay[@]}"
	record "${old[@]}" "${overlay[@]}"

	for f in "${overlay[@]}"; do
		new[$f]=1
	done

	# (a) Undo the previous apply, except for overlay files: (b) writes them.
	for f in "${old[@]}"; do
		if [ -n "${new[$f]:-}" ]; then
			continue
		elif [ -f "$pristine/$f" ]; then
			put "$pristine/$f" "$work/$f"
		elif [ -e "$work/$f" ]; then
			rm -f "$work/$f"
			# Drop directories that only the overlay had.
			d=$(dirname "$f")
			while [ "$d" != . ] && [ ! -e "$pristine/$d" ] &&
				rmdir "$work/$d" 2>/dev/null; do
				d=$(dirname "$d")
			done
		fi
	done

	# (b) Copy the overlay.
	for f in "${overlay[@]}"; do
		put "$repo/$f" "$work/$f"
	done

	# (c) Apply the series, strictly (--fuzz=0, as git am would). A dry run
	# first: it names the files the patch touches (saved before it writes
	# them) and leaves the tree as it was if the patch does not apply. A
	# patch changes only files that exist in the pristine tree: a new file
	# is the overlay's, added whole by the patch patches/files names.
	for name in "${patches[@]}"; do
		popts=(-d "$work" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch
		       -i "$repo/patches/$name")
		if ! out=$(patch "${popts[@]}" --dry-run </dev/null 2>&1); then
			restore_mtimes
			record "${old[@]}" "${!new[@]}"
			die "patch $name does not apply to $pristine (Linux $version):"$'\n'"$out"
		fi
		mapfile -t touched < <(sed -nE '/^checking file /{ s///; s/ \((renamed|copied) from (.*)\)$/\n\2/; p; }' <<<"$out")
		for f in "${touched[@]}"; do
			[ -f "$pristine/$f" ] ||
				die "patch $name changes $f, which Linux 6.12 does not have;" \
				    "a new file belongs to the overlay (patches/files)"
			new[$f]=1
		done
		save "${touched[@]}"
		record "${old[@]}" "${!new[@]}"
		patch "${popts[@]}" -s </dev/null ||
			die "patch $name failed in $work after its dry run succeeded"
	done

	# (d) Record what we changed.
	restore_mtimes
	record "${!new[@]}"

	echo "s2attr: applied ${#overlay[@]} overlay files and ${#patches[@]} patches to $work" \
		"(Linux $version; $changed files changed)"
}

[ $# -eq 1 ] || { echo "$usage" >&2; exit 2; }
case $1 in
pristine) pristine_dir ;;
work)
	pristine=$(pristine_dir)
	work=$(work_dir "$pristine")
	lock "$work"
	make_work "$pristine" "$work"
	echo "$work"
	;;
apply) apply ;;
version)
	pristine=$(pristine_dir)
	tree_version "$pristine"
	;;
-h|--help) echo "$usage" ;;
*) echo "kernel-tree.sh: unknown command '$1'" >&2; echo "$usage" >&2; exit 2 ;;
esac
