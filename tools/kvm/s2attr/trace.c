// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser of kvm_s2attr_policy and kvm_s2attr_decide trace lines
 * (trace.h says what they look like).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include "input.h"
#include "trace.h"

#define MAX_WORDS	48

static const char *const events[] = { "kvm_s2attr_policy:", "kvm_s2attr_decide:" };

static __attribute__((format(printf, 4, 5)))
const char *trace_fail(const struct trace_event *ev, char *err, size_t len, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!len)
		return "";
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(err, len, "%s %s", events[ev->kind == TRACE_DECIDE], msg);
	return err;
}

/* A hexadecimal number of 1 to 16 digits, with or without 0x, ending at @end. */
static bool parse_hex(const char *s, const char *end, u64 *v)
{
	unsigned int digits = 0;
	char c;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	*v = 0;
	for (; s < end; s++, digits++) {
		c = *s;
		if (digits == 16)
			return false;
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			*v = *v << 4 | (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v = *v << 4 | (c - 'A' + 10);
		else
			return false;
	}
	return digits;
}

/* The outputs after ": ": "VERDICT memattr=M exec=B wp_read=B sanitise_mte=B rule=R". */
static const char *parse_outputs(char **w, int n, struct trace_event *ev, char *err, size_t len)
{
	static const char *const keys[] = { "memattr", "exec", "wp_read", "sanitise_mte", "rule" };
	bool given[ARRAY_SIZE(keys)] = { false };
	char head[96], msg[256];
	unsigned int k;
	int i, v;

	if (n < 1)
		return trace_fail(ev, err, len, "no verdict after the input");
	v = vocab_find(&verdict_vocab, w[0]);
	if (v < 0) {
		snprintf(head, sizeof(head), "verdict '%.40s'", w[0]);
		return trace_fail(ev, err, len, "%s",
				  vocab_error(&verdict_vocab, head, w[0], msg, sizeof(msg)));
	}
	ev->verdict = verdict_of(v);
	for (i = 1; i < n; i++) {
		char *val = strchr(w[i], '=');

		if (!val)
			return trace_fail(ev, err, len,
					  "'%.40s' after the verdict: expected key=value", w[i]);
		*val++ = 0;
		for (k = 0; k < ARRAY_SIZE(keys) && strcmp(keys[k], w[i]); k++)
			;
		if (k == ARRAY_SIZE(keys))
			return trace_fail(ev, err, len, "unknown output '%.40s' (memattr, exec, "
					  "wp_read, sanitise_mte, rule)", w[i]);
		if (given[k])
			return trace_fail(ev, err, len, "output '%s' given twice", keys[k]);
		given[k] = true;
		snprintf(head, sizeof(head), "%s=%.40s", keys[k], val);
		if (k == 0) {
			v = strcmp(val, "none") ? vocab_find(&memattr_vocab, val) : -1;
			if (v < 0 && strcmp(val, "none"))
				return trace_fail(ev, err, len, "%s (or none)",
						  vocab_error(&memattr_vocab, head, val, msg,
							      sizeof(msg)));
			ev->memattr = v;
		} else if (k < 4) {
			v = vocab_find(&bool_vocab, val);
			if (v < 0)
				return trace_fail(ev, err, len, "%s",
						  vocab_error(&bool_vocab, head, val, msg,
							      sizeof(msg)));
			*(k == 1 ? &ev->exec : k == 2 ? &ev->wp_read : &ev->sanitise_mte) = v;
		} else {
			if (!*val || strlen(val) >= TRACE_RULE_LEN ||
			    strspn(val, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(val))
				return trace_fail(ev, err, len, "rule=%.40s: not a rule name", val);
			strcpy(ev->rule, val);
		}
	}
	for (k = 0; k < ARRAY_SIZE(keys); k++) {
		if (!given[k])
			return trace_fail(ev, err, len, "no %s= output", keys[k]);
	}
	return NULL;
}

/*
 * The input words before ": ": all of explain's keys. At the memslot stage
 * map_memory, access and perm are printed but do not apply: they are left
 * out before parse_input() sees the words.
 */
static const char *parse_inputs(char **w, int n, struct trace_event *ev, char *err, size_t len)
{
	char *kept[MAX_WORDS], msg[512];
	bool memslot = false;
	int i, k = 0;

	for (i = 0; i < n; i++)
		memslot |= !strcmp(w[i], "stage=memslot");
	for (i = 0; i < n; i++) {
		if (memslot && (!strncmp(w[i], "map_memory=", 11) || !strncmp(w[i], "access=", 7) ||
				!strncmp(w[i], "perm=", 5)))
			continue;
		kept[k++] = w[i];
	}
	if (parse_input(k, kept, NULL, NULL, &ev->in, NULL, msg, sizeof(msg)))
		return trace_fail(ev, err, len, "input: %s", msg);
	return NULL;
}

const char *trace_parse(const char *line, struct trace_event *ev, char *err, size_t len)
{
	char buf[TRACE_LINE_MAX], *w[MAX_WORDS], *p, *dash, *save;
	const char *at = NULL;
	int n = 0, i, colon = -1;
	unsigned int e;
	size_t l;

	memset(ev, 0, sizeof(*ev));
	ev->memattr = -1;
	for (e = 0; e < ARRAY_SIZE(events) && !at; e++) {
		at = strstr(line, events[e]);
		ev->kind = at ? (e ? TRACE_DECIDE : TRACE_POLICY) : TRACE_OTHER;
	}
	if (!at)
		return NULL;
	l = strlen(line);
	while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
		l--;
	if (l >= sizeof(buf))
		return trace_fail(ev, err, len, "a line of %zu characters, more than %zu", l,
				  sizeof(buf) - 1);
	at += strlen(events[ev->kind == TRACE_DECIDE]);
	l -= at - line;
	memcpy(buf, at, l);
	buf[l] = 0;

	for (p = strtok_r(buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (n == MAX_WORDS)
			return trace_fail(ev, err, len, "more than %d words", MAX_WORDS);
		w[n++] = p;
	}
	if (n < 2 || strcmp(w[0], "vm") || !parse_hex(w[1], w[1] + strlen(w[1]), &ev->vm))
		return trace_fail(ev, err, len, "the line does not start with 'vm POINTER'");

	if (ev->kind == TRACE_POLICY) {
		char head[96], msg[256];
		int v;

		if (n != 3 || strncmp(w[2], "policy=", 7))
			return trace_fail(ev, err, len, "the line is not 'vm POINTER policy=NAME'");
		v = vocab_find(&policy_vocab, w[2] + 7);
		if (v < 0) {
			snprintf(head, sizeof(head), "unknown policy '%.40s'", w[2] + 7);
			return trace_fail(ev, err, len, "%s",
					  vocab_error(&policy_vocab, head, w[2] + 7, msg,
						      sizeof(msg)));
		}
		ev->policy = v;
		return NULL;
	}

	i = 2;
	if (i < n && !strcmp(w[i], "gfn")) {
		dash = i + 1 < n ? strchr(w[i + 1], '-') : NULL;
		if (!dash || !parse_hex(w[i + 1], dash, &ev->gfn_start) ||
		    !parse_hex(dash + 1, dash + strlen(dash), &ev->gfn_end))
			return trace_fail(ev, err, len, "gfn: expected START-END in hexadecimal");
		ev->has_gfn = true;
		i += 2;
	}
	/* The input ends at the word that ends in ':' ("perm=0:"), or at a lone ':'. */
	for (n -= i, memmove(w, w + i, n * sizeof(*w)), i = 0; i < n; i++) {
		l = strlen(w[i]);
		if (w[i][l - 1] == ':') {
			w[i][l - 1] = 0;
			colon = i;
			break;
		}
	}
	if (colon < 0)
		return trace_fail(ev, err, len, "no ': VERDICT' after the input");
	if (parse_inputs(w, colon + !!w[colon][0], ev, err, len))
		return len ? err : "";
	return parse_outputs(w + colon + 1, n - colon - 1, ev, err, len);
}
