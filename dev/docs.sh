#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# docs.sh build | check | update - Documentation/virt/kvm/arm/s2attr.rst.
#
#   update  regenerate the tables between the S2ATTR-GENERATED markers of
#           the .rst from the policy source, with build/s2attr.
#   check   fail when the checked-in tables differ from what the tool
#           generates now, or when scripts/kernel-doc -none -Wall complains
#           about the s2attr sources.
#   build   build the virt book with Sphinx on the patched work tree; fail on
#           any warning about the s2attr files. Prints where the page is.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
rst=Documentation/virt/kvm/arm/s2attr.rst
tool=$repo/build/s2attr
kdoc_files=(include/kvm/s2attr.h arch/arm64/include/asm/kvm_s2attr.h
	    arch/arm64/kvm/s2attr/policy.h arch/arm64/kvm/s2attr/decide.c
	    arch/arm64/kvm/s2attr/policies.c arch/arm64/kvm/s2attr/rules.c
	    arch/arm64/kvm/s2attr/glue.c)

die() {
	echo "docs.sh: $*" >&2
	exit 1
}

# generate BLOCK: what goes between the markers of BLOCK.
generate() {
	local p
	case $1 in
	tables)
		for p in $("$tool" policies); do
			"$tool" table --format=rst --policy "$p"
		done
		;;
	diffs)
		"$tool" diff --format=rst linux-6.12 cacheable-pfnmap
		"$tool" diff --format=rst cacheable-pfnmap strict
		;;
	*) die "unknown generated block '$1'" ;;
	esac
}

# render FILE: FILE with every generated block regenerated, on stdout.
render() {
	local line block=""
	while IFS= read -r line || [ -n "$line" ]; do
		if [ -n "$block" ]; then
			if [ "$line" = ".. S2ATTR-GENERATED-END $block" ]; then
				echo
				generate "$block"
				echo "$line"
				block=""
			fi
			continue
		fi
		echo "$line"
		if [[ $line == ".. S2ATTR-GENERATED-BEGIN "* ]]; then
			block=${line#.. S2ATTR-GENERATED-BEGIN }
		fi
	done <"$1"
	[ -z "$block" ] || die "$1: no '.. S2ATTR-GENERATED-END $block' marker"
}

build_tool() {
	make -s -C "$repo" tool >/dev/null
}

cmd_update() {
	build_tool
	render "$repo/$rst" >"$repo/$rst.tmp"
	mv "$repo/$rst.tmp" "$repo/$rst"
	echo "docs.sh: regenerated the tables of $rst"
}

cmd_check() {
	local pass=0 fail=0 pristine out
	build_tool
	if diff -u "$repo/$rst" <(render "$repo/$rst") >"$repo/build/docs-check.diff"; then
		echo "ok: the tables of $rst are what the policy source generates"
		pass=$((pass + 1))
	else
		echo "not ok: the tables of $rst differ from the policy source; run 'make docs-update':"
		head -40 "$repo/build/docs-check.diff"
		fail=$((fail + 1))
	fi

	pristine=$(bash "$repo/dev/kernel-tree.sh" pristine)
	if out=$(cd "$repo" && perl "$pristine/scripts/kernel-doc" -none -Wall "${kdoc_files[@]}" 2>&1) &&
	   [ -z "$out" ]; then
		echo "ok: scripts/kernel-doc -none -Wall is silent on ${#kdoc_files[@]} files"
		pass=$((pass + 1))
	else
		echo "not ok: scripts/kernel-doc -none -Wall:"
		echo "$out"
		fail=$((fail + 1))
	fi
	echo "docs-check: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

cmd_build() {
	local work out log html
	bash "$repo/dev/deps.sh" docs kernel
	bash "$repo/dev/kernel-tree.sh" apply >/dev/null
	work=$(bash "$repo/dev/kernel-tree.sh" work)
	out=$S2ATTR_CACHE/build/docs-$(basename "$work")
	log=$S2ATTR_CACHE/logs/docs.log
	mkdir -p "$out" "$(dirname "$log")"
	if ! make -C "$work" O="$out" SPHINXDIRS=virt htmldocs >"$log" 2>&1; then
		tail -30 "$log"
		echo "docs: 0 passed, 1 failed"
		exit 1
	fi
	html=$out/Documentation/output/virt/kvm/arm/s2attr.html
	if grep -E 'WARNING|ERROR' "$log" | grep -E 's2attr|kvm_s2attr'; then
		echo "docs: Sphinx warns about the s2attr files (above); full log: $log"
		echo "docs: 0 passed, 1 failed"
		exit 1
	fi
	[ -f "$html" ] || { echo "docs: $html was not written"; echo "docs: 0 passed, 1 failed"; exit 1; }
	grep -q 'wb_no_fwb_dic' "$html" || { echo "docs: $html has no rule table"; exit 1; }
	echo "docs: the rendered page is $html"
	echo "docs: 1 passed, 0 failed"
}

case ${1:-} in
update) cmd_update ;;
check) cmd_check ;;
build) cmd_build ;;
*) echo "usage: docs.sh build | check | update" >&2; exit 2 ;;
esac
