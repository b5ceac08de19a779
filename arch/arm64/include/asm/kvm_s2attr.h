/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 side of s2attr: build a decision input from a VMA, the VM and
 * the CPU, ask the policy KVM was built with, and turn the outcome into
 * stage-2 page-table attributes. The policy itself is in
 * arch/arm64/kvm/s2attr/policies.c.
 */
#ifndef __ARM64_KVM_S2ATTR_H__
#define __ARM64_KVM_S2ATTR_H__

#include <linux/kvm_host.h>
#include <linux/mm_types.h>

#include <asm/kvm_pgtable.h>
#include <kvm/s2attr.h>

const struct s2attr_policy *kvm_s2attr_policy(void);
void kvm_s2attr_vma_input(const struct vm_area_struct *vma, struct s2attr_input *in);
u32 kvm_s2attr_host_flags(struct kvm *kvm);
int kvm_s2attr_cacheable_pfnmap(struct kvm *kvm);
int kvm_s2attr_memslot(struct kvm *kvm, const struct vm_area_struct *vma,
		       bool log_dirty, struct s2attr_output *out);
int kvm_s2attr_fault(struct s2attr_input *in, kvm_pfn_t pfn, bool exec_fault,
		     bool fault_is_perm, struct s2attr_output *out);
enum kvm_pgtable_prot kvm_s2attr_prot(const struct s2attr_output *out);

#endif /* __ARM64_KVM_S2ATTR_H__ */
