// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr glue for KVM/arm64: the input of a memslot-stage decision. The
 * helpers of the fault stage are inline, in asm/kvm_s2attr.h.
 *
 * Nothing here decides anything: every branch of the policy is in the
 * tables of policies.c, and the caller asks the VM's policy,
 * kvm->arch.s2attr_policy, with s2attr_decide().
 */

#include <linux/export.h>

#include <asm/kvm_s2attr.h>
#include <kunit/visibility.h>

/**
 * kvm_s2attr_memslot_input() - The input of a memslot-stage decision.
 * @kvm: the VM.
 * @vma: one VMA that the new, moved or re-flagged memslot covers.
 * @log_dirty: the memslot has KVM_MEM_LOG_DIRTY_PAGES.
 * @in: filled with the input.
 *
 * The memory type is that of @vma's vm_page_prot: no PTE is at hand. The
 * policies offered do not judge it at this stage (see policies.c), but a
 * trace of the decision shows it.
 *
 * Context: the caller holds the mmap lock.
 */
void kvm_s2attr_memslot_input(struct kvm *kvm, const struct vm_area_struct *vma,
			      bool log_dirty, struct s2attr_input *in)
{
	*in = (struct s2attr_input){ .stage = S2ATTR_STAGE_MEMSLOT };
	kvm_s2attr_vma_input(vma, in);
	in->memtype = kvm_s2attr_memtype(vma->vm_page_prot);
	in->flags |= kvm_s2attr_vm_flags(kvm);
	if (log_dirty)
		in->flags |= S2ATTR_IN_LOG_DIRTY;
}
EXPORT_SYMBOL_IF_KUNIT(kvm_s2attr_memslot_input);
