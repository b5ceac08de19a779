// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr_decide(): look an input up in a policy table.
 *
 * The tables of policies.c are the single source of truth. The decision is
 * a first-match scan of a handful of rows, then the grants of a mapped
 * fault; it reads its arguments and the const tables and nothing else, so
 * the same object decides in user_mem_abort(), in KUnit and in the
 * user-space s2attr tool.
 */

#include <linux/build_bug.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "policy.h"

/*
 * What the stage-1 AttrIndx says: cacheable unless Normal-NC or Device, as
 * 6.17's kvm_vma_is_cacheable() has it, and undefined for 5-7.
 */
static const u32 s2attr_memtype_preds[S2ATTR_NR_MEMTYPES] = {
	[S2ATTR_MT_NORMAL]		= P(S1_CACHEABLE),
	[S2ATTR_MT_NORMAL_TAGGED]	= P(S1_CACHEABLE),
	[S2ATTR_MT_NORMAL_NC]		= 0,
	[S2ATTR_MT_DEVICE_NGNRNE]	= 0,
	[S2ATTR_MT_DEVICE_NGNRE]	= 0,
	[S2ATTR_MT_ATTR5]		= P(S1_CACHEABLE) | P(S1_UNDEF),
	[S2ATTR_MT_ATTR6]		= P(S1_CACHEABLE) | P(S1_UNDEF),
	[S2ATTR_MT_ATTR7]		= P(S1_CACHEABLE) | P(S1_UNDEF),
};

/* What the access of a fault says. */
static const u32 s2attr_access_preds[S2ATTR_NR_ACCESSES] = {
	[S2ATTR_ACCESS_READ]	= 0,
	[S2ATTR_ACCESS_WRITE]	= P(WRITE),
	[S2ATTR_ACCESS_EXEC]	= P(EXEC),
};

static const char * const s2attr_rule_names[S2ATTR_NR_RULES] = {
	[S2ATTR_RULE_bad_input] = "bad_input",
	[S2ATTR_RULE_no_rule] = "no_rule",
	[S2ATTR_RULE_accept] = "accept",
	[S2ATTR_RULE_mte_not_allowed] = "mte_not_allowed",
	[S2ATTR_RULE_dirty_log] = "dirty_log",
	[S2ATTR_RULE_wb_no_fwb_dic] = "wb_no_fwb_dic",
	[S2ATTR_RULE_pfnmap_cow] = "pfnmap_cow",
	[S2ATTR_RULE_attr_undef] = "attr_undef",
	[S2ATTR_RULE_mte_special] = "mte_special",
	[S2ATTR_RULE_device_exec] = "device_exec",
	[S2ATTR_RULE_device_any_uc] = "device_any_uc",
	[S2ATTR_RULE_device] = "device",
	[S2ATTR_RULE_nc_exec] = "nc_exec",
	[S2ATTR_RULE_nc_any_uc] = "nc_any_uc",
	[S2ATTR_RULE_nc_device] = "nc_device",
	[S2ATTR_RULE_wb_no_fwb] = "wb_no_fwb",
	[S2ATTR_RULE_wb_exec_no_dic] = "wb_exec_no_dic",
	[S2ATTR_RULE_normal] = "normal",
	[S2ATTR_RULE_exec_fault] = "exec_fault",
	[S2ATTR_RULE_eager_x] = "eager_x",
	[S2ATTR_RULE_dirty_log_wp] = "dirty_log_wp",
	[S2ATTR_RULE_mte_sanitise] = "mte_sanitise",
};

static const struct s2attr_row s2attr_bad_input = {
	.rule = S2ATTR_RULE_bad_input, .verdict = -EINVAL,
};

static const struct s2attr_row s2attr_no_rule = {
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
	BUILD_BUG_ON(BIT(S2ATTR_P_FEAT_S2FWB) != S2ATTR_IN_FWB);
	BUILD_BUG_ON(BIT(S2ATTR_P_CTR_EL0_DIC) != S2ATTR_IN_DIC);
	BUILD_BUG_ON(BIT(S2ATTR_P_LOG_DIRTY) != S2ATTR_IN_LOG_DIRTY);
	BUILD_BUG_ON(BIT(S2ATTR_P_MAP_MEMORY) != S2ATTR_IN_MAP_MEMORY);
	BUILD_BUG_ON(BIT(S2ATTR_P_PERM) != S2ATTR_IN_PERM);
	BUILD_BUG_ON(GENMASK(S2ATTR_P_PERM, 0) != S2ATTR_IN_ALL);

	/* The masks are u32, rule and memattr u8, a verdict an s8. */
	BUILD_BUG_ON(S2ATTR_NR_PREDS > 32);
	BUILD_BUG_ON(S2ATTR_NR_RULES > 256);
	BUILD_BUG_ON(-ENOEXEC < S8_MIN || -EINVAL < S8_MIN || -EFAULT < S8_MIN);

	/* The memtypes are the AttrIndx values the glue reads. */
	BUILD_BUG_ON(S2ATTR_NR_MEMTYPES != 8);
}

/* All of @need and none of @forbid hold for @key. */
static bool s2attr_holds(u32 need, u32 forbid, u32 key)
{
	return (key & need) == need && !(key & forbid);
}

/*
 * The first row of @t, then of its tail, that holds for @key. A table whose
 * own condition fails for @key has no row that holds.
 */
static const struct s2attr_row *s2attr_match(const struct s2attr_table *t, u32 key)
{
	unsigned int i;

	for (; t; t = t->tail) {
		if (!s2attr_holds(t->need, t->forbid, key))
			continue;
		for (i = 0; i < t->nr_rows; i++) {
			if (s2attr_holds(t->rows[i].need, t->rows[i].forbid, key))
				return &t->rows[i];
		}
	}

	return &s2attr_no_rule;
}

/* The predicates of a valid input: its flags and what they imply. */
static u32 s2attr_key(const struct s2attr_input *in)
{
	u32 key = in->flags | s2attr_memtype_preds[in->memtype];

	if (in->stage == S2ATTR_STAGE_FAULT) {
		key |= s2attr_access_preds[in->access];
		if ((key & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)) &&
		    !(key & S2ATTR_IN_MAP_MEMORY))
			key |= P(SPECIAL_PFN);
	} else {
		key &= ~(S2ATTR_IN_MAP_MEMORY | S2ATTR_IN_PERM);
	}
	if (key & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP))
		key |= P(SPECIAL);
	if ((key & (S2ATTR_IN_FWB | S2ATTR_IN_DIC)) == (S2ATTR_IN_FWB | S2ATTR_IN_DIC))
		key |= P(FWB_DIC);

	return key;
}

/**
 * s2attr_decide() - Decide a memslot or a stage-2 fault under a policy.
 * @policy: the policy, from s2attr_policy().
 * @in: the facts the caller sampled.
 * @out: filled with the outcome and the rule that decided, whatever the
 *	verdict; what does not apply to the stage or the verdict is zero.
 *
 * The first row of the policy's table for @in->stage whose condition holds
 * decides the verdict and, at the fault stage, the memory type; the grants
 * of a mapped fault then set @out->exec, @out->wp_read and
 * @out->sanitise_mte. An input outside its domain (an unknown stage,
 * AttrIndx, access or flag) or a NULL @policy is refused with -EINVAL and
 * the rule "bad_input"; it is never mapped. A table in which no row holds
 * refuses with -EFAULT and the rule "no_rule"; the shipped tables end in a
 * row that always holds.
 *
 * Context: Any context. Takes no locks, allocates nothing.
 * Return: 0 to map the page (fault stage) or accept the VMA (memslot
 * stage), otherwise the negative errno to fail with: -EINVAL (the memslot
 * or the input is invalid), -EFAULT (the fault cannot be served) or
 * -ENOEXEC (an exec fault on memory that must not be executed; KVM injects
 * an instruction abort into the guest).
 */
int s2attr_decide(const struct s2attr_policy *policy,
		  const struct s2attr_input *in, struct s2attr_output *out)
{
	const struct s2attr_row *row = &s2attr_bad_input;
	const struct s2attr_grant *g;
	unsigned int grants = 0;
	u32 key = 0;

	if (policy && in->stage < S2ATTR_NR_STAGES && in->memtype < S2ATTR_NR_MEMTYPES &&
	    in->access < S2ATTR_NR_ACCESSES && !(in->flags & ~S2ATTR_IN_ALL)) {
		key = s2attr_key(in);
		row = s2attr_match(&policy->tables[in->stage], key);
	}

	*out = (struct s2attr_output){ .rule = row->rule };
	if (row->verdict || in->stage != S2ATTR_STAGE_FAULT)
		return row->verdict;

	out->memattr = row->memattr;
	if (row->memattr == S2ATTR_MEMATTR_NORMAL)
		key |= P(S2_NORMAL);
	for (g = s2attr_grants; g < s2attr_grants + S2ATTR_NR_GRANTS; g++) {
		if (s2attr_holds(g->need, g->forbid, key))
			grants |= BIT(g->what);
	}
	out->exec = grants & BIT(S2ATTR_GRANT_X);
	out->wp_read = grants & BIT(S2ATTR_GRANT_WP_READ);
	out->sanitise_mte = grants & BIT(S2ATTR_GRANT_SANITISE_MTE);

	return 0;
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
 * s2attr_policy_name() - The name of a policy.
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
 * s2attr_rule_name() - The name of a rule or grant.
 * @rule: enum s2attr_rule_id, as in struct s2attr_output::rule.
 *
 * Context: Any context.
 * Return: the name, e.g. "nc_any_uc", or "?" for a value that names none.
 */
const char *s2attr_rule_name(unsigned int rule)
{
	return rule < S2ATTR_NR_RULES && s2attr_rule_names[rule] ? s2attr_rule_names[rule] : "?";
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_rule_name);

/**
 * s2attr_policy_rule() - The rule of one row of a policy table.
 * @policy: the policy.
 * @stage: enum s2attr_stage, which of its tables.
 * @row: row number from 0, in the order the rows are tried, the shared
 *	tail included.
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
	const struct s2attr_table *t;

	if ((unsigned int)stage >= S2ATTR_NR_STAGES)
		return -ENOENT;
	for (t = &policy->tables[stage]; t; t = t->tail) {
		if (row < t->nr_rows)
			return t->rows[row].rule;
		row -= t->nr_rows;
	}

	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_policy_rule);
