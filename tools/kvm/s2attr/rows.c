// SPDX-License-Identifier: GPL-2.0-only
/*
 * The s2attr tool's own reading of the policy tables: the predicates of an
 * input, written from the definitions of enum s2attr_pred and not from
 * decide.c, and the first-match scan. Every command that decides checks
 * the engine against it (decide_checked()).
 */
#include <stdio.h>
#include <string.h>

#include "rules.h"
#include "tool.h"

const u32 stage_inputs[S2ATTR_NR_STAGES] = {
	S2ATTR_MEMSLOT_INPUTS, S2ATTR_FAULT_INPUTS,
};

const char *const pred_names[S2ATTR_NR_PREDS] = {
	[S2ATTR_P_PFNMAP]	= "PFNMAP",
	[S2ATTR_P_MIXEDMAP]	= "MIXEDMAP",
	[S2ATTR_P_COW]		= "COW",
	[S2ATTR_P_ANY_UC]	= "ANY_UC",
	[S2ATTR_P_MTE_ALLOWED]	= "MTE_ALLOWED",
	[S2ATTR_P_KVM_MTE]	= "KVM_MTE",
	[S2ATTR_P_FEAT_S2FWB]	= "FEAT_S2FWB",
	[S2ATTR_P_CTR_EL0_DIC]	= "CTR_EL0_DIC",
	[S2ATTR_P_LOG_DIRTY]	= "LOG_DIRTY",
	[S2ATTR_P_MAP_MEMORY]	= "MAP_MEMORY",
	[S2ATTR_P_PERM]		= "PERM",
	[S2ATTR_P_WRITE]	= "WRITE",
	[S2ATTR_P_EXEC]		= "EXEC",
	[S2ATTR_P_SPECIAL]	= "SPECIAL",
	[S2ATTR_P_SPECIAL_PFN]	= "SPECIAL_PFN",
	[S2ATTR_P_S1_CACHEABLE]	= "S1_CACHEABLE",
	[S2ATTR_P_S1_UNDEF]	= "S1_UNDEF",
	[S2ATTR_P_FWB_DIC]	= "FWB_DIC",
	[S2ATTR_P_S2_NORMAL]	= "S2_NORMAL",
};

/* The order in which a mask's predicates are printed: what memory, then what else. */
const u8 pred_order[S2ATTR_NR_PREDS] = {
	S2ATTR_P_SPECIAL, S2ATTR_P_SPECIAL_PFN, S2ATTR_P_PFNMAP, S2ATTR_P_MIXEDMAP,
	S2ATTR_P_COW, S2ATTR_P_MAP_MEMORY, S2ATTR_P_S1_CACHEABLE, S2ATTR_P_S1_UNDEF,
	S2ATTR_P_S2_NORMAL, S2ATTR_P_KVM_MTE, S2ATTR_P_MTE_ALLOWED, S2ATTR_P_FEAT_S2FWB,
	S2ATTR_P_CTR_EL0_DIC, S2ATTR_P_FWB_DIC, S2ATTR_P_ANY_UC, S2ATTR_P_LOG_DIRTY,
	S2ATTR_P_EXEC, S2ATTR_P_WRITE, S2ATTR_P_PERM,
};

const char *const grant_sets[] = {
	[S2ATTR_GRANT_X]		= "exec",
	[S2ATTR_GRANT_WP_READ]		= "wp_read",
	[S2ATTR_GRANT_SANITISE_MTE]	= "sanitise_mte",
};

const char *rule_reason(unsigned int rule)
{
	const struct rule_text *t = rule_text(rule);

	return t && t->reason ? t->reason : "?";
}

const char *rule_ref(unsigned int rule)
{
	const struct rule_text *t = rule_text(rule);

	return t && t->ref ? t->ref : "?";
}

/*
 * What a table needs and forbids only lets the engine skip rows that cannot
 * hold: each of its rows must need and forbid as much itself.
 */
static void self_check_guards(const struct s2attr_policy *policy)
{
	const struct s2attr_table *t;
	unsigned int stage, i;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (t = &policy->tables[stage]; t; t = t->tail) {
			for (i = 0; i < t->nr_rows; i++) {
				if ((t->rows[i].need & t->need) != t->need ||
				    (t->rows[i].forbid & t->forbid) != t->forbid)
					internal_error("%s: row %s does not need and forbid what its table does",
						       s2attr_policy_name(policy),
						       s2attr_rule_name(t->rows[i].rule));
			}
		}
	}
}

/*
 * Every predicate and grant kind has a name, every rule a text, every table
 * guard holds for its rows: or nothing is printed.
 */
void self_check(void)
{
	unsigned int i, seen = 0;

	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		if (!pred_names[i])
			internal_error("predicate %u has no name", i);
		seen |= 1u << pred_order[i];
	}
	if (seen != (1u << S2ATTR_NR_PREDS) - 1)
		internal_error("pred_order is not a permutation of the predicates");
	for (i = 0; i < S2ATTR_NR_RULES; i++) {
		if (!rule_text(i) || !rule_text(i)->reason || !rule_text(i)->ref ||
		    strcmp(rule_text(i)->name, s2attr_rule_name(i)))
			internal_error("rule %s has no reason or upstream reference",
				       s2attr_rule_name(i));
	}
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (s2attr_grants[i].what >= ARRAY_SIZE(grant_sets))
			internal_error("grant %s sets an unknown output",
				       s2attr_rule_name(s2attr_grants[i].rule));
	}
	for (i = 0; i < S2ATTR_NR_POLICIES; i++)
		self_check_guards(s2attr_policy(i));
}

/* Whether predicate @p holds for the valid input @in. */
static bool pred_holds(unsigned int p, const struct s2attr_input *in, bool s2_normal)
{
	bool fault = in->stage == S2ATTR_STAGE_FAULT;
	u32 f = in->flags;
	bool special = f & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP);
	u8 mt = in->memtype;

	switch (p) {
	case S2ATTR_P_PFNMAP:
		return f & S2ATTR_IN_PFNMAP;
	case S2ATTR_P_MIXEDMAP:
		return f & S2ATTR_IN_MIXEDMAP;
	case S2ATTR_P_COW:
		return f & S2ATTR_IN_COW;
	case S2ATTR_P_ANY_UC:
		return f & S2ATTR_IN_ALLOW_ANY_UC;
	case S2ATTR_P_MTE_ALLOWED:
		return f & S2ATTR_IN_MTE_ALLOWED;
	case S2ATTR_P_KVM_MTE:
		return f & S2ATTR_IN_KVM_MTE;
	case S2ATTR_P_FEAT_S2FWB:
		return f & S2ATTR_IN_FWB;
	case S2ATTR_P_CTR_EL0_DIC:
		return f & S2ATTR_IN_DIC;
	case S2ATTR_P_LOG_DIRTY:
		return f & S2ATTR_IN_LOG_DIRTY;
	case S2ATTR_P_MAP_MEMORY:
		return fault && (f & S2ATTR_IN_MAP_MEMORY);
	case S2ATTR_P_PERM:
		return fault && (f & S2ATTR_IN_PERM);
	case S2ATTR_P_WRITE:
		return fault && in->access == S2ATTR_ACCESS_WRITE;
	case S2ATTR_P_EXEC:
		return fault && in->access == S2ATTR_ACCESS_EXEC;
	case S2ATTR_P_SPECIAL:
		return special;
	case S2ATTR_P_SPECIAL_PFN:
		return fault && special && !(f & S2ATTR_IN_MAP_MEMORY);
	case S2ATTR_P_S1_CACHEABLE:
		return mt != S2ATTR_MT_NORMAL_NC && mt != S2ATTR_MT_DEVICE_NGNRNE &&
		       mt != S2ATTR_MT_DEVICE_NGNRE;
	case S2ATTR_P_S1_UNDEF:
		return mt == S2ATTR_MT_ATTR5 || mt == S2ATTR_MT_ATTR6 || mt == S2ATTR_MT_ATTR7;
	case S2ATTR_P_FWB_DIC:
		return (f & S2ATTR_IN_FWB) && (f & S2ATTR_IN_DIC);
	case S2ATTR_P_S2_NORMAL:
		return s2_normal;
	default:
		internal_error("unknown predicate %u", p);
	}
}

u32 preds_of(const struct s2attr_input *in, bool s2_normal)
{
	unsigned int p;
	u32 held = 0;

	for (p = 0; p < S2ATTR_NR_PREDS; p++)
		held |= pred_holds(p, in, s2_normal) ? BIT(p) : 0;
	return held;
}

/*
 * Row @n of a table, the shared tables after it included, or NULL past the
 * last; @sub (if not NULL) is set to the table of the chain that holds it.
 */
const struct s2attr_row *table_row(const struct s2attr_table *t, unsigned int n,
				   const struct s2attr_table **sub)
{
	for (; t; t = t->tail) {
		if (n < t->nr_rows) {
			if (sub)
				*sub = t;
			return &t->rows[n];
		}
		n -= t->nr_rows;
	}
	return NULL;
}

unsigned int table_len(const struct s2attr_table *t)
{
	unsigned int n = 0;

	while (table_row(t, n, NULL))
		n++;
	return n;
}

u32 policies_trying(unsigned int stage, const struct s2attr_table *sub)
{
	const struct s2attr_table *t;
	unsigned int p;
	u32 who = 0;

	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		for (t = &s2attr_policy(p)->tables[stage]; t; t = t->tail) {
			if (t->rows == sub->rows) {
				who |= BIT(p);
				break;
			}
		}
	}
	return who;
}

unsigned int shared_by(unsigned int stage, const struct s2attr_table *sub, char *buf, size_t len)
{
	u32 who = policies_trying(stage, sub);
	unsigned int p, n = __builtin_popcount(who), i = 0;
	size_t used = 0;

	buf[0] = 0;
	if (n == S2ATTR_NR_POLICIES) {
		snprintf(buf, len, "every policy");
		return n;
	}
	for (p = 0; p < S2ATTR_NR_POLICIES && used < len; p++) {
		if (!(who & BIT(p)))
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 i == 0 ? "" : i + 1 == n ? " and " : ", ",
				 s2attr_policy_name(s2attr_policy(p)));
		i++;
	}
	return n;
}

void row_outcome(const struct s2attr_row *r, unsigned int stage, char *buf, size_t len)
{
	if (r->verdict || stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "%s", verdict_name(r->verdict));
	else
		snprintf(buf, len, "map %s", memattr_names[r->memattr]);
}

/* The number (from 0) of the first row of @policy's @in->stage table that holds, or -1. */
static int first_row(const struct s2attr_policy *policy, const struct s2attr_input *in)
{
	const struct s2attr_row *r;
	u32 held = preds_of(in, false);
	int n;

	for (n = 0; (r = table_row(&policy->tables[in->stage], n, NULL)); n++) {
		if (!cond_fails(r->need, r->forbid, held))
			return n;
	}
	return -1;
}

/* Bitmap of the grants that hold for a mapped fault; 0 for other outcomes. */
static u32 grants_applied(const struct s2attr_input *in, int verdict,
			  const struct s2attr_output *out)
{
	u32 held, applied = 0;
	unsigned int i;

	if (verdict || in->stage != S2ATTR_STAGE_FAULT)
		return 0;
	held = preds_of(in, out->memattr == S2ATTR_MEMATTR_NORMAL);
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (!cond_fails(s2attr_grants[i].need, s2attr_grants[i].forbid, held))
			applied |= BIT(i);
	}
	return applied;
}

int decide_checked(const struct s2attr_policy *policy, const struct s2attr_input *in,
		   struct s2attr_output *out, int *row, u32 *grants)
{
	const struct s2attr_row *r;
	bool exec = false, wp = false, mte = false;
	int verdict = s2attr_decide(policy, in, out);
	u32 g;
	unsigned int i;

	*row = first_row(policy, in);
	r = *row >= 0 ? table_row(&policy->tables[in->stage], *row, NULL) : NULL;
	if (!r || r->rule != out->rule || r->verdict != verdict ||
	    (!verdict && in->stage == S2ATTR_STAGE_FAULT && r->memattr != out->memattr))
		internal_error("%s: the engine decided %s (%s), the table's first row that holds is %s",
			       s2attr_policy_name(policy), verdict_name(verdict),
			       s2attr_rule_name(out->rule), r ? s2attr_rule_name(r->rule) : "none");
	g = grants_applied(in, verdict, out);
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		if (!(g & BIT(i)))
			continue;
		exec |= s2attr_grants[i].what == S2ATTR_GRANT_X;
		wp |= s2attr_grants[i].what == S2ATTR_GRANT_WP_READ;
		mte |= s2attr_grants[i].what == S2ATTR_GRANT_SANITISE_MTE;
	}
	if (exec != out->exec || wp != out->wp_read || mte != out->sanitise_mte)
		internal_error("%s: the engine's exec/wp_read/sanitise_mte %d/%d/%d are not what the grants give, %d/%d/%d",
			       s2attr_policy_name(policy), out->exec, out->wp_read,
			       out->sanitise_mte, exec, wp, mte);
	if (grants)
		*grants = g;
	return verdict;
}
