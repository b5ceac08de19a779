/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON writer for the s2attr tool's --format=json, on stdout.
 *
 * json_open('{') or json_open('[') starts an object or an array, as a value
 * (of the key json_key() gave, inside an object); json_close() ends the
 * innermost one. The writer puts the commas; the elements of the outermost
 * container, and of the arrays in it, go one to a line. Keys and strings
 * are escaped.
 */
#ifndef __S2ATTR_TOOL_JSON_H
#define __S2ATTR_TOOL_JSON_H

#include <stdbool.h>

void json_open(char bracket);
void json_close(void);
void json_key(const char *key);
void json_str(const char *s);
void json_int(long long v);
void json_bool(bool v);
void json_null(void);

/* A key and its value. */
void json_kstr(const char *key, const char *s);
void json_kint(const char *key, long long v);
void json_kbool(const char *key, bool v);

#endif
