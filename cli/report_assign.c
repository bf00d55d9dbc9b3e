/*
 * report_assign.c — the outputs of `assign`: assignments CSV, JSON report
 * (SPEC §4: status, objective, bound, gap, time_s, method, threads, seed,
 * config, version, plus per-doctor load before/after, per-category counts,
 * unplaced patients by reason, distance statistics and model size) and the
 * human summary.  Patient identifiers appear only in the CSV, which is the
 * output the user asked for; the report and the summary hold counts.
 */
#include "report_assign.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct counts {
  size_t n[1 + CPT_N_CATS], placed[1 + CPT_N_CATS]; /* [0] = all */
  size_t reason[CPT_N_REASONS];
  size_t cat_reason[1 + CPT_N_CATS][CPT_N_REASONS];
  double dist_mean, dist_p50, dist_p95, dist_max;
  size_t households, prev_known;
} counts;

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

static double quantile(const double *v, size_t n, double q) {
  if (!n) return 0;
  size_t i = (size_t)ceil(q * (double)n);
  if (i > 0) i--;
  if (i >= n) i = n - 1;
  return v[i];
}

static void count(const cpt_patients *P, const cpt_assign_result *r,
                  counts *c) {
  memset(c, 0, sizeof *c);
  double *dist = malloc((P->n ? P->n : 1) * sizeof *dist);
  size_t nd = 0;
  double sum = 0;
  for (size_t p = 0; p < P->n; p++) {
    unsigned cats = cpt_patient_categories(&P->v[p]);
    bool placed = r->doctor_of[p] >= 0;
    c->n[0]++;
    c->placed[0] += placed;
    for (int b = 0; b < CPT_N_CATS; b++)
      if (cats & (1u << b)) {
        c->n[1 + b]++;
        c->placed[1 + b] += placed;
      }
    c->reason[r->reason[p]]++;
    c->cat_reason[0][r->reason[p]]++;
    for (int b = 0; b < CPT_N_CATS; b++)
      if (cats & (1u << b)) c->cat_reason[1 + b][r->reason[p]]++;
    if (placed) {
      sum += r->distance_km[p];
      if (dist) dist[nd++] = r->distance_km[p];
    }
  }
  if (dist && nd) {
    qsort(dist, nd, sizeof *dist, cmp_double);
    c->dist_mean = sum / (double)nd;
    c->dist_p50 = quantile(dist, nd, 0.5);
    c->dist_p95 = quantile(dist, nd, 0.95);
    c->dist_max = dist[nd - 1];
  }
  free(dist);
}

void cpt_assign_write_csv(FILE *f, const cpt_doctors *D,
                          const cpt_patients *P, const cpt_assign_result *r,
                          const cpt_assign_report_info *info) {
  bool waves = info && info->waves > 1;
  fputs("patient,doctor,distance_km,reason", f);
  if (waves) fputs(",wave", f);
  for (int32_t i = 1; i <= r->n_alt; i++) fprintf(f, ",alt_%d,alt_%d_km", i, i);
  fputc('\n', f);
  for (size_t p = 0; p < P->n; p++) {
    int32_t d = r->doctor_of[p];
    if (d >= 0)
      fprintf(f, "%s,%s,%.3f,%s", P->v[p].id, D->v[d].id, r->distance_km[p],
              cpt_reason_name(CPT_REASON_ASSIGNED));
    else
      fprintf(f, "%s,,,%s", P->v[p].id, cpt_reason_name(r->reason[p]));
    if (waves) {
      if (r->wave[p] > 0)
        fprintf(f, ",%d", r->wave[p]);
      else
        fputc(',', f);
    }
    for (int32_t i = 0; i < r->n_alt; i++) {
      int32_t a = r->alt[p * (size_t)r->n_alt + (size_t)i];
      if (a >= 0)
        fprintf(f, ",%s,%.3f", D->v[a].id, r->alt_km[p * (size_t)r->n_alt + (size_t)i]);
      else
        fputs(",,", f);
    }
    fputc('\n', f);
  }
}

/* Round to 6 significant decimals so that reports do not show float noise. */
static double r6(double x) { return isfinite(x) ? round(x * 1e6) / 1e6 : x; }

static cJSON *cat_obj(const counts *c, int i) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "patients", (double)c->n[i]);
  cJSON_AddNumberToObject(o, "assigned", (double)c->placed[i]);
  cJSON_AddNumberToObject(o, "unassigned", (double)(c->n[i] - c->placed[i]));
  return o;
}

cJSON *cpt_assign_report_json(const cpt_doctors *D, const cpt_patients *P,
                              const cpt_assign_result *r,
                              const cpt_config *cfg,
                              const cpt_assign_report_info *info) {
  counts c;
  count(P, r, &c);
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "status", cpt_solve_status_name(r->status));
  cJSON_AddNumberToObject(root, "objective", r6(r->objective));
  cJSON_AddNumberToObject(root, "bound", r6(r->bound));
  cJSON_AddNumberToObject(root, "gap", r->gap);
  cJSON_AddNumberToObject(root, "time_s", round(r->time_s * 1000) / 1000);
  cJSON_AddStringToObject(root, "method", cpt_assign_method_name(r->method));
  cJSON_AddNumberToObject(root, "threads", info->threads);
  cJSON_AddNumberToObject(root, "seed", (double)cfg->solver_seed);
  cJSON_AddStringToObject(root, "command", info->command);

  cJSON *in = cJSON_AddObjectToObject(root, "input");
  cJSON_AddNumberToObject(in, "doctors", (double)D->n);
  cJSON_AddNumberToObject(in, "patients", (double)P->n);
  size_t nleave = 0, room = 0;
  for (size_t d = 0; d < D->n; d++) {
    nleave += r->leaving[d];
    room += (size_t)r->room[d];
  }
  cJSON_AddNumberToObject(in, "leaving_doctors", (double)nleave);
  cJSON_AddNumberToObject(in, "total_room", (double)room);
  cJSON_AddNumberToObject(in, "read_s", round(info->read_s * 1000) / 1000);

  cJSON *res = cJSON_AddObjectToObject(root, "result");
  cJSON_AddNumberToObject(res, "assigned", (double)c.placed[0]);
  cJSON_AddNumberToObject(res, "unassigned", (double)(c.n[0] - c.placed[0]));
  cJSON *cats = cJSON_AddObjectToObject(res, "categories");
  cJSON_AddItemToObject(cats, "all", cat_obj(&c, 0));
  for (int b = 0; b < CPT_N_CATS; b++)
    cJSON_AddItemToObject(cats, cpt_category_name(b), cat_obj(&c, 1 + b));
  cJSON *why = cJSON_AddObjectToObject(res, "unassigned_by_reason");
  for (int k = 1; k < CPT_N_REASONS; k++)
    cJSON_AddNumberToObject(why, cpt_reason_name((cpt_reason)k),
                            (double)c.reason[k]);
  cJSON *dist = cJSON_AddObjectToObject(res, "distance_km");
  cJSON_AddNumberToObject(dist, "mean", r6(c.dist_mean));
  cJSON_AddNumberToObject(dist, "p50", r6(c.dist_p50));
  cJSON_AddNumberToObject(dist, "p95", r6(c.dist_p95));
  cJSON_AddNumberToObject(dist, "max", r6(c.dist_max));

  /* the indicators a CPTS reports for its ACI review: patients placed by
   * priority category, patients left without MT and why */
  cJSON *aci = cJSON_AddObjectToObject(root, "aci_indicators");
  cJSON_AddNumberToObject(aci, "patients_to_place", (double)c.n[0]);
  cJSON_AddNumberToObject(aci, "placed", (double)c.placed[0]);
  cJSON *left = cJSON_AddObjectToObject(aci, "left_without_mt");
  for (int i = 0; i <= CPT_N_CATS; i++) {
    cJSON *o = cJSON_AddObjectToObject(left, i ? cpt_category_name(i - 1) : "all");
    cJSON_AddNumberToObject(o, "total", (double)(c.n[i] - c.placed[i]));
    for (int k = 1; k < CPT_N_REASONS; k++)
      if (c.cat_reason[i][k])
        cJSON_AddNumberToObject(o, cpt_reason_name((cpt_reason)k),
                                (double)c.cat_reason[i][k]);
  }
  if (info->n_leaving) {
    cJSON *lv = cJSON_AddArrayToObject(root, "leaving");
    for (size_t i = 0; i < info->n_leaving; i++)
      cJSON_AddItemToArray(lv, cJSON_CreateString(info->leaving[i]));
  }
  if (info->waves > 1) {
    cJSON *wv = cJSON_AddArrayToObject(root, "waves");
    for (int32_t w = 1; w <= info->waves; w++) {
      size_t n = 0;
      for (size_t p = 0; p < P->n; p++) n += r->wave[p] == w;
      cJSON *o = cJSON_CreateObject();
      cJSON_AddNumberToObject(o, "wave", w);
      cJSON_AddNumberToObject(o, "placed", (double)n);
      cJSON_AddItemToArray(wv, o);
    }
  }

  cJSON *docs = cJSON_AddArrayToObject(root, "doctors");
  for (size_t d = 0; d < D->n; d++) {
    const cpt_doctor *doc = &D->v[d];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", doc->id);
    if (doc->site)
      cJSON_AddStringToObject(o, "site", doc->site);
    else
      cJSON_AddNullToObject(o, "site");
    cJSON_AddNumberToObject(o, "capacity", doc->capacity);
    cJSON_AddNumberToObject(o, "before", doc->current);
    cJSON_AddNumberToObject(o, "room", r->room[d]);
    cJSON_AddNumberToObject(o, "new", r->new_load[d]);
    cJSON_AddNumberToObject(o, "after", doc->current + r->new_load[d]);
    cJSON_AddBoolToObject(o, "leaving", r->leaving[d]);
    cJSON_AddItemToArray(docs, o);
  }

  const cpt_assign_stats *s = &r->stats;
  cJSON *m = cJSON_AddObjectToObject(root, "model");
  cJSON_AddNumberToObject(m, "patient_classes", (double)s->n_classes);
  cJSON_AddNumberToObject(m, "job_classes", (double)s->n_jobs);
  cJSON_AddNumberToObject(m, "eligible_pairs", (double)s->n_pairs);
  if (r->method == CPT_METHOD_FLOW) {
    cJSON_AddNumberToObject(m, "nodes", (double)s->n_nodes);
    cJSON_AddNumberToObject(m, "arcs", (double)s->n_arcs);
    cJSON_AddNumberToObject(m, "pivots", (double)s->pivots);
  } else {
    cJSON_AddNumberToObject(m, "rows", (double)s->n_rows);
    cJSON_AddNumberToObject(m, "columns", (double)s->n_cols);
    cJSON_AddNumberToObject(m, "nonzeros", (double)s->n_nz);
    cJSON_AddNumberToObject(m, "bb_nodes", (double)s->nodes);
  }
  cJSON *t = cJSON_AddObjectToObject(root, "timing_s");
  cJSON_AddNumberToObject(t, "candidates", round(s->t_candidates_s * 1000) / 1000);
  cJSON_AddNumberToObject(t, "build", round(s->t_build_s * 1000) / 1000);
  cJSON_AddNumberToObject(t, "solve", round(s->t_solve_s * 1000) / 1000);

  cJSON *w = cJSON_AddArrayToObject(root, "warnings");
  if (info->warnings) {
    char buf[1400];
    for (size_t i = 0; i < info->warnings->n; i++)
      if (info->warnings->v[i].level == CPT_DIAG_WARNING)
        cJSON_AddItemToArray(w, cJSON_CreateString(cpt_diag_format(
                                    &info->warnings->v[i], buf, sizeof buf)));
  }
  cJSON_AddItemToObject(root, "config", cpt_config_to_json(cfg));
  cJSON_AddStringToObject(root, "version", CPT_VERSION);
  return root;
}


typedef struct dl { int32_t d; double share; int32_t n; } dl;

static int cmp_dl(const void *x, const void *y) {
  const dl *a = x, *b = y;
  if (a->share != b->share) return a->share < b->share ? 1 : -1;
  if (a->n != b->n) return a->n < b->n ? 1 : -1;
  return (a->d > b->d) - (a->d < b->d);
}

void cpt_assign_print_summary(FILE *out, const cpt_doctors *D,
                              const cpt_patients *P,
                              const cpt_assign_result *r,
                              const cpt_assign_report_info *info) {
  counts c;
  count(P, r, &c);
  fprintf(out, "cptsopt %s: %zu patients, %zu doctors; method %s; %s%s in %.2f s\n",
          info->command, P->n, D->n, cpt_assign_method_name(r->method),
          cpt_solve_status_name(r->status),
          r->status == CPT_SOLVE_OPTIMAL && r->gap > 0
              ? " within the requested mip_gap" : "",
          r->time_s);
  fprintf(out, "  objective %.2f   bound %.2f   gap %.4f%%\n", r->objective,
          r->bound, 100.0 * r->gap);
  double pct = c.n[0] ? 100.0 * (double)c.placed[0] / (double)c.n[0] : 0;
  fprintf(out, "  placed %zu of %zu (%.1f%%)", c.placed[0], c.n[0], pct);
  for (int b = 0; b < CPT_N_CATS; b++)
    fprintf(out, "%s %s %zu/%zu", b ? "," : ":", cpt_category_name(b),
            c.placed[1 + b], c.n[1 + b]);
  fputc('\n', out);
  size_t un = c.n[0] - c.placed[0];
  if (un) {
    fprintf(out, "  unplaced %zu:", un);
    const char *sep = "";
    for (int k = 1; k < CPT_N_REASONS; k++)
      if (c.reason[k]) {
        fprintf(out, "%s %s %zu", sep, cpt_reason_name((cpt_reason)k),
                c.reason[k]);
        sep = ",";
      }
    fputc('\n', out);
  }
  for (int b = 0; un && b < CPT_N_CATS; b++) {
    size_t left = c.n[1 + b] - c.placed[1 + b];
    if (!left) continue;
    fprintf(out, "    %s left without MT: %zu (", cpt_category_name(b), left);
    const char *sep = "";
    for (int k = 1; k < CPT_N_REASONS; k++)
      if (c.cat_reason[1 + b][k]) {
        fprintf(out, "%s%s %zu", sep, cpt_reason_name((cpt_reason)k),
                c.cat_reason[1 + b][k]);
        sep = ", ";
      }
    fputs(")\n", out);
  }
  if (info->waves > 1) {
    fprintf(out, "  waves:");
    for (int32_t w = 1; w <= info->waves; w++) {
      size_t n = 0;
      for (size_t p = 0; p < P->n; p++) n += r->wave[p] == w;
      fprintf(out, "%s %d: %zu", w > 1 ? "," : "", w, n);
    }
    fputc('\n', out);
  }
  if (c.placed[0])
    fprintf(out, "  distance: mean %.1f km, median %.1f km, p95 %.1f km, "
                 "max %.1f km\n",
            c.dist_mean, c.dist_p50, c.dist_p95, c.dist_max);
  dl *v = malloc((D->n ? D->n : 1) * sizeof *v);
  if (!v) return;
  size_t n = 0;
  for (size_t d = 0; d < D->n; d++)
    if (r->new_load[d] > 0) {
      v[n].d = (int32_t)d;
      v[n].n = r->new_load[d];
      v[n].share = D->v[d].capacity > 0
                       ? (double)(D->v[d].current + r->new_load[d]) /
                             D->v[d].capacity
                       : 0;
      n++;
    }
  qsort(v, n, sizeof *v, cmp_dl);
  if (n) {
    fprintf(out, "  most loaded (list after / capacity, +new):");
    for (size_t i = 0; i < n && i < 5; i++) {
      const cpt_doctor *doc = &D->v[v[i].d];
      fprintf(out, "%s %s %d/%d +%d", i ? "," : "", doc->id,
              doc->current + v[i].n, doc->capacity, v[i].n);
    }
    fputc('\n', out);
  }
  free(v);
}
