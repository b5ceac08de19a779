// SPDX-License-Identifier: GPL-2.0-only
/*
 * The names of s2attr, for people and tools: for every rule name used by a
 * policy table, why the rule exists and where upstream it comes from; and
 * the lookup of a policy by its name. Nothing here is on a decision path:
 * KVM picks its policy by number (Kconfig) and decides by number.
 *
 * The reasons are printed by the s2attr tool and copied into
 * Documentation/virt/kvm/arm/s2attr.rst; change them together.
 */

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <kunit/visibility.h>
#include <kvm/s2attr.h>

#include "policy.h"

struct s2attr_rule_text {
	const char *name;
	const char *reason;
	const char *ref;
};

#define S2ATTR_RULE_TEXT(id, why, from)	\
	[S2ATTR_RULE_##id] = { .name = #id, .reason = why, .ref = from }

static const struct s2attr_rule_text s2attr_rule_text[S2ATTR_NR_RULES] = {
	S2ATTR_RULE_TEXT(bad_input,
			 "an input is outside its domain: refuse rather than guess",
			 "s2attr: fail closed"
	),
	S2ATTR_RULE_TEXT(no_rule,
			 "no row of the policy matched: refuse (a policy must be total)",
			 "s2attr: fail closed"
	),
	S2ATTR_RULE_TEXT(accept,
			 "nothing in the slot's VMAs stops it from being mapped",
			 "kvm_arch_prepare_memory_region(), Linux 6.12"
	),
	S2ATTR_RULE_TEXT(mte_not_allowed,
			 "an MTE guest's memory must keep tags: its VMAs need VM_MTE_ALLOWED",
			 "ea7fc1bb1cd1 (\"KVM: arm64: Introduce MTE VM feature\")"
	),
	S2ATTR_RULE_TEXT(dirty_log,
			 "dirty logging cannot track memory without struct pages",
			 "kvm_arch_prepare_memory_region(), Linux 6.12"
	),
	S2ATTR_RULE_TEXT(wb_no_fwb_dic,
			 "cacheable special memory needs FWB and DIC: without a kernel VA KVM cannot clean or invalidate it, and a non-cacheable alias would break coherency",
			 "2a8dfab26677 (\"KVM: arm64: Block cacheable PFNMAP mapping\"), 0c67288e0c8b"
	),
	S2ATTR_RULE_TEXT(pfnmap_cow,
			 "a private (COW) VM_PFNMAP mapping, e.g. MAP_PRIVATE /dev/mem, is refused",
			 "seed: [PATCH v2 1/1] KVM: arm64: Allow cacheable stage 2 mapping using VMA flags, 14 Jan 2025"
	),
	S2ATTR_RULE_TEXT(attr_undef,
			 "stage-1 AttrIndx 5-7 has no meaning in Linux: fail closed rather than assume cacheable",
			 "s2attr strict S4; 6.17 kvm_vma_is_cacheable() treats it as cacheable"
	),
	S2ATTR_RULE_TEXT(mte_special,
			 "MTE is limited to boot-time system memory: no tags on PFNMAP/MIXEDMAP memory",
			 "seed thread: \"forbidding it from VM_PFNMAP\" (Jason Gunthorpe), 14 Jan 2025"
	),
	S2ATTR_RULE_TEXT(device_exec,
			 "exec from a pfn outside the linear map: the guest gets an instruction abort",
			 "user_mem_abort(), Linux 6.12"
	),
	S2ATTR_RULE_TEXT(device_any_uc,
			 "pfn outside the linear map, VMA allows any uncached type: Normal-NC",
			 "8c47ce3e1d2c (\"KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device\")"
	),
	S2ATTR_RULE_TEXT(device,
			 "pfn outside the linear map: Device-nGnRE, whatever stage 1 says",
			 "user_mem_abort(), Linux 6.12"
	),
	S2ATTR_RULE_TEXT(nc_exec,
			 "exec from non-cacheable special memory: the guest gets an instruction abort",
			 "8cc9dc1ae4fb (\"KVM: arm64: Rename the device variable to s2_force_noncacheable\")"
	),
	S2ATTR_RULE_TEXT(nc_any_uc,
			 "non-cacheable special memory, VMA allows any uncached type: Normal-NC",
			 "8c47ce3e1d2c, 0c67288e0c8b"
	),
	S2ATTR_RULE_TEXT(nc_device,
			 "non-cacheable special memory: Device-nGnRE",
			 "0c67288e0c8b (\"KVM: arm64: Allow cacheable stage 2 mapping using VMA flags\")"
	),
	S2ATTR_RULE_TEXT(mte_sanitise,
			 "MTE guest: initialise the page's tags before the guest can see them",
			 "ea7fc1bb1cd1 (\"KVM: arm64: Introduce MTE VM feature\")"
	),
	S2ATTR_RULE_TEXT(normal,
			 "Normal write-back, executable up front when DIC makes I-cache maintenance unnecessary",
			 "216887f79d98 (\"KVM: arm64: Assume non-PFNMAP/MIXEDMAP VMAs can be mapped cacheable\")"
	),
	S2ATTR_RULE_TEXT(wb_no_fwb,
			 "cacheable special memory needs FWB: without it KVM would clean the D-cache through a kernel VA the memory does not have",
			 "s2attr fwb-only; __clean_dcache_guest_page(), stage2_map_walker_try_leaf(), Linux 6.12"
	),
	S2ATTR_RULE_TEXT(wb_exec_no_dic,
			 "exec from cacheable special memory without DIC: the guest gets an instruction abort rather than KVM invalidating the I-cache through a kernel VA",
			 "s2attr fwb-only; stage2_pte_executable(), __invalidate_icache_guest_page(), Linux 6.12"
	),
};

static const struct s2attr_rule_text *s2attr_text(unsigned int rule)
{
	return rule < S2ATTR_NR_RULES ? &s2attr_rule_text[rule] : NULL;
}

/**
 * s2attr_rule_name() - Name of a rule.
 * @rule: enum s2attr_rule_id, as found in struct s2attr_output::rule.
 *
 * Context: Any context.
 * Return: the rule's name, or "?" for a value that names no rule.
 */
const char *s2attr_rule_name(unsigned int rule)
{
	const struct s2attr_rule_text *t = s2attr_text(rule);

	return t && t->name ? t->name : "?";
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_rule_name);

/**
 * s2attr_rule_reason() - Why a rule exists, in one line.
 * @rule: enum s2attr_rule_id.
 *
 * Context: Any context.
 * Return: the reason, or "?" for a value that names no rule.
 */
const char *s2attr_rule_reason(unsigned int rule)
{
	const struct s2attr_rule_text *t = s2attr_text(rule);

	return t && t->reason ? t->reason : "?";
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_rule_reason);

/**
 * s2attr_rule_ref() - Where upstream a rule comes from.
 * @rule: enum s2attr_rule_id.
 *
 * Context: Any context.
 * Return: a commit, mail or function reference, or "?" for a value that
 * names no rule.
 */
const char *s2attr_rule_ref(unsigned int rule)
{
	const struct s2attr_rule_text *t = s2attr_text(rule);

	return t && t->ref ? t->ref : "?";
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_rule_ref);

/**
 * s2attr_policy_by_name() - A shipped policy by name.
 * @name: e.g. "strict".
 *
 * Context: Any context.
 * Return: the policy, or NULL when no policy has that name.
 */
const struct s2attr_policy *s2attr_policy_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < S2ATTR_NR_POLICIES; i++) {
		if (!strcmp(s2attr_policies[i].name, name))
			return &s2attr_policies[i];
	}

	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(s2attr_policy_by_name);
