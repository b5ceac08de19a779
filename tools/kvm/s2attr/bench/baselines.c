// SPDX-License-Identifier: GPL-2.0-only
/*
 * The baselines of s2attr-bench, written the way the kernel writes the
 * decision today: plain if-chains over the facts, modelled on
 * kvm_arch_prepare_memory_region() and user_mem_abort() of Linux 6.12 and
 * of Linux 6.17 (kvmarm-6.17), and the physical limit: a precomputed dense
 * array indexed by the packed input, one load.
 *
 * The if-chains take the very struct s2attr_input that s2attr_decide()
 * takes and fill the very struct s2attr_output, rule included, so they are
 * charged for the same work, and they have the same semantics: an input
 * outside its domain is refused as "bad_input", as s2attr_decide() does.
 * These are the baselines of the thresholds. The inline kernel code they
 * model reads vm_flags bits, which cannot be out of range, so it has no
 * such check: the *_unchecked variants leave it out and are reported for
 * information. The benchmark proves, before it measures anything, that
 * each if-chain gives exactly what s2attr_decide() gives under its policy
 * on all 53,248 inputs, but one difference: the 6.17 chain keeps 6.17's
 * memslot refusal of a cacheable VM_PFNMAP without FWB and DIC, which
 * cacheable-pfnmap leaves to the fault (patch 6); bench.c counts those
 * inputs apart.
 */

#include <string.h>

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>

#include "bench.h"

/* Fill @out for a verdict that is not "map", the way s2attr_decide() does. */
static inline int refuse(struct s2attr_output *out, u8 rule, int err)
{
	out->rule = rule;
	out->memattr = 0;
	out->exec = false;
	out->wp_read = false;
	out->sanitise_mte = false;
	return err;
}

/*
 * The input is a struct, so the if-chains refuse what s2attr_decide()
 * refuses: an input outside its domain (same semantics, same outputs).
 */
static inline bool bad_input(const struct s2attr_input *in)
{
	return in->stage >= S2ATTR_NR_STAGES || in->memtype >= S2ATTR_NR_MEMTYPES ||
	       in->access >= S2ATTR_NR_ACCESSES || (in->flags & ~S2ATTR_IN_ALL);
}

/* kvm_vma_is_cacheable() of Linux 6.17, on the AttrIndx. */
static inline bool vma_is_cacheable(u8 memtype)
{
	switch (memtype) {
	case S2ATTR_MT_NORMAL_NC:
	case S2ATTR_MT_DEVICE_NGNRNE:
	case S2ATTR_MT_DEVICE_NGNRE:
		return false;
	default:
		return true;
	}
}

/*
 * Linux 6.12. Memslot: kvm_arch_prepare_memory_region(). Fault:
 * user_mem_abort(), where device = kvm_is_device_pfn(pfn), i.e. any pfn
 * outside the linear map, whatever the VMA.
 */
static inline int ifchain_6_12(const struct s2attr_input *in, struct s2attr_output *out)
{
	u32 flags = in->flags;
	bool exec_fault = in->access == S2ATTR_ACCESS_EXEC;
	bool write_fault = in->access == S2ATTR_ACCESS_WRITE;
	bool device, sanitise = false;

	if (in->stage == S2ATTR_STAGE_MEMSLOT) {
		if ((flags & S2ATTR_IN_KVM_MTE) && !(flags & S2ATTR_IN_MTE_ALLOWED))
			return refuse(out, S2ATTR_RULE_mte_not_allowed, -EINVAL);
		if ((flags & S2ATTR_IN_PFNMAP) && (flags & S2ATTR_IN_LOG_DIRTY))
			return refuse(out, S2ATTR_RULE_dirty_log, -EINVAL);
		return refuse(out, S2ATTR_RULE_accept, 0);
	}

	device = !(flags & S2ATTR_IN_MAP_MEMORY);
	if (exec_fault && device)
		return refuse(out, S2ATTR_RULE_device_exec, -ENOEXEC);

	if (!(flags & S2ATTR_IN_PERM) && !device && (flags & S2ATTR_IN_KVM_MTE)) {
		if (!(flags & S2ATTR_IN_MTE_ALLOWED))
			return refuse(out, S2ATTR_RULE_mte_not_allowed, -EFAULT);
		sanitise = true;
	}

	if (device) {
		if (flags & S2ATTR_IN_ALLOW_ANY_UC) {
			out->rule = S2ATTR_RULE_device_any_uc;
			out->memattr = S2ATTR_MEMATTR_NC;
		} else {
			out->rule = S2ATTR_RULE_device;
			out->memattr = S2ATTR_MEMATTR_DEVICE;
		}
		out->exec = false;
		out->wp_read = false;
	} else {
		out->rule = S2ATTR_RULE_normal;
		out->memattr = S2ATTR_MEMATTR_NORMAL;
		out->exec = exec_fault || (flags & S2ATTR_IN_DIC);
		out->wp_read = (flags & S2ATTR_IN_LOG_DIRTY) && !write_fault;
	}
	out->sanitise_mte = sanitise;
	return 0;
}

/*
 * Linux 6.17. Memslot: kvm_arch_prepare_memory_region(), which also
 * refuses a cacheable VM_PFNMAP without kvm_supports_cacheable_pfnmap().
 * Fault: user_mem_abort(), where only a special VMA's pfn outside the
 * linear map is looked at: refused when stage 1 is cacheable and the CPU
 * lacks FWB or DIC, s2_force_noncacheable otherwise.
 */
static inline int ifchain_6_17(const struct s2attr_input *in, struct s2attr_output *out)
{
	u32 flags = in->flags;
	bool cacheable_pfnmap_ok = (flags & S2ATTR_IN_FWB) && (flags & S2ATTR_IN_DIC);
	bool is_vma_cacheable = vma_is_cacheable(in->memtype);
	bool exec_fault = in->access == S2ATTR_ACCESS_EXEC;
	bool write_fault = in->access == S2ATTR_ACCESS_WRITE;
	bool s2_force_noncacheable = false, special_pfn, sanitise = false;

	if (in->stage == S2ATTR_STAGE_MEMSLOT) {
		if ((flags & S2ATTR_IN_KVM_MTE) && !(flags & S2ATTR_IN_MTE_ALLOWED))
			return refuse(out, S2ATTR_RULE_mte_not_allowed, -EINVAL);
		if (flags & S2ATTR_IN_PFNMAP) {
			if (flags & S2ATTR_IN_LOG_DIRTY)
				return refuse(out, S2ATTR_RULE_dirty_log, -EINVAL);
			if (is_vma_cacheable && !cacheable_pfnmap_ok)
				return refuse(out, S2ATTR_RULE_wb_no_fwb_dic, -EINVAL);
		}
		return refuse(out, S2ATTR_RULE_accept, 0);
	}

	special_pfn = (flags & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)) &&
		      !(flags & S2ATTR_IN_MAP_MEMORY);
	if (special_pfn) {
		if (is_vma_cacheable) {
			if (!cacheable_pfnmap_ok)
				return refuse(out, S2ATTR_RULE_wb_no_fwb_dic, -EFAULT);
		} else {
			s2_force_noncacheable = true;
		}
	}

	if (exec_fault && s2_force_noncacheable)
		return refuse(out, S2ATTR_RULE_nc_exec, -ENOEXEC);

	if (!(flags & S2ATTR_IN_PERM) && !s2_force_noncacheable &&
	    (flags & S2ATTR_IN_KVM_MTE)) {
		if (!(flags & S2ATTR_IN_MTE_ALLOWED))
			return refuse(out, S2ATTR_RULE_mte_not_allowed, -EFAULT);
		sanitise = true;
	}

	if (s2_force_noncacheable) {
		if (flags & S2ATTR_IN_ALLOW_ANY_UC) {
			out->rule = S2ATTR_RULE_nc_any_uc;
			out->memattr = S2ATTR_MEMATTR_NC;
		} else {
			out->rule = S2ATTR_RULE_nc_device;
			out->memattr = S2ATTR_MEMATTR_DEVICE;
		}
		out->exec = false;
	} else {
		out->rule = S2ATTR_RULE_normal;
		out->memattr = S2ATTR_MEMATTR_NORMAL;
		out->exec = exec_fault || (flags & S2ATTR_IN_DIC);
	}
	/* Dirty logging write-protects what has a struct page. */
	out->wp_read = (flags & S2ATTR_IN_LOG_DIRTY) && !write_fault && !special_pfn;
	out->sanitise_mte = sanitise;
	return 0;
}

noinline int s2attr_bench_ifchain_6_12(const struct s2attr_input *in,
				       struct s2attr_output *out)
{
	if (bad_input(in))
		return refuse(out, S2ATTR_RULE_bad_input, -EINVAL);
	return ifchain_6_12(in, out);
}

noinline int s2attr_bench_ifchain_6_17(const struct s2attr_input *in,
				       struct s2attr_output *out)
{
	if (bad_input(in))
		return refuse(out, S2ATTR_RULE_bad_input, -EINVAL);
	return ifchain_6_17(in, out);
}

noinline int s2attr_bench_ifchain_6_12_unchecked(const struct s2attr_input *in,
						 struct s2attr_output *out)
{
	return ifchain_6_12(in, out);
}

noinline int s2attr_bench_ifchain_6_17_unchecked(const struct s2attr_input *in,
						 struct s2attr_output *out)
{
	return ifchain_6_17(in, out);
}

/*
 * The dense array: one u64 per packed input, the five bytes of struct
 * s2attr_output and the verdict, precomputed by the benchmark from
 * s2attr_decide(). A decision is: pack, one load, copy out.
 */
/* Bytes 0-4 of an entry: struct s2attr_output; byte 7: the verdict. */
#define DENSE_VERDICT	7

u64 s2attr_bench_dense_entry(int verdict, const struct s2attr_output *out)
{
	s8 v = verdict;
	u64 e = 0;

	BUILD_BUG_ON(sizeof(*out) > DENSE_VERDICT);
	memcpy(&e, out, sizeof(*out));
	memcpy((u8 *)&e + DENSE_VERDICT, &v, 1);
	return e;
}

noinline int s2attr_bench_dense(const u64 *table, const struct s2attr_input *in,
				struct s2attr_output *out)
{
	u64 e = table[s2attr_bench_dense_index(in)];
	s8 v;

	memcpy(out, &e, sizeof(*out));
	memcpy(&v, (u8 *)&e + DENSE_VERDICT, 1);
	return v;
}
