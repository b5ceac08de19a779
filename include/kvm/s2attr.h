/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * s2attr: the stage-2 memory attribute decision of KVM/arm64 as data.
 *
 * Which stage-2 memory type a guest page gets (Normal write-back, Normal
 * non-cacheable or Device-nGnRE), whether the entry is executable, whether
 * a read fault under dirty logging is mapped read-only, whether the MTE
 * tags of the page must be initialised, or whether the memslot or the fault
 * is refused: one pure function, s2attr_decide(), looks the facts up in the
 * const tables of a policy. See Documentation/virt/kvm/arm/s2attr.rst.
 *
 * Nothing here touches a vm_area_struct or a CPU register: every fact is an
 * explicit input, so the whole input space can be enumerated on any CPU, in
 * KUnit and in a user-space build of the same sources.
 */
#ifndef __KVM_S2ATTR_H
#define __KVM_S2ATTR_H

#include <linux/bits.h>
#include <linux/types.h>

/**
 * enum s2attr_stage - Which KVM path asks for a decision.
 * @S2ATTR_STAGE_MEMSLOT: kvm_arch_prepare_memory_region(), once per VMA
 *	covered by a new, moved or re-flagged memslot.
 * @S2ATTR_STAGE_FAULT: user_mem_abort(), once per stage-2 fault, after the
 *	pfn has been resolved.
 * @S2ATTR_NR_STAGES: number of stages; must be last.
 */
enum s2attr_stage {
	S2ATTR_STAGE_MEMSLOT,
	S2ATTR_STAGE_FAULT,
	S2ATTR_NR_STAGES
};

/**
 * enum s2attr_memtype - AttrIndx of the stage-1 mapping of the memory.
 * @S2ATTR_MT_NORMAL: MT_NORMAL, write-back cacheable.
 * @S2ATTR_MT_NORMAL_TAGGED: MT_NORMAL_TAGGED, write-back with MTE tags.
 * @S2ATTR_MT_NORMAL_NC: MT_NORMAL_NC, Normal non-cacheable.
 * @S2ATTR_MT_DEVICE_NGNRNE: MT_DEVICE_nGnRnE.
 * @S2ATTR_MT_DEVICE_NGNRE: MT_DEVICE_nGnRE.
 * @S2ATTR_MT_ATTR5: AttrIndx 5, not defined by Linux 6.12.
 * @S2ATTR_MT_ATTR6: AttrIndx 6, not defined by Linux 6.12.
 * @S2ATTR_MT_ATTR7: AttrIndx 7, not defined by Linux 6.12.
 * @S2ATTR_NR_MEMTYPES: number of AttrIndx values; must be last.
 *
 * The values are the AttrIndx values of arch/arm64/include/asm/memory.h,
 * so the glue can use FIELD_GET(PTE_ATTRINDX_MASK, ...) directly.
 */
enum s2attr_memtype {
	S2ATTR_MT_NORMAL,
	S2ATTR_MT_NORMAL_TAGGED,
	S2ATTR_MT_NORMAL_NC,
	S2ATTR_MT_DEVICE_NGNRNE,
	S2ATTR_MT_DEVICE_NGNRE,
	S2ATTR_MT_ATTR5,
	S2ATTR_MT_ATTR6,
	S2ATTR_MT_ATTR7,
	S2ATTR_NR_MEMTYPES
};

/**
 * enum s2attr_access - The kind of access that faulted.
 * @S2ATTR_ACCESS_READ: a data read.
 * @S2ATTR_ACCESS_WRITE: a data write (kvm_is_write_fault()).
 * @S2ATTR_ACCESS_EXEC: an instruction fetch.
 * @S2ATTR_NR_ACCESSES: number of access kinds; must be last.
 */
enum s2attr_access {
	S2ATTR_ACCESS_READ,
	S2ATTR_ACCESS_WRITE,
	S2ATTR_ACCESS_EXEC,
	S2ATTR_NR_ACCESSES
};

/*
 * Input flags (struct s2attr_input::flags). Each one is a fact the caller
 * samples; none is derived. The memslot stage ignores MAP_MEMORY and PERM.
 */
#define S2ATTR_IN_PFNMAP	BIT(0)	/* vm_flags & VM_PFNMAP */
#define S2ATTR_IN_MIXEDMAP	BIT(1)	/* vm_flags & VM_MIXEDMAP */
#define S2ATTR_IN_COW		BIT(2)	/* is_cow_mapping(vm_flags) */
#define S2ATTR_IN_ALLOW_ANY_UC	BIT(3)	/* vm_flags & VM_ALLOW_ANY_UNCACHED */
#define S2ATTR_IN_MTE_ALLOWED	BIT(4)	/* vm_flags & VM_MTE_ALLOWED */
#define S2ATTR_IN_KVM_MTE	BIT(5)	/* kvm_has_mte(kvm) */
#define S2ATTR_IN_FWB		BIT(6)	/* FEAT_S2FWB: ARM64_HAS_STAGE2_FWB */
#define S2ATTR_IN_DIC		BIT(7)	/* CTR_EL0.DIC: ARM64_HAS_CACHE_DIC */
#define S2ATTR_IN_LOG_DIRTY	BIT(8)	/* the memslot logs dirty pages */
#define S2ATTR_IN_MAP_MEMORY	BIT(9)	/* fault: pfn_is_map_memory(pfn) */
#define S2ATTR_IN_PERM		BIT(10)	/* fault: permission fault */
#define S2ATTR_IN_ALL		GENMASK(10, 0)

/* The flags each stage takes; the others are ignored. */
#define S2ATTR_IN_MEMSLOT_FLAGS	(S2ATTR_IN_ALL & ~(S2ATTR_IN_MAP_MEMORY | S2ATTR_IN_PERM))
#define S2ATTR_IN_FAULT_FLAGS	S2ATTR_IN_ALL

/*
 * Number of distinct inputs at each stage, the product of the domains of
 * what the stage takes: 9 flags and a memtype for the memslot; 11 flags, a
 * memtype and an access for the fault.
 */
#define S2ATTR_MEMSLOT_INPUTS	(512 * S2ATTR_NR_MEMTYPES)
#define S2ATTR_FAULT_INPUTS	(2048 * S2ATTR_NR_MEMTYPES * S2ATTR_NR_ACCESSES)

/**
 * struct s2attr_input - Everything a decision depends on.
 * @flags: S2ATTR_IN_* facts.
 * @stage: enum s2attr_stage.
 * @memtype: enum s2attr_memtype. At the fault stage the AttrIndx of the
 *	host's leaf entry when KVM found the pfn by walking the host page
 *	table, otherwise (and at the memslot stage) of vma->vm_page_prot.
 * @access: enum s2attr_access; ignored at the memslot stage, but still
 *	checked against its domain.
 */
struct s2attr_input {
	u32 flags;
	u8 stage;
	u8 memtype;
	u8 access;
};

/**
 * enum s2attr_memattr - Stage-2 memory type of a mapping.
 * @S2ATTR_MEMATTR_NORMAL: Normal, inner and outer write-back cacheable.
 * @S2ATTR_MEMATTR_NC: Normal non-cacheable (KVM_PGTABLE_PROT_NORMAL_NC).
 * @S2ATTR_MEMATTR_DEVICE: Device-nGnRE (KVM_PGTABLE_PROT_DEVICE).
 * @S2ATTR_NR_MEMATTRS: number of memory types; must be last.
 */
enum s2attr_memattr {
	S2ATTR_MEMATTR_NORMAL,
	S2ATTR_MEMATTR_NC,
	S2ATTR_MEMATTR_DEVICE,
	S2ATTR_NR_MEMATTRS
};

/*
 * enum s2attr_rule_id - Every rule and grant of every policy, by name. A
 * name may stand in several policies and at both stages where it means the
 * same; s2attr_rule_name() spells it as the matrix, the trace and the
 * documentation do, and Documentation/virt/kvm/arm/s2attr.rst and the
 * s2attr tool say why each exists and where upstream it comes from.
 */
enum s2attr_rule_id {
	S2ATTR_RULE_bad_input,		/* an input was outside its domain */
	S2ATTR_RULE_no_rule,		/* no row held (a table that is not total) */
	S2ATTR_RULE_accept,		/* memslot: nothing refuses the VMA */
	S2ATTR_RULE_mte_not_allowed,	/* MTE VM, VMA without VM_MTE_ALLOWED */
	S2ATTR_RULE_dirty_log,		/* dirty logging of special memory */
	S2ATTR_RULE_wb_no_fwb_dic,	/* cacheable special pfn without FWB and DIC */
	S2ATTR_RULE_pfnmap_cow,		/* COW mapping of a VM_PFNMAP VMA */
	S2ATTR_RULE_attr_undef,		/* special memory with AttrIndx 5-7 */
	S2ATTR_RULE_mte_special,	/* MTE VM and special memory */
	S2ATTR_RULE_device_exec,	/* 6.12: exec from a pfn outside the linear map */
	S2ATTR_RULE_device_any_uc,	/* 6.12: pfn outside the linear map, ANY_UNCACHED */
	S2ATTR_RULE_device,		/* 6.12: pfn outside the linear map */
	S2ATTR_RULE_nc_exec,		/* exec from non-cacheable special memory */
	S2ATTR_RULE_nc_any_uc,		/* non-cacheable special memory, ANY_UNCACHED */
	S2ATTR_RULE_nc_device,		/* non-cacheable special memory */
	S2ATTR_RULE_wb_no_fwb,		/* fwb-only: cacheable special pfn without FWB */
	S2ATTR_RULE_wb_exec_no_dic,	/* fwb-only: exec from it without DIC */
	S2ATTR_RULE_normal,		/* Normal write-back */
	S2ATTR_RULE_exec_fault,		/* grant: X for a mapped exec fault */
	S2ATTR_RULE_eager_x,		/* grant: X up front for Normal memory with DIC */
	S2ATTR_RULE_dirty_log_wp,	/* grant: read-only under dirty logging */
	S2ATTR_RULE_mte_sanitise,	/* grant: initialise the MTE tags */
	S2ATTR_NR_RULES
};

/**
 * struct s2attr_output - What the caller must do.
 * @rule: enum s2attr_rule_id of the row that decided, whatever the verdict.
 * @memattr: enum s2attr_memattr; fault stage, verdict 0.
 * @exec: the stage-2 entry is executable; fault stage, verdict 0. Always
 *	set for an exec fault that is mapped; for other accesses it is
 *	"eager X". The caller grants KVM_PGTABLE_PROT_X from nothing else.
 * @wp_read: map a read or exec fault without write permission, so that
 *	the first write faults and is logged; fault stage, verdict 0.
 * @sanitise_mte: call sanitise_mte_tags() on the pfn before mapping it;
 *	fault stage, verdict 0.
 *
 * Whatever is not meaningful for the stage and the verdict is zero. The
 * mapping size is not an output: it follows the stage-1 mapping for every
 * kind of memory.
 */
struct s2attr_output {
	u8 rule;
	u8 memattr;
	bool exec;
	bool wp_read;
	bool sanitise_mte;
};

/**
 * enum s2attr_policy_id - The policies that ship.
 * @S2ATTR_POLICY_LINUX_6_12: Linux 6.12.117, exactly (the reference of
 *	the refactor; not offered to VMMs).
 * @S2ATTR_POLICY_CACHEABLE_PFNMAP: cacheable PFNMAP memory on FWB && DIC
 *	hosts, as merged for Linux 6.17; the default of every VM.
 * @S2ATTR_POLICY_STRICT: cacheable-pfnmap plus the hardening asked for in
 *	review of the original series.
 * @S2ATTR_POLICY_FWB_ONLY: cacheable-pfnmap on FWB hosts without DIC,
 *	where such memory is mapped but never executable (beyond upstream).
 * @S2ATTR_NR_POLICIES: number of policies; must be last.
 */
enum s2attr_policy_id {
	S2ATTR_POLICY_LINUX_6_12,
	S2ATTR_POLICY_CACHEABLE_PFNMAP,
	S2ATTR_POLICY_STRICT,
	S2ATTR_POLICY_FWB_ONLY,
	S2ATTR_NR_POLICIES
};

struct s2attr_policy;

const struct s2attr_policy *s2attr_policy(enum s2attr_policy_id id);
const char *s2attr_policy_name(const struct s2attr_policy *policy);
const struct s2attr_policy *s2attr_policy_by_name(const char *name);
const char *s2attr_rule_name(unsigned int rule);
int s2attr_policy_rule(const struct s2attr_policy *policy, enum s2attr_stage stage,
		       unsigned int row);
int s2attr_decide(const struct s2attr_policy *policy,
		  const struct s2attr_input *in, struct s2attr_output *out);

/**
 * struct s2attr_memo_slot - One decision a caller asked for.
 * @tag: the input, from s2attr_memo_tag(); 0 (no input has it) when empty.
 * @policy: the policy that decided.
 * @out: the output of that decision.
 * @ret: its verdict.
 */
struct s2attr_memo_slot {
	u64 tag;
	const struct s2attr_policy *policy;
	struct s2attr_output out;
	int ret;
};

/**
 * struct s2attr_memo - The last decisions one caller asked for.
 * @slot: the last decision of each kind of access, indexed by the access
 *	of the input; an input whose access is outside its domain takes
 *	slot 0.
 *
 * s2attr_decide() is a function of its policy and its input only, so a
 * caller that asks the same question again, as a vCPU does that faults in
 * page after page of the same memory, may be given the last answer again:
 * s2attr_decide_memo(). A slot per access, because reads, writes and
 * instruction fetches interleave: under dirty logging each page takes a
 * read fault, then a write permission fault. Zeroed, a memo holds nothing.
 * It is not locked: one memo per caller that can run at a time (KVM: per
 * vCPU).
 */
struct s2attr_memo {
	struct s2attr_memo_slot slot[S2ATTR_NR_ACCESSES];
};

/**
 * s2attr_memo_tag() - An input as one number.
 * @in: the input.
 *
 * Every member of @in, each in bits of its own, and bit 63 set; so two
 * inputs have the same tag exactly when they are equal, whatever their
 * values, and no input has the tag of an empty memo.
 *
 * Context: Any context.
 * Return: the tag.
 */
static inline u64 s2attr_memo_tag(const struct s2attr_input *in)
{
	return BIT_ULL(63) | (u64)in->stage << 48 | (u64)in->access << 40 |
	       (u64)in->memtype << 32 | in->flags;
}

/**
 * s2attr_decide_memo() - s2attr_decide(), or the answer it gave last time.
 * @memo: the caller's memo: the last policy, input and answer.
 * @policy: as for s2attr_decide().
 * @in: as for s2attr_decide().
 * @out: as for s2attr_decide().
 *
 * When the slot of @memo for @in's access holds @policy and an input equal
 * to @in, @out and the verdict are those it holds; otherwise
 * s2attr_decide() decides and the slot keeps its answer. Either way the
 * caller gets what s2attr_decide() returns for @policy and @in (KUnit
 * checks it on every input, in an order that both repeats and changes
 * them).
 *
 * Context: Any context, but no two callers at once on one @memo.
 * Return: as s2attr_decide().
 */
static inline int s2attr_decide_memo(struct s2attr_memo *memo,
				     const struct s2attr_policy *policy,
				     const struct s2attr_input *in,
				     struct s2attr_output *out)
{
	struct s2attr_memo_slot *m;
	u64 tag = s2attr_memo_tag(in);

	m = &memo->slot[in->access < S2ATTR_NR_ACCESSES ? (unsigned int)in->access : 0];
	if (m->tag != tag || m->policy != policy) {
		m->ret = s2attr_decide(policy, in, &m->out);
		m->policy = policy;
		m->tag = tag;
	}
	*out = m->out;

	return m->ret;
}

/**
 * s2attr_input_nth() - The @n-th input of a stage, in matrix order.
 * @stage: enum s2attr_stage.
 * @n: index, below S2ATTR_MEMSLOT_INPUTS or S2ATTR_FAULT_INPUTS.
 * @in: filled with the input.
 *
 * Enumerates exactly the inputs a stage takes, the last column of the
 * s2attr matrix CSV varying fastest: pfnmap, mixedmap, cow, allow_any_uc,
 * mte_allowed, memtype, kvm_mte, fwb, dic, log_dirty, then at the fault
 * stage map_memory, access, perm. Used by tests and tools that walk the
 * whole input space; the decision itself never enumerates.
 *
 * Context: Any context.
 */
static inline void s2attr_input_nth(enum s2attr_stage stage, u32 n,
				    struct s2attr_input *in)
{
	u32 f = 0;

	in->stage = stage;
	in->access = S2ATTR_ACCESS_READ;
	if (stage == S2ATTR_STAGE_FAULT) {
		f |= (n & 1) ? S2ATTR_IN_PERM : 0;
		n >>= 1;
		in->access = n % S2ATTR_NR_ACCESSES;
		n /= S2ATTR_NR_ACCESSES;
		f |= (n & 1) ? S2ATTR_IN_MAP_MEMORY : 0;
		n >>= 1;
	}
	f |= (n & 1) ? S2ATTR_IN_LOG_DIRTY : 0;
	f |= (n & 2) ? S2ATTR_IN_DIC : 0;
	f |= (n & 4) ? S2ATTR_IN_FWB : 0;
	f |= (n & 8) ? S2ATTR_IN_KVM_MTE : 0;
	n >>= 4;
	in->memtype = n % S2ATTR_NR_MEMTYPES;
	n /= S2ATTR_NR_MEMTYPES;
	f |= (n & 1) ? S2ATTR_IN_MTE_ALLOWED : 0;
	f |= (n & 2) ? S2ATTR_IN_ALLOW_ANY_UC : 0;
	f |= (n & 4) ? S2ATTR_IN_COW : 0;
	f |= (n & 8) ? S2ATTR_IN_MIXEDMAP : 0;
	f |= (n & 16) ? S2ATTR_IN_PFNMAP : 0;
	in->flags = f;
}

#endif /* __KVM_S2ATTR_H */
