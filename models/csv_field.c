/*
 * csv_field.c — typed field accessors of csv_table.h: integers, reals and
 * flags with their range checks, and the escaped echo of a bad value.
 *
 * Numbers are parsed here rather than with strtol/strtod so that the
 * grammar is exactly the documented one (no hex, no "inf", no leading
 * junk) and so that the result does not depend on the process locale.
 * A real m·10^e with m < 2^53 and |e| ≤ 22 is computed exactly as one
 * multiplication or division by a power of ten (both operands exact, so
 * the result is correctly rounded; Clinger's fast path); anything longer
 * goes through strtod under the "C" locale.
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_table.h"

/* --- Echo --------------------------------------------------------------- */

char *cpt_csv_echo(const char *s, size_t len, char *out, size_t size) {
  if (!size) return out;
  size_t n = len;
  bool cut = false;
  if (n > CPT_CSV_ECHO_MAX) {
    n = CPT_CSV_ECHO_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    cut = true;
  }
  size_t o = 0;
#define PUT(str)                                                   \
  do {                                                             \
    const char *p_ = (str);                                        \
    size_t l_ = strlen(p_);                                        \
    if (o + l_ < size) memcpy(out + o, p_, l_), o += l_;           \
  } while (0)
  PUT("\"");
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8] = {(char)c, 0};
    if (c == '"') strcpy(esc, "\\\"");
    else if (c == '\\') strcpy(esc, "\\\\");
    else if (c == '\n') strcpy(esc, "\\n");
    else if (c == '\r') strcpy(esc, "\\r");
    else if (c == '\t') strcpy(esc, "\\t");
    else if (c < 0x20 || c == 0x7F) snprintf(esc, sizeof esc, "\\x%02X", c);
    PUT(esc);
  }
  PUT("\"");
  if (cut) PUT("\xE2\x80\xA6"); /* … */
#undef PUT
  out[o] = '\0';
  return out;
}

/* --- Number grammar ----------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool parse_i64(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  bool neg = false;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i == n) return false;
  uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; i < n; i++) {
    if (!is_digit(s[i])) return false;
    unsigned d = (unsigned)(s[i] - '0');
    if (v > (lim - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v)
             : (int64_t)v;
  return true;
}

static double slow_strtod(const char *s, size_t n, char comma) {
  char tmp[CPT_CSV_MAX_FIELD + 1];
  if (n > CPT_CSV_MAX_FIELD) n = CPT_CSV_MAX_FIELD;
  for (size_t i = 0; i < n; i++) tmp[i] = s[i] == comma ? '.' : s[i];
  tmp[n] = '\0';
  locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
  locale_t old = c ? uselocale(c) : (locale_t)0;
  double v = strtod(tmp, NULL);
  if (c) {
    uselocale(old);
    freelocale(c);
  }
  return v;
}

/* [sign] digits [(. | comma) digits] [(e|E) [sign] digits], with at least
 * one digit in the mantissa; comma is ',' or 0 when not accepted. */
static bool parse_real(const char *s, size_t n, char comma, double *out) {
  static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                               1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                               1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = 0;
  bool neg = false, any = false, exact = true;
  if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  uint64_t m = 0;
  long e10 = 0;
  for (; i < n && is_digit(s[i]); i++, any = true) {
    if (m < 100000000000000000ull) m = m * 10 + (unsigned)(s[i] - '0');
    else e10++, exact = exact && s[i] == '0';
  }
  if (i < n && (s[i] == '.' || (comma && s[i] == comma))) {
    for (i++; i < n && is_digit(s[i]); i++, any = true) {
      if (m < 100000000000000000ull)
        m = m * 10 + (unsigned)(s[i] - '0'), e10--;
      else exact = exact && s[i] == '0';
    }
  }
  if (!any) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i == n || !is_digit(s[i])) return false;
    long x = 0;
    for (; i < n && is_digit(s[i]); i++)
      if (x < 100000) x = x * 10 + (s[i] - '0');
    e10 += eneg ? -x : x;
  }
  if (i != n) return false;
  double v;
  if (exact && m <= (1ull << 53) && e10 >= -22 && e10 <= 22)
    v = e10 < 0 ? (double)m / p10[-e10] : (double)m * p10[e10];
  else
    v = fabs(slow_strtod(s, n, comma ? comma : '.'));
  if (!isfinite(v)) return false;
  *out = neg ? -v : v;
  return true;
}

/* --- Accessors ---------------------------------------------------------- */

/* What a field should hold, for messages; built only when one is needed,
 * since a million rows must not pay for formatting. */
typedef struct want {
  enum { W_VALUE, W_INT, W_REAL, W_FLAG } kind;
  int64_t imin, imax;
  double rmin, rmax;
  bool open_min, open_max;
} want;

static const char *describe(const want *w, char *buf, size_t size) {
  const char *ge = w->open_min ? ">" : "\xE2\x89\xA5";
  const char *le = w->open_max ? "<" : "\xE2\x89\xA4";
  switch (w->kind) {
  case W_VALUE:
    snprintf(buf, size, "a value");
    break;
  case W_FLAG:
    snprintf(buf, size, "a flag (0/1, yes/no, oui/non, true/false)");
    break;
  case W_INT:
    /* int32 fields pass INT32_MAX for "no upper bound" */
    if (w->imin == INT64_MIN && w->imax >= INT32_MAX)
      snprintf(buf, size, "an integer");
    else if (w->imax >= INT32_MAX)
      snprintf(buf, size, "an integer \xE2\x89\xA5 %lld", (long long)w->imin);
    else if (w->imin == INT64_MIN)
      snprintf(buf, size, "an integer \xE2\x89\xA4 %lld", (long long)w->imax);
    else
      snprintf(buf, size, "an integer %lld\xE2\x80\x93%lld",
               (long long)w->imin, (long long)w->imax);
    break;
  case W_REAL: {
    bool lo = isfinite(w->rmin), hi = isfinite(w->rmax);
    if (!lo && !hi)
      snprintf(buf, size, "a number");
    else if (!hi)
      snprintf(buf, size, "a number %s %g", ge, w->rmin);
    else if (!lo)
      snprintf(buf, size, "a number %s %g", le, w->rmax);
    else if (!w->open_min && !w->open_max)
      snprintf(buf, size, "a number from %g to %g", w->rmin, w->rmax);
    else
      snprintf(buf, size, "a number %s %g and %s %g", ge, w->rmin, le,
               w->rmax);
    break;
  }
  }
  return buf;
}

/* The raw field, or the verdict when there is no value to parse. */
static cpt_field fetch(cpt_csv *r, int col, const want *w, const char **s,
                       size_t *len) {
  cpt_field k = cpt_csv_raw(r, col, s, len, NULL, NULL);
  if (k == CPT_FIELD_EMPTY && cpt_csv_has(r, col) &&
      (cpt_csv_col_flags(r, col) & CPT_CSV_NONEMPTY)) {
    char what[128];
    cpt_csv_error(r, col, "expected %s, got an empty field",
                  describe(w, what, sizeof what));
    return CPT_FIELD_BAD;
  }
  return k;
}

static cpt_field bad(cpt_csv *r, int col, const want *w, const char *s,
                     size_t len, const char *hint) {
  char echo[256], what[128];
  cpt_csv_echo(s, len, echo, sizeof echo);
  cpt_csv_error(r, col, "expected %s, got %s%s",
                describe(w, what, sizeof what), echo, hint);
  return CPT_FIELD_BAD;
}

cpt_field cpt_csv_str(cpt_csv *r, int col, const char **s, size_t *len) {
  const want w = {.kind = W_VALUE};
  return fetch(r, col, &w, s, len);
}

cpt_field cpt_csv_int(cpt_csv *r, int col, int64_t min, int64_t max,
                      int64_t *out) {
  const want w = {.kind = W_INT, .imin = min, .imax = max};
  const char *s;
  size_t len;
  cpt_field k = fetch(r, col, &w, &s, &len);
  if (k != CPT_FIELD_OK) return k;
  int64_t v;
  if (!parse_i64(s, len, &v) || v < min || v > max)
    return bad(r, col, &w, s, len, "");
  *out = v;
  return CPT_FIELD_OK;
}

cpt_field cpt_csv_real(cpt_csv *r, int col, double min, double max,
                       bool open_min, bool open_max, double *out) {
  const want w = {.kind = W_REAL, .rmin = min, .rmax = max,
                  .open_min = open_min, .open_max = open_max};
  const char *s;
  size_t len;
  cpt_field k = fetch(r, col, &w, &s, &len);
  if (k != CPT_FIELD_OK) return k;
  char comma = cpt_csv_sep(r) == ';' ? ',' : 0;
  double v;
  if (!parse_real(s, len, comma, &v)) {
    double ignored;
    const char *hint =
        !comma && parse_real(s, len, ',', &ignored)
            ? " (a decimal comma is accepted only with the ';' separator)"
            : "";
    return bad(r, col, &w, s, len, hint);
  }
  if ((isfinite(min) && (open_min ? v <= min : v < min)) ||
      (isfinite(max) && (open_max ? v >= max : v > max)))
    return bad(r, col, &w, s, len, "");
  *out = v;
  return CPT_FIELD_OK;
}

static bool word_eq(const char *s, size_t len, const char *w) {
  size_t i = 0;
  for (; i < len && w[i]; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != w[i]) return false;
  }
  return i == len && w[i] == '\0';
}

cpt_field cpt_csv_flag(cpt_csv *r, int col, bool *out) {
  static const char *const yes[] = {"1", "yes", "oui", "true"};
  static const char *const no[] = {"0", "no", "non", "false"};
  const want w = {.kind = W_FLAG};
  const char *s;
  size_t len;
  cpt_field k = fetch(r, col, &w, &s, &len);
  if (k != CPT_FIELD_OK) return k;
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (word_eq(s, len, yes[i])) {
      *out = true;
      return CPT_FIELD_OK;
    }
    if (word_eq(s, len, no[i])) {
      *out = false;
      return CPT_FIELD_OK;
    }
  }
  return bad(r, col, &w, s, len, "");
}
