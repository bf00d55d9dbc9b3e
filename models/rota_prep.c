/*
 * rota_prep.c — from the rota tables to the facts the rota models need
 * (rota.h, SPEC §2 "Precisely").
 *
 * Names are resolved through sorted (name, index) arrays and bsearch.
 *
 * Open / preferred.  Slots are sorted by start.  Each availability row
 * [a, b) of doctor d visits only the slots it can touch: an available or
 * preferred row the slots with a ≤ start < b (it covers those with
 * end ≤ b); an unavailable row the slots with a − L < start < b, L the
 * longest slot, and blocks those with end > a (half-open intersection).
 * Then OPEN = covered ∧ ¬blocked, and ALLOWED = OPEN ∧ site served.
 * Cost O(A log S + Σ visited) instead of O(|D|·|S|·rows).
 *
 * Conflicts.  In start order, slot s conflicts with each later t with
 * t.start < s.end (overlap: t.start ≥ s.start, so the intervals meet iff
 * t starts before s ends) and, when s is a night slot, with each t with
 * s.end ≤ t.start < s.end + rest.  A later-starting t can never end before
 * s starts, so the scan from s forward finds every pair once.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "instance.h"
#include "rota.h"

void cpt_rota_prep_params_init(cpt_rota_prep_params *p) {
  p->min_rest_h = 11;
  p->max_per_day = 2;
}

bool cpt_rota_is_night(const cpt_slot *s) {
  int64_t end_day = cpt_rota_day_of(s->end);
  return end_day != cpt_rota_day_of(s->start) ||
         s->end - end_day * CPT_MIN_PER_DAY > 22 * 60;
}

bool cpt_rota_serves(const char *sites, const char *site) {
  if (!sites || !site) return true;
  const char *p = sites;
  bool any = false;
  size_t sl = strlen(site);
  for (;;) {
    const char *e = strchr(p, '|');
    if (!e) e = p + strlen(p);
    const char *a = p, *b = e;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (b > a) {
      any = true;
      if ((size_t)(b - a) == sl && memcmp(a, site, sl) == 0) return true;
    }
    if (!*e) break;
    p = e + 1;
  }
  return !any; /* only separators and blanks: all sites */
}

/* --- Name lookup -------------------------------------------------------- */

typedef struct named {
  const char *name;
  int32_t index;
} named;

static int cmp_named(const void *a, const void *b) {
  return strcmp(((const named *)a)->name, ((const named *)b)->name);
}

static int32_t find(const named *v, size_t n, const char *name) {
  named key = {name, 0};
  const named *h = n ? bsearch(&key, v, n, sizeof *v, cmp_named) : NULL;
  return h ? h->index : -1;
}

/* --- Slot order --------------------------------------------------------- */

/* qsort has no context argument in C11: sort (start, index) keys rather
 * than indices, so that no global is needed. */
typedef struct skey {
  int64_t start;
  int32_t index;
} skey;

static int cmp_skey(const void *a, const void *b) {
  const skey *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

static int cmp_conflict(const void *a, const void *b) {
  const cpt_rota_conflict *x = a, *y = b;
  if (x->s != y->s) return x->s < y->s ? -1 : 1;
  return (x->t > y->t) - (x->t < y->t);
}

/* First position in keys[0..n) with start ≥ v. */
static size_t lower(const skey *keys, size_t n, int64_t v) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (keys[mid].start < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

void cpt_rota_free(cpt_rota *r) {
  if (!r) return;
  free(r->ds);
  free(r->conflicts);
  free(r->days);
  free(r->day_first);
  free(r->day_slots);
  free(r->slot_day);
  free(r->target);
  free(r->hist);
  free(r->max_slots);
  free(r->max_per_day);
  free(r->pinned);
  free(r);
}

/* Bits used while building, cleared at the end. */
enum { COVER = 1u << 5, BLOCK = 1u << 6 };

static cpt_status build_matrix(cpt_rota *r, const cpt_doctors *doctors,
                               const cpt_slots *slots, const skey *keys,
                               const cpt_avails *av, const int32_t *av_doc) {
  size_t ns = r->n_slots;
  int64_t longest = 0;
  for (size_t s = 0; s < ns; s++)
    if (slots->v[s].end - slots->v[s].start > longest)
      longest = slots->v[s].end - slots->v[s].start;
  for (size_t i = 0; av && i < av->n; i++) {
    const cpt_avail *a = &av->v[i];
    uint8_t *row = r->ds + (size_t)av_doc[i] * ns;
    if (a->level == CPT_AVAIL_UNAVAILABLE) {
      for (size_t k = lower(keys, ns, a->start - longest + 1);
           k < ns && keys[k].start < a->end; k++)
        if (slots->v[keys[k].index].end > a->start)
          row[keys[k].index] |= BLOCK;
    } else {
      for (size_t k = lower(keys, ns, a->start);
           k < ns && keys[k].start < a->end; k++)
        if (slots->v[keys[k].index].end <= a->end)
          row[keys[k].index] |= (uint8_t)(
              COVER | (a->level == CPT_AVAIL_PREFERRED ? CPT_DS_PREFERRED : 0));
    }
  }
  for (size_t d = 0; d < r->n_doctors; d++)
    for (size_t s = 0; s < ns; s++) {
      uint8_t *f = &r->ds[d * ns + s];
      if ((*f & COVER) && !(*f & BLOCK)) *f |= CPT_DS_OPEN;
      if (cpt_rota_serves(doctors->v[d].sites, slots->v[s].site))
        *f |= CPT_DS_SITE;
      if ((*f & CPT_DS_OPEN) && (*f & CPT_DS_SITE)) *f |= CPT_DS_ALLOWED;
      *f &= (uint8_t)~(COVER | BLOCK);
    }
  return CPT_OK;
}

static cpt_status build_conflicts(cpt_rota *r, const cpt_slots *slots,
                                  const skey *keys, int64_t rest) {
  size_t ns = r->n_slots, cap = 0;
  for (size_t i = 0; i < ns; i++) {
    const cpt_slot *s = &slots->v[keys[i].index];
    bool night = cpt_rota_is_night(s);
    int64_t until = night ? s->end + rest : s->end;
    for (size_t j = i + 1; j < ns && keys[j].start < until; j++) {
      unsigned kind = keys[j].start < s->end ? CPT_CONFLICT_OVERLAP
                                             : CPT_CONFLICT_REST;
      if (r->n_conflicts == cap) {
        cap = cap ? 2 * cap : 64;
        cpt_rota_conflict *v = realloc(r->conflicts, cap * sizeof *v);
        if (!v) return CPT_ENOMEM;
        r->conflicts = v;
      }
      int32_t a = keys[i].index, b = keys[j].index;
      r->conflicts[r->n_conflicts++] =
          (cpt_rota_conflict){a < b ? a : b, a < b ? b : a, kind};
    }
  }
  if (r->n_conflicts)
    qsort(r->conflicts, r->n_conflicts, sizeof *r->conflicts, cmp_conflict);
  return CPT_OK;
}

static cpt_status build_days(cpt_rota *r, const skey *keys) {
  size_t ns = r->n_slots;
  /* Days in start order; each day's slots listed in index order. */
  for (size_t k = 0; k < ns; k++) {
    int64_t day = cpt_rota_day_of(keys[k].start);
    if (r->n_days == 0 || r->days[r->n_days - 1] != day) {
      r->days[r->n_days] = day;
      r->day_first[r->n_days++] = k;
    }
    r->slot_day[keys[k].index] = (int32_t)(r->n_days - 1);
  }
  r->day_first[r->n_days] = ns;
  size_t *fill = calloc(r->n_days + 1, sizeof *fill);
  if (!fill) return CPT_ENOMEM;
  for (size_t s = 0; s < ns; s++) {
    int32_t k = r->slot_day[s];
    r->day_slots[r->day_first[k] + fill[k]++] = (int32_t)s;
  }
  free(fill);
  return CPT_OK;
}

/* Resolve a name column of a table; errors at FILE:LINE:COL. */
static int32_t resolve(const named *v, size_t n, const char *name,
                       const char *file, int64_t line, int32_t col,
                       const char *column, const char *other,
                       cpt_diags *diags) {
  int32_t i = find(v, n, name);
  if (i < 0)
    cpt_diag_error(diags, file, (long)line, col,
                   "column '%s': expected a %s id from the %s file, got "
                   "\"%s\" (unknown)",
                   column, column, other, name);
  return i;
}

cpt_status cpt_rota_prepare(const cpt_doctors *doctors,
                            const cpt_slots *slots,
                            const cpt_avails *availability,
                            const cpt_hists *history, const cpt_pins *pinned,
                            const cpt_rota_prep_params *params,
                            cpt_rota **out, cpt_diags *diags) {
  *out = NULL;
  if (!doctors || !slots || !params || !isfinite(params->min_rest_h) ||
      params->min_rest_h < 0 || params->min_rest_h > 24 * 365 ||
      params->max_per_day < 1)
    return CPT_EPARAM;
  size_t nd = doctors->n, ns = slots->n;
  if (ns > INT32_MAX || nd > INT32_MAX || (ns && nd > SIZE_MAX / ns))
    return CPT_EPARAM;
  cpt_status st = CPT_ENOMEM;
  size_t errors0 = diags->n_errors;
  cpt_rota *r = calloc(1, sizeof *r);
  named *dn = malloc((nd + 1) * sizeof *dn);
  named *sn = malloc((ns + 1) * sizeof *sn);
  skey *keys = malloc((ns + 1) * sizeof *keys);
  int32_t *av_doc =
      malloc(((availability ? availability->n : 0) + 1) * sizeof *av_doc);
  if (!r || !dn || !sn || !keys || !av_doc) goto done;
  r->n_doctors = nd;
  r->n_slots = ns;
  if (!(r->ds = calloc(nd * ns + 1, 1)) ||
      !(r->days = malloc((ns + 1) * sizeof *r->days)) ||
      !(r->day_first = malloc((ns + 1) * sizeof *r->day_first)) ||
      !(r->day_slots = malloc((ns + 1) * sizeof *r->day_slots)) ||
      !(r->slot_day = malloc((ns + 1) * sizeof *r->slot_day)) ||
      !(r->target = malloc((nd + 1) * sizeof *r->target)) ||
      !(r->hist = calloc(nd + 1, sizeof *r->hist)) ||
      !(r->max_slots = malloc((nd + 1) * sizeof *r->max_slots)) ||
      !(r->max_per_day = malloc((nd + 1) * sizeof *r->max_per_day)) ||
      !(r->pinned = malloc(((pinned ? pinned->n : 0) + 1) *
                           sizeof *r->pinned)))
    goto done;
  for (size_t d = 0; d < nd; d++) dn[d] = (named){doctors->v[d].id, (int32_t)d};
  for (size_t s = 0; s < ns; s++) {
    sn[s] = (named){slots->v[s].id, (int32_t)s};
    keys[s] = (skey){slots->v[s].start, (int32_t)s};
  }
  if (nd) qsort(dn, nd, sizeof *dn, cmp_named);
  if (ns) {
    qsort(sn, ns, sizeof *sn, cmp_named);
    qsort(keys, ns, sizeof *keys, cmp_skey);
  }

  /* Cross-file names. */
  for (size_t i = 0; availability && i < availability->n; i++) {
    const cpt_avail *a = &availability->v[i];
    av_doc[i] = resolve(dn, nd, a->doctor, availability->file, a->line,
                        availability->doctor_col, "doctor", "doctors", diags);
  }
  int64_t hist_sum = 0;
  for (size_t i = 0; history && i < history->n; i++) {
    const cpt_hist *h = &history->v[i];
    int32_t d = resolve(dn, nd, h->doctor, history->file, h->line,
                        history->doctor_col, "doctor", "doctors", diags);
    if (d >= 0) {
      r->hist[d] = h->slots;
      hist_sum += h->slots;
    }
  }
  for (size_t i = 0; pinned && i < pinned->n; i++) {
    const cpt_pin *p = &pinned->v[i];
    int32_t d = resolve(dn, nd, p->doctor, pinned->file, p->line,
                        pinned->doctor_col, "doctor", "doctors", diags);
    int32_t s = resolve(sn, ns, p->slot, pinned->file, p->line,
                        pinned->slot_col, "slot", "slots", diags);
    if (d >= 0 && s >= 0) r->pinned[r->n_pinned++] = (cpt_rota_pinned){d, s};
  }
  if (diags->n_errors > errors0) {
    st = CPT_EINPUT;
    goto done;
  }

  /* Per doctor. */
  int64_t need_sum = 0;
  for (size_t s = 0; s < ns; s++) need_sum += slots->v[s].need;
  r->equal_share = nd ? (double)(need_sum + hist_sum) / (double)nd : 0.0;
  for (size_t d = 0; d < nd; d++) {
    const cpt_doctor *doc = &doctors->v[d];
    r->target[d] = isnan(doc->target) ? r->equal_share : doc->target;
    r->max_slots[d] = doc->max_slots;
    r->max_per_day[d] =
        doc->max_per_day >= 1 ? doc->max_per_day : params->max_per_day;
  }

  if ((st = build_matrix(r, doctors, slots, keys, availability, av_doc)) !=
          CPT_OK ||
      (st = build_conflicts(r, slots, keys,
                            llround(params->min_rest_h * 60))) != CPT_OK ||
      (st = build_days(r, keys)) != CPT_OK)
    goto done;

  /* Pinned: one per pair; warn on repeats and on pairs not allowed. */
  size_t kept = 0;
  for (size_t i = 0; i < r->n_pinned; i++) {
    cpt_rota_pinned p = r->pinned[i];
    uint8_t *f = &r->ds[(size_t)p.doctor * ns + (size_t)p.slot];
    const cpt_pin *row = &pinned->v[i];
    /* r->pinned[i] came from pinned->v[i]: no row was skipped (no errors). */
    if (*f & CPT_DS_PINNED) {
      cpt_diag_warn(diags, pinned->file, (long)row->line, 0,
                    "doctor \"%s\" is pinned to slot \"%s\" more than once",
                    row->doctor, row->slot);
      continue;
    }
    *f |= CPT_DS_PINNED;
    if (!(*f & CPT_DS_ALLOWED))
      cpt_diag_warn(diags, pinned->file, (long)row->line, 0,
                    "doctor \"%s\" is pinned to slot \"%s\" although %s; "
                    "the pin is kept",
                    row->doctor, row->slot,
                    !(*f & CPT_DS_OPEN) ? "the slot is not open to them"
                                        : "they do not serve its site");
    r->pinned[kept++] = p;
  }
  r->n_pinned = kept;
  st = CPT_OK;

done:
  free(dn);
  free(sn);
  free(keys);
  free(av_doc);
  if (st != CPT_OK) cpt_rota_free(r);
  else *out = r;
  return st;
}
