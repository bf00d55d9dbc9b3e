/*
 * rota_check.c — see rota_check.h.  Deliberately naive: every pair of slots
 * of every doctor is looked at, times come straight from the slot table.
 */
#include "rota_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int fail(char *why, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *why, size_t size, const char *fmt, ...) {
  if (why && size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
  }
  return -1;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

static int64_t start_day(const cpt_slot *s) {
  return floor_div(s->start, 1440);
}

static bool night(const cpt_slot *s) {
  int64_t end_day = floor_div(s->end, 1440);
  int64_t end_mod = s->end - end_day * 1440;
  /* an end at 24:00 is the next day's 00:00: a later day */
  return end_day > start_day(s) || end_mod > 22 * 60;
}

/* s ends, then t starts too soon after it */
static bool rest_broken(const cpt_slot *s, const cpt_slot *t, double rest_h) {
  return night(s) && t->start >= s->end &&
         (double)(t->start - s->end) < rest_h * 60.0;
}

int cpt_rota_check(const cpt_rota *r, const cpt_slots *slots,
                   double min_rest_h, const uint8_t *y, char *why,
                   size_t why_size) {
  size_t D = r->n_doctors, S = r->n_slots;
  if (slots->n != S) return fail(why, why_size, "slot count mismatch");
  for (size_t d = 0; d < D; d++) {
    long load = 0;
    for (size_t s = 0; s < S; s++) {
      if (!y[d * S + s]) continue;
      load++;
      if (!(r->ds[d * S + s] & CPT_DS_ALLOWED))
        return fail(why, why_size, "allowed: doctor %zu on slot %s", d,
                    slots->v[s].id);
      long same_day = 0;
      for (size_t t = 0; t < S; t++) {
        if (!y[d * S + t]) continue;
        if (start_day(&slots->v[t]) == start_day(&slots->v[s])) same_day++;
        if (t == s) continue;
        const cpt_slot *a = &slots->v[s], *b = &slots->v[t];
        if (a->start < b->end && b->start < a->end)
          return fail(why, why_size, "overlap: doctor %zu on %s and %s", d,
                      a->id, b->id);
        if (rest_broken(a, b, min_rest_h))
          return fail(why, why_size, "rest: doctor %zu on %s then %s", d,
                      a->id, b->id);
      }
      if (same_day > r->max_per_day[d])
        return fail(why, why_size,
                    "max_per_day: doctor %zu has %ld slots on the day of %s",
                    d, same_day, slots->v[s].id);
    }
    if (r->max_slots[d] >= 0 && load > r->max_slots[d])
      return fail(why, why_size, "max_slots: doctor %zu has %ld slots", d,
                  load);
  }
  for (size_t i = 0; i < r->n_pinned; i++) {
    size_t d = (size_t)r->pinned[i].doctor, s = (size_t)r->pinned[i].slot;
    if (!y[d * S + s])
      return fail(why, why_size, "pinned: doctor %zu not on slot %s", d,
                  slots->v[s].id);
  }
  return 0;
}

double cpt_rota_check_objective(const cpt_rota *r, const cpt_slots *slots,
                                const cpt_rota_solve_params *w,
                                const uint8_t *y) {
  size_t D = r->n_doctors, S = r->n_slots;
  double f = 0;
  for (size_t s = 0; s < S; s++) {
    long c = 0;
    for (size_t d = 0; d < D; d++) c += y[d * S + s];
    long need = slots->v[s].need;
    if (c < need) f += w->w_under * (double)(need - c);
    if (c > need) f += w->w_over * (double)(c - need);
  }
  for (size_t d = 0; d < D; d++) {
    long load = 0;
    for (size_t s = 0; s < S; s++) {
      load += y[d * S + s];
      if (y[d * S + s] && (r->ds[d * S + s] & CPT_DS_PREFERRED))
        f += w->w_preferred;
      if (w->previous && (y[d * S + s] != 0) != (w->previous[d * S + s] != 0))
        f += w->w_change;
    }
    f += w->w_fair * fabs((double)load + (double)r->hist[d] - r->target[d]);
  }
  return f;
}
