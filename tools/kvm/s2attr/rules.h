/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Why each rule and grant of the s2attr policies exists, and where upstream
 * it comes from. The kernel keeps only the names (enum s2attr_rule_id of
 * include/kvm/s2attr.h, s2attr_rule_name()); the texts live in the tool, which prints them in
 * `explain`, `table` and `rules`, and from there in
 * Documentation/virt/kvm/arm/s2attr.rst.
 */
#ifndef __S2ATTR_TOOL_RULES_H
#define __S2ATTR_TOOL_RULES_H

#include <kvm/s2attr.h>

struct rule_text {
	const char *name;	/* as s2attr_rule_name() spells it */
	const char *reason;	/* one line: why the rule exists */
	const char *ref;	/* a commit, a mail or a function of Linux 6.12 */
};

/* The text of @rule (enum s2attr_rule_id); NULL for a value that names none. */
const struct rule_text *rule_text(unsigned int rule);

#endif
