#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# docs.sh build|check|update - Documentation/virt/kvm/arm/s2attr.rst.
#
#   update  regenerate the tables and differences in s2attr.rst from the
#           policy source (build/s2attr table|diff --format=rst; the regions
#           are marked ".. s2attr-generated: ARGS" / ".. s2attr-generated-end")
#   check   fail when the checked-in regions differ from what the tool
#           prints now, when scripts/kernel-doc -none -Wall has anything
#           to say about a file of ours, or when a line of s2attr.rst is
#           longer than 100 columns or the page has a grid table (the
#           tables are simple tables)
#   build   apply the project to the kernel work tree and build the virt book
#           with Sphinx (make SPHINXDIRS=virt htmldocs); fail on any warning
#           from our files, or when the page lacks its tables or the API
#
# Expects build/s2attr (make tool). Each check prints "CHECK PASS|FAIL what";
# the last line is "docs: N passed, N failed" or "docs-check: ...".
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh).
set -euo pipefail
shopt -s inherit_errexit

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$repo"
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
rst=Documentation/virt/kvm/arm/s2attr.rst
tool=build/s2attr
max_cols=100
# Every file of ours that carries kernel-doc (those that exist: the glue's
# files come and go with the series).
kdoc_files=()
for f in include/kvm/s2attr.h arch/arm64/include/asm/kvm_s2attr.h \
	 arch/arm64/kvm/s2attr/*.[ch] lib/tests/s2attr_kunit.c lib/tests/s2attr_glue_kunit.c; do
	[ -f "$f" ] && kdoc_files+=("$f")
done
passed=0
failed=0

check() { # check OK WHAT
	if [ "$1" = 1 ]; then
		echo "CHECK PASS $2"
		passed=$((passed + 1))
	else
		echo "CHECK FAIL $2"
		failed=$((failed + 1))
	fi
}

finish() { # finish NAME
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

[ -x "$tool" ] || { echo "docs.sh: $tool is missing: run make tool" >&2; exit 1; }

case ${1:-} in
update)
	python3 dev/gen-docs.py "$tool" "$rst"
	;;
check)
	ok=1
	python3 dev/gen-docs.py "$tool" "$rst" --check || ok=0
	check $ok "$rst: the generated tables and differences match the policy source"

	long=$(python3 - "$rst" "$max_cols" <<-'EOF'
		import sys
		path, cols = sys.argv[1], int(sys.argv[2])
		with open(path, encoding="utf-8") as f:
		    for n, line in enumerate(f, 1):
		        line = line.rstrip("\n").expandtabs()
		        if len(line) > cols:
		            print(f"{path}:{n}: {len(line)} columns")
		EOF
	)
	if [ -z "$long" ]; then
		check 1 "$rst: no line is longer than $max_cols columns"
	else
		echo "$long" | head -n 20 | sed 's/^/    /'
		check 0 "$rst: $(echo "$long" | wc -l) lines longer than $max_cols columns"
	fi
	grid=$(grep -n '^ *+[-=]' "$rst" || true)
	if [ -z "$grid" ]; then
		check 1 "$rst: simple tables only (no grid table)"
	else
		echo "$grid" | head -n 5 | sed 's/^/    /'
		check 0 "$rst: $(echo "$grid" | wc -l) grid table lines"
	fi

	bash dev/deps.sh kernel >/dev/null || { check 0 "kernel build dependencies"; finish docs-check; }
	tree=$(bash dev/kernel-tree.sh pristine)
	out=$(perl "$tree/scripts/kernel-doc" -none -Wall "${kdoc_files[@]}" 2>&1) || true
	if [ -z "$out" ]; then
		check 1 "scripts/kernel-doc -none -Wall: nothing to say about ${#kdoc_files[@]} files"
	else
		echo "$out" | sed 's/^/    /'
		check 0 "scripts/kernel-doc -none -Wall: $(echo "$out" | wc -l) complaints"
	fi
	finish docs-check
	;;
build)
	bash dev/deps.sh docs kernel || { check 0 "documentation build dependencies"; finish docs; }
	bash dev/kernel-tree.sh apply >&2 || { check 0 "apply the project to the work tree"; finish docs; }
	work=$(bash dev/kernel-tree.sh work)
	build=$S2ATTR_CACHE/build/docs-$(basename "$work")
	log=$S2ATTR_CACHE/logs/docs.log
	mkdir -p "$build" "$(dirname "$log")"
	echo "docs.sh: make SPHINXDIRS=virt htmldocs in $work (log: $log)"
	# Sphinx re-reads only the pages it thinks changed; ours must be read
	# (and kernel-doc run on our header) every time for their warnings.
	touch "$work/$rst" "$work/Documentation/virt/kvm/api.rst"
	ok=1
	make -C "$work" O="$build" SPHINXDIRS=virt htmldocs >"$log" 2>&1 || ok=0
	check $ok "Sphinx builds the virt book"
	# Warnings about base files (api.rst has one in 6.12) are not ours; in
	# api.rst, ours are the sections of the two capabilities of the series.
	# Sphinx says WARNING/ERROR/SEVERE, kernel-doc "warning:"/"error:".
	api=$work/Documentation/virt/kvm/api.rst
	sections=$(awk '/^[0-9]+\.([0-9]+\.?)* / {
			if (f) { print f, NR - 1; f = 0 }
			if ($2 == "KVM_CAP_ARM_S2ATTR_POLICY" ||
			    $2 == "KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED") f = NR
		}
		END { if (f) print f, NR }' "$api")
	ours=$(grep -iE '(warning|error|severe)' "$log" |
	       awk -v sections="$sections" '
		BEGIN { n = split(sections, s, /[ \n]+/) }
		/Documentation\/virt\/kvm\/arm\/s2attr\.rst|include\/kvm\/s2attr\.h|arch\/arm64\/kvm\/s2attr\// {
			print; next
		}
		match($0, /Documentation\/virt\/kvm\/api\.rst:[0-9]+/) {
			l = substr($0, RSTART, RLENGTH); sub(/.*:/, "", l)
			for (i = 1; i + 1 <= n; i += 2)
				if (l + 0 >= s[i] + 0 && l + 0 <= s[i + 1] + 0) { print; next }
		}' || true)
	[ -n "$sections" ] || ours="${ours:+$ours
}docs.sh: no KVM_CAP_ARM_S2ATTR_POLICY or KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED section in $api"
	if [ -z "$ours" ]; then
		check 1 "no Sphinx warning or error from our files"
	else
		echo "$ours" | sed 's/^/    /'
		check 0 "Sphinx warnings or errors from our files: $(echo "$ours" | wc -l)"
	fi
	html=$build/Documentation/output/virt/kvm/arm/s2attr.html
	if [ -f "$html" ]; then
		tables=$(grep -c '<table' "$html" || true)
		# The input table plus two per policy.
		want=$((1 + 2 * $("$tool" policies | wc -l)))
		check $((tables >= want)) "the page has $tables tables (want >= $want: inputs, two per policy)"
		ok=0
		grep -q 'wb_no_fwb_dic' "$html" && grep -q 'S2ATTR_STAGE_FAULT' "$html" && ok=1
		check $ok "the page shows the rules and the kernel-doc of include/kvm/s2attr.h"
		echo "docs.sh: the page is $html"
	else
		check 0 "the page $html exists"
	fi
	finish docs
	;;
*)
	echo "usage: docs.sh build|check|update" >&2
	exit 2
	;;
esac
