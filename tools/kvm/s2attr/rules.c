// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reasons and upstream references of every rule and grant of the
 * s2attr policies, indexed by enum s2attr_rule_id. Kept out of the kernel:
 * no decision reads them.
 *
 * TOOL_RULES() lists every rule in the order of enum s2attr_rule_id. The
 * build checks that the list is that enum exactly: each name must be an
 * S2ATTR_RULE_<name> (or it does not compile), stand at that value's
 * position, and the list must be as long as S2ATTR_NR_RULES. So a rule
 * added to, renamed in or removed from include/kvm/s2attr.h cannot ship
 * without its text here.
 */
#include <linux/kernel.h>

#include "rules.h"

#define TOOL_RULES(T)                                                                   \
	T(bad_input,                                                                    \
	  "an input is outside its domain: refuse rather than guess",                   \
	  "s2attr: fail closed")                                                        \
	T(no_rule,                                                                      \
	  "no row of the policy matched: refuse (a policy must be total)",              \
	  "s2attr: fail closed")                                                        \
	T(accept,                                                                       \
	  "nothing in the slot's VMAs stops it from being mapped",                      \
	  "kvm_arch_prepare_memory_region(), Linux 6.12")                               \
	T(mte_not_allowed,                                                              \
	  "an MTE guest's memory must keep tags: its VMAs need VM_MTE_ALLOWED; "        \
	  "the fault checks again that the VMM has not introduced a new "               \
	  "disallowed VMA",                                                             \
	  "ea7fc1bb1cd1 (\"KVM: arm64: Introduce MTE VM feature\")")                    \
	T(dirty_log,                                                                    \
	  "dirty logging cannot track memory without struct pages; strict (S5) "        \
	  "refuses it at the fault too, since special memory can be mmap()ed "          \
	  "over a logging memslot after the memslot check",                             \
	  "kvm_arch_prepare_memory_region(), Linux 6.12; S5: Quentin Perret, "          \
	  "Mar 2025, <Z8l8_J5ro97MsMuR@google.com>")                                    \
	T(wb_no_fwb_dic,                                                                \
	  "cacheable special memory needs FWB and DIC: without a kernel VA KVM "        \
	  "cannot clean or invalidate it, and a non-cacheable alias would break"        \
	  " coherency",                                                                 \
	  "2a8dfab26677 (\"KVM: arm64: Block cacheable PFNMAP mapping\"), "             \
	  "0c67288e0c8b")                                                               \
	T(pfnmap_cow,                                                                   \
	  "a private (COW) VM_PFNMAP mapping, e.g. MAP_PRIVATE /dev/mem, is "           \
	  "refused",                                                                    \
	  "seed: [PATCH v2 1/1] KVM: arm64: Allow cacheable stage 2 mapping "           \
	  "using VMA flags, 14 Jan 2025")                                               \
	T(attr_undef,                                                                   \
	  "stage-1 AttrIndx 5-7 has no meaning in Linux: fail closed rather "           \
	  "than assume cacheable",                                                      \
	  "s2attr strict S4; 6.17 kvm_vma_is_cacheable() treats it as cacheable")       \
	T(mte_special,                                                                  \
	  "MTE is limited to boot-time system memory: no tags on "                      \
	  "PFNMAP/MIXEDMAP memory (fwb-only: sanitise_mte_tags() would need a "         \
	  "kernel VA the pfn does not have)",                                           \
	  "seed thread: \"forbidding it from VM_PFNMAP\" (Jason Gunthorpe), 14 "        \
	  "Jan 2025")                                                                   \
	T(device_exec,                                                                  \
	  "exec from a pfn outside the linear map: the guest gets an "                  \
	  "instruction abort",                                                          \
	  "user_mem_abort(), Linux 6.12: -ENOEXEC when exec_fault && device")           \
	T(device_any_uc,                                                                \
	  "pfn outside the linear map, VMA allows any uncached type: Normal-NC",        \
	  "8c47ce3e1d2c (\"KVM: arm64: Set io memory s2 pte as normalnc for "           \
	  "vfio pci device\")")                                                         \
	T(device,                                                                       \
	  "pfn outside the linear map: Device-nGnRE, whatever stage 1 says",            \
	  "user_mem_abort(), Linux 6.12: device = kvm_is_device_pfn(pfn)")              \
	T(nc_exec,                                                                      \
	  "exec from non-cacheable special memory: the guest gets an "                  \
	  "instruction abort",                                                          \
	  "8cc9dc1ae4fb (\"KVM: arm64: Rename the device variable to "                  \
	  "s2_force_noncacheable\")")                                                   \
	T(nc_any_uc,                                                                    \
	  "non-cacheable special memory, VMA allows any uncached type: Normal-"         \
	  "NC",                                                                         \
	  "8c47ce3e1d2c, 0c67288e0c8b")                                                 \
	T(nc_device,                                                                    \
	  "non-cacheable special memory: Device-nGnRE",                                 \
	  "0c67288e0c8b (\"KVM: arm64: Allow cacheable stage 2 mapping using "          \
	  "VMA flags\")")                                                               \
	T(wb_no_fwb,                                                                    \
	  "cacheable special memory needs FWB: without it KVM would clean the "         \
	  "D-cache through a kernel VA the memory does not have",                       \
	  "s2attr fwb-only; __clean_dcache_guest_page(), "                              \
	  "stage2_map_walker_try_leaf(), Linux 6.12")                                   \
	T(wb_exec_no_dic,                                                               \
	  "exec from cacheable special memory without DIC: the guest gets an "          \
	  "instruction abort rather than KVM invalidating the I-cache through a"        \
	  " kernel VA",                                                                 \
	  "s2attr fwb-only; stage2_pte_executable(), "                                  \
	  "__invalidate_icache_guest_page(), Linux 6.12")                               \
	T(normal,                                                                       \
	  "Normal write-back: memory in the linear map, or special memory that "        \
	  "stage 1 maps cacheable on a host that needs no cache maintenance for"        \
	  " it",                                                                        \
	  "216887f79d98 (\"KVM: arm64: Assume non-PFNMAP/MIXEDMAP VMAs can be "         \
	  "mapped cacheable\")")                                                        \
	T(exec_fault,                                                                   \
	  "an exec fault that is mapped is mapped executable",                          \
	  "user_mem_abort(), Linux 6.12: KVM_PGTABLE_PROT_X when exec_fault")           \
	T(eager_x,                                                                      \
	  "Normal memory is executable up front when CTR_EL0.DIC makes I-cache "        \
	  "invalidation unnecessary",                                                   \
	  "user_mem_abort(), Linux 6.12: KVM_PGTABLE_PROT_X when "                      \
	  "ARM64_HAS_CACHE_DIC")                                                        \
	T(dirty_log_wp,                                                                 \
	  "under dirty logging a read or exec fault on Normal memory that is "          \
	  "not a special pfn is mapped read-only, so that the first write is "          \
	  "logged",                                                                     \
	  "user_mem_abort(), Linux 6.12: writable = false when logging_active "         \
	  "&& !write_fault")                                                            \
	T(mte_sanitise,                                                                 \
	  "an MTE guest's Normal memory gets its tags initialised on a "                \
	  "translation fault, before the guest can see them",                           \
	  "ea7fc1bb1cd1 (\"KVM: arm64: Introduce MTE VM feature\")")

#define TOOL_RULE_ENUM(name, why, from)	TOOL_RULE_##name,
#define TOOL_RULE_TEXT(name, why, from)	{ #name, why, from },
#define TOOL_RULE_CHECK(name, why, from)					\
	_Static_assert((int)TOOL_RULE_##name == (int)S2ATTR_RULE_##name,	\
		       #name " is not at its place in enum s2attr_rule_id");

enum tool_rule { TOOL_RULES(TOOL_RULE_ENUM) TOOL_NR_RULES };

TOOL_RULES(TOOL_RULE_CHECK)
_Static_assert((int)TOOL_NR_RULES == (int)S2ATTR_NR_RULES,
	       "TOOL_RULES() must name every rule of enum s2attr_rule_id");

static const struct rule_text rule_texts[] = {
	TOOL_RULES(TOOL_RULE_TEXT)
};

const struct rule_text *rule_text(unsigned int rule)
{
	return rule < ARRAY_SIZE(rule_texts) ? &rule_texts[rule] : NULL;
}
