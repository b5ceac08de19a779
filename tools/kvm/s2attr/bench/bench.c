// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr-bench: instructions per decision of s2attr_decide(), against the
 * if-chains it replaces and against a dense array, counted by callgrind.
 *
 *   s2attr-bench verify         prove that every baseline gives what
 *                               s2attr_decide() gives under its policy, on
 *                               all 53,248 inputs; exit 1 if one does not
 *   s2attr-bench run MIX        verify, then run every measured driver once
 *                               over MIX, "uniform" or "realistic"
 *
 * Method. Every implementation is a separate function that the compiler
 * cannot inline here: s2attr_decide() lives in another object (no LTO) and
 * the baselines are noinline in baselines.c. Each implementation has its
 * own driver function, bench__<impl>(), which calls it once per input of
 * the mix and does nothing else. Under `valgrind --tool=callgrind`, the
 * call edge from a driver to its implementation carries the number of calls
 * and the inclusive instruction count (Ir) of the callee over those calls:
 * from its first instruction to its ret, everything it calls included.
 * bench-table.py divides the one by the other. The driver's own loop,
 * argument set-up and call instruction are the caller's, so nothing needs
 * to be subtracted and every implementation is charged the same way.
 * s2attr_decide() is the first-match scan of the policy's rows and the
 * grants, as in the kernel; nothing is built before it runs. Instruction
 * counts are exact and deterministic, unlike time on a shared machine.
 *
 * Mixes, all fault-stage inputs (the hot path), deterministic:
 *   uniform    every one of the 49,152 fault inputs once, shuffled;
 *   realistic  100,000 faults, about 98% on anonymous RAM (not PFNMAP, not
 *              MIXEDMAP, pfn in the linear map), the rest on a VM_PFNMAP
 *              VMA of any kind (any memtype, pfn in or out of the linear
 *              map, with or without ANY_UC, MTE, FWB, DIC, ...), drawn
 *              with a fixed-seed PRNG.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "bench.h"

#define BENCH_REALISTIC		100000
#define BENCH_ANON_PERMILLE	980

static struct s2attr_input mix_uniform[S2ATTR_FAULT_INPUTS];
static struct s2attr_input mix_realistic[BENCH_REALISTIC];
static const struct s2attr_input *mix;
static unsigned int mix_len;

static const struct s2attr_policy *policy[S2ATTR_NR_POLICIES];
static u64 *dense[S2ATTR_NR_POLICIES];
long s2attr_bench_sink;

/* splitmix64 with a fixed seed: the same mixes on every machine. */
static u64 prng_state = 0x5332415454524200ULL;	/* "S2ATTRB" */

static u64 prng(void)
{
	u64 z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool is_anon_ram(const struct s2attr_input *in)
{
	return !(in->flags & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)) &&
	       (in->flags & S2ATTR_IN_MAP_MEMORY);
}

static void build_mixes(void)
{
	static struct s2attr_input anon[S2ATTR_FAULT_INPUTS], pfnmap[S2ATTR_FAULT_INPUTS];
	unsigned int nr_anon = 0, nr_pfnmap = 0, picked_anon = 0, outside = 0;
	unsigned int i, j;

	for (i = 0; i < S2ATTR_FAULT_INPUTS; i++) {
		s2attr_input_nth(S2ATTR_STAGE_FAULT, i, &mix_uniform[i]);
		if (is_anon_ram(&mix_uniform[i]))
			anon[nr_anon++] = mix_uniform[i];
		if (mix_uniform[i].flags & S2ATTR_IN_PFNMAP)
			pfnmap[nr_pfnmap++] = mix_uniform[i];
	}
	/* Fisher-Yates. */
	for (i = S2ATTR_FAULT_INPUTS - 1; i > 0; i--) {
		struct s2attr_input t = mix_uniform[i];

		j = prng() % (i + 1);
		mix_uniform[i] = mix_uniform[j];
		mix_uniform[j] = t;
	}

	for (i = 0; i < BENCH_REALISTIC; i++) {
		if (prng() % 1000 < BENCH_ANON_PERMILLE) {
			mix_realistic[i] = anon[prng() % nr_anon];
			picked_anon++;
		} else {
			mix_realistic[i] = pfnmap[prng() % nr_pfnmap];
			outside += !(mix_realistic[i].flags & S2ATTR_IN_MAP_MEMORY);
		}
	}

	printf("mix uniform: %u fault decisions, every fault input once, shuffled\n",
	       S2ATTR_FAULT_INPUTS);
	printf("mix realistic: %u fault decisions: %u (%.2f%%) anonymous RAM, ",
	       BENCH_REALISTIC, picked_anon, 100.0 * picked_anon / BENCH_REALISTIC);
	printf("%u (%.2f%%) VM_PFNMAP, %u of them with the pfn outside the linear map\n",
	       BENCH_REALISTIC - picked_anon,
	       100.0 * (BENCH_REALISTIC - picked_anon) / BENCH_REALISTIC, outside);
}

/* The dense arrays, filled from s2attr_decide(): the outputs, one load away. */
static void build_dense(void)
{
	struct s2attr_output out;
	struct s2attr_input in;
	unsigned int p, stage;
	u32 n, nr;
	int ret;

	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		dense[p] = calloc(S2ATTR_BENCH_DENSE_SIZE, sizeof(*dense[p]));
		if (!dense[p]) {
			perror("s2attr-bench");
			exit(2);
		}
		for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
			nr = stage ? S2ATTR_FAULT_INPUTS : S2ATTR_MEMSLOT_INPUTS;
			for (n = 0; n < nr; n++) {
				s2attr_input_nth(stage, n, &in);
				ret = s2attr_decide(policy[p], &in, &out);
				dense[p][s2attr_bench_dense_index(&in)] =
					s2attr_bench_dense_entry(ret, &out);
			}
		}
	}
}

typedef int (*bench_impl_fn)(const void *ctx, const struct s2attr_input *in,
			     struct s2attr_output *out);

static int impl_ifchain_6_12(const void *ctx, const struct s2attr_input *in,
			     struct s2attr_output *out)
{
	return s2attr_bench_ifchain_6_12(in, out);
}

static int impl_ifchain_6_17(const void *ctx, const struct s2attr_input *in,
			     struct s2attr_output *out)
{
	return s2attr_bench_ifchain_6_17(in, out);
}

static int impl_ifchain_6_12_unchecked(const void *ctx, const struct s2attr_input *in,
				       struct s2attr_output *out)
{
	return s2attr_bench_ifchain_6_12_unchecked(in, out);
}

static int impl_ifchain_6_17_unchecked(const void *ctx, const struct s2attr_input *in,
				       struct s2attr_output *out)
{
	return s2attr_bench_ifchain_6_17_unchecked(in, out);
}

static int impl_dense(const void *ctx, const struct s2attr_input *in,
		      struct s2attr_output *out)
{
	return s2attr_bench_dense(ctx, in, out);
}

static bool same(int r1, const struct s2attr_output *o1, int r2, const struct s2attr_output *o2)
{
	return r1 == r2 && o1->rule == o2->rule && o1->memattr == o2->memattr &&
	       o1->exec == o2->exec && o1->wp_read == o2->wp_read &&
	       o1->sanitise_mte == o2->sanitise_mte;
}

/*
 * The one place where cacheable-pfnmap departs from Linux 6.17 on purpose
 * (patch 6): 6.17 refuses a VM_PFNMAP memslot whose vm_page_prot is
 * cacheable when the CPU lacks FWB or DIC; the policy leaves the stage-1
 * type to the fault, which reads the host PTE. True when the 6.17 chain
 * refused such a memslot and s2attr_decide() accepted it.
 */
static bool departs_from_6_17(const struct s2attr_input *in, int r1,
			      const struct s2attr_output *want, int r2,
			      const struct s2attr_output *got)
{
	return in->stage == S2ATTR_STAGE_MEMSLOT && r1 == 0 &&
	       want->rule == S2ATTR_RULE_accept && r2 == -EINVAL &&
	       got->rule == S2ATTR_RULE_wb_no_fwb_dic;
}

/*
 * @fn against s2attr_decide(@p) on every input of both stages; with
 * @departure, the inputs departs_from_6_17() names are counted apart.
 */
static bool verify_one(const char *what, bench_impl_fn fn, const void *ctx,
		       enum s2attr_policy_id p, bool departure)
{
	struct s2attr_output want, got;
	struct s2attr_input in;
	unsigned int stage, bad = 0, total = 0, departed = 0;
	int r1, r2;
	u32 n, nr;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		nr = stage ? S2ATTR_FAULT_INPUTS : S2ATTR_MEMSLOT_INPUTS;
		for (n = 0; n < nr; n++, total++) {
			s2attr_input_nth(stage, n, &in);
			memset(&want, 0x5a, sizeof(want));
			memset(&got, 0xa5, sizeof(got));
			r1 = s2attr_decide(policy[p], &in, &want);
			r2 = fn(ctx, &in, &got);
			if (same(r1, &want, r2, &got))
				continue;
			if (departure && departs_from_6_17(&in, r1, &want, r2, &got)) {
				departed++;
				continue;
			}
			if (++bad <= 5)
				printf("  %s: %s input %u: decide %d rule %s, %s %d rule %s\n",
				       what, stage ? "fault" : "memslot", n, r1,
				       s2attr_rule_name(want.rule), what, r2,
				       s2attr_rule_name(got.rule));
		}
	}
	/* A departure that vanished is a change too: say so. */
	if (departure && !departed)
		bad++;
	printf("CHECK %s %s agrees with s2attr_decide(%s) on %u of %u inputs",
	       bad ? "FAIL" : "PASS", what, s2attr_policy_name(policy[p]),
	       total - bad - departed, total);
	if (departure)
		printf(", and departs on %u memslot inputs as patch 6 says (6.17 refuses a cacheable VM_PFNMAP memslot without FWB and DIC, the policy leaves it to the fault)",
		       departed);
	printf("\n");
	return !bad;
}

/*
 * The checked if-chains against s2attr_decide(@p) outside the domain: every
 * stage, memtype and access value that is out of range, every unknown flag.
 */
static bool verify_bad(const char *what, bench_impl_fn fn, enum s2attr_policy_id p)
{
	struct s2attr_output want, got;
	struct s2attr_input in;
	unsigned int v, bad = 0, total = 0;
	int r1, r2;

	for (v = 0; v < 4 * 256; v++) {
		s2attr_input_nth(S2ATTR_STAGE_FAULT, v % S2ATTR_FAULT_INPUTS, &in);
		switch (v / 256) {
		case 0:
			in.stage = v % 256;
			break;
		case 1:
			in.memtype = v % 256;
			break;
		case 2:
			in.access = v % 256;
			break;
		default:
			if (v % 256 >= 32)
				continue;
			in.flags |= BIT(v % 256);
			break;
		}
		if (in.stage < S2ATTR_NR_STAGES && in.memtype < S2ATTR_NR_MEMTYPES &&
		    in.access < S2ATTR_NR_ACCESSES && !(in.flags & ~S2ATTR_IN_ALL))
			continue;
		memset(&want, 0x5a, sizeof(want));
		memset(&got, 0xa5, sizeof(got));
		r1 = s2attr_decide(policy[p], &in, &want);
		r2 = fn(NULL, &in, &got);
		total++;
		bad += !same(r1, &want, r2, &got);
	}
	printf("CHECK %s %s refuses as s2attr_decide(%s) does ", bad ? "FAIL" : "PASS", what,
	       s2attr_policy_name(policy[p]));
	printf("on %u of %u inputs outside the domain\n", total - bad, total);
	return !bad;
}

static bool verify(void)
{
	bool ok = true;
	unsigned int p;
	char what[64];

	ok &= verify_one("ifchain-6.12", impl_ifchain_6_12, NULL, S2ATTR_POLICY_LINUX_6_12,
			 false);
	ok &= verify_one("ifchain-6.17", impl_ifchain_6_17, NULL,
			 S2ATTR_POLICY_CACHEABLE_PFNMAP, true);
	ok &= verify_bad("ifchain-6.12", impl_ifchain_6_12, S2ATTR_POLICY_LINUX_6_12);
	ok &= verify_bad("ifchain-6.17", impl_ifchain_6_17, S2ATTR_POLICY_CACHEABLE_PFNMAP);
	ok &= verify_one("ifchain-6.12-unchecked", impl_ifchain_6_12_unchecked, NULL,
			 S2ATTR_POLICY_LINUX_6_12, false);
	ok &= verify_one("ifchain-6.17-unchecked", impl_ifchain_6_17_unchecked, NULL,
			 S2ATTR_POLICY_CACHEABLE_PFNMAP, true);
	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		snprintf(what, sizeof(what), "dense-%s", s2attr_policy_name(policy[p]));
		ok &= verify_one(what, impl_dense, dense[p], p, false);
	}
	return ok;
}

/* ---- The measured drivers: one per implementation ------------------------ */

#define BENCH_DRIVER(impl, call)						\
static noinline void bench__##impl(void)					\
{										\
	struct s2attr_output out;						\
	long acc = 0;								\
	unsigned int i;								\
										\
	for (i = 0; i < mix_len; i++) {						\
		const struct s2attr_input *in = &mix[i];			\
										\
		acc += (call) + out.memattr;					\
	}									\
	s2attr_bench_sink = acc;						\
}

BENCH_DRIVER(decide_linux_6_12,
	     s2attr_decide(policy[S2ATTR_POLICY_LINUX_6_12], in, &out))
BENCH_DRIVER(decide_cacheable_pfnmap,
	     s2attr_decide(policy[S2ATTR_POLICY_CACHEABLE_PFNMAP], in, &out))
BENCH_DRIVER(decide_strict,
	     s2attr_decide(policy[S2ATTR_POLICY_STRICT], in, &out))
BENCH_DRIVER(decide_fwb_only,
	     s2attr_decide(policy[S2ATTR_POLICY_FWB_ONLY], in, &out))
BENCH_DRIVER(ifchain_6_12, s2attr_bench_ifchain_6_12(in, &out))
BENCH_DRIVER(ifchain_6_17, s2attr_bench_ifchain_6_17(in, &out))
BENCH_DRIVER(ifchain_6_12_unchecked, s2attr_bench_ifchain_6_12_unchecked(in, &out))
BENCH_DRIVER(ifchain_6_17_unchecked, s2attr_bench_ifchain_6_17_unchecked(in, &out))
BENCH_DRIVER(dense_linux_6_12,
	     s2attr_bench_dense(dense[S2ATTR_POLICY_LINUX_6_12], in, &out))
BENCH_DRIVER(dense_cacheable_pfnmap,
	     s2attr_bench_dense(dense[S2ATTR_POLICY_CACHEABLE_PFNMAP], in, &out))
BENCH_DRIVER(dense_strict,
	     s2attr_bench_dense(dense[S2ATTR_POLICY_STRICT], in, &out))
BENCH_DRIVER(dense_fwb_only,
	     s2attr_bench_dense(dense[S2ATTR_POLICY_FWB_ONLY], in, &out))

/* One decide_ and one dense_ driver per policy, here and in bench-table.py. */
_Static_assert(S2ATTR_NR_POLICIES == 4, "a new policy needs its bench drivers");

static void (*const bench_drivers[])(void) = {
	bench__decide_linux_6_12,
	bench__decide_cacheable_pfnmap,
	bench__decide_strict,
	bench__decide_fwb_only,
	bench__ifchain_6_12,
	bench__ifchain_6_17,
	bench__ifchain_6_12_unchecked,
	bench__ifchain_6_17_unchecked,
	bench__dense_linux_6_12,
	bench__dense_cacheable_pfnmap,
	bench__dense_strict,
	bench__dense_fwb_only,
};

int main(int argc, char **argv)
{
	unsigned int p, i;

	if (argc == 3 && !strcmp(argv[1], "run") && !strcmp(argv[2], "uniform")) {
		mix = mix_uniform;
		mix_len = ARRAY_SIZE(mix_uniform);
	} else if (argc == 3 && !strcmp(argv[1], "run") && !strcmp(argv[2], "realistic")) {
		mix = mix_realistic;
		mix_len = ARRAY_SIZE(mix_realistic);
	} else if (argc != 2 || strcmp(argv[1], "verify")) {
		fprintf(stderr, "usage: s2attr-bench verify | run uniform|realistic\n");
		return 2;
	}
	for (p = 0; p < S2ATTR_NR_POLICIES; p++)
		policy[p] = s2attr_policy(p);

	build_mixes();
	build_dense();
	if (!verify()) {
		printf("s2attr-bench: a baseline disagrees; nothing measured\n");
		return 1;
	}
	if (!mix)
		return 0;

	for (i = 0; i < ARRAY_SIZE(bench_drivers); i++)
		bench_drivers[i]();
	printf("s2attr-bench: ran %zu drivers over %u decisions each\n",
	       ARRAY_SIZE(bench_drivers), mix_len);
	return 0;
}
