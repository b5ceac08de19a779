// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of the s2attr tool (json.h).
 */
#include <stdio.h>

#include "json.h"
#include "tool.h"

#define JSON_DEPTH	16

static struct {
	unsigned int depth;
	bool keyed;			/* a key was written, its value is next */
	unsigned int count[JSON_DEPTH];	/* elements written, per open container */
	char close[JSON_DEPTH];
} js;

/* Whether the elements of the innermost container go one to a line. */
static bool json_lines(void)
{
	return js.depth == 1 || (js.depth == 2 && js.close[1] == ']');
}

/* Before a value: the comma, and the new line. */
static void json_value(void)
{
	if (js.keyed) {
		js.keyed = false;
		return;
	}
	if (!js.depth)
		return;
	if (js.count[js.depth - 1]++)
		putchar(',');
	if (json_lines())
		printf("\n%*s", 2 * js.depth, "");
}

static void json_escaped(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void json_open(char bracket)
{
	if (js.depth == JSON_DEPTH)
		internal_error("JSON nested more than %d deep", JSON_DEPTH);
	json_value();
	putchar(bracket);
	js.close[js.depth] = bracket == '{' ? '}' : ']';
	js.count[js.depth++] = 0;
}

void json_close(void)
{
	if (!js.depth || js.keyed)
		internal_error("JSON closed with nothing open, or after a key");
	if (json_lines() && js.count[js.depth - 1])
		printf("\n%*s", 2 * (js.depth - 1), "");
	js.depth--;
	putchar(js.close[js.depth]);
	if (!js.depth)
		putchar('\n');
}

void json_key(const char *key)
{
	if (!js.depth || js.close[js.depth - 1] != '}' || js.keyed)
		internal_error("JSON key '%s' outside an object", key);
	json_value();
	json_escaped(key);
	putchar(':');
	js.keyed = true;
}

void json_str(const char *s)
{
	json_value();
	json_escaped(s);
}

void json_int(long long v)
{
	json_value();
	printf("%lld", v);
}

void json_bool(bool v)
{
	json_value();
	printf("%s", v ? "true" : "false");
}

void json_null(void)
{
	json_value();
	printf("null");
}

void json_kstr(const char *key, const char *s)
{
	json_key(key);
	json_str(s);
}

void json_kint(const char *key, long long v)
{
	json_key(key);
	json_int(v);
}

void json_kbool(const char *key, bool v)
{
	json_key(key);
	json_bool(v);
}
