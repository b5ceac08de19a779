// SPDX-License-Identifier: GPL-2.0-only
/*
 * s2attr - the KVM/arm64 stage-2 memory attribute policies, from user space.
 *
 * Built from the very sources the kernel builds (arch/arm64/kvm/s2attr/),
 * so what it prints is what KVM decides. `s2attr --help` lists the
 * commands, options, explain's keys, presets and hosts, and the exit
 * statuses; `s2attr COMMAND --help` says more about one command.
 *
 * This file: the command line, the help, the errors, and matrix (the CSV of
 * SPEC section 6, header first; one row per input, the memslot stage
 * (4,096) then the fault stage (49,152), in the order of
 * s2attr_input_nth()). The other commands: explain.c (explain, --trace),
 * diff.c (diff, ptediff), table.c (table, rules, check). The tool's own
 * reading of the tables, which every decision is checked against: rows.c.
 * The vocabulary and explain's parser: input.c; the trace parser: trace.c;
 * JSON: json.c.
 *
 * Options may come anywhere on the command line (getopt_long() in
 * RETURN_IN_ORDER mode, so POSIXLY_CORRECT changes nothing); "--" ends
 * them. Every error is one line on stderr; the output is checked when the
 * command is done, and a write error (a full disk, /dev/full) is an error
 * like any other.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tool.h"

static const char *prog = "s2attr";

enum format format = FORMAT_TEXT;

static void __attribute__((noreturn)) verror(int status, const char *what, const char *fmt,
					     va_list ap)
{
	fprintf(stderr, "%s: %s", prog, what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	exit(status);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(EXIT_USAGE, "", fmt, ap);
}

void internal_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(EXIT_INTERNAL, "internal error: ", fmt, ap);
}

void io_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(EXIT_IO, "", fmt, ap);
}

/* ---- JSON of inputs and outcomes --------------------------------------------- */

void json_input(const struct s2attr_input *in)
{
	unsigned int c;

	json_open('{');
	for (c = 0; c < NR_COLUMNS; c++) {
		json_key(columns[c].name);
		if (!column_applies(&columns[c], in->stage))
			json_null();
		else if (columns[c].kind == COL_FLAG)
			json_int(column_get(&columns[c], in));
		else
			json_str(column_value(&columns[c], in));
	}
	json_close();
}

void json_output(const struct s2attr_input *in, int verdict, const struct s2attr_output *out)
{
	bool mapped = !verdict && in->stage == S2ATTR_STAGE_FAULT;

	json_kstr("verdict", verdict_name(verdict));
	json_key("memattr");
	if (mapped)
		json_str(memattr_names[out->memattr]);
	else
		json_null();
	json_key("exec");
	mapped ? json_int(out->exec) : json_null();
	json_key("wp_read");
	mapped ? json_int(out->wp_read) : json_null();
	json_key("sanitise_mte");
	mapped ? json_int(out->sanitise_mte) : json_null();
	json_kstr("rule", s2attr_rule_name(out->rule));
}

void json_outcome(const struct s2attr_policy *policy, const struct s2attr_input *in)
{
	struct s2attr_output out;
	int verdict = s2attr_decide(policy, in, &out);

	json_open('{');
	json_output(in, verdict, &out);
	json_close();
}

/* ---- matrix ---------------------------------------------------------------- */

/* "map,normal,1,0,0" or "EFAULT,-,-,-,-" - the outcome columns of the matrix. */
static void outcome_csv(const struct s2attr_input *in, int verdict,
			const struct s2attr_output *out, char *buf, size_t len)
{
	if (verdict || in->stage == S2ATTR_STAGE_MEMSLOT)
		snprintf(buf, len, "%s,-,-,-,-", verdict_name(verdict));
	else
		snprintf(buf, len, "map,%s,%d,%d,%d", memattr_names[out->memattr],
			 out->exec, out->wp_read, out->sanitise_mte);
}

int cmd_matrix(const struct s2attr_policy *policy)
{
	struct s2attr_input in;
	struct s2attr_output out;
	unsigned int stage, c;
	char outcome[64];
	u32 n;
	int verdict;

	if (format == FORMAT_JSON) {
		json_open('{');
		json_kstr("policy", s2attr_policy_name(policy));
		json_key("rows");
		json_open('[');
	} else {
		for (c = 0; c < NR_COLUMNS; c++)
			printf("%s,", columns[c].name);
		printf("verdict,memattr,exec,wp_read,sanitise_mte,rule\n");
	}
	for (stage = 0; stage < S2ATTR_NR_STAGES; stage++) {
		for (n = 0; n < stage_inputs[stage]; n++) {
			s2attr_input_nth(stage, n, &in);
			verdict = s2attr_decide(policy, &in, &out);
			if (format == FORMAT_JSON) {
				json_open('{');
				json_key("input");
				json_input(&in);
				json_output(&in, verdict, &out);
				json_close();
				continue;
			}
			for (c = 0; c < NR_COLUMNS; c++)
				printf("%s,", column_value(&columns[c], &in));
			outcome_csv(&in, verdict, &out, outcome, sizeof(outcome));
			printf("%s,%s\n", outcome, s2attr_rule_name(out.rule));
		}
	}
	if (format == FORMAT_JSON) {
		json_close();
		json_close();
	}
	return EXIT_OK;
}

static int cmd_policies(void)
{
	unsigned int p;

	if (format == FORMAT_JSON) {
		json_open('{');
		json_key("policies");
		json_open('[');
	}
	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		if (format == FORMAT_JSON)
			json_str(s2attr_policy_name(s2attr_policy(p)));
		else
			printf("%s\n", s2attr_policy_name(s2attr_policy(p)));
	}
	if (format == FORMAT_JSON) {
		json_close();
		json_close();
	}
	return EXIT_OK;
}

/* ---- the commands and their help ----------------------------------------- */

enum {
	O_FORMAT = BIT(0), O_POLICY = BIT(1), O_PRESET = BIT(2), O_HOST = BIT(3),
	O_TRACE = BIT(4), O_VMA = BIT(5), O_PTE = BIT(6), O_GRANTS = BIT(7),
};

#define F(fmt)	BIT(FORMAT_##fmt)

static const char *const format_names[] = {
	[FORMAT_TEXT] = "text", [FORMAT_RST] = "rst", [FORMAT_JSON] = "json", [FORMAT_CSV] = "csv",
};

static const char *const format_aliases[] = {
	"txt", "text", "plain", "text", "restructuredtext", "rst", "rest", "rst", NULL,
};

static const struct vocab format_vocab = {
	"format", format_names, sizeof(format_names[0]), ARRAY_SIZE(format_names), format_aliases
};

/*
 * struct command - A command of the tool.
 * @name: its name.
 * @synopsis: its arguments, for the help (each '\n' starts another form).
 * @summary: one line.
 * @help: more, for `s2attr NAME --help`; wrapped to the terminal's 80 columns.
 * @opts: the O_* it takes.
 * @formats: the F() it prints.
 * @dflt: the format it prints without --format.
 */
struct command {
	const char *name;
	const char *synopsis;
	const char *summary;
	const char *help;
	unsigned int opts;
	unsigned int formats;
	enum format dflt;
};

/* More about explain, for `s2attr explain --help`. */
static const char explain_help[] =
	"One input, given as KEY=VALUE words (every key of the stage; see below), "
	"decided under the policy NAME, or under every policy side by side "
	"(--policy all: a column per policy). --preset KIND gives the keys of a kind "
	"of memory and --host CPU those of a host; then stage=fault kvm_mte=0 "
	"log_dirty=0 access=read perm=0 unless given, and a KEY=VALUE word overrides "
	"the preset, the host and these defaults. All the missing keys are named at "
	"once.\n"
	"The text output is KEY=VALUE lines: policy=, input=, preset=, host=, "
	"defaults= (what they gave), verdict=, memattr=, exec=, wp_read=, "
	"sanitise_mte= ('-' when nothing is mapped), rule=, row=, reason=, upstream=, "
	"because= (the conditions of the row that decided and, for each row before "
	"it that failed on one condition only, that condition and what the row would "
	"have done), tried.N= (each row tried and what failed in it), grants= and "
	"grant.NAME= (each grant of a mapped fault: yes or no, and why). JSON: "
	"{\"input\", \"preset\", \"host\", \"from\", \"decisions\": [{\"policy\", "
	"\"verdict\", ..., \"because\", \"tried\", \"grants\"}]}.\n"
	"--trace LINE (repeatable), --trace-file FILE and --trace - (standard input) "
	"take kernel trace lines of the kvm_s2attr_policy and kvm_s2attr_decide "
	"events; lines of other events are skipped in a file. Each decide line is "
	"explained under the policy of the last kvm_s2attr_policy line of its vm "
	"before it (--policy NAME for a vm without one), and the tool's decision is "
	"compared with the line's verdict, rule and, at the fault stage, memattr, "
	"exec, wp_read and sanitise_mte: trace=match, or trace=MISMATCH and exit "
	"status 1.";

enum {
	CMD_MATRIX, CMD_EXPLAIN, CMD_DIFF, CMD_PTEDIFF, CMD_CHECK, CMD_TABLE, CMD_RULES,
	CMD_POLICIES, CMD_HELP, NR_COMMANDS
};

static const struct command commands[NR_COMMANDS] = {
	[CMD_MATRIX] = { "matrix", "--policy NAME | --format=json [--policy NAME]",
		"every input and its outcome, CSV (SPEC section 6)",
		"One row per input: the memslot stage (4,096 rows) then the fault stage "
		"(49,152), header first; bools are 0 or 1, '-' where a column does not apply. "
		"JSON: {\"policy\", \"rows\": [{\"input\": {KEY: value or null}, \"verdict\", "
		"\"memattr\", \"exec\", \"wp_read\", \"sanitise_mte\", \"rule\"}]}; without "
		"--policy, a JSON array of that for every policy.",
		O_FORMAT | O_POLICY, F(CSV) | F(JSON), FORMAT_CSV },
	[CMD_EXPLAIN] = { "explain",
		"--policy NAME|all [--preset KIND] [--host CPU] [KEY=VALUE...]\n"
		"[--policy NAME] --trace LINE... | --trace-file FILE | --trace -",
		"one decision: outcome, rule, why; or kernel trace lines, checked",
		explain_help, O_FORMAT | O_POLICY | O_PRESET | O_HOST | O_TRACE, F(TEXT) | F(JSON),
		FORMAT_TEXT },
	[CMD_DIFF] = { "diff", "FROM TO", "where two policies differ, grouped",
		"Every input whose outcome (verdict, and for a mapped fault memattr, exec, "
		"wp_read, sanitise_mte) differs between the policies FROM and TO, grouped by "
		"the change of outcome and, in a group, into sets of inputs; the text output "
		"starts with a legend of the notation. JSON: {\"from\", \"to\", \"groups\": "
		"[{\"stage\", \"inputs\", \"from\": OUTCOME, \"to\": OUTCOME, \"sets\": "
		"[{KEY: [values]}]}], \"inputs\"}.",
		O_FORMAT, F(TEXT) | F(RST) | F(JSON), FORMAT_TEXT },
	[CMD_PTEDIFF] = { "ptediff", "--policy NAME --vma MEMTYPE --pte MEMTYPE",
		"what the PTE's stage-1 type changes, grouped",
		"The fault inputs of VM_PFNMAP or VM_MIXEDMAP VMAs with memtype=--pte whose "
		"outcome differs from that of the same input with memtype=--vma: what taking "
		"the stage-1 type from the host PTE (this series) instead of vm_page_prot "
		"(upstream) changes, e.g. for TTM VRAM --vma normal --pte nc. Printed like "
		"diff; JSON: {\"policy\", \"vma\", \"pte\", \"groups\", \"inputs\"}.",
		O_FORMAT | O_POLICY | O_VMA | O_PTE, F(TEXT) | F(RST) | F(JSON), FORMAT_TEXT },
	[CMD_CHECK] = { "check", "[--policy NAME]", "totality, dead rows and grants",
		"Decides every input of each policy (or of NAME) and checks each against the "
		"tool's reading of the tables; prints how many inputs each row decides and "
		"each grant applies to. Exit status 1 when a table is not total or a row or "
		"grant decides nothing (DEAD).",
		O_FORMAT | O_POLICY, F(TEXT) | F(JSON), FORMAT_TEXT },
	[CMD_TABLE] = { "table", "[--policy NAME | --grants]",
		"the tables as a reviewer reads them",
		"Each policy's rows at each stage, in the order they are tried (the first "
		"that holds decides), then the grants of a mapped fault. rst is what "
		"Documentation/virt/kvm/arm/s2attr.rst holds (dev/gen-docs.py).",
		O_FORMAT | O_POLICY | O_GRANTS, F(TEXT) | F(RST) | F(JSON), FORMAT_TEXT },
	[CMD_RULES] = { "rules", "", "every rule and grant: reason, upstream reference",
		NULL, O_FORMAT, F(TEXT) | F(RST) | F(JSON), FORMAT_TEXT },
	[CMD_POLICIES] = { "policies", "", "the policy names", NULL, O_FORMAT,
		F(TEXT) | F(JSON), FORMAT_TEXT },
	[CMD_HELP] = { "help", "[COMMAND]", "this help, or more about COMMAND", NULL, 0,
		F(TEXT), FORMAT_TEXT },
};


/* Print @text wrapped to 79 columns, each paragraph ('\n') starting with @first. */
static void help_wrap(const char *first, const char *cont, const char *text)
{
	char para[2048];
	const char *nl;

	while (*text) {
		nl = strchr(text, '\n');
		snprintf(para, sizeof(para), "%.*s", nl ? (int)(nl - text) : (int)strlen(text),
			 text);
		text_wrap(first, cont, para, 79);
		text = nl ? nl + 1 : text + strlen(text);
	}
}

/* The forms of @c, the first after @lead, the others after as many blanks. */
static void print_synopsis(const struct command *c, const char *lead)
{
	const char *s = c->synopsis, *nl;
	int indent = strlen(lead);

	do {
		nl = strchr(s, '\n');
		printf("%-*s%s %s%s%.*s\n", indent, lead, prog, c->name, *s ? " " : "",
		       nl ? (int)(nl - s) : (int)strlen(s), s);
		lead = "";
		s = nl + 1;
	} while (nl);
}

#define HELP_INDENT	"                              "	/* 30 columns */

static void print_keys(void)
{
	char dom[128], head[160], what[256];
	unsigned int c, i;

	printf("\nThe keys of explain (KEY=VALUE; SPEC section 2):\n");
	for (c = 0; c < NR_COLUMNS; c++) {
		vocab_join(column_vocab(&columns[c]), "|", dom, sizeof(dom));
		snprintf(head, sizeof(head), "  %s=%s", columns[c].name, dom);
		snprintf(what, sizeof(what), "%s%s",
			 columns[c].only_stage < 0 ? "" : "fault only: ", columns[c].what);
		if (strlen(head) >= strlen(HELP_INDENT)) {
			printf("%s\n", head);
			snprintf(head, sizeof(head), "%s", HELP_INDENT);
		} else {
			snprintf(head + strlen(head), sizeof(head) - strlen(head), "%*s",
				 (int)(strlen(HELP_INDENT) - strlen(head)), "");
		}
		text_wrap(head, HELP_INDENT, what, 79);
	}
	printf("\nPresets (--preset KIND: pfnmap mixedmap cow allow_any_uc mte_allowed memtype\n"
	       "map_memory):\n");
	for (i = 0; i < NR_PRESETS; i++) {
		snprintf(head, sizeof(head), "  %-12s", presets[i].name);
		text_wrap(head, "              ", presets[i].what, 79);
	}
	printf("\nHosts (--host CPU: fwb dic; kvm_mte=1 needs MTE):\n");
	for (i = 0; i < NR_HOSTS; i++) {
		snprintf(head, sizeof(head), "  %-12s", hosts[i].name);
		text_wrap(head, "              ", hosts[i].what, 79);
	}
	printf("\nWith --preset, unless given: stage=fault kvm_mte=0 log_dirty=0 access=read\n"
	       "perm=0. A KEY=VALUE word overrides the preset, the host and these defaults.\n");
}

static void print_formats(const struct command *c)
{
	unsigned int f, n = 0;

	printf("\n--format=");
	for (f = 0; f < ARRAY_SIZE(format_names); f++) {
		if (c->formats & BIT(f))
			printf("%s%s%s", n++ ? "|" : "", format_names[f],
			       f == c->dflt ? " (default)" : "");
	}
	printf("\n");
}

static void print_exit_statuses(void)
{
	printf("\nExit status:\n"
	       "  0  done (explain: whatever the verdict)\n"
	       "  1  check: a table is not total, or a row or grant is dead;\n"
	       "     explain --trace: a decision does not match its trace line (MISMATCH)\n"
	       "  2  usage: an unknown command, option, key or value, a missing key, a\n"
	       "     malformed trace line or one whose vm has no policy\n"
	       "  3  I/O: a trace file cannot be read, or the output cannot be written\n"
	       "  4  internal: the engine and the tool's reading of the tables disagree\n");
}

static void help(const struct command *cmd)
{
	char words[128];
	unsigned int i;

	if (cmd) {
		print_synopsis(cmd, "usage: ");
		printf("\n");
		help_wrap("", "", cmd->summary);
		if (cmd->help)
			help_wrap("\n", "", cmd->help);
		if (cmd->formats != F(TEXT))
			print_formats(cmd);
		if (cmd == &commands[CMD_EXPLAIN])
			print_keys();
		if (cmd == &commands[CMD_PTEDIFF]) {
			vocab_join(&memtype_vocab, "|", words, sizeof(words));
			printf("\nMEMTYPE: %s\n", words);
		}
		print_exit_statuses();
		return;
	}
	printf("usage: %s COMMAND [OPTION...] [ARGUMENT...]\n\n"
	       "The stage-2 memory attribute policies of KVM/arm64, built from the kernel's\n"
	       "own sources (arch/arm64/kvm/s2attr/): what it prints is what KVM decides.\n\n"
	       "Commands:\n", prog);
	for (i = 0; i < NR_COMMANDS; i++) {
		print_synopsis(&commands[i], "  ");
		printf("      %s\n", commands[i].summary);
	}
	printf("\nOptions, anywhere on the line (--opt VALUE or --opt=VALUE; -- ends them):\n"
	       "  --format=F   text (the default), csv (matrix, its default), rst (diff,\n"
	       "               ptediff, table, rules) or json (every command but help)\n"
	       "  --policy     a policy: %s", s2attr_policy_name(s2attr_policy(0)));
	for (i = 1; i < S2ATTR_NR_POLICIES; i++)
		printf(", %s", s2attr_policy_name(s2attr_policy(i)));
	printf("\n  -h, --help   this help; with a command, more about it\n"
	       "  --version    the version: that of the patch series the tool ships in\n"
	       "  The others (--preset, --host, --trace, --trace-file, --vma, --pte, --grants)\n"
	       "  are in the forms of the commands above; s2attr COMMAND --help says more.\n");
	print_keys();
	print_exit_statuses();
}

/* ---- the command line ------------------------------------------------------ */

enum {
	OPT_VERSION = 256, OPT_FORMAT, OPT_POLICY, OPT_PRESET, OPT_HOST, OPT_TRACE,
	OPT_TRACE_FILE, OPT_VMA, OPT_PTE, OPT_GRANTS
};

static const struct option long_options[] = {
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "policy",	required_argument,	NULL, OPT_POLICY },
	{ "preset",	required_argument,	NULL, OPT_PRESET },
	{ "host",	required_argument,	NULL, OPT_HOST },
	{ "trace",	required_argument,	NULL, OPT_TRACE },
	{ "trace-file",	required_argument,	NULL, OPT_TRACE_FILE },
	{ "vma",	required_argument,	NULL, OPT_VMA },
	{ "pte",	required_argument,	NULL, OPT_PTE },
	{ "grants",	no_argument,		NULL, OPT_GRANTS },
	{ NULL, 0, NULL, 0 },
};

/* The O_* of each option, for "COMMAND does not take --OPTION". */
static unsigned int option_bit(int opt)
{
	switch (opt) {
	case OPT_FORMAT:
		return O_FORMAT;
	case OPT_POLICY:
		return O_POLICY;
	case OPT_PRESET:
		return O_PRESET;
	case OPT_HOST:
		return O_HOST;
	case OPT_TRACE:
	case OPT_TRACE_FILE:
		return O_TRACE;
	case OPT_VMA:
		return O_VMA;
	case OPT_PTE:
		return O_PTE;
	case OPT_GRANTS:
		return O_GRANTS;
	default:
		return 0;
	}
}

struct cmdline {
	const char *policy, *preset, *host, *vma, *pte, *format;
	bool grants, help, version;
	unsigned int given;			/* O_* */
	const char *given_as[8];		/* per O_* bit: the option's name */
	int nr_words;
	char **words;				/* the command, then its arguments */
	unsigned int nr_traces;
	const char **traces;
	bool *trace_is_file;
};

/* Sets *@slot to @value for option @opt; each may be given once. */
static void set_once(const char **slot, const char *value, const char *opt)
{
	if (*slot)
		usage_error("%s given twice", opt);
	*slot = value;
}

static void parse_cmdline(int argc, char **argv, struct cmdline *cl)
{
	const char *opt;
	int c, i, li;

	memset(cl, 0, sizeof(*cl));
	cl->words = calloc(argc + 1, sizeof(*cl->words));
	cl->traces = calloc(argc + 1, sizeof(*cl->traces));
	cl->trace_is_file = calloc(argc + 1, sizeof(*cl->trace_is_file));
	if (!cl->words || !cl->traces || !cl->trace_is_file)
		internal_error("out of memory");
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-:h", long_options, &li)) != -1) {
		opt = argv[optind - 1];
		if (option_bit(c)) {
			cl->given |= option_bit(c);
			cl->given_as[__builtin_ctz(option_bit(c))] = long_options[li].name;
		}
		switch (c) {
		case 1:
			cl->words[cl->nr_words++] = optarg;
			break;
		case 'h':
			cl->help = true;
			break;
		case OPT_VERSION:
			cl->version = true;
			break;
		case OPT_FORMAT:
			set_once(&cl->format, optarg, "--format");
			break;
		case OPT_POLICY:
			set_once(&cl->policy, optarg, "--policy");
			break;
		case OPT_PRESET:
			set_once(&cl->preset, optarg, "--preset");
			break;
		case OPT_HOST:
			set_once(&cl->host, optarg, "--host");
			break;
		case OPT_VMA:
			set_once(&cl->vma, optarg, "--vma");
			break;
		case OPT_PTE:
			set_once(&cl->pte, optarg, "--pte");
			break;
		case OPT_GRANTS:
			cl->grants = true;
			break;
		case OPT_TRACE:
		case OPT_TRACE_FILE:
			cl->trace_is_file[cl->nr_traces] = c == OPT_TRACE_FILE ||
							   !strcmp(optarg, "-");
			cl->traces[cl->nr_traces++] = optarg;
			break;
		case ':':
			usage_error("%s needs a value (%s --help)", opt, prog);
		default:
			if (optopt)
				usage_error("unknown option '-%c' (%s --help)", optopt, prog);
			usage_error("unknown option '%s' (%s --help)", opt, prog);
		}
	}
	for (i = optind; i < argc; i++)
		cl->words[cl->nr_words++] = argv[i];
}

static const struct s2attr_policy *policy_arg(const char *name)
{
	char head[96], err[512];
	int p = vocab_find(&policy_vocab, name);

	if (p >= 0)
		return s2attr_policy(p);
	snprintf(head, sizeof(head), "unknown policy '%.40s'", name);
	usage_error("%s", vocab_error(&policy_vocab, head, name, err, sizeof(err)));
}

static u8 memtype_arg(const char *opt, const char *name)
{
	char head[96], err[512];
	int v = vocab_find(&memtype_vocab, name);

	if (v >= 0)
		return v;
	snprintf(head, sizeof(head), "%s %.40s", opt, name);
	usage_error("%s", vocab_error(&memtype_vocab, head, name, err, sizeof(err)));
}

static const struct command *command_arg(const char *name)
{
	static const struct vocab command_vocab = {
		"command", commands, sizeof(commands[0]), NR_COMMANDS, NULL
	};
	char head[96], err[512];
	int c = vocab_find(&command_vocab, name);

	if (c >= 0)
		return &commands[c];
	snprintf(head, sizeof(head), "unknown command '%.40s'", name);
	usage_error("%s", vocab_error(&command_vocab, head, name, err, sizeof(err)));
}

/* The output format @cl asks of @cmd. */
static enum format format_arg(const struct cmdline *cl, const struct command *cmd)
{
	char head[96], err[512], known[64] = "";
	unsigned int f;
	int v;

	if (!cl->format)
		return cmd->dflt;
	v = vocab_find(&format_vocab, cl->format);
	if (v < 0) {
		snprintf(head, sizeof(head), "unknown format '%.40s'", cl->format);
		usage_error("%s", vocab_error(&format_vocab, head, cl->format, err, sizeof(err)));
	}
	if (cmd->formats & BIT(v))
		return v;
	for (f = 0; f < ARRAY_SIZE(format_names); f++) {
		if (cmd->formats & BIT(f))
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
				 known[0] ? " or " : "", format_names[f]);
	}
	usage_error("--format=%s: %s prints %s", format_names[v], cmd->name, known);
}

/* Exactly @n arguments after @cmd, else "@cmd takes @what". */
static void want_args(const struct cmdline *cl, const struct command *cmd, int n,
		      const char *what)
{
	if (cl->nr_words - 1 > n)
		usage_error("%s takes %s, not '%s'", cmd->name, what, cl->words[n + 1]);
	if (cl->nr_words - 1 < n)
		usage_error("%s takes %s", cmd->name, what);
}

static int run(const struct cmdline *cl)
{
	const struct command *cmd = cl->nr_words ? command_arg(cl->words[0]) : NULL;
	struct explain_args ea = { 0 };
	unsigned int o;

	if (cl->version) {
		printf("%s %s\n", prog, S2ATTR_VERSION);
		return EXIT_OK;
	}
	if (cmd == &commands[CMD_HELP]) {
		if (cl->nr_words > 2)
			usage_error("help takes one command at most");
		cmd = cl->nr_words == 2 ? command_arg(cl->words[1]) : cl->help ? cmd : NULL;
		help(cmd);
		return EXIT_OK;
	}
	if (cl->help) {
		help(cmd);
		return EXIT_OK;
	}
	if (!cmd) {
		fprintf(stderr, "usage: %s COMMAND [OPTION...] [ARGUMENT...]; %s --help for "
			"the commands\n", prog, prog);
		return EXIT_USAGE;
	}
	for (o = 0; o < 8; o++) {
		if ((cl->given & BIT(o)) && !(cmd->opts & BIT(o)))
			usage_error("%s does not take --%s (%s %s --help)", cmd->name,
				    cl->given_as[o], prog, cmd->name);
	}
	format = format_arg(cl, cmd);

	switch (cmd - commands) {
	case CMD_MATRIX:
		want_args(cl, cmd, 0, "no argument but --policy and --format");
		if (!cl->policy && format == FORMAT_JSON) {
			/* JSON names the policy of each matrix: all of them. */
			unsigned int id;

			json_open('[');
			for (id = 0; id < S2ATTR_NR_POLICIES; id++)
				cmd_matrix(s2attr_policy(id));
			json_close();
			return EXIT_OK;
		}
		if (!cl->policy)
			usage_error("matrix needs --policy NAME (or --format=json: every policy)");
		return cmd_matrix(policy_arg(cl->policy));
	case CMD_EXPLAIN:
		ea.argc = cl->nr_words - 1;
		ea.argv = cl->words + 1;
		ea.preset = cl->preset;
		ea.host = cl->host;
		ea.nr_traces = cl->nr_traces;
		ea.traces = cl->traces;
		ea.trace_is_file = cl->trace_is_file;
		if (cl->policy && strcmp(cl->policy, "all"))
			ea.policy = policy_arg(cl->policy);
		else if (cl->nr_traces && cl->policy)
			usage_error("explain --trace: --policy all: a trace line has one policy");
		else if (!cl->nr_traces && !cl->policy)
			usage_error("explain needs --policy NAME or --policy all");
		return cmd_explain(&ea);
	case CMD_DIFF:
		want_args(cl, cmd, 2, "two policy names: diff FROM TO");
		return cmd_diff(policy_arg(cl->words[1]), policy_arg(cl->words[2]));
	case CMD_PTEDIFF:
		if (cl->nr_words > 1)
			usage_error("ptediff: unknown argument '%s'", cl->words[1]);
		if (!cl->policy || !cl->vma || !cl->pte)
			usage_error("ptediff needs --policy NAME --vma MEMTYPE --pte MEMTYPE");
		return cmd_ptediff(policy_arg(cl->policy), memtype_arg("--vma", cl->vma),
				   memtype_arg("--pte", cl->pte));
	case CMD_CHECK:
		want_args(cl, cmd, 0, "no argument but --policy and --format");
		return cmd_check(cl->policy ? policy_arg(cl->policy) : NULL);
	case CMD_TABLE:
		want_args(cl, cmd, 0, "no argument but --policy NAME or --grants");
		if (cl->grants && cl->policy)
			usage_error("table takes --policy NAME or --grants, not both");
		return cmd_table(cl->policy ? policy_arg(cl->policy) : NULL, cl->grants);
	case CMD_RULES:
		want_args(cl, cmd, 0, "no argument but --format");
		return cmd_rules();
	default:
		want_args(cl, cmd, 0, "no argument but --format");
		return cmd_policies();
	}
}

int main(int argc, char **argv)
{
	struct cmdline cl;
	int ret, err = 0;

	self_check();
	parse_cmdline(argc, argv, &cl);
	ret = run(&cl);
	free(cl.words);
	free(cl.traces);
	free(cl.trace_is_file);

	/* Every command: what could not be written is an error. */
	errno = 0;
	if (fflush(stdout) == EOF)
		err = errno ? errno : EIO;
	if (err || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the output: %s\n", prog,
			err ? strerror(err) : "a write failed");
		return EXIT_IO;
	}
	return ret;
}
