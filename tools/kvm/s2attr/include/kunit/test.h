/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A user-space stand-in for the part of <kunit/test.h> that
 * lib/tests/s2attr_kunit.c uses, so that the same test cases run on the
 * host (make check-fast) and in the kernel (make kunit). The runner is
 * tools/kvm/s2attr/kunit_host.c; it prints KTAP and a closing
 * "N passed, N failed" line.
 */
#ifndef __S2ATTR_SHIM_KUNIT_TEST_H
#define __S2ATTR_SHIM_KUNIT_TEST_H

#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>

#define KUNIT_PARAM_DESC_SIZE	128

struct kunit {
	const char *name;
	const void *param_value;
	int failed;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	int slow;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

void kunit_host_register(struct kunit_suite *suite);
void kunit_host_fail(struct kunit *test, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#define KUNIT_CASE(f)			{ .run_case = f, .name = #f }
#define KUNIT_CASE_SLOW(f)		{ .run_case = f, .name = #f, .slow = 1 }
#define KUNIT_CASE_PARAM(f, gen)	{ .run_case = f, .name = #f, .generate_params = gen }

#define kunit_test_suite(s)						\
	static void __attribute__((constructor)) s##_register(void)	\
	{								\
		kunit_host_register(&(s));				\
	}

#define kunit_info(test, fmt, ...)	printf("    # %s: " fmt, (test)->name, ##__VA_ARGS__)

#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ? ((typeof(__next))prev) + 1 : (array); \
		if ((size_t)(__next - (array)) < ARRAY_SIZE((array))) {		\
			void (*__get_desc)(typeof(__next), char *) = get_desc;	\
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}

/* As in the kernel: the description is the member @desc_member of each element. */
#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)			\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ? ((typeof(__next))prev) + 1 : (array); \
		if ((size_t)(__next - (array)) < ARRAY_SIZE((array))) {		\
			snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", __next->desc_member); \
			return __next;						\
		}								\
		return NULL;							\
	}

#define KUNIT_FAIL(test, fmt, ...)						\
	kunit_host_fail(test, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

#define KUNIT_HOST_CHECK(test, ok, text, fmt, ...)				\
	do {									\
		if (!(ok))							\
			kunit_host_fail(test, __FILE__, __LINE__,		\
					"Expectation failed: %s\n" fmt, text,	\
					##__VA_ARGS__);				\
	} while (0)

#define KUNIT_HOST_BINARY(test, a, op, b, fmt, ...)				\
	do {									\
		long long __a = (long long)(a), __b = (long long)(b);		\
		KUNIT_HOST_CHECK(test, __a op __b, #a " " #op " " #b,		\
				 "    (%lld vs %lld) " fmt, __a, __b, ##__VA_ARGS__); \
	} while (0)

#define KUNIT_HOST_STR(test, a, op, b, fmt, ...)				\
	do {									\
		const char *__a = (a), *__b = (b);				\
		KUNIT_HOST_CHECK(test, strcmp(__a, __b) op 0, #a " " #op " " #b, \
				 "    (\"%s\" vs \"%s\") " fmt, __a, __b, ##__VA_ARGS__); \
	} while (0)

#define KUNIT_EXPECT_EQ_MSG(t, a, b, fmt, ...)	KUNIT_HOST_BINARY(t, a, ==, b, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, a, b, fmt, ...)	KUNIT_HOST_BINARY(t, a, >, b, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, a, b, fmt, ...)	KUNIT_HOST_BINARY(t, a, !=, b, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ(t, a, b)	KUNIT_HOST_BINARY(t, a, ==, b, "")
#define KUNIT_EXPECT_NE(t, a, b)	KUNIT_HOST_BINARY(t, a, !=, b, "")
#define KUNIT_EXPECT_GT(t, a, b)	KUNIT_HOST_BINARY(t, a, >, b, "")
#define KUNIT_EXPECT_GE(t, a, b)	KUNIT_HOST_BINARY(t, a, >=, b, "")
#define KUNIT_EXPECT_LE(t, a, b)	KUNIT_HOST_BINARY(t, a, <=, b, "")
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...)	KUNIT_HOST_CHECK(t, c, #c, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...)	KUNIT_HOST_CHECK(t, !(c), "!(" #c ")", fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_HOST_CHECK(t, c, #c, "")
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_HOST_CHECK(t, !(c), "!(" #c ")", "")
#define KUNIT_EXPECT_NULL(t, p)		KUNIT_HOST_CHECK(t, (p) == NULL, #p " == NULL", "")
#define KUNIT_EXPECT_PTR_EQ(t, a, b)	KUNIT_HOST_CHECK(t, (a) == (b), #a " == " #b, "")
#define KUNIT_EXPECT_STREQ(t, a, b)	KUNIT_HOST_STR(t, a, ==, b, "")
#define KUNIT_EXPECT_STRNEQ(t, a, b)	KUNIT_HOST_STR(t, a, !=, b, "")
#define KUNIT_EXPECT_STREQ_MSG(t, a, b, fmt, ...)	KUNIT_HOST_STR(t, a, ==, b, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(t, a, b, fmt, ...)	KUNIT_HOST_STR(t, a, !=, b, fmt, ##__VA_ARGS__)

#endif
