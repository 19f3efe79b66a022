/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny streaming JSON writer to stdout: one for every command's -j. */
#ifndef XBR_CLI_JSON_H
#define XBR_CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>

void jw_array_open(const char *key);
void jw_array_close(void);
void jw_object_open(const char *key);
void jw_object_close(void);
void jw_string(const char *key, const char *val);
void jw_uint(const char *key, uint64_t val);
void jw_double(const char *key, double val);
void jw_bool(const char *key, bool val);
void jw_null(const char *key);
/* @val is a complete JSON value already (another tool's output). */
void jw_raw(const char *key, const char *val);
/* Ends the document with a newline. */
void jw_end(void);

#endif
