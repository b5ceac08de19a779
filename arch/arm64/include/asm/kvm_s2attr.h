/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 side of s2attr: build a decision input from a VMA, a pfn, the
 * VM and the CPU, and turn a decision into stage-2 page-table attributes.
 * The policies themselves are in arch/arm64/kvm/s2attr/policies.c; each VM
 * has one, kvm->arch.s2attr_policy.
 */
#ifndef __ARM64_KVM_S2ATTR_H__
#define __ARM64_KVM_S2ATTR_H__

#include <linux/kvm_host.h>
#include <linux/mm_types.h>

#include <asm/kvm_pgtable.h>
#include <kvm/s2attr.h>

void kvm_s2attr_vma_input(const struct vm_area_struct *vma, struct s2attr_input *in);
u32 kvm_s2attr_vm_flags(struct kvm *kvm);
void kvm_s2attr_memslot_input(struct kvm *kvm, const struct vm_area_struct *vma,
			      bool log_dirty, struct s2attr_input *in);
void kvm_s2attr_fault_input(struct kvm *kvm, struct s2attr_input *in, kvm_pfn_t pfn,
			    pgprot_t s1prot, bool write_fault, bool exec_fault,
			    bool perm_fault, bool log_dirty);
enum kvm_pgtable_prot kvm_s2attr_prot(const struct s2attr_output *out);

#endif /* __ARM64_KVM_S2ATTR_H__ */
