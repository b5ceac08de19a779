/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 side of s2attr: build a decision input from a VMA, a pfn, the
 * VM and the CPU, and turn a decision into stage-2 page-table attributes.
 * The policies themselves are in arch/arm64/kvm/s2attr/policies.c; each VM
 * has one, kvm->arch.s2attr_policy.
 */
#ifndef __ARM64_KVM_S2ATTR_H__
#define __ARM64_KVM_S2ATTR_H__

#include <linux/bitfield.h>
#include <linux/cpufeature.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>

#include <asm/kvm_pgtable.h>
#include <asm/memory.h>
#include <asm/pgtable-hwdef.h>
#include <kvm/s2attr.h>

/*
 * The helpers user_mem_abort() calls on every stage-2 fault are inline:
 * they are a few tests of bits each, and a call to each would cost a
 * stage-2 fault more than the tests do (make fault-cost).
 */

#define S2ATTR_IN_VMA_FLAGS	(S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP | S2ATTR_IN_COW | \
				 S2ATTR_IN_ALLOW_ANY_UC | S2ATTR_IN_MTE_ALLOWED)

/**
 * kvm_s2attr_memtype() - The stage-1 memory type of a protection.
 * @prot: a stage-1 protection.
 *
 * Context: Any context.
 * Return: its AttrIndx: MT_NORMAL, MT_NORMAL_TAGGED and so on, which are
 * the values of enum s2attr_memtype.
 */
static inline u8 kvm_s2attr_memtype(pgprot_t prot)
{
	return FIELD_GET(PTE_ATTRINDX_MASK, pgprot_val(prot));
}

/**
 * kvm_s2attr_vma_input() - Sample the flags of a VMA.
 * @vma: the VMA backing the memslot or the faulting address.
 * @in: its flags are set to those of @vma, the others cleared; its other
 *	members are left alone.
 *
 * Records VM_PFNMAP, VM_MIXEDMAP, is_cow_mapping(), VM_ALLOW_ANY_UNCACHED
 * and VM_MTE_ALLOWED. Reads nothing but @vma. The memory type is not a
 * flag of the VMA: vm_page_prot is only the default of its PTEs, and the
 * stage sets it (kvm_s2attr_memslot_input(), kvm_s2attr_fault_input()).
 *
 * Context: the caller holds the mmap lock of @vma's mm (or owns @vma).
 */
static inline void kvm_s2attr_vma_input(const struct vm_area_struct *vma,
					struct s2attr_input *in)
{
	vm_flags_t vm_flags = vma->vm_flags;
	u32 flags = 0;

	if (vm_flags & VM_PFNMAP)
		flags |= S2ATTR_IN_PFNMAP;
	if (vm_flags & VM_MIXEDMAP)
		flags |= S2ATTR_IN_MIXEDMAP;
	if (is_cow_mapping(vm_flags))
		flags |= S2ATTR_IN_COW;
	if (vm_flags & VM_ALLOW_ANY_UNCACHED)
		flags |= S2ATTR_IN_ALLOW_ANY_UC;
	if (vm_flags & VM_MTE_ALLOWED)
		flags |= S2ATTR_IN_MTE_ALLOWED;

	in->flags = flags;
}

/**
 * kvm_s2attr_vm_flags() - The facts of the VM and the CPU.
 * @kvm: the VM.
 *
 * kvm_has_mte() cannot change once the VM has a vCPU (KVM_CAP_ARM_MTE is
 * refused then), and the CPU capabilities are final before any VM exists,
 * so the answer is the same wherever a fault samples it.
 *
 * Context: Any context.
 * Return: S2ATTR_IN_KVM_MTE, S2ATTR_IN_FWB and S2ATTR_IN_DIC as they apply.
 */
static inline u32 kvm_s2attr_vm_flags(struct kvm *kvm)
{
	u32 flags = 0;

	if (kvm_has_mte(kvm))
		flags |= S2ATTR_IN_KVM_MTE;
	if (cpus_have_final_cap(ARM64_HAS_STAGE2_FWB))
		flags |= S2ATTR_IN_FWB;
	if (cpus_have_final_cap(ARM64_HAS_CACHE_DIC))
		flags |= S2ATTR_IN_DIC;

	return flags;
}

void kvm_s2attr_memslot_input(struct kvm *kvm, const struct vm_area_struct *vma,
			      bool log_dirty, struct s2attr_input *in);

/**
 * kvm_s2attr_fault_input() - Complete the input of a fault-stage decision.
 * @kvm: the VM.
 * @in: the VMA flags from kvm_s2attr_vma_input(), sampled under the mmap
 *	lock; the stage and the facts of the VM, the pfn and the fault are
 *	added. Whatever else its flags hold is dropped.
 * @pfn: the resolved pfn.
 * @s1prot: the stage-1 protection the host maps @pfn with: that of the
 *	host page-table entry when KVM found @pfn by walking it (VM_PFNMAP
 *	and VM_IO VMAs), else the VMA's vm_page_prot. Its AttrIndx is the
 *	memory type of the input.
 * @write_fault: kvm_is_write_fault().
 * @exec_fault: kvm_vcpu_trap_is_exec_fault().
 * @perm_fault: a permission fault, not a translation fault.
 * @log_dirty: memslot_is_logging() of the faulting memslot.
 *
 * Context: Any context; the VMA is not touched.
 */
static inline void kvm_s2attr_fault_input(struct kvm *kvm, struct s2attr_input *in,
					  kvm_pfn_t pfn, pgprot_t s1prot, bool write_fault,
					  bool exec_fault, bool perm_fault, bool log_dirty)
{
	/* First, so that less is live across the call. */
	u32 flags = pfn_is_map_memory(pfn) ? S2ATTR_IN_MAP_MEMORY : 0;

	flags |= (in->flags & S2ATTR_IN_VMA_FLAGS) | kvm_s2attr_vm_flags(kvm);
	if (log_dirty)
		flags |= S2ATTR_IN_LOG_DIRTY;
	if (perm_fault)
		flags |= S2ATTR_IN_PERM;

	in->flags = flags;
	in->stage = S2ATTR_STAGE_FAULT;
	in->memtype = kvm_s2attr_memtype(s1prot);
	BUILD_BUG_ON(S2ATTR_ACCESS_READ != 0 || S2ATTR_ACCESS_WRITE != 1);
	in->access = exec_fault ? S2ATTR_ACCESS_EXEC : write_fault;
}

/**
 * kvm_s2attr_decide_fault() - Decide a stage-2 fault under the VM's policy.
 * @vcpu: the faulting vCPU.
 * @in: the input, from kvm_s2attr_fault_input().
 * @out: the outcome.
 *
 * s2attr_decide() under kvm->arch.s2attr_policy, through the vCPU's memo:
 * the faults of one vCPU mostly ask again what its last fault of the same
 * kind of access asked (page after page of anonymous memory), and
 * s2attr_decide_memo() then gives the last answer again without looking
 * the input up in the tables.
 *
 * Context: the vCPU's thread, in user_mem_abort().
 * Return: as s2attr_decide().
 */
static inline int kvm_s2attr_decide_fault(struct kvm_vcpu *vcpu, const struct s2attr_input *in,
					  struct s2attr_output *out)
{
	return s2attr_decide_memo(&vcpu->arch.s2attr_memo, vcpu->kvm->arch.s2attr_policy,
				  in, out);
}

/**
 * kvm_s2attr_prot() - Stage-2 attributes of a decision to map.
 * @out: a fault-stage decision whose verdict was 0.
 *
 * Normal needs no bit, Normal-NC and Device have theirs, and execute
 * permission is KVM_PGTABLE_PROT_X when the decision says @out->exec, for
 * Normal memory only: the policies never make anything else executable
 * (KUnit property P4), and the glue does not if one did. A memory type this
 * function does not know is mapped Device. The caller adds R and W, and
 * masks eager X by a nested guest's stage 2.
 *
 * Context: Any context.
 * Return: the KVM_PGTABLE_PROT_* bits the decision asks for.
 */
static inline enum kvm_pgtable_prot kvm_s2attr_prot(const struct s2attr_output *out)
{
	switch (out->memattr) {
	case S2ATTR_MEMATTR_NORMAL:
		return out->exec ? KVM_PGTABLE_PROT_X : 0;
	case S2ATTR_MEMATTR_NC:
		return KVM_PGTABLE_PROT_NORMAL_NC;
	default:
		/* Fail closed: what is not known to be Normal is Device. */
		return KVM_PGTABLE_PROT_DEVICE;
	}
}

#endif /* __ARM64_KVM_S2ATTR_H__ */
