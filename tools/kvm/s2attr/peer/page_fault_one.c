// SPDX-License-Identifier: GPL-2.0-only
/*
 * page_fault_one.c - upstream's aarch64/page_fault_test, one sub-test at a time.
 *
 * page_fault_test runs its ~70 sub-tests in one process, and its first
 * TEST_FAIL() ends them all: the failure of one sub-test that TCG cannot
 * pass hides every later one. This file compiles the unchanged upstream
 * source (#included, so its static table is in reach) with a main() that
 *
 *	-l          lists the sub-tests, "test NAME" a line (kvm_util's
 *	            constructor prints on stdout too)
 *	-t NAME     runs only sub-test NAME, then page_fault_test's own options
 *	            (-m MODE, -s SOURCE); exits 4 (KSFT_SKIP) when the guest
 *	            skipped it (e.g. no FEAT_HAFDBS for the *_with_af ones)
 *
 * Upstream's names are not identifiers: SCAT3() pastes before it expands, so
 * "TEST_ACCESS(guest_read64, with_af, CMD_NONE)" is named
 * 'guest_read64_SCAT2(with_af, "CMD_NONE")'. Here the SCAT2/SCAT3 go, and every
 * run of other characters than [A-Za-z0-9_] becomes one "_":
 * "guest_read64_with_af_CMD_NONE". Nor are they unique: TEST_RO_MEMSLOT and
 * TEST_RO_MEMSLOT_AND_DIRTY_LOG both name theirs "ro_memslot_<access>", and
 * TEST_RO_MEMSLOT_NO_SYNDROME and ..._AND_UFFD both "ro_memslot_no_syndrome_
 * <access>". A repeated name gets "_dlog" when its memslots log dirty pages
 * and "_uffd" when it has a uffd handler.
 */
#include <ctype.h>

#define main page_fault_test_main
#include "aarch64/page_fault_test.c"
#undef main

static char names[ARRAY_SIZE(tests)][160];

/* sanitise() - NAME as an identifier: [A-Za-z0-9_], no "_" twice or last. */
static void sanitise(char *out, size_t size, const char *name)
{
	size_t n = 0;

	for (; *name && n + 1 < size; name++) {
		if (!strncmp(name, "SCAT", 4) && isdigit((unsigned char)name[4]) &&
		    name[5] == '(') {
			name += 5;
			continue;
		}
		if (isalnum((unsigned char)*name) || *name == '_')
			out[n++] = *name;
		else if (n && out[n - 1] != '_')
			out[n++] = '_';
	}
	while (n && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

static void name_tests(void)
{
	char base[128];
	int i, j;

	for (i = 0; tests[i].name; i++) {
		sanitise(base, sizeof(base), tests[i].name);
		snprintf(names[i], sizeof(names[i]), "%s", base);
		for (j = 0; j < i; j++) {
			if (strcmp(tests[j].name, tests[i].name))
				continue;
			snprintf(names[i], sizeof(names[i]), "%s%s%s", base,
				 tests[i].data_memslot_flags & KVM_MEM_LOG_DIRTY_PAGES ?
				 "_dlog" : "",
				 tests[i].uffd_data_handler ? "_uffd" : "");
			break;
		}
	}
	for (i = 0; tests[i].name; i++)
		for (j = 0; j < i; j++)
			TEST_ASSERT(strcmp(names[i], names[j]),
				    "two sub-tests are named %s", names[i]);
}

int main(int argc, char *argv[])
{
	int i, found = -1;

	name_tests();
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (i = 0; tests[i].name; i++)
			printf("test %s\n", names[i]);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "-t")) {
		printf("usage: %s -l | -t NAME [-m MODE] [-s SOURCE]\n", argv[0]);
		return 1;
	}
	for (i = 0; tests[i].name; i++) {
		if (!strcmp(names[i], argv[2]))
			found = i;
		else
			tests[i].skip = true;
	}
	TEST_ASSERT(found >= 0, "no sub-test is named %s", argv[2]);

	printf("page_fault_test: %s\n", names[found]);
	argv[2] = argv[0];
	page_fault_test_main(argc - 2, argv + 2);
	if (tests[found].skip) {
		printf("page_fault_test: %s skipped by the guest\n", names[found]);
		return KSFT_SKIP;
	}
	return 0;
}
