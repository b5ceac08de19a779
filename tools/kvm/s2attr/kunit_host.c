// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host runner for KUnit suites built against include/kunit/test.h of this
 * directory: runs every case (every parameter of a parameterised case),
 * prints KTAP like the kernel does and a closing "N passed, N failed".
 * Usage: s2attr-kunit-host [SUITE_OR_CASE_SUBSTRING]
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kunit/test.h>

#define KUNIT_HOST_MAX_SUITES	8

static struct kunit_suite *suites[KUNIT_HOST_MAX_SUITES];
static unsigned int nr_suites;

void kunit_host_register(struct kunit_suite *suite)
{
	if (nr_suites == KUNIT_HOST_MAX_SUITES) {
		fprintf(stderr, "kunit-host: too many suites\n");
		exit(2);
	}
	suites[nr_suites++] = suite;
}

void kunit_host_fail(struct kunit *test, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	test->failed = 1;
	printf("    # %s: %s:%d: ", test->name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Runs one case; returns 1 when it passed. */
static int run_case(struct kunit_case *c, unsigned int index)
{
	struct kunit test = { .name = c->name };
	char desc[KUNIT_PARAM_DESC_SIZE];
	const void *param;
	unsigned int n = 0, failed = 0;

	if (!c->generate_params) {
		c->run_case(&test);
		printf("    %s %u %s\n", test.failed ? "not ok" : "ok", index, c->name);
		return !test.failed;
	}

	printf("    # Subtest: %s\n", c->name);
	for (desc[0] = 0, param = c->generate_params(NULL, desc); param;
	     desc[0] = 0, param = c->generate_params(param, desc)) {
		test.param_value = param;
		test.failed = 0;
		c->run_case(&test);
		failed += test.failed;
		printf("        %s %u %s\n", test.failed ? "not ok" : "ok", ++n, desc);
	}
	printf("    %s %u %s\n", failed ? "not ok" : "ok", index, c->name);
	return !failed;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned int s, passed = 0, failed = 0;

	printf("KTAP version 1\n1..%u\n", nr_suites);
	for (s = 0; s < nr_suites; s++) {
		struct kunit_case *c;
		unsigned int i = 0, suite_failed = 0;

		printf("    # Subtest: %s\n", suites[s]->name);
		for (c = suites[s]->test_cases; c->run_case; c++) {
			if (filter && !strstr(suites[s]->name, filter) && !strstr(c->name, filter))
				continue;
			if (run_case(c, ++i)) {
				passed++;
			} else {
				failed++;
				suite_failed++;
			}
		}
		printf("%s %u %s\n", suite_failed ? "not ok" : "ok", s + 1, suites[s]->name);
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
