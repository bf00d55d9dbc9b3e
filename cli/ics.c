/*
 * ics.c — the iCalendar writer of ics.h.
 *
 * Dates are handled as day numbers (days since 1970-01-01, Hinnant's
 * days_from_civil and its inverse), so crossing midnight, month or year
 * ends and converting local time to UTC are integer arithmetic.  The Paris
 * offset follows the EU rule; the last Sunday of a 31-day month is
 * 31 − weekday(31st).  Output goes through a small line writer that counts
 * the octets of the current content line and, before a unit (an ASCII
 * character, a whole UTF-8 sequence or a whole two-octet TEXT escape) that
 * would pass 75 octets, emits CRLF and one space (RFC 5545 §3.1).  Nothing
 * is allocated; everything is validated before the first byte is written.
 */
#include "ics.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define ICS_FOLD 75

static const char *const default_prodid = "-//cptsopt//SNP rota//FR";
static const char *const default_domain = "cptsopt";

/* ---- calendar arithmetic ---- */

static bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
  static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int y, int m, int d) {
  int64_t yy = (int64_t)y - (m <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
static int weekday(int y, int m, int d) {
  int64_t z = days_from_civil(y, m, d);
  return (int)(((z + 4) % 7 + 7) % 7);
}

static int last_sunday(int y, int m) {
  int n = days_in_month(y, m);
  return n - weekday(y, m, n);
}

int cpt_ics_paris_utc_offset(int year, int month, int day, int hour,
                             int minute) {
  (void)minute; /* both changes happen on the hour */
  if (month < 3 || month > 10)
    return 60;
  if (month > 3 && month < 10)
    return 120;
  int change = last_sunday(year, month);
  bool after = day > change || (day == change && hour >= 3);
  return month == 3 ? (after ? 120 : 60) : (after ? 60 : 120);
}

static int64_t local_minutes(const cpt_ics_datetime *t) {
  return days_from_civil(t->year, t->month, t->day) * 1440 + t->hour * 60 +
         t->minute;
}

static cpt_ics_datetime from_minutes(int64_t mins) {
  cpt_ics_datetime t;
  int64_t days = (mins >= 0 ? mins : mins - 1439) / 1440;
  int64_t rest = mins - days * 1440;
  civil_from_days(days, &t.year, &t.month, &t.day);
  t.hour = (int)(rest / 60);
  t.minute = (int)(rest % 60);
  return t;
}

static int64_t utc_minutes(const cpt_ics_datetime *t) {
  return local_minutes(t) - cpt_ics_paris_utc_offset(t->year, t->month, t->day,
                                                     t->hour, t->minute);
}

static bool valid_datetime(const cpt_ics_datetime *t) {
  return t->year >= 1 && t->year <= 9999 && t->month >= 1 && t->month <= 12 &&
         t->day >= 1 && t->day <= days_in_month(t->year, t->month) &&
         t->hour >= 0 && t->hour <= 23 && t->minute >= 0 && t->minute <= 59;
}

/* The effective end: next day when on start's date and not after it. */
static cpt_ics_datetime effective_end(const cpt_ics_event *e) {
  cpt_ics_datetime end = e->end;
  if (end.year == e->start.year && end.month == e->start.month &&
      end.day == e->start.day &&
      end.hour * 60 + end.minute <= e->start.hour * 60 + e->start.minute) {
    int64_t mins = local_minutes(&end) + 1440;
    end = from_minutes(mins);
  }
  return end;
}

cpt_status cpt_ics_check(const cpt_ics_calendar *cal, size_t *bad_event) {
  if (bad_event)
    *bad_event = cal->n_events;
  if ((cal->dtstamp && !valid_datetime(cal->dtstamp)) ||
      (cal->n_events > 0 && !cal->events))
    return CPT_EPARAM;
  for (size_t i = 0; i < cal->n_events; i++) {
    const cpt_ics_event *e = &cal->events[i];
    bool ok = valid_datetime(&e->start) && valid_datetime(&e->end);
    if (ok) {
      cpt_ics_datetime end = effective_end(e);
      ok = end.year <= 9999 && local_minutes(&end) > local_minutes(&e->start);
    }
    if (!ok) {
      if (bad_event)
        *bad_event = i;
      return CPT_EPARAM;
    }
  }
  return CPT_OK;
}

/* ---- folded content lines ---- */

typedef struct line_writer {
  FILE *f;
  size_t col; /* octets on the current physical line */
} line_writer;

/* Write k octets that must stay on one physical line. */
static void put_unit(line_writer *w, const char *s, size_t k) {
  if (w->col + k > ICS_FOLD) {
    fputs("\r\n ", w->f);
    w->col = 1;
  }
  fwrite(s, 1, k, w->f);
  w->col += k;
}

static void put_ascii(line_writer *w, const char *s) {
  for (; *s; s++)
    put_unit(w, s, 1);
}

static void end_line(line_writer *w) {
  fputs("\r\n", w->f);
  w->col = 0;
}

/* ---- UID ---- */

/* Where UID octets go: a caller's buffer, or straight into a line. */
typedef struct uid_sink {
  char *buf;
  size_t size, n;
  line_writer *w;
} uid_sink;

static bool uid_plain(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~';
}

static void uid_put(uid_sink *k, char c) {
  if (k->w)
    put_unit(k->w, &c, 1);
  else if (k->n + 1 < k->size)
    k->buf[k->n] = c;
  k->n++;
}

/* Percent-encode s; keep_dash for the domain, whose '-' is unambiguous. */
static void uid_encode(uid_sink *k, const char *s, bool keep_dash) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (uid_plain(*p) || (keep_dash && *p == '-')) {
      uid_put(k, (char)*p);
    } else {
      uid_put(k, '%');
      uid_put(k, hex[*p >> 4]);
      uid_put(k, hex[*p & 15]);
    }
  }
}

static void uid_emit(uid_sink *k, const char *slot_id, const char *doctor_id,
                     const char *domain) {
  uid_encode(k, slot_id, false);
  uid_put(k, '-');
  uid_encode(k, doctor_id, false);
  uid_put(k, '@');
  uid_encode(k, domain && *domain ? domain : default_domain, true);
}

size_t cpt_ics_uid(char *buf, size_t size, const char *slot_id,
                   const char *doctor_id, const char *domain) {
  uid_sink k = {buf, size, 0, NULL};
  uid_emit(&k, slot_id, doctor_id, domain);
  if (size > 0)
    buf[k.n < size ? k.n : size - 1] = '\0';
  return k.n;
}

/* Length of the valid UTF-8 sequence at p (p[0] >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p) {
  unsigned c = p[0];
  size_t k;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    k = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    k = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    k = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  for (size_t i = 1; i < k; i++) {
    if ((p[i] & 0xC0) != 0x80) /* also stops at the NUL */
      return 0;
    cp = cp << 6 | (p[i] & 0x3F);
  }
  if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return 0;
  return k;
}

/* A TEXT value (RFC 5545 §3.3.11), escaped, UTF-8 repaired. */
static void put_text(line_writer *w, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while (*p) {
    unsigned c = *p;
    if (c == '\\' || c == ';' || c == ',') {
      char esc[2] = {'\\', (char)c};
      put_unit(w, esc, 2);
      p++;
    } else if (c == '\n' || c == '\r') {
      put_unit(w, "\\n", 2);
      p += c == '\r' && p[1] == '\n' ? 2 : 1;
    } else if (c == '\t' || (c >= 0x20 && c < 0x7F)) {
      put_unit(w, (const char *)p, 1);
      p++;
    } else if (c < 0x80) {
      put_unit(w, " ", 1); /* other control characters */
      p++;
    } else {
      size_t k = utf8_len(p);
      if (k) {
        put_unit(w, (const char *)p, k);
        p += k;
      } else {
        put_unit(w, "\xEF\xBF\xBD", 3);
        p++;
      }
    }
  }
}

static void text_line(line_writer *w, const char *name, const char *value) {
  put_ascii(w, name);
  put_unit(w, ":", 1);
  put_text(w, value);
  end_line(w);
}

static void put_datetime(line_writer *w, const cpt_ics_datetime *t, bool utc) {
  char buf[24];
  snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d00%s", t->year, t->month,
           t->day, t->hour, t->minute, utc ? "Z" : "");
  put_ascii(w, buf);
}

static void raw_line(line_writer *w, const char *line) {
  put_ascii(w, line);
  end_line(w);
}

static void write_vtimezone(line_writer *w) {
  static const char *const lines[] = {
      "BEGIN:VTIMEZONE",
      "TZID:Europe/Paris",
      "BEGIN:DAYLIGHT",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "TZNAME:CEST",
      "DTSTART:19700329T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
      "END:DAYLIGHT",
      "BEGIN:STANDARD",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "TZNAME:CET",
      "DTSTART:19701025T030000",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
      "END:STANDARD",
      "END:VTIMEZONE",
  };
  for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
    raw_line(w, lines[i]);
}

/* DTSTAMP: the caller's, else the earliest start in UTC, else the epoch. */
static cpt_ics_datetime dtstamp_of(const cpt_ics_calendar *cal) {
  if (cal->dtstamp)
    return *cal->dtstamp;
  int64_t best = 0;
  for (size_t i = 0; i < cal->n_events; i++) {
    int64_t u = utc_minutes(&cal->events[i].start);
    if (i == 0 || u < best)
      best = u;
  }
  return from_minutes(best);
}

static void write_event(line_writer *w, const cpt_ics_calendar *cal,
                        const cpt_ics_event *e, const cpt_ics_datetime *stamp) {
  cpt_ics_datetime end = effective_end(e);
  uid_sink k = {NULL, 0, 0, w};

  raw_line(w, "BEGIN:VEVENT");
  put_ascii(w, "UID:");
  uid_emit(&k, e->slot_id, e->doctor_id, cal->uid_domain);
  end_line(w);
  put_ascii(w, "DTSTAMP:");
  put_datetime(w, stamp, true);
  end_line(w);
  put_ascii(w, "DTSTART;TZID=Europe/Paris:");
  put_datetime(w, &e->start, false);
  end_line(w);
  put_ascii(w, "DTEND;TZID=Europe/Paris:");
  put_datetime(w, &end, false);
  end_line(w);
  text_line(w, "SUMMARY", e->summary);
  if (e->location && *e->location)
    text_line(w, "LOCATION", e->location);
  if (e->description && *e->description)
    text_line(w, "DESCRIPTION", e->description);
  raw_line(w, "TRANSP:OPAQUE");
  raw_line(w, "END:VEVENT");
}

cpt_status cpt_ics_write(FILE *f, const cpt_ics_calendar *cal) {
  if (cpt_ics_check(cal, NULL) != CPT_OK)
    return CPT_EPARAM;
  line_writer w = {f, 0};
  cpt_ics_datetime stamp = dtstamp_of(cal);

  raw_line(&w, "BEGIN:VCALENDAR");
  raw_line(&w, "VERSION:2.0");
  text_line(&w, "PRODID", cal->prodid ? cal->prodid : default_prodid);
  raw_line(&w, "CALSCALE:GREGORIAN");
  raw_line(&w, "METHOD:PUBLISH");
  text_line(&w, "X-WR-CALNAME", cal->name);
  raw_line(&w, "X-WR-TIMEZONE:Europe/Paris");
  write_vtimezone(&w);
  for (size_t i = 0; i < cal->n_events; i++)
    write_event(&w, cal, &cal->events[i], &stamp);
  raw_line(&w, "END:VCALENDAR");
  return ferror(f) ? CPT_EIO : CPT_OK;
}
