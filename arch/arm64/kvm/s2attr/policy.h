/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a policy table is written down. Private to arch/arm64/kvm/s2attr/.
 *
 * A policy has one table per stage. A table is a list of rows; the first
 * row whose condition holds decides. A condition is a conjunction of
 * predicates, each required true (IS) or false (NOT); the last row of a
 * table has no condition, so every table is total by construction, and the
 * tests prove that every other row decides at least one input.
 */
#ifndef __KVM_S2ATTR_POLICY_H
#define __KVM_S2ATTR_POLICY_H

#include <linux/args.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/types.h>

#include <kvm/s2attr.h>

/**
 * enum s2attr_pred - Predicates a row can test; bit numbers of the key.
 *
 * The first eleven are the input flags themselves (S2ATTR_IN_*, same bit);
 * the rest are derived once per decision by s2attr_key(), with the names
 * SPEC.md uses.
 *
 * @S2ATTR_P_PFNMAP: VM_PFNMAP.
 * @S2ATTR_P_MIXEDMAP: VM_MIXEDMAP.
 * @S2ATTR_P_COW: is_cow_mapping().
 * @S2ATTR_P_ANY_UC: VM_ALLOW_ANY_UNCACHED.
 * @S2ATTR_P_MTE_ALLOWED: VM_MTE_ALLOWED.
 * @S2ATTR_P_KVM_MTE: kvm_has_mte().
 * @S2ATTR_P_FWB: FEAT_S2FWB.
 * @S2ATTR_P_DIC: CTR_EL0.DIC.
 * @S2ATTR_P_LOG_DIRTY: KVM_MEM_LOG_DIRTY_PAGES (memslot stage).
 * @S2ATTR_P_MAP_MEMORY: pfn_is_map_memory() (fault stage).
 * @S2ATTR_P_PERM: permission fault (fault stage).
 * @S2ATTR_P_EXEC: the fault is an instruction fetch.
 * @S2ATTR_P_SPECIAL: special_vma, VM_PFNMAP or VM_MIXEDMAP.
 * @S2ATTR_P_SPECIAL_PFN: special_pfn, a special VMA and not a kernel pfn.
 * @S2ATTR_P_CACHEABLE: cacheable_s1, AttrIndx is not NC or Device.
 * @S2ATTR_P_ATTR_UNDEF: AttrIndx 5-7, which Linux 6.12 does not define.
 * @S2ATTR_P_FWB_DIC: hw_ok, FEAT_S2FWB and CTR_EL0.DIC.
 * @S2ATTR_NR_PREDS: number of predicates; must be last.
 */
enum s2attr_pred {
	S2ATTR_P_PFNMAP,
	S2ATTR_P_MIXEDMAP,
	S2ATTR_P_COW,
	S2ATTR_P_ANY_UC,
	S2ATTR_P_MTE_ALLOWED,
	S2ATTR_P_KVM_MTE,
	S2ATTR_P_FWB,
	S2ATTR_P_DIC,
	S2ATTR_P_LOG_DIRTY,
	S2ATTR_P_MAP_MEMORY,
	S2ATTR_P_PERM,
	S2ATTR_P_EXEC,
	S2ATTR_P_SPECIAL,
	S2ATTR_P_SPECIAL_PFN,
	S2ATTR_P_CACHEABLE,
	S2ATTR_P_ATTR_UNDEF,
	S2ATTR_P_FWB_DIC,
	S2ATTR_NR_PREDS
};

/* Row outcome flags (struct s2attr_row::flags). */
#define S2ATTR_ROW_X_IF_DIC	BIT(0)	/* eager X when the CPU has DIC */
#define S2ATTR_ROW_NO_BLOCK	BIT(1)	/* no transparent_hugepage_adjust() */
#define S2ATTR_ROW_SANITISE	BIT(2)	/* sanitise_mte_tags() */

/**
 * struct s2attr_row - One rule of a policy table.
 * @mask: predicates the rule tests (BIT(enum s2attr_pred)).
 * @match: required values of the tested predicates.
 * @rule: enum s2attr_rule_id, the name of the rule.
 * @verdict: 0 (map, or accept at the memslot stage) or a negative errno.
 * @memattr: enum s2attr_memattr when @verdict is 0 at the fault stage.
 * @flags: S2ATTR_ROW_* when @verdict is 0 at the fault stage.
 *
 * Eight bytes: the fields are as wide as what they hold needs (decide.c
 * checks the widths at build time).
 */
struct s2attr_row {
	u32 mask:S2ATTR_NR_PREDS;
	u32 rule:7;
	u32 memattr:2;
	u32 flags:3;
	u32 match:S2ATTR_NR_PREDS;
	s32 verdict:8;
};

/**
 * struct s2attr_table - The rows of one stage of one policy.
 * @rows: the rows, first match wins, last row unconditional.
 * @nr_rows: number of rows.
 */
struct s2attr_table {
	const struct s2attr_row *rows;
	unsigned int nr_rows;
};

/**
 * struct s2attr_policy - A named policy: one table per stage.
 * @name: the name used by Kconfig help, the tool and the documentation.
 * @tables: indexed by enum s2attr_stage.
 */
struct s2attr_policy {
	const char *name;
	struct s2attr_table tables[S2ATTR_NR_STAGES];
};

/*
 * Row notation. A condition term is a u64: the low half is the mask bit, the
 * high half the required value. IS(SPECIAL_PFN) requires special_pfn,
 * NOT(FWB_DIC) requires !hw_ok, ALWAYS requires nothing; the terms of a row
 * are and-ed (up to six of them).
 */
#define S2ATTR_TERM(p, v)	(BIT_ULL(S2ATTR_P_##p) | ((u64)(v) << (S2ATTR_P_##p + 32)))
#define IS(p)			S2ATTR_TERM(p, 1)
#define NOT(p)			S2ATTR_TERM(p, 0)
#define ALWAYS			0ULL

#define S2ATTR_AND1(a)			(a)
#define S2ATTR_AND2(a, b)		((a) | (b))
#define S2ATTR_AND3(a, b, c)		((a) | (b) | (c))
#define S2ATTR_AND4(a, b, c, d)		((a) | (b) | (c) | (d))
#define S2ATTR_AND5(a, b, c, d, e)	((a) | (b) | (c) | (d) | (e))
#define S2ATTR_AND6(a, b, c, d, e, f)	((a) | (b) | (c) | (d) | (e) | (f))
#define S2ATTR_COND(...)	CONCATENATE(S2ATTR_AND, COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)

/* Outcomes, spelled out in the tables as REFUSE(EFAULT), MAP(NC, NO_BLOCK). */
#define REFUSE(err)		.verdict = -(err)
#define ACCEPT			.verdict = 0
#define MAP(attr, fl)		.verdict = 0, .memattr = S2ATTR_MEMATTR_##attr, .flags = (fl)
#define X_IF_DIC		S2ATTR_ROW_X_IF_DIC
#define NO_BLOCK		S2ATTR_ROW_NO_BLOCK
#define SANITISE		S2ATTR_ROW_SANITISE

/* RULE(name, outcome, terms...): one table row. */
#define RULE(name, outcome, ...)						\
	{									\
		.mask = (u32)(S2ATTR_COND(__VA_ARGS__) & U32_MAX),		\
		.match = (u32)(S2ATTR_COND(__VA_ARGS__) >> 32),			\
		.rule = S2ATTR_RULE_##name,					\
		outcome,							\
	}

extern const struct s2attr_policy s2attr_policies[S2ATTR_NR_POLICIES];

#endif /* __KVM_S2ATTR_POLICY_H */
