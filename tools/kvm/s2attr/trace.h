/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parser of the kernel's kvm_s2attr_policy and kvm_s2attr_decide trace
 * lines, for `s2attr explain --trace`. Like parse_input() it reports a
 * problem as a message, so that tools/kvm/s2attr/fuzz/ can run it in a loop.
 *
 * The lines, as the trace buffer has them:
 *   TASK-PID [CPU] FLAGS TIME: kvm_s2attr_policy: vm PTR policy=NAME
 *   TASK-PID [CPU] FLAGS TIME: kvm_s2attr_decide: vm PTR gfn START-END
 *       stage=S pfnmap=B ... perm=B: VERDICT memattr=M exec=B wp_read=B
 *       sanitise_mte=B rule=RULE
 * (the decide line is one line). The inputs are explain's keys, all of
 * them; at the memslot stage map_memory, access and perm do not apply and
 * are ignored. VERDICT is map, EINVAL, EFAULT or ENOEXEC; M is normal, nc,
 * device, or none when nothing is mapped. The decide line does not name
 * the policy: it is the one of the last kvm_s2attr_policy line of the same
 * VM before it.
 */
#ifndef __S2ATTR_TOOL_TRACE_H
#define __S2ATTR_TOOL_TRACE_H

#include <stddef.h>

#include <kvm/s2attr.h>

/* The longest kvm_s2attr_* line the parser takes, its newline included. */
#define TRACE_LINE_MAX	1024
#define TRACE_RULE_LEN	32

enum trace_kind { TRACE_OTHER, TRACE_POLICY, TRACE_DECIDE };

/*
 * struct trace_event - One parsed line.
 * @kind: TRACE_OTHER for a line of no kvm_s2attr_* event (nothing else is set).
 * @vm: the VM's pointer, as printed.
 * @policy: TRACE_POLICY: enum s2attr_policy_id.
 * @has_gfn: TRACE_DECIDE: the line has a gfn range, @gfn_start-@gfn_end.
 * @in: the input KVM decided on.
 * @verdict: 0 or the negative errno.
 * @memattr: enum s2attr_memattr, or -1 for "none".
 * @exec, @wp_read, @sanitise_mte: the outputs.
 * @rule: the rule's name, as traced (any name of lower-case letters,
 *	digits and '_').
 */
struct trace_event {
	enum trace_kind kind;
	u64 vm;
	int policy;
	bool has_gfn;
	u64 gfn_start, gfn_end;
	struct s2attr_input in;
	int verdict;
	int memattr;
	bool exec, wp_read, sanitise_mte;
	char rule[TRACE_RULE_LEN];
};

/*
 * trace_parse() - Parse one line of a trace buffer into @ev.
 * Returns NULL on success (a line of another event, or none, is
 * TRACE_OTHER), otherwise @err holding a one-line message naming what is
 * wrong with a kvm_s2attr_* line (truncated to @len bytes, NUL-terminated
 * when @len is not zero). @line is not modified.
 */
const char *trace_parse(const char *line, struct trace_event *ev, char *err, size_t len);

#endif
