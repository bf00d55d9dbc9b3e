/*
 * csv_text.c — checks on the raw text of a CSV file before it is parsed
 * (csv_text.h): UTF-8 validation and separator detection.
 *
 * Validation runs 8 bytes at a time while they are ASCII and not NUL (one
 * mask test for the high bits, one for a zero byte), and decodes the rest
 * by the UTF-8 rules: no overlong forms, no surrogates, nothing above
 * U+10FFFF.  Each bad line is reported once, at the byte column of its
 * first bad byte; line numbers are counted only when a bad byte is found.
 * The separator is ';' when the header line has more semicolons than
 * commas outside quotes, else ','.
 */
#include "csv_text.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t cpt_utf8_scan(const unsigned char *s, size_t i, size_t n) {
  const uint64_t hi = 0x8080808080808080ull, lo = 0x0101010101010101ull;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t v;
      memcpy(&v, s + i, 8);
      if ((v & hi) || ((v - lo) & ~v & hi)) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned c = s[i];
    if (c == 0) return i;
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF)
      k = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      k = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      k = 3, cp = c & 0x07;
    else
      return i;
    if (i + k >= n) return i;
    for (size_t j = 1; j <= k; j++) {
      unsigned b = s[i + j];
      if ((b & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return i;
    if (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return i;
    i += k + 1;
  }
  return n;
}

size_t cpt_csv_check_utf8(const char *name, const char *buf, size_t len,
                          char eol, cpt_diags *diags) {
  const unsigned char *s = (const unsigned char *)buf;
  size_t lstart = 0, i = 0;
  long line = 1;
  size_t bad = 0;
  while ((i = cpt_utf8_scan(s, i, len)) < len) {
    const char *nl;
    while ((nl = memchr(buf + lstart, eol, i - lstart)) != NULL) {
      lstart = (size_t)(nl - buf) + 1;
      line++;
    }
    long col = (long)(i - lstart) + 1;
    if (s[i] == 0)
      cpt_diag_error(diags, name, line, col,
                     "NUL byte: the file is not UTF-8 text (UTF-16?); save "
                     "it as UTF-8");
    else
      cpt_diag_error(diags, name, line, col,
                     "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
                     s[i]);
    bad++;
    nl = memchr(buf + i, eol, len - i);
    if (!nl) break;
    i = lstart = (size_t)(nl - buf) + 1;
    line++;
  }
  return bad;
}

char cpt_csv_detect_sep(const char *s, size_t n) {
  size_t i = 0;
  while (i < n && is_space(s[i])) i++;
  size_t commas = 0, semis = 0;
  bool q = false;
  for (; i < n; i++) {
    char c = s[i];
    if (c == '"')
      q = !q;
    else if (!q && (c == '\n' || c == '\r'))
      break;
    else if (!q && c == ',')
      commas++;
    else if (!q && c == ';')
      semis++;
  }
  return semis > commas ? ';' : ',';
}
