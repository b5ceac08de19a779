/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a policy table is written down. Private to arch/arm64/kvm/s2attr/
 * (and the s2attr tool, which prints the tables).
 *
 * A policy has one table per stage: rows tried in order, the first whose
 * condition holds decides. A condition is two masks of predicates: all of
 * @need must hold and none of @forbid. Every table ends in a tail shared by
 * all policies, whose last row needs nothing, so a table is total by
 * construction. A fault that is mapped then gets its permissions and its
 * MTE step from the grants: every grant whose condition holds applies.
 */
#ifndef __KVM_S2ATTR_POLICY_H
#define __KVM_S2ATTR_POLICY_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/types.h>

#include <kvm/s2attr.h>

/*
 * enum s2attr_pred - What a row can test: a bit of struct s2attr_row::need
 * and ::forbid. The first eleven are the input flags (S2ATTR_IN_*, same
 * bit); the others are derived from the input by s2attr_decide().
 */
enum s2attr_pred {
	S2ATTR_P_PFNMAP,	/* VM_PFNMAP */
	S2ATTR_P_MIXEDMAP,	/* VM_MIXEDMAP */
	S2ATTR_P_COW,		/* is_cow_mapping() */
	S2ATTR_P_ANY_UC,	/* VM_ALLOW_ANY_UNCACHED */
	S2ATTR_P_MTE_ALLOWED,	/* VM_MTE_ALLOWED */
	S2ATTR_P_KVM_MTE,	/* the VM has MTE, kvm_has_mte() */
	S2ATTR_P_FEAT_S2FWB,	/* FEAT_S2FWB: stage 2 forces write-back */
	S2ATTR_P_CTR_EL0_DIC,	/* CTR_EL0.DIC: no I-cache invalidation */
	S2ATTR_P_LOG_DIRTY,	/* the memslot logs dirty pages */
	S2ATTR_P_MAP_MEMORY,	/* the pfn is in the linear map (fault) */
	S2ATTR_P_PERM,		/* permission fault (fault stage) */
	S2ATTR_P_WRITE,		/* write fault (fault stage) */
	S2ATTR_P_EXEC,		/* instruction fetch (fault stage) */
	S2ATTR_P_SPECIAL,	/* VM_PFNMAP or VM_MIXEDMAP */
	S2ATTR_P_SPECIAL_PFN,	/* SPECIAL and not MAP_MEMORY (fault stage) */
	S2ATTR_P_S1_CACHEABLE,	/* stage-1 AttrIndx not NC or Device (6.17) */
	S2ATTR_P_S1_UNDEF,	/* stage-1 AttrIndx 5-7, undefined */
	S2ATTR_P_FWB_DIC,	/* FEAT_S2FWB and CTR_EL0.DIC (6.17) */
	S2ATTR_P_S2_NORMAL,	/* the row that decided maps Normal (grants) */
	S2ATTR_NR_PREDS
};

/**
 * struct s2attr_row - One rule of a policy table.
 * @need: predicates that must hold (BIT(enum s2attr_pred)).
 * @forbid: predicates that must not hold.
 * @rule: enum s2attr_rule_id.
 * @verdict: 0 (map, or accept at the memslot stage) or a negative errno.
 * @memattr: enum s2attr_memattr, when @verdict is 0 at the fault stage.
 */
struct s2attr_row {
	u32 need;
	u32 forbid;
	u8 rule;
	s8 verdict;
	u8 memattr;
};

/**
 * struct s2attr_table - The rows of one stage of one policy.
 * @rows: the policy's own rows, tried first.
 * @nr_rows: number of @rows.
 * @need: predicates that every one of @rows needs, and
 * @forbid: predicates that every one of them forbids: a key without all of
 *	@need, or with one of @forbid, goes on to @tail without trying
 *	@rows. They only spare the decision work: each row needs @need and
 *	forbids @forbid itself (the s2attr tool checks it, and compares
 *	every decision with the first row that holds, tried without them).
 * @tail: the rows shared by every policy, tried after @rows; its last
 *	row needs and forbids nothing.
 */
struct s2attr_table {
	const struct s2attr_row *rows;
	unsigned int nr_rows;
	u32 need;
	u32 forbid;
	const struct s2attr_table *tail;
};

/**
 * struct s2attr_policy - A named policy: one table per stage.
 * @name: the name the tool, the tests and the documentation use.
 * @tables: indexed by enum s2attr_stage.
 */
struct s2attr_policy {
	const char *name;
	struct s2attr_table tables[S2ATTR_NR_STAGES];
};

/* What a grant sets in struct s2attr_output. */
enum s2attr_grant_what {
	S2ATTR_GRANT_X,
	S2ATTR_GRANT_WP_READ,
	S2ATTR_GRANT_SANITISE_MTE,
};

/**
 * struct s2attr_grant - A permission or MTE step of a mapped fault.
 * @need: predicates that must hold.
 * @forbid: predicates that must not hold.
 * @rule: enum s2attr_rule_id, the grant's name.
 * @what: enum s2attr_grant_what.
 */
struct s2attr_grant {
	u32 need;
	u32 forbid;
	u8 rule;
	u8 what;
};

/* Row notation: P(SPECIAL_PFN) | P(S1_CACHEABLE), REFUSE(EFAULT), MAP(NC). */
#define P(pred)			BIT(S2ATTR_P_##pred)
#define NONE			0
#define REFUSE(err)		.verdict = -(err)
#define ACCEPT			.verdict = 0
#define MAP(attr)		.verdict = 0, .memattr = S2ATTR_MEMATTR_##attr

#define ROW(name, needs, forbids, outcome)					\
	{ .rule = S2ATTR_RULE_##name, .need = (needs), .forbid = (forbids), outcome }

#define GRANT(name, needs, forbids, sets)					\
	{ .rule = S2ATTR_RULE_##name, .need = (needs), .forbid = (forbids),	\
	  .what = S2ATTR_GRANT_##sets }

extern const struct s2attr_policy s2attr_policies[S2ATTR_NR_POLICIES];
/* The number of rows of s2attr_grants[]; policies.c checks it at build time. */
#define S2ATTR_NR_GRANTS	4

extern const struct s2attr_grant s2attr_grants[];

#endif /* __KVM_S2ATTR_POLICY_H */
