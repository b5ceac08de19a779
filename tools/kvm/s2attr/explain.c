// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr explain: one input, under one policy or all of them side by side,
 * or every decision of a kernel trace checked against the tool's.
 *
 * Under one policy the text output is key=value lines: policy=, input=
 * (then preset=, host=, defaults= when a preset or host gave keys),
 * verdict=, memattr=, exec=, wp_read=, sanitise_mte= ('-' when the verdict
 * is not map or at the memslot stage), rule=, row= ("N of the POLICY STAGE
 * table"), reason= and upstream= (of the rule, rules.c), because= (below),
 * tried.N= for each row tried (N from 1), grants= (the grants that applied,
 * comma-separated, '-' for none) and, for a mapped fault, grant.NAME= for
 * every grant, whether it applied and why.
 *
 * because= is derived from the table, not written per case: the conditions
 * of the row that decided (its need and forbid predicates, in words), and
 * for each row before it that failed on one condition only, that condition,
 * with the row's needs that did hold, and what the row would have done
 * ("else wb_no_fwb_dic would refuse it with EFAULT"). tried.N= names every
 * condition that failed in each of those rows.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "trace.h"
#include "tool.h"

/* ---- text that grows ------------------------------------------------------- */

struct sbuf {
	char buf[2048];
	size_t used;
};

static void __attribute__((format(printf, 2, 3))) sb_add(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	if (sb->used >= sizeof(sb->buf))
		return;
	va_start(ap, fmt);
	sb->used += vsnprintf(sb->buf + sb->used, sizeof(sb->buf) - sb->used, fmt, ap);
	va_end(ap);
}

/* ---- the predicates of an input, in words ---------------------------------- */

/* facts[p][holds]: predicate p, and whether it holds for the input; %s: a detail. */
static const char *const facts[S2ATTR_NR_PREDS][2] = {
	[S2ATTR_P_PFNMAP]	= { "the VMA is not VM_PFNMAP", "the VMA is VM_PFNMAP" },
	[S2ATTR_P_MIXEDMAP]	= { "the VMA is not VM_MIXEDMAP", "the VMA is VM_MIXEDMAP" },
	[S2ATTR_P_COW]		= { "the mapping is not copy-on-write",
				    "the mapping is copy-on-write (private)" },
	[S2ATTR_P_ANY_UC]	= { "the VMA does not have VM_ALLOW_ANY_UNCACHED",
				    "the VMA has VM_ALLOW_ANY_UNCACHED" },
	[S2ATTR_P_MTE_ALLOWED]	= { "the VMA does not have VM_MTE_ALLOWED",
				    "the VMA has VM_MTE_ALLOWED" },
	[S2ATTR_P_KVM_MTE]	= { "the VM has no MTE", "the VM has MTE" },
	[S2ATTR_P_FEAT_S2FWB]	= { "FEAT_S2FWB is absent", "FEAT_S2FWB is present" },
	[S2ATTR_P_CTR_EL0_DIC]	= { "CTR_EL0.DIC is absent", "CTR_EL0.DIC is present" },
	[S2ATTR_P_LOG_DIRTY]	= { "the memslot does not log dirty pages",
				    "the memslot logs dirty pages" },
	[S2ATTR_P_MAP_MEMORY]	= { "the pfn is outside the linear map",
				    "the pfn is in the linear map" },
	[S2ATTR_P_PERM]		= { "it is a translation fault", "it is a permission fault" },
	[S2ATTR_P_WRITE]	= { "the access is not a write (%s)", "the access is a write" },
	[S2ATTR_P_EXEC]		= { "the access is not exec (%s)", "the access is exec" },
	[S2ATTR_P_SPECIAL]	= { "the VMA is neither VM_PFNMAP nor VM_MIXEDMAP",
				    "the VMA is special (%s)" },
	[S2ATTR_P_SPECIAL_PFN]	= { "the pfn is not special (%s)",
				    "the pfn is special (%s, outside the linear map)" },
	[S2ATTR_P_S1_CACHEABLE]	= { "the stage-1 type is not cacheable (%s)",
				    "the stage-1 type is cacheable (%s)" },
	[S2ATTR_P_S1_UNDEF]	= { "the stage-1 type is defined (%s)",
				    "the stage-1 type is undefined (%s)" },
	[S2ATTR_P_FWB_DIC]	= { "FEAT_S2FWB and CTR_EL0.DIC are not both present (%s)",
				    "FEAT_S2FWB and CTR_EL0.DIC are present" },
	[S2ATTR_P_S2_NORMAL]	= { "the mapping is not normal (%s)", "the mapping is normal" },
};

/* What an explanation is about: the input, the predicates that hold, the memattr. */
struct subject {
	const struct s2attr_input *in;
	u32 held;
	u8 memattr;
};

static void add_fact(struct sbuf *sb, unsigned int p, const struct subject *s)
{
	u32 f = s->in->flags;
	bool holds = s->held & BIT(p);
	const char *detail = "";

	if (!facts[p][holds])
		internal_error("predicate %s has no words", pred_names[p]);
	switch (p) {
	case S2ATTR_P_WRITE:
	case S2ATTR_P_EXEC:
		detail = access_names[s->in->access];
		break;
	case S2ATTR_P_SPECIAL:
	case S2ATTR_P_SPECIAL_PFN:
		if (!(f & (S2ATTR_IN_PFNMAP | S2ATTR_IN_MIXEDMAP)))
			detail = "neither VM_PFNMAP nor VM_MIXEDMAP";
		else if (p == S2ATTR_P_SPECIAL_PFN && !holds)
			detail = "in the linear map";
		else if (!(f & S2ATTR_IN_MIXEDMAP))
			detail = "VM_PFNMAP";
		else
			detail = f & S2ATTR_IN_PFNMAP ? "VM_PFNMAP and VM_MIXEDMAP" : "VM_MIXEDMAP";
		break;
	case S2ATTR_P_S1_CACHEABLE:
	case S2ATTR_P_S1_UNDEF:
		detail = memtype_names[s->in->memtype];
		break;
	case S2ATTR_P_FWB_DIC:
		detail = !(f & S2ATTR_IN_FWB) ? (f & S2ATTR_IN_DIC ? "no FEAT_S2FWB" : "neither") :
			 "no CTR_EL0.DIC";
		break;
	case S2ATTR_P_S2_NORMAL:
		detail = memattr_names[s->memattr];
		break;
	}
	sb_add(sb, facts[p][holds], detail);
}

/* The predicates of @mask, in print order, as "a, b and c". */
static void add_facts(struct sbuf *sb, u32 mask, const struct subject *s)
{
	unsigned int i, n = __builtin_popcount(mask), k = 0;

	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		if (!(mask & BIT(pred_order[i])))
			continue;
		sb_add(sb, "%s", k == 0 ? "" : k + 1 == n ? " and " : ", ");
		add_fact(sb, pred_order[i], s);
		k++;
	}
}

/* "would refuse it with EFAULT", "would map it nc". */
static void add_would(struct sbuf *sb, const struct s2attr_row *r, unsigned int stage)
{
	if (r->verdict)
		sb_add(sb, "would refuse it with %s", verdict_name(r->verdict));
	else if (stage == S2ATTR_STAGE_MEMSLOT)
		sb_add(sb, "would map it");
	else
		sb_add(sb, "would map it %s", memattr_names[r->memattr]);
}

/* ---- one decision ---------------------------------------------------------- */

struct decision {
	const struct s2attr_policy *policy;
	struct s2attr_input in;
	struct s2attr_output out;
	int verdict, row;
	u32 grants;
};

static void decide(struct decision *d, const struct s2attr_policy *policy,
		   const struct s2attr_input *in)
{
	d->policy = policy;
	d->in = *in;
	d->verdict = decide_checked(policy, in, &d->out, &d->row, &d->grants);
}

static bool mapped(const struct decision *d)
{
	return !d->verdict && d->in.stage == S2ATTR_STAGE_FAULT;
}

static const struct s2attr_row *decision_row(const struct decision *d, int n)
{
	return table_row(&d->policy->tables[d->in.stage], n, NULL);
}

/* "map normal", "map" (a memslot), "EFAULT". */
static void add_outcome(struct sbuf *sb, const struct decision *d)
{
	if (mapped(d))
		sb_add(sb, "map %s", memattr_names[d->out.memattr]);
	else
		sb_add(sb, "%s", verdict_name(d->verdict));
}

/*
 * because=: the conditions that made the outcome, from the rows. The facts,
 * each once, in the order they first matter: the conditions of the row
 * that decided, then for each earlier row that failed on one condition
 * only, its needs that held and that condition, which is followed by what
 * the row would have done without it ("(else ROW would refuse it with E)").
 */
static void add_because(struct sbuf *sb, const struct decision *d)
{
	const struct subject s = { &d->in, preds_of(&d->in, false), d->out.memattr };
	const struct s2attr_row *r = decision_row(d, d->row), *e;
	u32 said = 0, guards[S2ATTR_NR_PREDS] = { 0 }, fails, add;
	unsigned int order[S2ATTR_NR_PREDS], nr = 0, i, j, k, p, g;
	int n;

	/* The facts, in order, and for each the earlier rows it alone kept from holding. */
	for (n = -1; n < d->row; n++) {
		e = n < 0 ? r : decision_row(d, n);
		fails = cond_fails(e->need, e->forbid, s.held);
		if (n < 0)
			add = e->need | e->forbid;
		else if (__builtin_popcount(fails) == 1)
			add = (e->need & s.held) | fails;
		else
			continue;
		for (i = 0; i < S2ATTR_NR_PREDS; i++) {
			p = pred_order[i];
			/* The failing condition comes after the needs that held. */
			if ((add & ~fails & BIT(p)) && !(said & BIT(p)))
				order[nr++] = p;
		}
		said |= add & ~fails;
		if (n >= 0) {
			p = __builtin_ctz(fails);
			if (!(said & fails))
				order[nr++] = p;
			said |= fails;
			guards[p] |= BIT(n);
		}
	}

	add_outcome(sb, d);
	sb_add(sb, " (%s) because: ", s2attr_rule_name(r->rule));
	if (!nr)
		sb_add(sb, "no row before it holds, each for more than one reason (see tried)");
	for (i = 0; i < nr; i++) {
		p = order[i];
		sb_add(sb, "%s", i == 0 ? "" : i + 1 == nr ? " and " : ", ");
		add_fact(sb, p, &s);
		for (g = guards[p], k = 0; g; g &= g - 1, k++) {
			j = __builtin_ctz(g);
			e = decision_row(d, j);
			sb_add(sb, "%s%s ", k ? ", " : " (else ", s2attr_rule_name(e->rule));
			add_would(sb, e, d->in.stage);
		}
		sb_add(sb, "%s", guards[p] ? ")" : "");
	}
}

/* tried.N=: row @n, its outcome, and the conditions that failed or held. */
static void add_tried(struct sbuf *sb, const struct decision *d, int n)
{
	const struct subject s = { &d->in, preds_of(&d->in, false), d->out.memattr };
	const struct s2attr_row *r = decision_row(d, n);
	u32 fails = cond_fails(r->need, r->forbid, s.held);
	char outcome[32];

	row_outcome(r, d->in.stage, outcome, sizeof(outcome));
	sb_add(sb, "%s (%s): ", s2attr_rule_name(r->rule), outcome);
	if (fails) {
		sb_add(sb, "fails: ");
		add_facts(sb, fails, &s);
	} else if (r->need | r->forbid) {
		sb_add(sb, "holds: ");
		add_facts(sb, r->need | r->forbid, &s);
	} else {
		sb_add(sb, "holds (always)");
	}
}

/* grant.NAME=: grant @i of a mapped fault, whether it applied, and why. */
static void add_grant(struct sbuf *sb, const struct decision *d, unsigned int i)
{
	const struct s2attr_grant *g = &s2attr_grants[i];
	const struct subject s = {
		&d->in, preds_of(&d->in, d->out.memattr == S2ATTR_MEMATTR_NORMAL), d->out.memattr
	};
	u32 fails = cond_fails(g->need, g->forbid, s.held);

	if (fails) {
		sb_add(sb, "no: ");
		add_facts(sb, fails, &s);
		return;
	}
	sb_add(sb, "yes, sets %s: ", grant_sets[g->what]);
	add_facts(sb, g->need | g->forbid, &s);
	sb_add(sb, "; %s", rule_reason(g->rule));
}

static void print_input(const struct s2attr_input *in)
{
	unsigned int c;

	for (c = 0; c < NR_COLUMNS; c++) {
		if (column_applies(&columns[c], in->stage))
			printf("%s%s=%s", c ? " " : "", columns[c].name,
			       column_value(&columns[c], in));
	}
}

/* "eager_x,dirty_log_wp", or "-". */
static void grants_text(u32 grants, char *buf, size_t len)
{
	unsigned int i;
	size_t used = 0;

	snprintf(buf, len, "-");
	for (i = 0; i < S2ATTR_NR_GRANTS && used < len; i++) {
		if (grants & BIT(i))
			used += snprintf(buf + used, len - used, "%s%s", used ? "," : "",
					 s2attr_rule_name(s2attr_grants[i].rule));
	}
}

/* The key=value lines of one decision, after policy= and input=. */
static void print_decision(const struct decision *d)
{
	char grants[128];
	struct sbuf sb;
	unsigned int i;
	int n;

	printf("verdict=%s\n", verdict_name(d->verdict));
	if (mapped(d))
		printf("memattr=%s\nexec=%d\nwp_read=%d\nsanitise_mte=%d\n",
		       memattr_names[d->out.memattr], d->out.exec, d->out.wp_read,
		       d->out.sanitise_mte);
	else
		printf("memattr=-\nexec=-\nwp_read=-\nsanitise_mte=-\n");
	printf("rule=%s\n", s2attr_rule_name(d->out.rule));
	printf("row=%d of the %s %s table\n", d->row + 1, s2attr_policy_name(d->policy),
	       stage_names[d->in.stage]);
	printf("reason=%s\n", rule_reason(d->out.rule));
	printf("upstream=%s\n", rule_ref(d->out.rule));
	sb.used = 0;
	add_because(&sb, d);
	printf("because=%s\n", sb.buf);
	for (n = 0; n <= d->row; n++) {
		sb.used = 0;
		add_tried(&sb, d, n);
		printf("tried.%d=%s\n", n + 1, sb.buf);
	}
	grants_text(d->grants, grants, sizeof(grants));
	printf("grants=%s\n", grants);
	for (i = 0; i < S2ATTR_NR_GRANTS && mapped(d); i++) {
		sb.used = 0;
		add_grant(&sb, d, i);
		printf("grant.%s=%s\n", s2attr_rule_name(s2attr_grants[i].rule), sb.buf);
	}
}

static void json_decision(const struct decision *d)
{
	struct sbuf sb;
	unsigned int i;
	int n;

	json_open('{');
	json_kstr("policy", s2attr_policy_name(d->policy));
	json_output(&d->in, d->verdict, &d->out);
	json_kint("row", d->row + 1);
	json_kstr("reason", rule_reason(d->out.rule));
	json_kstr("upstream", rule_ref(d->out.rule));
	sb.used = 0;
	add_because(&sb, d);
	json_kstr("because", sb.buf);
	json_key("tried");
	json_open('[');
	for (n = 0; n <= d->row; n++) {
		const struct s2attr_row *r = decision_row(d, n);
		char outcome[32];

		row_outcome(r, d->in.stage, outcome, sizeof(outcome));
		sb.used = 0;
		add_tried(&sb, d, n);
		json_open('{');
		json_kint("row", n + 1);
		json_kstr("rule", s2attr_rule_name(r->rule));
		json_kstr("outcome", outcome);
		json_kbool("holds", n == d->row);
		json_kstr("why", sb.buf);
		json_close();
	}
	json_close();
	json_key("grants");
	json_open('[');
	for (i = 0; i < S2ATTR_NR_GRANTS && mapped(d); i++) {
		sb.used = 0;
		add_grant(&sb, d, i);
		json_open('{');
		json_kstr("grant", s2attr_rule_name(s2attr_grants[i].rule));
		json_kstr("sets", grant_sets[s2attr_grants[i].what]);
		json_kbool("applies", d->grants & BIT(i));
		json_kstr("why", sb.buf);
		json_close();
	}
	json_close();
	json_close();
}

/* ---- explain KEY=VALUE... --------------------------------------------------- */

static const char *const src_names[] = {
	[SRC_PRESET] = "preset", [SRC_HOST] = "host", [SRC_DEFAULT] = "default",
};

/* defaults=: the keys no word, preset or host gave, as key=value. */
static void defaults_text(const struct s2attr_input *in, const struct input_src *src,
			  char *buf, size_t len)
{
	unsigned int c;
	size_t used = 0;

	buf[0] = 0;
	for (c = 0; c < NR_COLUMNS && used < len; c++) {
		if (column_applies(&columns[c], in->stage) && src->src[c] == SRC_DEFAULT)
			used += snprintf(buf + used, len - used, "%s%s=%s", used ? " " : "",
					 columns[c].name, column_value(&columns[c], in));
	}
}

static void json_header(const struct s2attr_input *in, const struct input_src *src)
{
	unsigned int c;

	json_key("input");
	json_input(in);
	json_key("preset");
	if (src->preset)
		json_str(src->preset->name);
	else
		json_null();
	json_key("host");
	if (src->host)
		json_str(src->host->name);
	else
		json_null();
	json_key("from");
	json_open('{');
	for (c = 0; c < NR_COLUMNS; c++) {
		if (column_applies(&columns[c], in->stage))
			json_kstr(columns[c].name, src->src[c] == SRC_GIVEN ? "given" :
				  src_names[src->src[c]]);
	}
	json_close();
}

static void print_header(const struct s2attr_input *in, const struct input_src *src)
{
	char text[512];

	printf("input=");
	print_input(in);
	printf("\n");
	if (src->preset)
		printf("preset=%s: %s\n", src->preset->name, src->preset->what);
	if (src->host)
		printf("host=%s: %s\n", src->host->name, src->host->what);
	defaults_text(in, src, text, sizeof(text));
	if (text[0])
		printf("defaults=%s\n", text);
}

/* --policy all, as text: a column per policy, then why each decided so. */
static void print_side_by_side(const struct decision *d, unsigned int n)
{
	static const char *const rows[] = {
		"verdict", "memattr", "exec", "wp_read", "sanitise_mte", "rule", "row", "grants",
	};
	char cell[ARRAY_SIZE(rows)][S2ATTR_NR_POLICIES][128];
	unsigned int width[S2ATTR_NR_POLICIES], i, p;
	struct sbuf sb;

	for (p = 0; p < n; p++) {
		const struct decision *e = &d[p];
		bool m = mapped(e);

		snprintf(cell[0][p], 128, "%s", verdict_name(e->verdict));
		snprintf(cell[1][p], 128, "%s", m ? memattr_names[e->out.memattr] : "-");
		snprintf(cell[2][p], 128, "%s", m ? (e->out.exec ? "1" : "0") : "-");
		snprintf(cell[3][p], 128, "%s", m ? (e->out.wp_read ? "1" : "0") : "-");
		snprintf(cell[4][p], 128, "%s", m ? (e->out.sanitise_mte ? "1" : "0") : "-");
		snprintf(cell[5][p], 128, "%s", s2attr_rule_name(e->out.rule));
		snprintf(cell[6][p], 128, "%d", e->row + 1);
		grants_text(e->grants, cell[7][p], 128);
		width[p] = strlen(s2attr_policy_name(e->policy));
		for (i = 0; i < ARRAY_SIZE(rows); i++)
			width[p] = strlen(cell[i][p]) > width[p] ? strlen(cell[i][p]) : width[p];
	}
	printf("\n%-12s", "");
	for (p = 0; p < n; p++)
		printf("  %-*s", p + 1 < n ? (int)width[p] : 0, s2attr_policy_name(d[p].policy));
	printf("\n");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		printf("%-12s", rows[i]);
		for (p = 0; p < n; p++)
			printf("  %-*s", p + 1 < n ? (int)width[p] : 0, cell[i][p]);
		printf("\n");
	}
	printf("\n");
	for (p = 0; p < n; p++) {
		sb.used = 0;
		add_because(&sb, &d[p]);
		printf("because.%s=%s\n", s2attr_policy_name(d[p].policy), sb.buf);
	}
}

static int explain_input(const struct explain_args *a)
{
	struct decision d[S2ATTR_NR_POLICIES];
	struct input_src src;
	struct s2attr_input in;
	unsigned int n = 0, p;
	size_t len = 1024;
	char *err;
	int i;

	/* Room for the longest message: its text, the words of argv, the names. */
	for (i = 0; i < a->argc; i++)
		len += strlen(a->argv[i]);
	err = malloc(len);
	if (!err)
		internal_error("out of memory");
	if (parse_input(a->argc, a->argv, a->preset, a->host, &in, &src, err, len)) {
		fprintf(stderr, "s2attr: explain: %s\n", err);
		free(err);
		exit(EXIT_USAGE);
	}
	free(err);
	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		if (!a->policy || a->policy == s2attr_policy(p))
			decide(&d[n++], s2attr_policy(p), &in);
	}

	if (format == FORMAT_JSON) {
		json_open('{');
		json_header(&in, &src);
		json_key("decisions");
		json_open('[');
		for (p = 0; p < n; p++)
			json_decision(&d[p]);
		json_close();
		json_close();
		return EXIT_OK;
	}
	if (a->policy)
		printf("policy=%s\n", s2attr_policy_name(a->policy));
	print_header(&in, &src);
	if (a->policy)
		print_decision(&d[0]);
	else
		print_side_by_side(d, n);
	return EXIT_OK;
}

/* ---- explain --trace -------------------------------------------------------- */

struct trace_vm {
	u64 vm;
	int policy;
	char where[80];
};

struct trace_state {
	const struct explain_args *a;
	struct trace_vm *vms;
	unsigned int nr_vms, decisions, mismatches;
};

/* The differences between the traced outcome and the tool's decision, into @sb. */
static void compare(struct sbuf *sb, const struct trace_event *ev, const struct decision *d)
{
	bool m = mapped(d), fault = d->in.stage == S2ATTR_STAGE_FAULT;
	const char *tool_memattr = m ? memattr_names[d->out.memattr] : "none";
	const char *traced_memattr = ev->memattr < 0 ? "none" : memattr_names[ev->memattr];
	const struct {
		const char *what;
		bool differ;
		const char *traced, *tool;
	} cmp[] = {
		{ "verdict", ev->verdict != d->verdict, verdict_name(ev->verdict),
		  verdict_name(d->verdict) },
		{ "rule", strcmp(ev->rule, s2attr_rule_name(d->out.rule)), ev->rule,
		  s2attr_rule_name(d->out.rule) },
		{ "memattr", fault && strcmp(traced_memattr, tool_memattr), traced_memattr,
		  tool_memattr },
		{ "exec", fault && ev->exec != (m && d->out.exec), ev->exec ? "1" : "0",
		  m && d->out.exec ? "1" : "0" },
		{ "wp_read", fault && ev->wp_read != (m && d->out.wp_read), ev->wp_read ? "1" : "0",
		  m && d->out.wp_read ? "1" : "0" },
		{ "sanitise_mte", fault && ev->sanitise_mte != (m && d->out.sanitise_mte),
		  ev->sanitise_mte ? "1" : "0", m && d->out.sanitise_mte ? "1" : "0" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmp); i++) {
		if (cmp[i].differ)
			sb_add(sb, "%s%s: the trace says %s, the tool decides %s",
			       sb->used ? "; " : "", cmp[i].what, cmp[i].traced, cmp[i].tool);
	}
}

static void json_traced(const struct trace_event *ev)
{
	json_open('{');
	json_kstr("verdict", verdict_name(ev->verdict));
	json_key("memattr");
	if (ev->memattr < 0)
		json_null();
	else
		json_str(memattr_names[ev->memattr]);
	json_kint("exec", ev->exec);
	json_kint("wp_read", ev->wp_read);
	json_kint("sanitise_mte", ev->sanitise_mte);
	json_kstr("rule", ev->rule);
	json_close();
}

static void trace_decide(struct trace_state *st, const char *where, const struct trace_event *ev)
{
	const struct s2attr_policy *policy = st->a->policy;
	const char *policy_from = "--policy";
	struct decision d;
	struct sbuf diff = { .used = 0 };
	char vm[24], gfn[48] = "";
	unsigned int i;

	for (i = st->nr_vms; i-- > 0;) {
		if (st->vms[i].vm == ev->vm) {
			policy = s2attr_policy(st->vms[i].policy);
			policy_from = st->vms[i].where;
			break;
		}
	}
	snprintf(vm, sizeof(vm), "%016llx", (unsigned long long)ev->vm);
	if (!policy)
		usage_error("%s: vm %s has no kvm_s2attr_policy line before this "
			    "kvm_s2attr_decide: give the trace from that line, or --policy NAME",
			    where, vm);
	if (ev->has_gfn)
		snprintf(gfn, sizeof(gfn), "%#llx-%#llx", (unsigned long long)ev->gfn_start,
			 (unsigned long long)ev->gfn_end);
	decide(&d, policy, &ev->in);
	compare(&diff, ev, &d);
	st->decisions++;
	st->mismatches += !!diff.used;
	if (diff.used)
		fprintf(stderr, "s2attr: %s: MISMATCH: %s\n", where, diff.buf);

	if (format == FORMAT_JSON) {
		json_open('{');
		json_kstr("where", where);
		json_kstr("vm", vm);
		json_key("gfn");
		if (ev->has_gfn)
			json_str(gfn);
		else
			json_null();
		json_kstr("policy_from", policy_from);
		json_key("input");
		json_input(&d.in);
		json_key("decision");
		json_decision(&d);
		json_key("traced");
		json_traced(ev);
		json_kbool("match", !diff.used);
		json_kstr("mismatch", diff.used ? diff.buf : "");
		json_close();
		return;
	}
	printf("%s# %s: kvm_s2attr_decide of vm %s%s%s, under %s (policy from %s)\n",
	       st->decisions > 1 ? "\n" : "", where, vm, gfn[0] ? ", gfn " : "", gfn,
	       s2attr_policy_name(policy), policy_from);
	printf("policy=%s\ninput=", s2attr_policy_name(policy));
	print_input(&d.in);
	printf("\n");
	print_decision(&d);
	printf("trace=%s%s\n", diff.used ? "MISMATCH: " : "match", diff.used ? diff.buf : "");
}

/* One line of a trace at @where; @literal: given with --trace, so it must be ours. */
static void trace_line(struct trace_state *st, const char *where, const char *line,
		       bool literal)
{
	struct trace_event ev;
	char err[512];
	unsigned int i;

	if (trace_parse(line, &ev, err, sizeof(err)))
		usage_error("%s: %s", where, err);
	switch (ev.kind) {
	case TRACE_OTHER:
		if (literal)
			usage_error("%s: not a kvm_s2attr_policy or kvm_s2attr_decide line", where);
		return;
	case TRACE_POLICY:
		for (i = 0; i < st->nr_vms && st->vms[i].vm != ev.vm; i++)
			;
		if (i == st->nr_vms) {
			st->vms = realloc(st->vms, (st->nr_vms + 1) * sizeof(*st->vms));
			if (!st->vms)
				internal_error("out of memory");
			st->nr_vms++;
		}
		st->vms[i].vm = ev.vm;
		st->vms[i].policy = ev.policy;
		snprintf(st->vms[i].where, sizeof(st->vms[i].where), "%s", where);
		return;
	case TRACE_DECIDE:
		trace_decide(st, where, &ev);
	}
}

/* The lines of @name ("-": standard input). */
static void trace_file(struct trace_state *st, const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char where[80], *line = NULL;
	size_t cap = 0;
	unsigned int n = 0;

	if (!f)
		io_error("%s: %s", name, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		snprintf(where, sizeof(where), "%.60s:%u", strcmp(name, "-") ? name : "stdin", ++n);
		trace_line(st, where, line, false);
	}
	if (ferror(f))
		io_error("%s: %s", name, strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
}

static int explain_trace(const struct explain_args *a)
{
	struct trace_state st = { .a = a };
	char where[32], *copy, *line, *next;
	unsigned int i, n = 0;

	if (a->argc || a->preset || a->host)
		usage_error("explain --trace takes its input from the trace: no key=value, "
			    "--preset or --host");
	if (format == FORMAT_JSON) {
		json_open('{');
		json_key("trace");
		json_open('[');
	}
	for (i = 0; i < a->nr_traces; i++) {
		if (a->trace_is_file[i]) {
			trace_file(&st, a->traces[i]);
			continue;
		}
		copy = strdup(a->traces[i]);
		if (!copy)
			internal_error("out of memory");
		for (line = copy; line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = 0;
			if (next && !*line)
				continue;
			snprintf(where, sizeof(where), "--trace %u", ++n);
			trace_line(&st, where, line, true);
		}
		free(copy);
	}
	free(st.vms);
	if (!st.decisions)
		usage_error("explain --trace: no kvm_s2attr_decide line in the trace");
	if (format == FORMAT_JSON) {
		json_close();
		json_kint("decisions", st.decisions);
		json_kint("mismatches", st.mismatches);
		json_close();
	} else {
		printf("\n# trace: %u decisions, %u match, %u MISMATCH\n", st.decisions,
		       st.decisions - st.mismatches, st.mismatches);
	}
	return st.mismatches ? EXIT_NO : EXIT_OK;
}

int cmd_explain(const struct explain_args *a)
{
	return a->nr_traces ? explain_trace(a) : explain_input(a);
}
