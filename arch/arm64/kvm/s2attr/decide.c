// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr_decide(): look an input up in a policy table.
 *
 * The function is pure: it reads its arguments and the const tables and
 * nothing else, so the same object decides in user_mem_abort(), in KUnit
 * and in the user-space s2attr tool.
 */

#include <linux/build_bug.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "policy.h"

/* AttrIndx values that the stage-1 mapping makes cacheable, and undefined. */
#define S2ATTR_MT_CACHEABLE	(BIT(S2ATTR_MT_NORMAL) | BIT(S2ATTR_MT_NORMAL_TAGGED) | \
				 S2ATTR_MT_UNDEF)
#define S2ATTR_MT_UNDEF		(BIT(S2ATTR_MT_ATTR5) | BIT(S2ATTR_MT_ATTR6) | \
				 BIT(S2ATTR_MT_ATTR7))

static const u32 s2attr_stage_flags[S2ATTR_NR_STAGES] = {
	[S2ATTR_STAGE_MEMSLOT]	= S2ATTR_IN_MEMSLOT_FLAGS,
	[S2ATTR_STAGE_FAULT]	= S2ATTR_IN_FAULT_FLAGS,
};

static const struct s2attr_row s2attr_bad_input_row = {
	.rule = S2ATTR_RULE_bad_input, .verdict = -EINVAL,
};

static const struct s2attr_row s2attr_no_rule_row = {
	.rule = S2ATTR_RULE_no_rule, .verdict = -EFAULT,
};

static void __maybe_unused s2attr_build_checks(void)
{
	/* The input flags are the first predicates, bit for bit. */
	BUILD_BUG_ON(BIT(S2ATTR_P_PFNMAP) != S2ATTR_IN_PFNMAP);
	BUILD_BUG_ON(BIT(S2ATTR_P_MIXEDMAP) != S2ATTR_IN_MIXEDMAP);
	BUILD_BUG_ON(BIT(S2ATTR_P_COW) != S2ATTR_IN_COW);
	BUILD_BUG_ON(BIT(S2ATTR_P_ANY_UC) != S2ATTR_IN_ALLOW_ANY_UC);
	BUILD_BUG_ON(BIT(S2ATTR_P_MTE_ALLOWED) != S2ATTR_IN_MTE_ALLOWED);
	BUILD_BUG_ON(BIT(S2ATTR_P_KVM_MTE) != S2ATTR_IN_KVM_MTE);
	BUILD_BUG_ON(BIT(S2ATTR_P_FWB) != S2ATTR_IN_FWB);
	BUILD_BUG_ON(BIT(S2ATTR_P_DIC) != S2ATTR_IN_DIC);
	BUILD_BUG_ON(BIT(S2ATTR_P_LOG_DIRTY) != S2ATTR_IN_LOG_DIRTY);
	BUILD_BUG_ON(BIT(S2ATTR_P_MAP_MEMORY) != S2ATTR_IN_MAP_MEMORY);
	BUILD_BUG_ON(BIT(S2ATTR_P_PERM) != S2ATTR_IN_PERM);
	BUILD_BUG_ON(GENMASK(S2ATTR_P_PERM, 0) != S2ATTR_IN_ALL);

	/* Field widths of struct s2attr_row and struct s2attr_output. */
	BUILD_BUG_ON(S2ATTR_NR_PREDS > 32);
	BUILD_BUG_ON(S2ATTR_NR_RULES > U8_MAX);
	BUILD_BUG_ON(S2ATTR_NR_MEMATTRS > U8_MAX);
	BUILD_BUG_ON(-ENOEXEC < S8_MIN || -EINVAL < S8_MIN || -EFAULT < S8_MIN);

	/* The enumerations are the hardware encodings the glue relies on. */
	BUILD_BUG_ON(S2ATTR_NR_MEMTYPES != 8);
	BUILD_BUG_ON(S2ATTR_MT_CACHEABLE & ~GENMASK(S2ATTR_NR_MEMTYPES - 1, 0));
}

static bool s2attr_input_valid(const struct s2attr_input *in)
{
	return in->stage < S2ATTR_NR_STAGES &&
	       in->memtype < S2ATTR_NR_MEMTYPES &&
	       in->access < S2ATTR_NR_ACCESSES &&
	       !(in->flags & ~S2ATTR_IN_ALL);
}

/* The predicate word of a valid input: its own flags plus the derived ones. */
static u32 s2attr_key(const struct s2attr_input *in)
{
	u32 key = in->flags & s2attr_stage_flags[in->stage];

	if (key & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)) {
		key |= BIT(S2ATTR_P_SPECIAL);
		if (in->stage == S2ATTR_STAGE_FAULT && !(key & S2ATTR_IN_MAP_MEMORY))
			key |= BIT(S2ATTR_P_SPECIAL_PFN);
	}
	if (in->stage == S2ATTR_STAGE_FAULT && in->access == S2ATTR_ACCESS_EXEC)
		key |= BIT(S2ATTR_P_EXEC);
	if (S2ATTR_MT_CACHEABLE & BIT(in->memtype))
		key |= BIT(S2ATTR_P_CACHEABLE);
	if (S2ATTR_MT_UNDEF & BIT(in->memtype))
		key |= BIT(S2ATTR_P_ATTR_UNDEF);
	if ((key & (S2ATTR_IN_FWB | S2ATTR_IN_DIC)) == (S2ATTR_IN_FWB | S2ATTR_IN_DIC))
		key |= BIT(S2ATTR_P_FWB_DIC);

	return key;
}

static const struct s2attr_row *s2attr_lookup(const struct s2attr_table *t, u32 key)
{
	unsigned int i;

	for (i = 0; i < t->nr_rows; i++) {
		if ((key & t->rows[i].mask) == t->rows[i].match)
			return &t->rows[i];
	}

	return &s2attr_no_rule_row;
}

/**
 * s2attr_decide() - Decide the stage-2 mapping of one input under a policy.
 * @policy: the policy, from s2attr_policy() or s2attr_policy_by_name().
 * @in: the facts the caller sampled.
 * @out: filled with the outcome and the rule that decided, whatever the
 *	verdict.
 *
 * An input outside its domain (an unknown stage, AttrIndx or access, or an
 * unknown flag) is refused with -EINVAL and the rule "bad_input"; it is never
 * mapped. A policy in which no row matches refuses with -EFAULT and the rule
 * "no_rule"; the shipped policies are total, which KUnit proves.
 *
 * Context: Any context. Takes no locks, allocates nothing.
 * Return: 0 to map the page (fault stage) or accept the VMA (memslot stage),
 * otherwise the negative errno the caller returns: -EINVAL (the memslot or
 * mapping is invalid), -EFAULT (the fault cannot be served) or -ENOEXEC (an
 * exec fault on memory that must not be executed; KVM injects an
 * instruction abort into the guest).
 */
int s2attr_decide(const struct s2attr_policy *policy,
		  const struct s2attr_input *in, struct s2attr_output *out)
{
	const struct s2attr_row *row = &s2attr_bad_input_row;
	u32 key = 0;

	if (policy && s2attr_input_valid(in)) {
		key = s2attr_key(in);
		row = s2attr_lookup(&policy->tables[in->stage], key);
	}

	out->rule = row->rule;
	out->memattr = row->memattr;
	out->exec = (row->flags & S2ATTR_ROW_X_IF_DIC) && (key & S2ATTR_IN_DIC);
	out->no_block = row->flags & S2ATTR_ROW_NO_BLOCK;
	out->sanitise_mte = row->flags & S2ATTR_ROW_SANITISE;

	return row->verdict;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_decide);

/**
 * s2attr_policy() - A shipped policy by number.
 * @id: enum s2attr_policy_id.
 *
 * Context: Any context.
 * Return: the policy, or NULL when @id names none.
 */
const struct s2attr_policy *s2attr_policy(enum s2attr_policy_id id)
{
	return (unsigned int)id < S2ATTR_NR_POLICIES ? &s2attr_policies[id] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_policy);

/**
 * s2attr_policy_name() - The name of a policy, as Kconfig and the docs use it.
 * @policy: the policy.
 *
 * Context: Any context.
 * Return: the name, e.g. "cacheable-pfnmap".
 */
const char *s2attr_policy_name(const struct s2attr_policy *policy)
{
	return policy->name;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_policy_name);

/**
 * s2attr_policy_by_name() - A shipped policy by name.
 * @name: e.g. "strict".
 *
 * Context: Any context.
 * Return: the policy, or NULL when no policy has that name.
 */
const struct s2attr_policy *s2attr_policy_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < S2ATTR_NR_POLICIES; i++) {
		if (!strcmp(s2attr_policies[i].name, name))
			return &s2attr_policies[i];
	}

	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_policy_by_name);

/**
 * s2attr_policy_rule() - The rule of one row of a policy table.
 * @policy: the policy.
 * @stage: enum s2attr_stage, which of its tables.
 * @row: row number, from 0, in the order the rows are tried.
 *
 * Lets tests and tools walk a table without knowing its layout.
 *
 * Context: Any context.
 * Return: the enum s2attr_rule_id of the row, or -ENOENT past the last row
 * or for a stage that does not exist.
 */
int s2attr_policy_rule(const struct s2attr_policy *policy, enum s2attr_stage stage,
		       unsigned int row)
{
	if ((unsigned int)stage >= S2ATTR_NR_STAGES ||
	    row >= policy->tables[stage].nr_rows)
		return -ENOENT;

	return policy->tables[stage].rows[row].rule;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_policy_rule);
