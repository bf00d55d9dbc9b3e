/*
 * ics.h — an RFC 5545 iCalendar writer for one doctor's SNP rota (SPEC §4:
 * "an iCalendar file per doctor for the rota").
 *
 * A calendar is one VCALENDAR (VERSION 2.0, PRODID, CALSCALE GREGORIAN,
 * METHOD PUBLISH, X-WR-CALNAME, X-WR-TIMEZONE) holding one VTIMEZONE for
 * Europe/Paris (the EU rule as two RRULEs) and one VEVENT per slot, in the
 * order given.  Event times are local Paris wall-clock times written with
 * TZID=Europe/Paris.  Output is deterministic (SPEC §6): the same calendar
 * gives the same bytes; in particular DTSTAMP is never the clock — it is
 * cal->dtstamp when given, else the earliest event start converted to UTC
 * with cpt_ics_paris_utc_offset, else 19700101T000000Z for an empty
 * calendar.  Lines end in CRLF and are folded at 75 octets, never inside a
 * UTF-8 sequence nor inside a TEXT escape; TEXT values escape backslash,
 * semicolon, comma and newline.
 */
#ifndef CPT_ICS_H
#define CPT_ICS_H

#include <stddef.h>
#include <stdio.h>

#include "../solver/status.h"

/* A calendar date and time of day (proleptic Gregorian, year 1..9999). */
typedef struct cpt_ics_datetime {
  int year, month, day; /* month 1..12, day 1..days in month */
  int hour, minute;     /* 0..23, 0..59 */
} cpt_ics_datetime;

typedef struct cpt_ics_event {
  /* UID = cpt_ics_uid(slot_id, doctor_id, cal->uid_domain): stable across
   * runs, unique per (slot, doctor). */
  const char *slot_id;
  const char *doctor_id;
  /* Local Paris times.  When end has the same date as start and its time
   * is not after start's, the event ends the next day (SPEC §2: a slot
   * whose end is not after its start crosses midnight); otherwise end must
   * be after start. */
  cpt_ics_datetime start, end;
  const char *summary;     /* e.g. "SNP — site MSP-Epinal"; NULL = "" */
  const char *location;    /* NULL or "" = no LOCATION line */
  const char *description; /* NULL or "" = no DESCRIPTION line */
} cpt_ics_event;

typedef struct cpt_ics_calendar {
  const char *name;       /* X-WR-CALNAME, e.g. "SNP rota — Dr D07" */
  const char *prodid;     /* NULL = "-//cptsopt//SNP rota//FR" */
  const char *uid_domain; /* NULL or "" = "cptsopt" */
  /* DTSTAMP of every event, in UTC; NULL = derived from the data (above). */
  const cpt_ics_datetime *dtstamp;
  const cpt_ics_event *events; /* borrowed */
  size_t n_events;
} cpt_ics_calendar;

/* Paris's offset from UTC in minutes (+60 CET or +120 CEST) at a local
 * wall-clock time, by the EU rule: summer time from the last Sunday of
 * March 01:00 UTC (02:00 local → 03:00) to the last Sunday of October
 * 01:00 UTC (03:00 local → 02:00), applied to every year.  Following RFC
 * 5545 §3.3.5, a local time that does not exist (March, 02:00–02:59) takes
 * the offset before the change (+60) and one that occurs twice (October,
 * 02:00–02:59) refers to its first occurrence (+120).  So on both change
 * days the offset switches at local 03:00.  No validation: callers pass a
 * valid date. */
int cpt_ics_paris_utc_offset(int year, int month, int day, int hour,
                             int minute);

/* The UID "<slot>-<doctor>@<domain>" written into buf (NUL-terminated,
 * truncated to size-1 bytes); returns the full length as snprintf does.
 * Octets of slot and doctor other than [A-Za-z0-9._~] are written as %XX
 * (so '-' is %2D and the split is unambiguous); the domain is encoded
 * likewise except that '-' is kept; domain NULL or "" is "cptsopt".  The
 * writer emits the whole UID, whatever its length. */
size_t cpt_ics_uid(char *buf, size_t size, const char *slot_id,
                   const char *doctor_id, const char *domain);

/* CPT_OK when every date of cal is valid and every event ends after it
 * starts (after the next-day rule); else CPT_EPARAM and, when bad_event is
 * not NULL, the index of the first bad event there (n_events when the
 * calendar itself — its dtstamp or a NULL events array with n_events > 0 —
 * is at fault). */
cpt_status cpt_ics_check(const cpt_ics_calendar *cal, size_t *bad_event);

/* Write cal to f.  Returns CPT_EPARAM (nothing written) when cpt_ics_check
 * fails, CPT_EIO when a write to f fails, else CPT_OK.  Invalid UTF-8 in a
 * text is written as U+FFFD; control characters other than newline (LF,
 * CR LF or CR) and tab are written as spaces.  f stays the caller's. */
cpt_status cpt_ics_write(FILE *f, const cpt_ics_calendar *cal);

#endif
