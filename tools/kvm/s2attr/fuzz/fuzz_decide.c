// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: s2attr_decide() over raw input bytes.
 *
 * The bytes are taken as they come, values outside every domain included
 * (missing bytes are zero):
 *   0-3   flags, little endian: any bit, not only S2ATTR_IN_ALL
 *   4     stage		5  memtype	6  access
 *   7     a policy id for s2attr_policy(), any value (unknown ids give NULL)
 *   8, 9  a stage and a row for s2attr_policy_rule()
 *   10-   a policy name for s2attr_policy_by_name()
 *
 * Every shipped policy, and the one byte 7 picks, decides the input; the
 * harness aborts on
 *   - a "map" (verdict 0) for an input outside its domain or without a
 *     policy: those must be refused with -EINVAL by the rule bad_input;
 *   - a verdict other than 0, -EINVAL, -EFAULT, -ENOEXEC (a memslot: 0 or
 *     -EINVAL), a rule id outside enum s2attr_rule_id or without a reason
 *     and upstream reference in the tool (tools/kvm/s2attr/rules.c), or
 *     no_rule / bad_input for a valid input (the shipped policies are total);
 *   - an output that is set where it does not apply: at the memslot stage,
 *     or for a refusal;
 *   - a fault mapped with a memory type outside enum s2attr_memattr, an exec
 *     fault mapped without X or on anything but Normal memory, X on
 *     anything but Normal, eager X (X for a read or write) without DIC,
 *     wp_read for a write fault or without dirty logging, tags sanitised
 *     other than on Normal memory of an MTE guest whose VMA allows MTE, on
 *     a translation fault (SPEC section 3, section 5 P4 and P5);
 *   - a decision that changes when an input the stage ignores changes
 *     (memslot: map_memory, perm, access), when log_dirty changes anything
 *     but wp_read at the fault stage other than through strict's S5 (rule
 *     dirty_log), when cow changes anything outside strict (SPEC P6), or
 *     when the same input is decided twice (the function is pure).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvm/s2attr.h>

#include "../rules.h"

#define FUZZ_CHECK(cond, in, policy)						\
	do {									\
		if (!(cond))							\
			fuzz_fail(#cond, __LINE__, in, policy);			\
	} while (0)

static void __attribute__((noreturn)) fuzz_fail(const char *what, int line,
						const struct s2attr_input *in,
						const struct s2attr_policy *policy)
{
	fprintf(stderr, "fuzz_decide: line %d: %s does not hold\n", line, what);
	fprintf(stderr, "fuzz_decide: policy=%s flags=%#x stage=%u memtype=%u access=%u\n",
		policy ? s2attr_policy_name(policy) : "(null)", (unsigned int)in->flags,
		in->stage, in->memtype, in->access);
	abort();
}

static bool in_domain(const struct s2attr_input *in)
{
	return in->stage < S2ATTR_NR_STAGES && in->memtype < S2ATTR_NR_MEMTYPES &&
	       in->access < S2ATTR_NR_ACCESSES && !(in->flags & ~S2ATTR_IN_ALL);
}

static int decide(const struct s2attr_policy *policy, const struct s2attr_input *in,
		  struct s2attr_output *out)
{
	/* Whatever the caller's stack held: every member must be written. */
	memset(out, 0x5a, sizeof(*out));
	return s2attr_decide(policy, in, out);
}

static bool same(int va, const struct s2attr_output *a, int vb, const struct s2attr_output *b)
{
	return va == vb && a->rule == b->rule && a->memattr == b->memattr &&
	       a->exec == b->exec && a->wp_read == b->wp_read &&
	       a->sanitise_mte == b->sanitise_mte;
}

static bool no_outputs(const struct s2attr_output *out)
{
	return !out->memattr && !out->exec && !out->wp_read && !out->sanitise_mte;
}

static void check(const struct s2attr_policy *policy, const struct s2attr_input *in)
{
	struct s2attr_output out, again;
	struct s2attr_input other;
	bool fault = in->stage == S2ATTR_STAGE_FAULT;
	u32 f = in->flags;
	int v, w;

	v = decide(policy, in, &out);
	FUZZ_CHECK(v == 0 || v == -EINVAL || v == -EFAULT || v == -ENOEXEC, in, policy);
	FUZZ_CHECK(out.rule < S2ATTR_NR_RULES, in, policy);
	FUZZ_CHECK(strcmp(s2attr_rule_name(out.rule), "?") && rule_text(out.rule) &&
		   rule_text(out.rule)->reason && rule_text(out.rule)->ref, in, policy);

	w = decide(policy, in, &again);
	FUZZ_CHECK(same(v, &out, w, &again), in, policy);

	if (!policy || !in_domain(in)) {
		FUZZ_CHECK(v == -EINVAL, in, policy);
		FUZZ_CHECK(out.rule == S2ATTR_RULE_bad_input, in, policy);
		FUZZ_CHECK(no_outputs(&out), in, policy);
		return;
	}

	FUZZ_CHECK(out.rule != S2ATTR_RULE_bad_input && out.rule != S2ATTR_RULE_no_rule,
		   in, policy);
	if (!fault || v) {
		FUZZ_CHECK(no_outputs(&out), in, policy);
		if (!fault)
			FUZZ_CHECK(v == 0 || v == -EINVAL, in, policy);
	} else {
		bool normal = out.memattr == S2ATTR_MEMATTR_NORMAL;

		FUZZ_CHECK(out.memattr < S2ATTR_NR_MEMATTRS, in, policy);
		if (in->access == S2ATTR_ACCESS_EXEC)
			FUZZ_CHECK(out.exec && normal, in, policy);
		if (out.exec)
			FUZZ_CHECK(normal, in, policy);
		if (out.exec && in->access != S2ATTR_ACCESS_EXEC)
			FUZZ_CHECK(f & S2ATTR_IN_DIC, in, policy);
		if (out.wp_read)
			FUZZ_CHECK(normal && (f & S2ATTR_IN_LOG_DIRTY) &&
				   in->access != S2ATTR_ACCESS_WRITE, in, policy);
		if (out.sanitise_mte)
			FUZZ_CHECK(normal && (f & S2ATTR_IN_KVM_MTE) &&
				   (f & S2ATTR_IN_MTE_ALLOWED) && !(f & S2ATTR_IN_PERM), in, policy);
	}

	/* What the stage ignores does not matter. */
	if (!fault) {
		other = *in;
		other.flags ^= S2ATTR_IN_MAP_MEMORY | S2ATTR_IN_PERM;
		other.access = (in->access + 1) % S2ATTR_NR_ACCESSES;
		w = decide(policy, &other, &again);
		FUZZ_CHECK(same(v, &out, w, &again), in, policy);
	} else {
		/* log_dirty: only wp_read, unless strict's S5 refuses. */
		other = *in;
		other.flags ^= S2ATTR_IN_LOG_DIRTY;
		w = decide(policy, &other, &again);
		if (out.rule != S2ATTR_RULE_dirty_log && again.rule != S2ATTR_RULE_dirty_log) {
			again.wp_read = out.wp_read;
			FUZZ_CHECK(same(v, &out, w, &again), in, policy);
		}
	}
	if (policy != s2attr_policy(S2ATTR_POLICY_STRICT)) {
		other = *in;
		other.flags ^= S2ATTR_IN_COW;
		w = decide(policy, &other, &again);
		FUZZ_CHECK(same(v, &out, w, &again), in, policy);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t b[10] = { 0 };
	const struct s2attr_policy *policy;
	struct s2attr_input in;
	char name[64];
	unsigned int p;
	size_t n;
	int rule;

	memcpy(b, data, size < sizeof(b) ? size : sizeof(b));
	in.flags = b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
	in.stage = b[4];
	in.memtype = b[5];
	in.access = b[6];

	for (p = 0; p < S2ATTR_NR_POLICIES; p++)
		check(s2attr_policy(p), &in);

	/* Any policy id: the shipped ones, or NULL, which must refuse. */
	policy = s2attr_policy((enum s2attr_policy_id)b[7]);
	FUZZ_CHECK(!policy == (b[7] >= S2ATTR_NR_POLICIES), &in, policy);
	check(policy, &in);

	/* Walking a table: a rule id or -ENOENT, whatever the stage and row. */
	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		rule = s2attr_policy_rule(s2attr_policy(p), (enum s2attr_stage)b[8], b[9]);
		FUZZ_CHECK(rule == -ENOENT || (rule >= 0 && rule < S2ATTR_NR_RULES), &in,
			   s2attr_policy(p));
		if (b[8] >= S2ATTR_NR_STAGES)
			FUZZ_CHECK(rule == -ENOENT, &in, s2attr_policy(p));
	}

	/* A policy by name: NULL, or the policy of exactly that name. */
	n = size > sizeof(b) ? size - sizeof(b) : 0;
	n = n < sizeof(name) - 1 ? n : sizeof(name) - 1;
	if (n)
		memcpy(name, data + sizeof(b), n);
	name[n] = 0;
	policy = s2attr_policy_by_name(name);
	if (policy)
		FUZZ_CHECK(!strcmp(s2attr_policy_name(policy), name), &in, policy);
	return 0;
}
