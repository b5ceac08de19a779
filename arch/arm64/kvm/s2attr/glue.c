// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr glue for KVM/arm64: from a VMA, a pfn, the VM and the CPU to a
 * decision input, and from a decision to stage-2 attributes.
 *
 * Nothing here decides anything; every branch of the policy is in the
 * tables of policies.c.
 */

#include <linux/cpufeature.h>
#include <linux/export.h>
#include <linux/mm.h>

#include <asm/kvm_s2attr.h>
#include <asm/memory.h>
#include <asm/page.h>
#include <asm/pgtable-hwdef.h>
#include <kunit/visibility.h>

/**
 * kvm_s2attr_policy() - The policy KVM was built with.
 *
 * Chosen by the "Stage-2 memory attribute policy" Kconfig choice.
 *
 * Context: Any context.
 * Return: the active policy.
 */
const struct s2attr_policy *kvm_s2attr_policy(void)
{
	if (IS_ENABLED(CONFIG_KVM_S2ATTR_POLICY_FWB_ONLY))
		return s2attr_policy(S2ATTR_POLICY_FWB_ONLY);
	if (IS_ENABLED(CONFIG_KVM_S2ATTR_POLICY_STRICT))
		return s2attr_policy(S2ATTR_POLICY_STRICT);
	if (IS_ENABLED(CONFIG_KVM_S2ATTR_POLICY_CACHEABLE_PFNMAP))
		return s2attr_policy(S2ATTR_POLICY_CACHEABLE_PFNMAP);
	return s2attr_policy(S2ATTR_POLICY_LINUX_6_12);
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_policy);

/**
 * kvm_s2attr_vma_input() - Sample the facts of a VMA.
 * @vma: the VMA backing the memslot or the faulting address.
 * @in: its flags and memtype are set from @vma; the other members are left
 *	alone.
 *
 * Records VM_PFNMAP, VM_MIXEDMAP, is_cow_mapping(), VM_ALLOW_ANY_UNCACHED,
 * VM_MTE_ALLOWED and the AttrIndx of vm_page_prot. Reads nothing but @vma.
 *
 * Context: the caller holds the mmap lock of @vma's mm (or owns @vma).
 */
void kvm_s2attr_vma_input(const struct vm_area_struct *vma, struct s2attr_input *in)
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

	in->flags = (in->flags & ~(S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP | S2ATTR_IN_COW |
				   S2ATTR_IN_ALLOW_ANY_UC | S2ATTR_IN_MTE_ALLOWED)) | flags;
	in->memtype = FIELD_GET(PTE_ATTRINDX_MASK, pgprot_val(vma->vm_page_prot));
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_vma_input);

/**
 * kvm_s2attr_host_flags() - The facts of the VM and the CPU.
 * @kvm: the VM.
 *
 * Context: Any context, after the CPU capabilities are final.
 * Return: S2ATTR_IN_KVM_MTE, S2ATTR_IN_FWB and S2ATTR_IN_DIC as they apply.
 */
u32 kvm_s2attr_host_flags(struct kvm *kvm)
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
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_host_flags);

/**
 * kvm_s2attr_cacheable_pfnmap() - Does KVM map cacheable PFNMAP memory here?
 * @kvm: the VM.
 *
 * Asks the active policy about a cacheable VM_PFNMAP VMA whose pfns are
 * outside the linear map, on this CPU, at both stages; the MTE state of
 * the VM is left out because it can still change. This is the answer of
 * KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED.
 *
 * Context: Any context.
 * Return: 1 when the memslot is accepted and a read fault is mapped Normal
 * write-back, otherwise 0.
 */
int kvm_s2attr_cacheable_pfnmap(struct kvm *kvm)
{
	struct s2attr_input in = {
		.flags = S2ATTR_IN_PFNMAP | (kvm_s2attr_host_flags(kvm) & ~S2ATTR_IN_KVM_MTE),
		.memtype = S2ATTR_MT_NORMAL,
		.access = S2ATTR_ACCESS_READ,
	};
	struct s2attr_output out;

	in.stage = S2ATTR_STAGE_MEMSLOT;
	if (s2attr_decide(kvm_s2attr_policy(), &in, &out))
		return 0;
	in.stage = S2ATTR_STAGE_FAULT;
	if (s2attr_decide(kvm_s2attr_policy(), &in, &out))
		return 0;
	return out.memattr == S2ATTR_MEMATTR_NORMAL;
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_cacheable_pfnmap);

/**
 * kvm_s2attr_memslot() - May this VMA back a memslot of this VM?
 * @kvm: the VM.
 * @vma: one VMA that the new or changed memslot covers.
 * @log_dirty: the memslot has KVM_MEM_LOG_DIRTY_PAGES.
 * @out: the decision, for tracing.
 *
 * Context: the caller holds the mmap lock.
 * Return: 0 when the policy accepts the VMA, otherwise -EINVAL.
 */
int kvm_s2attr_memslot(struct kvm *kvm, const struct vm_area_struct *vma,
		       bool log_dirty, struct s2attr_output *out)
{
	struct s2attr_input in = { .stage = S2ATTR_STAGE_MEMSLOT };

	kvm_s2attr_vma_input(vma, &in);
	in.flags |= kvm_s2attr_host_flags(kvm);
	if (log_dirty)
		in.flags |= S2ATTR_IN_LOG_DIRTY;

	return s2attr_decide(kvm_s2attr_policy(), &in, out);
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_memslot);

/**
 * kvm_s2attr_fault() - How to map a faulting page whose pfn is resolved.
 * @in: the VMA facts from kvm_s2attr_vma_input() and the VM and CPU facts
 *	from kvm_s2attr_host_flags(), sampled under the mmap lock.
 * @pfn: the resolved pfn.
 * @exec_fault: the fault is an instruction fetch.
 * @fault_is_perm: the fault is a permission fault (not a translation fault).
 * @out: how to map the page when the verdict is 0.
 *
 * Context: Any context; the VMA is not touched.
 * Return: 0 to map the page as @out says, -ENOEXEC to inject an instruction
 * abort, -EFAULT or -EINVAL to fail KVM_RUN. On error the caller still owns
 * the reference it holds on @pfn and must release it.
 */
int kvm_s2attr_fault(struct s2attr_input *in, kvm_pfn_t pfn, bool exec_fault,
		     bool fault_is_perm, struct s2attr_output *out)
{
	in->stage = S2ATTR_STAGE_FAULT;
	in->access = exec_fault ? S2ATTR_ACCESS_EXEC : S2ATTR_ACCESS_READ;
	in->flags &= ~(S2ATTR_IN_MAP_MEMORY | S2ATTR_IN_PERM | S2ATTR_IN_LOG_DIRTY);
	if (pfn_is_map_memory(pfn))
		in->flags |= S2ATTR_IN_MAP_MEMORY;
	if (fault_is_perm)
		in->flags |= S2ATTR_IN_PERM;

	return s2attr_decide(kvm_s2attr_policy(), in, out);
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_fault);

/**
 * kvm_s2attr_prot() - Stage-2 attributes for a decision to map.
 * @out: a decision whose verdict was 0 at the fault stage.
 *
 * Normal needs no bit, Normal-NC and Device have theirs, and eager execute
 * permission is KVM_PGTABLE_PROT_X, for Normal memory only: the policies
 * never ask for it on anything else (KUnit property P4), and the glue
 * does not grant it if one did. A memory type this function does not know
 * is mapped Device. The caller adds R, W, and X for an exec
 * fault, and masks X by a nested guest's stage 2.
 *
 * Context: Any context.
 * Return: the KVM_PGTABLE_PROT_* bits the decision asks for.
 */
enum kvm_pgtable_prot kvm_s2attr_prot(const struct s2attr_output *out)
{
	switch (out->memattr) {
	case S2ATTR_MEMATTR_NORMAL:
		return out->exec ? KVM_PGTABLE_PROT_X : 0;
	case S2ATTR_MEMATTR_NC:
		return KVM_PGTABLE_PROT_NORMAL_NC;
	default:
		/* Fail closed: whatever is not known to be Normal is Device. */
		return KVM_PGTABLE_PROT_DEVICE;
	}
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_prot);
