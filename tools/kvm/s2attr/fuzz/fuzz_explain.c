// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness: the key=value parser of `s2attr explain`,
 * parse_input() of tools/kvm/s2attr/input.c.
 *
 * The bytes are split at '\n' and '\0' into the words of argv, so a seed
 * reads like the command line, one word a line:
 *	stage=fault
 *	pfnmap=1
 *	...
 * A word "--preset=KIND" or "--host=CPU" is taken out of argv and passed as
 * the preset or host name (the last one wins), so that the presets, the
 * hosts and their error messages are fuzzed too.
 * The harness aborts when
 *   - the parser writes to argv, or reports an error with an empty message,
 *     or a truncated message that is not a prefix of the full one;
 *   - without a preset or host it accepts words that do not name each key
 *     of the stage exactly once; with them, more words than that;
 *   - it gives an input outside its domain, or one with a flag the stage
 *     does not take, or says a key came from nowhere, or accepts kvm_mte=1
 *     on a host without MTE;
 *   - a key=value word it accepted is not the value of the input (a word
 *     overrides the preset and the host);
 *   - the input it accepted, printed back as key=value words, does not parse
 *     to the same input, with the same preset and host or without them;
 *   - a shipped policy does not decide that input with a real rule.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kvm/s2attr.h>

#include "../input.h"

#define MAX_WORDS	64

#define FUZZ_CHECK(cond)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "fuzz_explain: line %d: %s does not hold\n", \
				__LINE__, #cond);				\
			abort();						\
		}								\
	} while (0)

/* The words of @in, key=value, in column order, into @buf; @argv points in. */
static int print_input(const struct s2attr_input *in, char *buf, size_t len, char **argv)
{
	unsigned int c;
	int argc = 0, n;

	for (c = 0; c < NR_COLUMNS; c++) {
		if (!column_applies(&columns[c], in->stage))
			continue;
		n = snprintf(buf, len, "%s=%s", columns[c].name, column_value(&columns[c], in));
		FUZZ_CHECK(n > 0 && (size_t)n < len);
		argv[argc++] = buf;
		buf += n + 1;
		len -= n + 1;
	}
	return argc;
}

static void check_decisions(const struct s2attr_input *in)
{
	struct s2attr_output out;
	unsigned int p;
	int v;

	for (p = 0; p < S2ATTR_NR_POLICIES; p++) {
		v = s2attr_decide(s2attr_policy(p), in, &out);
		FUZZ_CHECK(v == 0 || v == -EINVAL || v == -EFAULT || v == -ENOEXEC);
		FUZZ_CHECK(out.rule < S2ATTR_NR_RULES);
		FUZZ_CHECK(out.rule != S2ATTR_RULE_bad_input && out.rule != S2ATTR_RULE_no_rule);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS], *again_argv[NR_COLUMNS];
	char err[1024], small[8], text[512];
	const char *msg, *msg2, *preset = NULL, *host = NULL;
	struct s2attr_input in, again;
	struct input_src src;
	char *buf, *copy;
	int argc = 0, n, k;
	size_t i, start;
	unsigned int c;
	u32 stage_flags;

	buf = malloc(size + 1);
	copy = malloc(size + 1);
	if (!buf || !copy)
		abort();
	memcpy(buf, data, size);
	buf[size] = 0;
	for (i = 0, start = 0; i <= size && argc < MAX_WORDS; i++) {
		if (i < size && buf[i] != '\n' && buf[i])
			continue;
		/* The end of the data ends a word only if one has begun. */
		if (i == size && start == size)
			break;
		buf[i] = 0;
		if (!strncmp(buf + start, "--preset=", 9))
			preset = buf + start + 9;
		else if (!strncmp(buf + start, "--host=", 7))
			host = buf + start + 7;
		else
			argv[argc++] = buf + start;
		start = i + 1;
	}
	memcpy(copy, buf, size + 1);

	msg = parse_input(argc, argv, preset, host, &in, &src, err, sizeof(err));
	FUZZ_CHECK(!memcmp(copy, buf, size + 1));
	if (msg) {
		FUZZ_CHECK(msg == err && err[0] && strlen(err) < sizeof(err) - 1);
		/* A shorter buffer holds a prefix of the same message. */
		msg2 = parse_input(argc, argv, preset, host, &again, NULL, small, sizeof(small));
		FUZZ_CHECK(msg2 == small && strlen(small) < sizeof(small));
		FUZZ_CHECK(!strncmp(small, err, strlen(small)));
		FUZZ_CHECK(parse_input(argc, argv, preset, host, &again, NULL, NULL, 0));
		goto out;
	}

	FUZZ_CHECK(in.stage < S2ATTR_NR_STAGES);
	FUZZ_CHECK(in.memtype < S2ATTR_NR_MEMTYPES);
	FUZZ_CHECK(in.access < S2ATTR_NR_ACCESSES);
	stage_flags = in.stage == S2ATTR_STAGE_FAULT ? S2ATTR_IN_FAULT_FLAGS :
						       S2ATTR_IN_MEMSLOT_FLAGS;
	FUZZ_CHECK(!(in.flags & ~stage_flags));
	if (in.stage == S2ATTR_STAGE_MEMSLOT)
		FUZZ_CHECK(in.access == S2ATTR_ACCESS_READ);

	/* Each key of the stage exactly once, or fewer with a preset or host. */
	for (c = 0, n = 0; c < NR_COLUMNS; c++) {
		if (!column_applies(&columns[c], in.stage))
			continue;
		n++;
		FUZZ_CHECK(src.src[c] != SRC_MISSING);
		FUZZ_CHECK(src.src[c] != SRC_PRESET || src.preset);
		FUZZ_CHECK(src.src[c] != SRC_HOST || src.host);
	}
	FUZZ_CHECK(preset || host ? argc <= n : argc == n);
	FUZZ_CHECK(!src.host || src.host->mte || !(in.flags & S2ATTR_IN_KVM_MTE));

	/* A word is what the input says. */
	for (k = 0; k < argc; k++) {
		const char *eq = strchr(argv[k], '=');

		for (c = 0; c < NR_COLUMNS; c++) {
			if (!strncmp(columns[c].name, argv[k], eq - argv[k]) &&
			    !columns[c].name[eq - argv[k]])
				break;
		}
		FUZZ_CHECK(c < NR_COLUMNS && !strcmp(column_value(&columns[c], &in), eq + 1));
	}

	/* Printed back, the input parses to itself, whatever preset and host. */
	n = print_input(&in, text, sizeof(text), again_argv);
	FUZZ_CHECK(!parse_input(n, again_argv, NULL, NULL, &again, NULL, err, sizeof(err)));
	FUZZ_CHECK(again.flags == in.flags && again.stage == in.stage &&
		   again.memtype == in.memtype && again.access == in.access);
	FUZZ_CHECK(!parse_input(n, again_argv, preset, host, &again, NULL, err, sizeof(err)));
	FUZZ_CHECK(again.flags == in.flags && again.stage == in.stage &&
		   again.memtype == in.memtype && again.access == in.access);

	check_decisions(&in);
out:
	free(copy);
	free(buf);
	return 0;
}
