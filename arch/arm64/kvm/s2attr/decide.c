// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr_decide(): look an input up in a policy table.
 *
 * The tables of policies.c are the single source of truth: a list of rows
 * per stage, and the first row whose condition holds decides. The memslot
 * stage is decided that way, by a scan of the rows. The fault stage is on
 * KVM's stage-2 fault path and must cost no more than the if-chain it
 * replaces, so the fault table of each shipped policy is turned, once at
 * boot (a pure_initcall, long before KVM can fault), into an index that
 * answers with two loads, a bitwise AND and a count of trailing zeros:
 *
 *   low   = flags & 0xff				(VMA, VM and CPU facts)
 *   rest  = flags >> 9 | memtype << 2 | access << 5	(pfn and fault facts)
 *   out   = outcome[__ffs(rows_low[low] & rows_rest[rest])]
 *
 * Every predicate a row can test at the fault stage is a function of the
 * low byte or of the rest (LOG_DIRTY is not one: the fault stage ignores
 * it), except SPECIAL_PFN, and IS(SPECIAL_PFN) is the conjunction of
 * SPECIAL (low byte) and !MAP_MEMORY (rest). So each row's condition is a
 * condition on the low byte and-ed with a condition on the rest:
 * rows_low[low] is the set of rows whose low-byte condition holds,
 * rows_rest[rest] the set whose rest condition holds, the rows that hold
 * for the input are their intersection, and the first of them decides.
 * The sets are bit masks in row order, with a bit that is always set after
 * the last row for "no row holds", and two bits for a row that grants
 * eager X with DIC (DIC is in the low byte). They are derived from the
 * rows, never written by hand; a table that does not fit (a row with
 * NOT(SPECIAL_PFN), more rows than the masks have bits) is simply scanned.
 * KUnit proves index and scan equal on every input.
 *
 * The function is pure: it reads its arguments, the const tables and the
 * index derived from them, and nothing else, so the same object decides in
 * user_mem_abort(), in KUnit and in the user-space s2attr tool (where the
 * initcall is a constructor). It takes no lock and allocates nothing: the
 * index is static and read-only after init, and a table whose index is not
 * ready is scanned.
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/math.h>

#include <kunit/visibility.h>

#include "policy.h"

/* AttrIndx values that the stage-1 mapping makes cacheable, and undefined. */
#define S2ATTR_MT_CACHEABLE	(BIT(S2ATTR_MT_NORMAL) | BIT(S2ATTR_MT_NORMAL_TAGGED) | \
				 S2ATTR_MT_UNDEF)
#define S2ATTR_MT_UNDEF		(BIT(S2ATTR_MT_ATTR5) | BIT(S2ATTR_MT_ATTR6) | \
				 BIT(S2ATTR_MT_ATTR7))

/*
 * The parts of a row's condition that the index tests on the low byte and
 * on the rest; SPECIAL_PFN is in both (see s2attr_index_build()).
 */
#define S2ATTR_P_BY_REST	(BIT(S2ATTR_P_LOG_DIRTY) | BIT(S2ATTR_P_MAP_MEMORY) | \
				 BIT(S2ATTR_P_PERM) | BIT(S2ATTR_P_EXEC) | \
				 BIT(S2ATTR_P_CACHEABLE) | BIT(S2ATTR_P_ATTR_UNDEF))
#define S2ATTR_PART_LOW		((u32)~S2ATTR_P_BY_REST)
#define S2ATTR_PART_REST	(S2ATTR_P_BY_REST | BIT(S2ATTR_P_SPECIAL_PFN))

/* The index of one fault table. */
#define S2ATTR_INDEX_LOW	256	/* flags & 0xff */
#define S2ATTR_INDEX_REST	(4 * S2ATTR_NR_MEMTYPES * S2ATTR_NR_ACCESSES)
#define S2ATTR_INDEX_BITS	16	/* bits of a row set */
#define S2ATTR_INDEX_NO_ROW	(S2ATTR_INDEX_BITS - 1)	/* always set */

/**
 * struct s2attr_outcome - A decision, ready to be copied out.
 * @out: what s2attr_decide() stores in its @out.
 * @verdict: what it returns.
 *
 * Eight bytes, so that finding one is a shift.
 */
struct s2attr_outcome {
	struct s2attr_output out;
	s8 verdict;
} __aligned(8);

/**
 * struct s2attr_index - The fault table of a policy, indexed.
 * @outcome: the outcome of each bit of a row set.
 * @ready: the rest is valid (read with acquire): set once the index of a
 *	table that fits one is built.
 * @low: the rows whose condition on the low byte holds, for each low byte.
 * @rest: the rows whose condition on the rest holds, for each s2attr_rest().
 */
struct s2attr_index {
	struct s2attr_outcome outcome[S2ATTR_INDEX_BITS];
	atomic_t ready;
	u16 low[S2ATTR_INDEX_LOW];
	u16 rest[S2ATTR_INDEX_REST];
};

/*
 * One index per shipped policy, derived from its fault table at boot.
 * A slot is a whole number of struct s2attr_policy long, so the index of
 * the policy at byte offset off in s2attr_policies is at byte offset
 * off * S2ATTR_INDEX_SCALE in s2attr_index_slots: one multiplication.
 */
#define S2ATTR_INDEX_SCALE	DIV_ROUND_UP(sizeof(struct s2attr_index), \
					     sizeof(struct s2attr_policy))

static union s2attr_index_slot {
	struct s2attr_index index;
	struct s2attr_policy size[S2ATTR_INDEX_SCALE];
} s2attr_index_slots[S2ATTR_NR_POLICIES] __ro_after_init;

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
	BUILD_BUG_ON(S2ATTR_NR_PREDS > 32 - 7 - 2 - 3);
	BUILD_BUG_ON(S2ATTR_NR_RULES > 128);
	BUILD_BUG_ON(S2ATTR_NR_MEMATTRS > 4);
	BUILD_BUG_ON((S2ATTR_ROW_X_IF_DIC | S2ATTR_ROW_NO_BLOCK | S2ATTR_ROW_SANITISE) >= BIT(3));
	BUILD_BUG_ON(-ENOEXEC < S8_MIN || -EINVAL < S8_MIN || -EFAULT < S8_MIN);
	BUILD_BUG_ON(sizeof(struct s2attr_row) != 8);

	/* The enumerations are the hardware encodings the glue relies on. */
	BUILD_BUG_ON(S2ATTR_NR_MEMTYPES != 8);
	BUILD_BUG_ON(S2ATTR_MT_CACHEABLE & ~GENMASK(S2ATTR_NR_MEMTYPES - 1, 0));

	/*
	 * The index: the low byte is flags 0-7; the rest is flags 9-10, the
	 * memtype and the access (s2attr_rest()); flag 8, LOG_DIRTY, is not
	 * a fault-stage input. The predicates of the rest are
	 * S2ATTR_P_BY_REST; all the others but SPECIAL_PFN are functions of
	 * the low byte. A new predicate must be put on a side.
	 */
	BUILD_BUG_ON(S2ATTR_IN_ALL >> 9 != 3);
	BUILD_BUG_ON(S2ATTR_IN_FAULT_FLAGS != (S2ATTR_IN_ALL & ~S2ATTR_IN_LOG_DIRTY));
	BUILD_BUG_ON(S2ATTR_P_LOG_DIRTY != 8);
	BUILD_BUG_ON(S2ATTR_NR_ACCESSES > 4);
	BUILD_BUG_ON(S2ATTR_P_BY_REST != (GENMASK(S2ATTR_P_PERM, S2ATTR_P_LOG_DIRTY) |
					  BIT(S2ATTR_P_EXEC) | BIT(S2ATTR_P_CACHEABLE) |
					  BIT(S2ATTR_P_ATTR_UNDEF)));
	BUILD_BUG_ON(S2ATTR_NR_PREDS - 1 != S2ATTR_P_FWB_DIC);
	BUILD_BUG_ON(sizeof(union s2attr_index_slot) !=
		     S2ATTR_INDEX_SCALE * sizeof(struct s2attr_policy));
}

static bool s2attr_input_valid(const struct s2attr_input *in)
{
	return in->stage < S2ATTR_NR_STAGES &&
	       in->memtype < S2ATTR_NR_MEMTYPES &&
	       in->access < S2ATTR_NR_ACCESSES &&
	       !(in->flags & ~S2ATTR_IN_ALL);
}

/* The predicate word of a valid input: its own flags plus the derived ones. */
static noinline u32 s2attr_key(unsigned int stage, u32 flags, unsigned int memtype,
			       unsigned int access)
{
	u32 key = flags & s2attr_stage_flags[stage];

	if (key & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)) {
		key |= BIT(S2ATTR_P_SPECIAL);
		if (stage == S2ATTR_STAGE_FAULT && !(key & S2ATTR_IN_MAP_MEMORY))
			key |= BIT(S2ATTR_P_SPECIAL_PFN);
	}
	if (stage == S2ATTR_STAGE_FAULT && access == S2ATTR_ACCESS_EXEC)
		key |= BIT(S2ATTR_P_EXEC);
	if (S2ATTR_MT_CACHEABLE & BIT(memtype))
		key |= BIT(S2ATTR_P_CACHEABLE);
	if (S2ATTR_MT_UNDEF & BIT(memtype))
		key |= BIT(S2ATTR_P_ATTR_UNDEF);
	if ((key & (S2ATTR_IN_FWB | S2ATTR_IN_DIC)) == (S2ATTR_IN_FWB | S2ATTR_IN_DIC))
		key |= BIT(S2ATTR_P_FWB_DIC);

	return key;
}

/* Does @row's condition, restricted to the predicates @part, hold for @key? */
static bool s2attr_holds(const struct s2attr_row *row, u32 part, u32 key)
{
	return (key & row->mask & part) == (row->match & part);
}

static const struct s2attr_row *s2attr_lookup(const struct s2attr_table *t, u32 key)
{
	unsigned int i;

	for (i = 0; i < t->nr_rows; i++) {
		if (s2attr_holds(&t->rows[i], U32_MAX, key))
			return &t->rows[i];
	}

	return &s2attr_no_rule_row;
}

/* Fill @out as @row decides, on a CPU with or without DIC; return the verdict. */
static noinline int s2attr_fill(struct s2attr_output *out, const struct s2attr_row *row,
				bool dic)
{
	out->rule = row->rule;
	out->memattr = row->memattr;
	out->exec = (row->flags & S2ATTR_ROW_X_IF_DIC) && dic;
	out->no_block = row->flags & S2ATTR_ROW_NO_BLOCK;
	out->sanitise_mte = row->flags & S2ATTR_ROW_SANITISE;

	return row->verdict;
}

/**
 * s2attr_decide_scan() - Decide by a plain first-match scan of the rows.
 * @policy: the policy.
 * @in: the facts the caller sampled.
 * @out: filled with the outcome and the rule that decided.
 *
 * What s2attr_decide() does, without the index: the definition that the
 * index must meet (KUnit proves it on every input), and the way the memslot
 * stage and any table that cannot be indexed are decided.
 *
 * Context: Any context. Takes no locks, allocates nothing.
 * Return: as s2attr_decide().
 */
int s2attr_decide_scan(const struct s2attr_policy *policy,
		       const struct s2attr_input *in, struct s2attr_output *out)
{
	const struct s2attr_row *row = &s2attr_bad_input_row;
	u32 key = 0;

	if (policy && s2attr_input_valid(in)) {
		key = s2attr_key(in->stage, in->flags, in->memtype, in->access);
		row = s2attr_lookup(&policy->tables[in->stage], key);
	}

	return s2attr_fill(out, row, key & S2ATTR_IN_DIC);
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_decide_scan);

/*
 * The rest of a valid fault input, below S2ATTR_INDEX_REST: flags 9-10,
 * then the memtype, then the access (+ rather than |, so that it can be
 * one address computation).
 */
static unsigned int s2attr_rest(const struct s2attr_input *in)
{
	return (in->flags >> 9) + in->memtype * 4 + in->access * 32;
}

/*
 * Derive the index of fault table @t; false if the table does not fit it.
 *
 * A row holds for (low, rest) exactly when its condition restricted to
 * S2ATTR_PART_LOW holds for the predicates of the low byte and its
 * condition restricted to S2ATTR_PART_REST holds for those of the rest,
 * with SPECIAL_PFN read as SPECIAL in the first and as !MAP_MEMORY in the
 * second: IS(SPECIAL_PFN) is their conjunction. That is what the two
 * synthetic inputs below make s2attr_key() compute (no MAP_MEMORY in the
 * first; a PFNMAP, the low byte's business, in the second). NOT(SPECIAL_PFN)
 * is a disjunction and does not split: such a table is not indexed.
 *
 * Row i gets bit b(i) of the row sets, in row order, and a row with
 * X_IF_DIC two: b(i) for a CPU without DIC and b(i) + 1 for one with it
 * ("pair": which of them a low byte or a rest sets when the row holds).
 * Both are set in the rest's set; the low byte, which has DIC, sets the
 * one that applies.
 */
static bool __init s2attr_index_build(struct s2attr_index *idx, const struct s2attr_table *t)
{
	unsigned int i, n, bit, x, pair;
	u32 key, part;
	u16 *rows;

	for (i = 0, bit = 0; i < t->nr_rows; i++, bit += 1 + x) {
		x = !!(t->rows[i].flags & S2ATTR_ROW_X_IF_DIC);
		if (bit + x >= S2ATTR_INDEX_NO_ROW ||
		    t->rows[i].mask & ~t->rows[i].match & BIT(S2ATTR_P_SPECIAL_PFN))
			return false;
		for (n = 0; n <= x; n++)
			idx->outcome[bit + n].verdict =
				s2attr_fill(&idx->outcome[bit + n].out, &t->rows[i], n);
	}
	idx->outcome[S2ATTR_INDEX_NO_ROW].verdict =
		s2attr_fill(&idx->outcome[S2ATTR_INDEX_NO_ROW].out, &s2attr_no_rule_row, false);

	for (n = 0; n < S2ATTR_INDEX_LOW + S2ATTR_INDEX_REST; n++) {
		if (n < S2ATTR_INDEX_LOW) {
			rows = &idx->low[n];
			part = S2ATTR_PART_LOW;
			pair = n & S2ATTR_IN_DIC ? 2 : 1;
			key = s2attr_key(S2ATTR_STAGE_FAULT, n, 0, 0);
		} else {
			i = n - S2ATTR_INDEX_LOW;
			rows = &idx->rest[i];
			part = S2ATTR_PART_REST;
			pair = 3;
			key = s2attr_key(S2ATTR_STAGE_FAULT, S2ATTR_IN_PFNMAP | (i & 3) << 9,
					 (i >> 2) & 7, i >> 5);
		}
		*rows = BIT(S2ATTR_INDEX_NO_ROW);
		for (i = 0, bit = 0; i < t->nr_rows; i++, bit += 1 + x) {
			x = !!(t->rows[i].flags & S2ATTR_ROW_X_IF_DIC);
			if (s2attr_holds(&t->rows[i], part, key))
				*rows |= (x ? pair : 1) << bit;
		}
	}
	return true;
}

/* Index the fault table of every shipped policy that fits an index. */
static int __init s2attr_index_init(void)
{
	struct s2attr_index *idx;
	unsigned int p;

	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		idx = &s2attr_index_slots[p].index;
		if (s2attr_index_build(idx, &s2attr_policies[p].tables[S2ATTR_STAGE_FAULT]))
			atomic_set_release(&idx->ready, 1);
	}
	return 0;
}
pure_initcall(s2attr_index_init);

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
	unsigned long off = (unsigned long)policy - (unsigned long)s2attr_policies;
	const struct s2attr_outcome *o;
	const struct s2attr_index *idx;
	u32 rows;

	/* A valid fault input under a shipped policy: by its index, if it has one. */
	if (likely(in->stage == S2ATTR_STAGE_FAULT && s2attr_input_valid(in) &&
		   off < sizeof(s2attr_policies))) {
		idx = (void *)s2attr_index_slots + off * S2ATTR_INDEX_SCALE;
		if (likely(atomic_read_acquire(&idx->ready))) {
			rows = idx->low[in->flags & 0xff];
			rows &= idx->rest[s2attr_rest(in)];
			o = &idx->outcome[__ffs(rows)];
			*out = o->out;
			return o->verdict;
		}
	}

	return s2attr_decide_scan(policy, in, out);
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
