// SPDX-License-Identifier: GPL-2.0-only
/*
 * The input columns of the s2attr tool and the parser of the "explain"
 * key=value words. The parser reports a problem as a message instead of
 * exiting, so that tools/kvm/s2attr/fuzz/ can run it in a loop.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>

#include "input.h"

const char *const memtype_names[S2ATTR_NR_MEMTYPES] = {
	"normal", "tagged", "nc", "nGnRnE", "nGnRE", "attr5", "attr6", "attr7",
};

const char *const access_names[S2ATTR_NR_ACCESSES] = { "read", "write", "exec" };

const char *const stage_names[S2ATTR_NR_STAGES] = { "memslot", "fault" };

const struct column columns[] = {
	{ "stage",	  COL_STAGE,   0,			-1 },
	{ "pfnmap",	  COL_FLAG,    S2ATTR_IN_PFNMAP,	-1 },
	{ "mixedmap",	  COL_FLAG,    S2ATTR_IN_MIXEDMAP,	-1 },
	{ "cow",	  COL_FLAG,    S2ATTR_IN_COW,		-1 },
	{ "allow_any_uc", COL_FLAG,    S2ATTR_IN_ALLOW_ANY_UC,	-1 },
	{ "mte_allowed",  COL_FLAG,    S2ATTR_IN_MTE_ALLOWED,	-1 },
	{ "memtype",	  COL_MEMTYPE, 0,			-1 },
	{ "kvm_mte",	  COL_FLAG,    S2ATTR_IN_KVM_MTE,	-1 },
	{ "fwb",	  COL_FLAG,    S2ATTR_IN_FWB,		-1 },
	{ "dic",	  COL_FLAG,    S2ATTR_IN_DIC,		-1 },
	{ "log_dirty",	  COL_FLAG,    S2ATTR_IN_LOG_DIRTY,	-1 },
	{ "map_memory",	  COL_FLAG,    S2ATTR_IN_MAP_MEMORY,	S2ATTR_STAGE_FAULT },
	{ "access",	  COL_ACCESS,  0,			S2ATTR_STAGE_FAULT },
	{ "perm",	  COL_FLAG,    S2ATTR_IN_PERM,		S2ATTR_STAGE_FAULT },
};

_Static_assert(ARRAY_SIZE(columns) == NR_COLUMNS, "NR_COLUMNS must match columns[]");

bool column_applies(const struct column *c, unsigned int stage)
{
	return c->only_stage < 0 || (unsigned int)c->only_stage == stage;
}

/* Formats the message into @err and returns it. */
static __attribute__((format(printf, 3, 4)))
const char *fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return "";
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return err;
}

static int lookup(const char *const *names, int n, const char *word)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], word))
			return i;
	}
	return -1;
}

static void join_names(const char *const *names, int n, char *buf, size_t len)
{
	int i;

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		strncat(buf, i ? ", " : "", len - strlen(buf) - 1);
		strncat(buf, names[i], len - strlen(buf) - 1);
	}
}

const char *parse_input(int argc, char *const argv[], struct s2attr_input *in,
			char *err, size_t len)
{
	bool given[NR_COLUMNS] = { false };
	char known[256];
	unsigned int c;
	int i, v;

	memset(in, 0, sizeof(*in));
	in->stage = S2ATTR_NR_STAGES;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq = strchr(arg, '=');
		const char *val;
		int klen;

		if (!eq)
			return fail(err, len, "'%s': expected key=value", arg);
		klen = eq - arg;
		val = eq + 1;
		for (c = 0; c < NR_COLUMNS; c++) {
			if (!strncmp(columns[c].name, arg, klen) && !columns[c].name[klen])
				break;
		}
		if (c == NR_COLUMNS)
			return fail(err, len, "unknown key '%.*s'", klen, arg);
		if (given[c])
			return fail(err, len, "key '%.*s' given twice", klen, arg);
		given[c] = true;

		switch (columns[c].kind) {
		case COL_STAGE:
			v = lookup(stage_names, S2ATTR_NR_STAGES, val);
			if (v < 0)
				return fail(err, len, "stage=%s: expected memslot or fault", val);
			in->stage = v;
			break;
		case COL_MEMTYPE:
			v = lookup(memtype_names, S2ATTR_NR_MEMTYPES, val);
			if (v < 0) {
				join_names(memtype_names, S2ATTR_NR_MEMTYPES, known,
					   sizeof(known));
				return fail(err, len, "memtype=%s: expected one of %s", val,
					    known);
			}
			in->memtype = v;
			break;
		case COL_ACCESS:
			v = lookup(access_names, S2ATTR_NR_ACCESSES, val);
			if (v < 0)
				return fail(err, len, "access=%s: expected read, write or exec",
					    val);
			in->access = v;
			break;
		default:
			if (!strcmp(val, "1"))
				in->flags |= columns[c].flag;
			else if (strcmp(val, "0"))
				return fail(err, len, "%.*s=%s: expected 0 or 1", klen, arg, val);
		}
	}

	if (!given[0])
		return fail(err, len, "missing key 'stage' (memslot or fault)");
	for (c = 0; c < NR_COLUMNS; c++) {
		bool applies = column_applies(&columns[c], in->stage);

		if (applies && !given[c])
			return fail(err, len, "missing key '%s' for the %s stage", columns[c].name,
				    stage_names[in->stage]);
		if (!applies && given[c])
			return fail(err, len, "key '%s' does not apply to the %s stage",
				    columns[c].name, stage_names[in->stage]);
	}
	return NULL;
}
