#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# series.sh export OUTDIR | check - the patch series for Linux 6.12.
#
#   export  turn patches/series (diffs to files Linux 6.12 has) plus the
#           overlay (new files, each added whole by the patch that
#           patches/files names) into git commits on the pristine tree,
#           then `git format-patch --cover-letter --base` them into OUTDIR.
#           The last commit's tree must equal what `dev/kernel-tree.sh
#           apply` builds from.
#   check   export into build/series-check/patches, then on a fresh checkout of the base
#           `git am` the patches one by one; after each, build the arm64
#           KUnit configuration (CONFIG_KVM=y, incrementally) and run
#           scripts/checkpatch.pl --strict on it, and check that MAINTAINERS
#           routes every s2attr file it adds to KVM/arm64. After the last, build
#           arch/arm64/kvm/ (virt/kvm/ with it), lib/tests/ and the test device
#           with W=1 C=2 (sparse) and compare with the base, build the s2attr_e2e KVM
#           selftest, and build once with CONFIG_KVM=n. One line per
#           patch; any error, warning or checkpatch message fails it.
#
# Env: KDIR, S2ATTR_CACHE (see dev/kernel-tree.sh), SERIES_VERSION (-vN; 3,
# after v1 with Kconfig-chosen policies and v2 with vm_page_prot types).
#
# Every commit is authored and signed off by whoever exports: git's own
# identity (GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, else `git config user.name`
# and `user.email` of this repository). Without one, export stops and says
# how to set it. `check` exports to its own directory and, only when no
# identity is set, uses a throwaway one there: that series is built and
# checkpatched, never sent.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export S2ATTR_CACHE=${S2ATTR_CACHE:-${XDG_CACHE_HOME:-${HOME:?set S2ATTR_CACHE or HOME}/.cache}/s2attr}
cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
jobs=$(nproc)
# checkpatch.pl runs scripts/spdxcheck.py with the python3 first in PATH; it
# needs ply and git, which Debian's python3-ply and python3-git give
# /usr/bin/python3.
debpath=/usr/bin:/bin:$PATH
# A fixed date, so that the same sources always export the same series.
export GIT_AUTHOR_DATE="2026-12-01T12:00:00+0000" GIT_COMMITTER_DATE="2026-12-01T12:00:00+0000"

die() {
	echo "series.sh: $*" >&2
	exit 1
}

series() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$repo/patches/series" | awk '{ print $1 }'
}

# Files that patch number $1 (e.g. 0002) adds from the overlay.
files_of() {
	awk -v n="$1" '!/^#/ && NF == 2 && $2 == n { print $1 }' "$repo/patches/files"
}

# The identity of whoever exports: "Name <email>" or nothing.
identity() {
	local name email
	name=${GIT_AUTHOR_NAME:-$(git -C "$repo" config user.name || true)}
	email=${GIT_AUTHOR_EMAIL:-$(git -C "$repo" config user.email || true)}
	if [ -n "$name" ] && [ -n "$email" ]; then
		echo "$name <$email>"
	fi
}

# The commit message of a quilt patch: its Subject (without [PATCH]) and
# the body up to the "---" line.
message() {
	sed -n '/^---$/q; p' "$1" | sed '1s/^Subject: \(\[PATCH[^]]*\] \)\{0,1\}//'
}

# base_repo: a git repository of the pristine tree, made once, tagged s2attr-base.
base_repo() {
	local pristine work git tmp
	pristine=$(bash "$repo/dev/kernel-tree.sh" pristine)
	work=$(bash "$repo/dev/kernel-tree.sh" work)
	git=$S2ATTR_CACHE/git/$(basename "$work")
	if ! git -C "$git" rev-parse -q --verify s2attr-base >/dev/null 2>&1; then
		echo "series.sh: making a git repository of $pristine (once)" >&2
		tmp=$git.tmp
		rm -rf "$tmp"
		mkdir -p "$(dirname "$git")"
		cp -a "$pristine/." "$tmp/"
		git -C "$tmp" init -q
		# -f: Debian's linux-source tree ignores everything (/* in .gitignore).
		git -C "$tmp" add -A -f
		git -C "$tmp" -c user.name=base -c user.email=base@localhost \
			commit -q -m "Linux $(bash "$repo/dev/kernel-tree.sh" version)"
		git -C "$tmp" tag s2attr-base
		rm -rf "$git"
		mv "$tmp" "$git"
	fi
	echo "$git"
}

cmd_export() {
	local out=${1:?usage: series.sh export OUTDIR} git work name num f who n=0
	local -A assigned=()

	who=$(identity)
	if [ -z "$who" ]; then
		die "no git identity to author and sign off the series with; set yours:"$'\n'"  git config --global user.name 'Your Name'"$'\n'"  git config --global user.email you@example.org"
	fi
	[ -f "$repo/patches/series" ] || die "patches/series is missing"
	git=$(base_repo)
	work=$(bash "$repo/dev/kernel-tree.sh" work)

	# Every new kernel file must belong to a patch.
	while read -r f num; do
		assigned[$f]=$num
	done < <(awk '!/^#/ && NF == 2' "$repo/patches/files")
	while IFS= read -r f; do
		[ -n "${assigned[$f]:-}" ] ||
			die "$f is not in patches/files: say which patch adds it"
	done < <(cd "$repo" && git ls-files --cached --others --exclude-standard \
		 -- include arch lib Documentation | while IFS= read -r g; do
			 [ -f "$g" ] && echo "$g"; done)

	git -C "$git" checkout -q -f --detach s2attr-base
	git -C "$git" clean -q -fdx

	while IFS= read -r name; do
		n=$((n + 1))
		num=${name%%-*}
		for f in $(files_of "$num"); do
			[ -f "$repo/$f" ] || die "patches/files assigns $f to $num, but there is no $f"
			[ ! -e "$git/$f" ] || die "patches/files assigns $f to $num, but it exists already"
			mkdir -p "$git/$(dirname "$f")"
			cp "$repo/$f" "$git/$f"
		done
		patch -d "$git" -p1 --batch --fuzz=0 --no-backup-if-mismatch -s \
			<"$repo/patches/$name" || die "patches/$name does not apply in the export"
		git -C "$git" add -A -f
		[ -n "$(message "$repo/patches/$name" | head -n 1)" ] ||
			die "patches/$name has no Subject: line"
		message "$repo/patches/$name" |
			git -C "$git" interpret-trailers --trailer "Signed-off-by: $who" |
			git -C "$git" -c user.name="${who% <*}" -c user.email="${who##*<}" \
				commit -q --author="$who" -F - ||
			die "nothing to commit for patches/$name"
		git -C "$git" -c user.name="${who% <*}" -c user.email="${who##*<}" \
			commit -q --amend --no-edit --reset-author
	done < <(series)

	# The series and the tree KUnit builds from must be the same code.
	bash "$repo/dev/kernel-tree.sh" apply >/dev/null
	while IFS= read -r f; do
		cmp -s "$git/$f" "$work/$f" ||
			die "$f differs between the exported series and the applied work tree"
	done < <(git -C "$git" diff --name-only s2attr-base HEAD)

	rm -rf "$out"
	mkdir -p "$out"
	git -C "$git" format-patch -q --cover-letter --base=s2attr-base \
		-v"${SERIES_VERSION:-3}" -o "$(cd "$out" && pwd)" s2attr-base..HEAD
	fill_cover_letter "$out"/*0000-cover-letter.patch
	echo "series.sh: $n patches in $out (base: Linux $(bash "$repo/dev/kernel-tree.sh" version)," \
		"author: $who)"
	git -C "$git" log --format='  %h %s' s2attr-base..HEAD | tac
}

# Put patches/cover-letter.txt (first line: subject) into the generated letter.
fill_cover_letter() {
	local letter=$1 subject
	subject=$(head -n 1 "$repo/patches/cover-letter.txt")
	python3 - "$letter" "$subject" "$repo/patches/cover-letter.txt" <<'EOF'
import sys
path, subject, text = sys.argv[1], sys.argv[2], open(sys.argv[3]).read()
blurb = text.split('\n', 1)[1].strip('\n')
s = open(path).read()
assert '*** SUBJECT HERE ***' in s and '*** BLURB HERE ***' in s, path
s = s.replace('*** SUBJECT HERE ***', subject).replace('*** BLURB HERE ***', blurb)
open(path, 'w').write(s)
EOF
}

# warnings LOG: compiler and sparse diagnostics of LOG, without line numbers,
# for the files the series touches.
warnings() {
	grep -E '(warning|error):' "$1" | grep -F -f "$touched" |
		sed -E 's#^([^:]*/)?([^/:]+/[^:]+):[0-9]+(:[0-9]+)?:#\2:#' | sort || true
}

cmd_check() {
	local git src build out log cfg n=0 total name patchfile line ok bad=0 good=0 who email
	local -a fragments
	out=$repo/build/series-check/patches
	if [ -z "$(identity)" ]; then
		# Built and checkpatched here only, never sent.
		export GIT_AUTHOR_NAME="series check" GIT_AUTHOR_EMAIL="series-check@localhost"
	fi
	cmd_export "$out"
	who=$(identity)
	email=${who##*<}
	email=${email%>}
	git=$(base_repo)
	src=$S2ATTR_CACHE/series-check/src
	build=$S2ATTR_CACHE/series-check/build
	log=$S2ATTR_CACHE/series-check/logs
	touched=$S2ATTR_CACHE/series-check/touched
	mkdir -p "$log" "$(dirname "$src")"

	if [ ! -d "$src/.git" ] && [ ! -f "$src/.git" ]; then
		rm -rf "$src"
		git -C "$git" worktree prune
		git -C "$git" worktree add -q --detach "$src" s2attr-base
	fi
	git -C "$src" am --abort >/dev/null 2>&1 || true
	git -C "$src" checkout -q -f --detach s2attr-base
	git -C "$src" clean -q -fdx
	git -C "$git" diff --name-only s2attr-base HEAD >"$touched"

	# The KUnit configuration of the last patch plus what the end-to-end
	# kernel enables (the stage-2 ptdump, the test device), so that every
	# patch's code is built; options a patch has not added yet are ignored.
	cfg=$S2ATTR_CACHE/series-check/kunitconfig
	# shellcheck source=dev/e2e-kernel.sh
	. "$repo/dev/e2e-kernel.sh"
	mapfile -t fragments < <(e2e_fragments)
	cat "${fragments[@]}" >"$cfg"

	kbuild() { # kbuild LOG [make args]: build in $build, log to LOG
		local l=$1
		shift
		make -C "$src" O="$build" "${cross[@]}" -j"$jobs" "$@" >"$l" 2>&1
	}

	echo "series-check: base Linux $(bash "$repo/dev/kernel-tree.sh" version), build in $build"
	(cd "$src" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --kunitconfig="$cfg" --build_dir="$build" \
		>"$log/config-base.log" 2>&1) || true
	kbuild "$log/build-base.log" || die "the base does not build; see $log/build-base.log"
	kbuild "$log/w1-base.log" W=1 C=2 arch/arm64/kvm/ ||
		die "the base does not build with W=1 C=2; see $log/w1-base.log"

	total=0
	for patchfile in "$out"/*.patch; do
		case $patchfile in *cover-letter*) ;; *) total=$((total + 1)) ;; esac
	done
	for patchfile in "$out"/*.patch; do
		case $patchfile in *cover-letter*) continue ;; esac
		n=$((n + 1))
		name=$(basename "$patchfile")
		line="patch $n/$total $name:"
		ok=1
		# git am commits: the committer is whoever exports, as the author
		# (a fresh machine has no git identity of its own).
		if ! git -C "$src" -c user.name="${who% <*}" -c user.email="$email" \
			am -q "$patchfile" >"$log/am-$n.log" 2>&1; then
			echo "$line does not apply (git am); see $log/am-$n.log"
			return 1
		fi
		line+=" applied,"
		(cd "$src" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
			--cross_compile=aarch64-linux-gnu- --kunitconfig="$cfg" --build_dir="$build" \
			>"$log/config-$n.log" 2>&1) || true
		if kbuild "$log/build-$n.log"; then
			line+=" built"
		else
			line+=" BUILD FAILED"
			ok=0
		fi
		w=$(warnings "$log/build-$n.log" | wc -l)
		line+=" ($w warnings),"
		[ "$w" -eq 0 ] || ok=0
		# checkpatch exits non-zero when it has something to say. Its
		# FILE_PATH_CHANGES ("does MAINTAINERS need updating?") fires on
		# every patch that adds a file; the question is answered exactly
		# below instead: get_maintainer.pl must route every s2attr file
		# the patch adds to KVM/arm64, with MAINTAINERS as the patch
		# leaves it. UNKNOWN_COMMIT_ID: the base repository is one
		# commit, so no upstream commit a message cites is known to it.
		(cd "$src" && PATH=$debpath perl scripts/checkpatch.pl --strict --ignore FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID \
			"$patchfile") >"$log/checkpatch-$n.log" 2>&1 || true
		cp=$(sed -n 's/^total: \(.*\), [0-9]* lines checked$/\1/p' "$log/checkpatch-$n.log")
		# A helper that dies (spdxcheck.py without python3-git) is a check
		# that did not run, not a clean one.
		if grep -q '^Traceback' "$log/checkpatch-$n.log"; then
			cp="a checkpatch helper failed (Traceback in $log/checkpatch-$n.log)"
		fi
		unrouted=()
		while read -r f; do
			case $f in *s2attr*) ;; *) continue ;; esac
			(cd "$src" && perl scripts/get_maintainer.pl --no-git --no-git-fallback \
				--no-rolestats -f "$f" 2>/dev/null) | grep -qF 'kvmarm@lists.linux.dev' ||
				unrouted+=("$f")
		done < <(git -C "$src" diff --name-only --diff-filter=A HEAD~1 HEAD)
		if [ ${#unrouted[@]} -eq 0 ]; then
			line+=" new s2attr files routed to KVM/arm64,"
		else
			line+=" NOT ROUTED TO KVM/arm64 by MAINTAINERS: ${unrouted[*]},"
			ok=0
		fi
		[ -n "$cp" ] || cp="no checkpatch summary"
		line+=" checkpatch: $cp"
		case $cp in
		"0 errors, 0 warnings, 0 checks"*) ;;
		*)
			ok=0
			sed 's/^/    /' "$log/checkpatch-$n.log" | head -40 || true
			;;
		esac
		echo "$line"
		if [ "$ok" -eq 1 ]; then good=$((good + 1)); else bad=$((bad + 1)); fi
	done

	# W=1 and sparse over what the series touches: nothing new.
	if kbuild "$log/w1-final.log" W=1 C=2 arch/arm64/kvm/ lib/tests/ lib/test_s2attr_pfnmap.o &&
	   comm -13 <(warnings "$log/w1-base.log") <(warnings "$log/w1-final.log") >"$log/w1.new" &&
	   [ ! -s "$log/w1.new" ]; then
		echo "W=1 C=2 (sparse) arch/arm64/kvm/ (virt/kvm/ with it) lib/tests/: no new warnings in the files the series touches"
		good=$((good + 1))
	else
		echo "W=1 C=2 (sparse): build failed or new warnings in the files the series touches:"
		sed 's/^/    /' "$log/w1.new" | head -40
		bad=$((bad + 1))
	fi

	# The KVM selftest of the last patch builds, static, without a warning.
	if make -C "$src" O="$build" "${cross[@]}" headers >"$log/headers.log" 2>&1 &&
	   make -C "$src/tools/testing/selftests/kvm" "${cross[@]}" LDFLAGS=-static \
		OUTPUT="$build-kselftest" KHDR_INCLUDES="-isystem $build/usr/include" -j"$jobs" \
		"$build-kselftest/aarch64/s2attr_e2e" >"$log/kselftest.log" 2>&1 &&
	   ! grep -E 's2attr_e2e\.c:[0-9]+:[0-9]+: (warning|error)' "$log/kselftest.log"; then
		echo "KVM selftest aarch64/s2attr_e2e: built (static), no warnings"
		good=$((good + 1))
	else
		echo "KVM selftest aarch64/s2attr_e2e: build failed or warned; see $log/kselftest.log"
		bad=$((bad + 1))
	fi

	# And the whole thing still builds without KVM.
	printf 'CONFIG_KUNIT=y\nCONFIG_VIRTUALIZATION=n\n' >"$cfg.nokvm"
	(cd "$src" && python3 tools/testing/kunit/kunit.py config --arch=arm64 \
		--cross_compile=aarch64-linux-gnu- --kunitconfig="$cfg.nokvm" \
		--build_dir="$build-nokvm" >"$log/config-nokvm.log" 2>&1) || true
	if grep -q '^CONFIG_KVM=y' "$build-nokvm/.config" 2>/dev/null; then
		echo "CONFIG_KVM=n: could not configure a kernel without KVM"
		bad=$((bad + 1))
	elif make -C "$src" O="$build-nokvm" "${cross[@]}" -j"$jobs" >"$log/build-nokvm.log" 2>&1 &&
	     [ "$(warnings "$log/build-nokvm.log" | wc -l)" -eq 0 ]; then
		echo "CONFIG_KVM=n: built, no warnings in the files the series touches"
		good=$((good + 1))
	else
		echo "CONFIG_KVM=n: build failed or warned; see $log/build-nokvm.log"
		bad=$((bad + 1))
	fi

	echo "diffstat:"
	git -C "$src" diff --stat s2attr-base HEAD | sed 's/^/  /'
	echo "series-check: $good passed, $bad failed"
	[ "$bad" -eq 0 ]
}

case ${1:-} in
export) shift; cmd_export "$@" ;;
check) cmd_check ;;
*) echo "usage: series.sh export OUTDIR | check" >&2; exit 2 ;;
esac
