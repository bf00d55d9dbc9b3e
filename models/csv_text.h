/*
 * csv_text.h — checks on the raw text of a CSV file, before parsing
 * (part of the CSV layer of csv_table.h).
 */
#ifndef CPT_CSV_TEXT_H
#define CPT_CSV_TEXT_H

#include <stddef.h>

#include "../solver/diag.h"

/* Index of the first byte at or after i that starts an invalid UTF-8
 * sequence or is NUL; n when there is none. */
size_t cpt_utf8_scan(const unsigned char *s, size_t i, size_t n);

/* Record an error for each line (lines end with eol) holding an invalid
 * byte, at the byte column of its first one; returns the number of such
 * lines. */
size_t cpt_csv_check_utf8(const char *name, const char *buf, size_t len,
                          char eol, cpt_diags *diags);

/* ';' when the first non-blank line has more semicolons than commas
 * outside double quotes, else ','. */
char cpt_csv_detect_sep(const char *s, size_t n);

#endif
