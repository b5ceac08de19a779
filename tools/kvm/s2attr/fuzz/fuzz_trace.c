// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the trace line parser of `s2attr explain --trace`,
 * trace_parse() of tools/kvm/s2attr/trace.c (which hands the input words
 * to parse_input() of input.c).
 *
 * The bytes are split at '\n' and '\0' into lines, as a trace buffer is;
 * a seed is a trace:
 *	s2attr_e2e-1 [000] ..... 1.0: kvm_s2attr_policy: vm 00000000deadbeef policy=strict
 *	s2attr_e2e-1 [000] ..... 1.1: kvm_s2attr_decide: vm 00000000deadbeef gfn ...
 * The harness aborts when
 *   - the parser writes to the line, or reports an error with an empty
 *     message, or a truncated message that is not a prefix of the full one,
 *     or no error when it has no room for a message;
 *   - it calls a line without "kvm_s2attr_policy:" or "kvm_s2attr_decide:"
 *     anything but TRACE_OTHER, or fails such a line;
 *   - it accepts a policy line with a policy that is not shipped, or a
 *     decide line whose input is outside its domain or has a flag the stage
 *     does not take, whose verdict is not 0, -EINVAL, -EFAULT or -ENOEXEC,
 *     whose memattr is not none, normal, nc or device, or whose rule is not
 *     a name of lower-case letters, digits and '_';
 *   - the event it accepted, printed back as the kernel prints it, does not
 *     parse to the same event;
 *   - a shipped policy does not decide that input with a real rule.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvm/s2attr.h>

#include "../input.h"
#include "../trace.h"

#define FUZZ_CHECK(cond)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "fuzz_trace: line %d: %s does not hold\n", \
				__LINE__, #cond);				\
			abort();						\
		}								\
	} while (0)

/* @ev as the kernel prints it, into @buf. */
static void print_event(const struct trace_event *ev, char *buf, size_t len)
{
	size_t used;
	unsigned int c;

	used = snprintf(buf, len, "  x-1 [000] ..... 1.0: %s: vm %016llx",
			ev->kind == TRACE_POLICY ? "kvm_s2attr_policy" : "kvm_s2attr_decide",
			(unsigned long long)ev->vm);
	if (ev->kind == TRACE_POLICY) {
		snprintf(buf + used, len - used, " policy=%s",
			 vocab_word(&policy_vocab, ev->policy));
		return;
	}
	if (ev->has_gfn)
		used += snprintf(buf + used, len - used, " gfn %#llx-%#llx",
				 (unsigned long long)ev->gfn_start,
				 (unsigned long long)ev->gfn_end);
	for (c = 0; c < NR_COLUMNS; c++) {
		/* The kernel prints every key; those of the fault stage read 0 at a memslot. */
		const char *v = column_applies(&columns[c], ev->in.stage) ?
				column_value(&columns[c], &ev->in) :
				vocab_word(column_vocab(&columns[c]), 0);

		used += snprintf(buf + used, len - used, " %s=%s", columns[c].name, v);
	}
	snprintf(buf + used, len - used,
		 ": %s memattr=%s exec=%d wp_read=%d sanitise_mte=%d rule=%s",
		 verdict_name(ev->verdict), ev->memattr < 0 ? "none" : memattr_names[ev->memattr],
		 ev->exec, ev->wp_read, ev->sanitise_mte, ev->rule);
}

static bool same(const struct trace_event *a, const struct trace_event *b)
{
	return a->kind == b->kind && a->vm == b->vm && a->policy == b->policy &&
	       a->has_gfn == b->has_gfn && a->gfn_start == b->gfn_start &&
	       a->gfn_end == b->gfn_end && a->in.flags == b->in.flags &&
	       a->in.stage == b->in.stage && a->in.memtype == b->in.memtype &&
	       a->in.access == b->in.access && a->verdict == b->verdict &&
	       a->memattr == b->memattr && a->exec == b->exec && a->wp_read == b->wp_read &&
	       a->sanitise_mte == b->sanitise_mte && !strcmp(a->rule, b->rule);
}

static void check_line(const char *line)
{
	char *copy = strdup(line), err[512], small[8], text[TRACE_LINE_MAX];
	struct trace_event ev, again;
	struct s2attr_output out;
	bool ours = strstr(line, "kvm_s2attr_policy:") || strstr(line, "kvm_s2attr_decide:");
	const char *msg;
	unsigned int p;
	u32 stage_flags;
	int v;

	FUZZ_CHECK(copy);
	msg = trace_parse(line, &ev, err, sizeof(err));
	FUZZ_CHECK(!strcmp(copy, line));
	free(copy);
	if (msg) {
		FUZZ_CHECK(ours);
		FUZZ_CHECK(msg == err && err[0] && strlen(err) < sizeof(err) - 1);
		FUZZ_CHECK(trace_parse(line, &again, small, sizeof(small)) == small);
		FUZZ_CHECK(!strncmp(small, err, strlen(small)));
		FUZZ_CHECK(trace_parse(line, &again, NULL, 0));
		return;
	}
	FUZZ_CHECK(ours == (ev.kind != TRACE_OTHER));
	if (ev.kind == TRACE_OTHER)
		return;
	if (ev.kind == TRACE_POLICY) {
		FUZZ_CHECK(ev.policy >= 0 && ev.policy < S2ATTR_NR_POLICIES);
	} else {
		FUZZ_CHECK(ev.in.stage < S2ATTR_NR_STAGES && ev.in.memtype < S2ATTR_NR_MEMTYPES &&
			   ev.in.access < S2ATTR_NR_ACCESSES);
		stage_flags = ev.in.stage == S2ATTR_STAGE_FAULT ? S2ATTR_IN_FAULT_FLAGS :
								 S2ATTR_IN_MEMSLOT_FLAGS;
		FUZZ_CHECK(!(ev.in.flags & ~stage_flags));
		FUZZ_CHECK(ev.verdict == 0 || ev.verdict == -EINVAL || ev.verdict == -EFAULT ||
			   ev.verdict == -ENOEXEC);
		FUZZ_CHECK(ev.memattr >= -1 && ev.memattr < S2ATTR_NR_MEMATTRS);
		FUZZ_CHECK(ev.rule[0] && strlen(ev.rule) < TRACE_RULE_LEN &&
			   strspn(ev.rule, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
			   strlen(ev.rule));
		for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
			v = s2attr_decide(s2attr_policy(p), &ev.in, &out);
			FUZZ_CHECK(v == 0 || v == -EINVAL || v == -EFAULT || v == -ENOEXEC);
			FUZZ_CHECK(out.rule != S2ATTR_RULE_bad_input &&
				   out.rule != S2ATTR_RULE_no_rule);
		}
	}

	/* Printed back, the event parses to itself. */
	print_event(&ev, text, sizeof(text));
	FUZZ_CHECK(!trace_parse(text, &again, err, sizeof(err)));
	FUZZ_CHECK(same(&ev, &again));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	size_t i, start = 0;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = 0;
	for (i = 0; i <= size; i++) {
		if (i < size && buf[i] != '\n' && buf[i])
			continue;
		buf[i] = 0;
		check_line(buf + start);
		start = i + 1;
	}
	free(buf);
	return 0;
}
