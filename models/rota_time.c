/*
 * rota_time.c — dates and local times of the rota files as minutes since
 * 2000-01-01 00:00 (rota.h).
 *
 * Days from a civil date use Howard Hinnant's days_from_civil algorithm
 * (eras of 400 years, March-based years so that the leap day ends the
 * year), shifted so that 2000-01-01 is day 0.  No time zone, DST or locale
 * is involved: rota times are local wall-clock times and the model only
 * compares and subtracts them.
 */
#include "rota.h"

/* 1970-01-01 is day 0 of days_from_civil; 2000-01-01 is day 10957. */
#define EPOCH_2000 10957

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t cpt_rota_days(int y, int m, int d) {
  int64_t yy = (int64_t)y - (m <= 2);
  int64_t era = floor_div(yy, 400);
  int64_t yoe = yy - era * 400;                          /* [0, 399] */
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;   /* [0, 146096] */
  return era * 146097 + doe - 719468 - EPOCH_2000;
}

void cpt_rota_civil(int64_t days, int *y, int *m, int *d) {
  int64_t z = days + EPOCH_2000 + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

bool cpt_rota_valid_date(int y, int m, int d) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[m - 1] + (m == 2 && leap);
}

int64_t cpt_rota_minutes(int64_t days, int mod) {
  return days * CPT_MIN_PER_DAY + mod;
}

void cpt_rota_interval(int64_t days, int start_mod, int end_mod,
                       int64_t *start, int64_t *end) {
  *start = cpt_rota_minutes(days, start_mod);
  *end = cpt_rota_minutes(days, end_mod);
  if (*end <= *start) *end += CPT_MIN_PER_DAY;
}

int64_t cpt_rota_day_of(int64_t minutes) {
  return floor_div(minutes, CPT_MIN_PER_DAY);
}

/* n decimal digits of v (0 ≤ v < 10^n) at out. */
static void put_digits(char *out, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10) out[i] = (char)('0' + v % 10);
}

char *cpt_rota_fmt_date(int64_t minutes, char out[11]) {
  int y, m, d;
  cpt_rota_civil(cpt_rota_day_of(minutes), &y, &m, &d);
  put_digits(out, ((y % 10000) + 10000) % 10000, 4);
  out[4] = '-';
  put_digits(out + 5, m, 2);
  out[7] = '-';
  put_digits(out + 8, d, 2);
  out[10] = '\0';
  return out;
}

char *cpt_rota_fmt_time(int64_t minutes, char out[6]) {
  int mod = (int)(minutes - cpt_rota_day_of(minutes) * CPT_MIN_PER_DAY);
  put_digits(out, mod / 60, 2);
  out[2] = ':';
  put_digits(out + 3, mod % 60, 2);
  out[5] = '\0';
  return out;
}

/* --- Parsers ------------------------------------------------------------ */

static bool digits(const char *s, size_t n, int *v) {
  int x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return true;
}

bool cpt_rota_parse_date(const char *s, size_t len, int64_t *days) {
  int y, m, d;
  if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
      !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
    return false;
  if (y < 1900 || y > 2999 || !cpt_rota_valid_date(y, m, d)) return false;
  *days = cpt_rota_days(y, m, d);
  return true;
}

bool cpt_rota_parse_time(const char *s, size_t len, bool allow_24,
                         int *mod) {
  /* H:MM, HH:MM, optionally followed by ":00". */
  if (len >= 7 && len <= 8 && s[len - 3] == ':' && s[len - 2] == '0' &&
      s[len - 1] == '0')
    len -= 3;
  size_t hl = len - 3;
  int h, m;
  if (len < 4 || len > 5 || s[hl] != ':' || !digits(s, hl, &h) ||
      !digits(s + hl + 1, 2, &m))
    return false;
  if (m > 59) return false;
  if (h == 24 && m == 0 && allow_24) {
    *mod = CPT_MIN_PER_DAY;
    return true;
  }
  if (h > 23) return false;
  *mod = h * 60 + m;
  return true;
}
