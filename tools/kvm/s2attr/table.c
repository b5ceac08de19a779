// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr table, rules and check: the tables as a reviewer reads them (text
 * for a terminal, reST for Documentation/virt/kvm/arm/s2attr.rst, JSON),
 * the reason and upstream reference of every rule, and the check that every
 * table is total and has no dead row or grant.
 *
 * The reST of `table --format=rst`, every line at most 100 columns:
 *   - per policy and stage, a title "POLICY, STAGE stage" underlined with
 *     '-', then a simple table with the columns "#", "rule", "need",
 *     "forbid", "outcome": the policy's own rows, then the shared ones, in
 *     the order they are tried (# as in `explain` row=). A need or forbid
 *     cell holds predicate names (enum s2attr_pred without S2ATTR_P_) as
 *     one inline literal per line; a cell that does not fit is continued on
 *     lines whose "#" cell is empty; "none" for an empty mask. Outcomes:
 *     "map" (a memslot), "EINVAL", "EFAULT", "ENOEXEC", "map normal|nc|device".
 *     Then for each run of shared rows (a shared tail, or rows that several
 *     policies name as their own) "Rows N-M are shared by every policy."
 *     (or "by a, b and c", the policies that try them), and a
 *     paragraph "Why:" followed by a bullet list, one item per row of the
 *     table: "``rule``: reason. Upstream: reference.".
 *   - `--grants` (and after every policy when no --policy is given): the
 *     title "Grants of a mapped fault" underlined with '-', a paragraph, a
 *     simple table "#", "grant", "need", "forbid", "sets" (sets: exec,
 *     wp_read or sanitise_mte), and the "Why:" list of the grants.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "tool.h"

/* ---- reST helpers ---------------------------------------------------------- */

/* tool.h says what text_wrap() and rst_wrap() do. */
void text_wrap(const char *first, const char *cont, const char *text, unsigned int width)
{
	char word[512];
	const char *p = text;
	size_t col = 0, wlen;
	bool in_lit = false, line_empty = true;

	printf("%s", first);
	col = strlen(first);
	while (*p) {
		const char *q, *s;
		bool lit_after;
		unsigned int ticks = 0;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		q = strchr(p, ' ');
		wlen = q ? (size_t)(q - p) : strlen(p);
		if (wlen >= sizeof(word))
			internal_error("a word of %zu characters to wrap", wlen);
		memcpy(word, p, wlen);
		word[wlen] = 0;
		p += wlen;
		for (s = word; (s = strstr(s, "``")); s += 2)
			ticks++;
		lit_after = in_lit ^ (ticks & 1);
		/* Room for the word, and for closing the literal if it stays open. */
		if (!line_empty && col + 1 + wlen + (lit_after ? 2 : 0) > width) {
			printf("%s\n%s%s", in_lit ? "``" : "", cont, in_lit ? "``" : "");
			col = strlen(cont) + (in_lit ? 2 : 0);
			line_empty = true;
		}
		printf("%s%s", line_empty ? "" : " ", word);
		col += (line_empty ? 0 : 1) + wlen;
		line_empty = false;
		in_lit = lit_after;
	}
	printf("\n");
}

void rst_wrap(const char *first, const char *cont, const char *text)
{
	text_wrap(first, cont, text, RST_WIDTH);
}

static void rst_title(const char *title, char underline)
{
	size_t n = strlen(title);

	printf("%s\n", title);
	while (n--)
		putchar(underline);
	printf("\n\n");
}

/* The predicates of @mask, in print order, into @buf, separated by @sep. */
static void mask_names(u32 mask, const char *sep, const char *neg, char *buf, size_t len)
{
	unsigned int i, p;

	buf[0] = 0;
	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		p = pred_order[i];
		if (mask & BIT(p))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s%s",
				 buf[0] ? sep : "", neg, pred_names[p]);
	}
}

/* ---- table ----------------------------------------------------------------- */

/* "SPECIAL_PFN && S1_CACHEABLE && !FWB_DIC", or "always". */
static void condition_text(u32 need, u32 forbid, char *buf, size_t len)
{
	char n[240], f[240];

	mask_names(need, " && ", "", n, sizeof(n));
	mask_names(forbid, " && ", "!", f, sizeof(f));
	snprintf(buf, len, "%s%s%s", n, n[0] && f[0] ? " && " : "", f);
	if (!buf[0])
		snprintf(buf, len, "always");
}

static void print_table_text(const struct s2attr_policy *policy)
{
	unsigned int stage, i, n;
	char cond[512], outcome[64], num[16], who[128];
	const struct s2attr_table *sub = NULL;
	const struct s2attr_row *r;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *t = &policy->tables[stage];

		printf("%s, %s stage (first match wins; * = rows other policies share)\n",
		       s2attr_policy_name(policy), stage_names[stage]);
		printf("  %-3s  %-16s  %-10s  %s\n", "#", "rule", "outcome", "when");
		n = table_len(t);
		for (i = 0; i < n; i++) {
			r = table_row(t, i, &sub);
			condition_text(r->need, r->forbid, cond, sizeof(cond));
			row_outcome(r, stage, outcome, sizeof(outcome));
			snprintf(num, sizeof(num), "%u%s", i + 1,
				 shared_by(stage, sub, who, sizeof(who)) > 1 ? "*" : "");
			printf("  %-3s  %-16s  %-10s  %s\n", num, s2attr_rule_name(r->rule),
			       outcome, cond);
		}
		printf("\n");
	}
}

static void print_grants_text(void)
{
	char cond[512];
	unsigned int i;

	printf("grants of a mapped fault, every policy (each one that holds applies;\n"
	       "S2_NORMAL: the row that decided maps normal)\n");
	printf("  %-3s  %-16s  %-12s  %s\n", "#", "grant", "sets", "when");
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		const struct s2attr_grant *g = &s2attr_grants[i];

		condition_text(g->need, g->forbid, cond, sizeof(cond));
		printf("  %-3u  %-16s  %-12s  %s\n", i + 1, s2attr_rule_name(g->rule),
		       grant_sets[g->what], cond);
	}
	printf("\n");
}

/* A simple reST table with cells that wrap onto continuation lines. */
#define RST_COLS	5
#define RST_MAX_ROWS	32
#define RST_CELL	256
#define RST_PRED_WIDTH	24	/* predicate names per line of a need/forbid cell */

struct rst_table {
	unsigned int nr_rows;
	char cell[RST_MAX_ROWS + 1][RST_COLS][RST_CELL];	/* row 0: the head */
};

/* Line @k of cell text @s: lines are separated by '\n'. */
static const char *cell_line(const char *s, unsigned int k, size_t *len)
{
	while (k--) {
		s = strchr(s, '\n');
		if (!s)
			return NULL;
		s++;
	}
	*len = strchr(s, '\n') ? (size_t)(strchr(s, '\n') - s) : strlen(s);
	return s;
}

/* @mask as a need/forbid cell: "none", or lines of ``NAME NAME``. */
static void pred_cell(u32 mask, char *buf, size_t len)
{
	unsigned int i, p;
	size_t line = 0;

	if (!mask) {
		snprintf(buf, len, "none");
		return;
	}
	buf[0] = 0;
	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		p = pred_order[i];
		if (!(mask & BIT(p)))
			continue;
		if (line && line + 1 + strlen(pred_names[p]) > RST_PRED_WIDTH) {
			snprintf(buf + strlen(buf), len - strlen(buf), "``\n");
			line = 0;
		}
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", line ? " " : "``",
			 pred_names[p]);
		line += (line ? 1 : 0) + strlen(pred_names[p]);
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "``");
}

static void rst_rule_line(const unsigned int *width)
{
	unsigned int c, i;

	for (c = 0; c < RST_COLS; c++) {
		printf("%s", c ? "  " : "");
		for (i = 0; i < width[c]; i++)
			putchar('=');
	}
	printf("\n");
}

static void rst_print_row(const unsigned int *width, char cell[RST_COLS][RST_CELL])
{
	unsigned int c, k;
	size_t len, used;
	bool any;

	for (k = 0;; k++) {
		char line[RST_WIDTH * 4] = "";

		any = false;
		for (c = 0; c < RST_COLS; c++) {
			const char *s = cell_line(cell[c], k, &len);

			if (s)
				any = true;
			used = strlen(line);
			snprintf(line + used, sizeof(line) - used, "%s%-*.*s", c ? "  " : "",
				 c == RST_COLS - 1 ? 0 : (int)width[c], s ? (int)len : 0,
				 s ? s : "");
		}
		if (!any)
			break;
		/* No trailing blanks. */
		len = strlen(line);
		while (len && line[len - 1] == ' ')
			line[--len] = 0;
		printf("%s\n", line);
	}
}

static void rst_table_print(struct rst_table *t)
{
	unsigned int width[RST_COLS] = { 0 }, r, c, k, total = 0;
	size_t len;

	for (r = 0; r <= t->nr_rows; r++) {
		for (c = 0; c < RST_COLS; c++) {
			for (k = 0; cell_line(t->cell[r][c], k, &len); k++) {
				if (len > width[c])
					width[c] = len;
			}
		}
	}
	for (c = 0; c < RST_COLS; c++)
		total += width[c] + (c ? 2 : 0);
	if (total > RST_WIDTH)
		internal_error("a reST table of %u columns, more than %u", total, RST_WIDTH);
	rst_rule_line(width);
	rst_print_row(width, t->cell[0]);
	rst_rule_line(width);
	for (r = 1; r <= t->nr_rows; r++)
		rst_print_row(width, t->cell[r]);
	rst_rule_line(width);
	printf("\n");
}

static void rst_why(const u8 *rules, unsigned int n)
{
	char item[1024];
	unsigned int i, j;

	printf("Why:\n\n");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && rules[j] != rules[i]; j++)
			;
		if (j < i)
			continue;
		snprintf(item, sizeof(item), "``%s``: %s. Upstream: %s.",
			 s2attr_rule_name(rules[i]), rule_reason(rules[i]), rule_ref(rules[i]));
		rst_wrap("- ", "  ", item);
	}
	printf("\n");
}

static void print_table_rst(const struct s2attr_policy *policy)
{
	static const char *const head[RST_COLS] = { "#", "rule", "need", "forbid", "outcome" };
	static struct rst_table t;
	const struct s2attr_table *sub = NULL, *subs[RST_MAX_ROWS];
	unsigned int stage, c, i, j, n;
	u8 rules[RST_MAX_ROWS];
	char title[64], who[128];
	const struct s2attr_row *r;

	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *tab = &policy->tables[stage];

		n = table_len(tab);
		if (n > RST_MAX_ROWS)
			internal_error("%s: %u rows, more than %u", s2attr_policy_name(policy), n,
				       RST_MAX_ROWS);
		t.nr_rows = n;
		for (c = 0; c < RST_COLS; c++)
			snprintf(t.cell[0][c], RST_CELL, "%s", head[c]);
		for (i = 0; i < n; i++) {
			r = table_row(tab, i, &sub);
			subs[i] = sub;
			rules[i] = r->rule;
			snprintf(t.cell[i + 1][0], RST_CELL, "%u", i + 1);
			snprintf(t.cell[i + 1][1], RST_CELL, "``%s``", s2attr_rule_name(r->rule));
			pred_cell(r->need, t.cell[i + 1][2], RST_CELL);
			pred_cell(r->forbid, t.cell[i + 1][3], RST_CELL);
			row_outcome(r, stage, t.cell[i + 1][4], RST_CELL);
		}
		snprintf(title, sizeof(title), "%s, %s stage", s2attr_policy_name(policy),
			 stage_names[stage]);
		rst_title(title, '-');
		rst_table_print(&t);
		for (i = 0; i < n; i = j) {
			for (j = i + 1; j < n && subs[j] == subs[i]; j++)
				;
			if (shared_by(stage, subs[i], who, sizeof(who)) < 2)
				continue;
			if (j == i + 1)
				printf("Row %u is shared by %s.\n\n", i + 1, who);
			else
				printf("Rows %u-%u are shared by %s.\n\n", i + 1, j, who);
		}
		rst_why(rules, n);
	}
}

static void print_grants_rst(void)
{
	static const char *const head[RST_COLS] = { "#", "grant", "need", "forbid", "sets" };
	static struct rst_table t;
	u8 rules[RST_MAX_ROWS];
	unsigned int c, i;

	if (S2ATTR_NR_GRANTS > RST_MAX_ROWS)
		internal_error("%u grants, more than %u", S2ATTR_NR_GRANTS, RST_MAX_ROWS);
	t.nr_rows = S2ATTR_NR_GRANTS;
	for (c = 0; c < RST_COLS; c++)
		snprintf(t.cell[0][c], RST_CELL, "%s", head[c]);
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		const struct s2attr_grant *g = &s2attr_grants[i];

		rules[i] = g->rule;
		snprintf(t.cell[i + 1][0], RST_CELL, "%u", i + 1);
		snprintf(t.cell[i + 1][1], RST_CELL, "``%s``", s2attr_rule_name(g->rule));
		pred_cell(g->need, t.cell[i + 1][2], RST_CELL);
		pred_cell(g->forbid, t.cell[i + 1][3], RST_CELL);
		snprintf(t.cell[i + 1][4], RST_CELL, "%s", grant_sets[g->what]);
	}
	rst_title("Grants of a mapped fault", '-');
	rst_wrap("", "", "Every policy: when a fault is mapped, every grant whose condition "
		 "holds applies. ``S2_NORMAL``: the row that decided maps normal.");
	printf("\n");
	rst_table_print(&t);
	rst_why(rules, S2ATTR_NR_GRANTS);
}

/* @mask as a JSON array of predicate names, in print order. */
static void json_preds(const char *key, u32 mask)
{
	unsigned int i;

	json_key(key);
	json_open('[');
	for (i = 0; i < S2ATTR_NR_PREDS; i++) {
		if (mask & BIT(pred_order[i]))
			json_str(pred_names[pred_order[i]]);
	}
	json_close();
}

static void print_table_json(const struct s2attr_policy *policy)
{
	const struct s2attr_table *sub = NULL;
	const struct s2attr_row *r;
	unsigned int stage, i, p;
	u32 who;

	json_open('{');
	json_kstr("policy", s2attr_policy_name(policy));
	json_key("stages");
	json_open('[');
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		json_open('{');
		json_kstr("stage", stage_names[stage]);
		json_key("rows");
		json_open('[');
		for (i = 0; (r = table_row(&policy->tables[stage], i, &sub)); i++) {
			json_open('{');
			json_kint("row", i + 1);
			json_kstr("rule", s2attr_rule_name(r->rule));
			json_preds("need", r->need);
			json_preds("forbid", r->forbid);
			json_kstr("verdict", verdict_name(r->verdict));
			json_key("memattr");
			if (r->verdict || stage == S2ATTR_STAGE_MEMSLOT)
				json_null();
			else
				json_str(memattr_names[r->memattr]);
			json_key("shared_by");
			json_open('[');
			who = policies_trying(stage, sub);
			for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
				if (who & BIT(p))
					json_str(s2attr_policy_name(s2attr_policy(p)));
			}
			json_close();
			json_close();
		}
		json_close();
		json_close();
	}
	json_close();
	json_close();
}

static void print_grants_json(void)
{
	unsigned int i;

	json_key("grants");
	json_open('[');
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		const struct s2attr_grant *g = &s2attr_grants[i];

		json_open('{');
		json_kint("grant", i + 1);
		json_kstr("rule", s2attr_rule_name(g->rule));
		json_preds("need", g->need);
		json_preds("forbid", g->forbid);
		json_kstr("sets", grant_sets[g->what]);
		json_close();
	}
	json_close();
}

int cmd_table(const struct s2attr_policy *policy, bool grants_only)
{
	unsigned int p;

	if (format == FORMAT_JSON) {
		json_open('{');
		json_key("policies");
		json_open('[');
	}
	for (p = 0; p < S2ATTR_NR_POLICIES && !grants_only; p++) {
		if (policy && policy != s2attr_policy(p))
			continue;
		if (format == FORMAT_RST)
			print_table_rst(s2attr_policy(p));
		else if (format == FORMAT_JSON)
			print_table_json(s2attr_policy(p));
		else
			print_table_text(s2attr_policy(p));
	}
	if (format == FORMAT_JSON)
		json_close();
	if (!policy) {
		if (format == FORMAT_RST)
			print_grants_rst();
		else if (format == FORMAT_JSON)
			print_grants_json();
		else
			print_grants_text();
	}
	if (format == FORMAT_JSON)
		json_close();
	return EXIT_OK;
}

/* ---- rules ----------------------------------------------------------------- */

int cmd_rules(void)
{
	char item[1024];
	unsigned int i;

	if (format == FORMAT_JSON) {
		json_open('{');
		json_key("rules");
		json_open('[');
	}
	for (i = 0; i < S2ATTR_NR_RULES; i++) {
		if (format == FORMAT_RST) {
			snprintf(item, sizeof(item), "``%s``: %s. Upstream: %s.",
				 s2attr_rule_name(i), rule_reason(i), rule_ref(i));
			rst_wrap("- ", "  ", item);
		} else if (format == FORMAT_JSON) {
			json_open('{');
			json_kstr("rule", s2attr_rule_name(i));
			json_kstr("reason", rule_reason(i));
			json_kstr("upstream", rule_ref(i));
			json_close();
		} else {
			printf("%s\n  reason: %s\n  upstream: %s\n", s2attr_rule_name(i),
			       rule_reason(i), rule_ref(i));
		}
	}
	if (format == FORMAT_JSON) {
		json_close();
		json_close();
	}
	return EXIT_OK;
}

/* ---- check: totality, dead rows and grants, the engine against the tables -- */

/* Checks @policy, prints what it found; returns the number of problems. */
static unsigned int check_policy(const struct s2attr_policy *policy)
{
	const char *name = s2attr_policy_name(policy);
	unsigned int grant_hits[S2ATTR_NR_GRANTS] = { 0 };
	unsigned int stage, i, bad = 0;
	bool json = format == FORMAT_JSON;

	if (json) {
		json_open('{');
		json_kstr("policy", name);
		json_key("stages");
		json_open('[');
	}
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		const struct s2attr_table *t = &policy->tables[stage];
		unsigned int hits[RST_MAX_ROWS] = { 0 }, undecided = 0, n_rows = table_len(t);
		const struct s2attr_row *r;
		struct s2attr_input in;
		struct s2attr_output out;
		const struct s2attr_table *sub = NULL;
		char who[128];
		bool shared;
		u32 n, g;
		int row;

		if (n_rows > RST_MAX_ROWS)
			internal_error("%s: %u rows", name, n_rows);
		for (n = 0; n < stage_inputs[stage]; n++) {
			s2attr_input_nth(stage, n, &in);
			decide_checked(policy, &in, &out, &row, &g);
			if (out.rule == S2ATTR_RULE_no_rule || out.rule == S2ATTR_RULE_bad_input ||
			    row < 0) {
				undecided++;
				continue;
			}
			hits[row]++;
			for (i = 0; i < S2ATTR_NR_GRANTS; i++)
				grant_hits[i] += !!(g & BIT(i));
		}
		bad += !!undecided;
		if (json) {
			json_open('{');
			json_kstr("stage", stage_names[stage]);
			json_kint("undecided", undecided);
			json_key("rows");
			json_open('[');
		} else if (undecided) {
			printf("%s %s: NOT TOTAL: %u inputs decided by no row\n", name,
			       stage_names[stage], undecided);
		}
		for (i = 0; i < n_rows; i++) {
			r = table_row(t, i, &sub);
			shared = shared_by(stage, sub, who, sizeof(who)) > 1;
			bad += !hits[i];
			if (!json) {
				printf("%s %s row %u %-16s decides %5u inputs%s%s\n", name,
				       stage_names[stage], i + 1, s2attr_rule_name(r->rule),
				       hits[i], shared ? " (shared)" : "", hits[i] ? "" : "  DEAD");
				continue;
			}
			json_open('{');
			json_kint("row", i + 1);
			json_kstr("rule", s2attr_rule_name(r->rule));
			json_kint("inputs", hits[i]);
			json_kbool("shared", shared);
			json_kbool("dead", !hits[i]);
			json_close();
		}
		if (json) {
			json_close();
			json_close();
		}
	}
	if (json) {
		json_close();
		json_key("grants");
		json_open('[');
	}
	for (i = 0; i < S2ATTR_NR_GRANTS; i++) {
		bad += !grant_hits[i];
		if (!json) {
			printf("%s grant %u %-16s applies to %5u faults%s\n", name, i + 1,
			       s2attr_rule_name(s2attr_grants[i].rule), grant_hits[i],
			       grant_hits[i] ? "" : "  DEAD");
			continue;
		}
		json_open('{');
		json_kint("grant", i + 1);
		json_kstr("rule", s2attr_rule_name(s2attr_grants[i].rule));
		json_kint("faults", grant_hits[i]);
		json_kbool("dead", !grant_hits[i]);
		json_close();
	}
	if (json) {
		json_close();
		json_kbool("ok", !bad);
		json_close();
	}
	return bad;
}

int cmd_check(const struct s2attr_policy *policy)
{
	unsigned int p, bad = 0;

	if (format == FORMAT_JSON) {
		json_open('{');
		json_key("policies");
		json_open('[');
	}
	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		if (!policy || policy == s2attr_policy(p))
			bad += check_policy(s2attr_policy(p));
	}
	if (format == FORMAT_JSON) {
		json_close();
		json_kbool("ok", !bad);
		json_close();
	}
	return bad ? EXIT_NO : EXIT_OK;
}
