/*
 * inputs.c — input loading shared by several commands (see inputs.h): the
 * previous rota of re-planning, the patients of leaving doctors (depart),
 * and the rota solve parameters of a config.
 * The previous rota is looked up by binary search in sorted (name, index)
 * tables of the slots and doctors.
 */
#include "inputs.h"

#include <stdlib.h>
#include <string.h>

#include "../models/csv_table.h"

enum { P_SLOT, P_DOCTOR, P_NCOLS };
static const cpt_csv_col prev_cols[P_NCOLS] = {
    [P_SLOT] = {"slot", CPT_CSV_REQUIRED | CPT_CSV_NONEMPTY},
    [P_DOCTOR] = {"doctor", CPT_CSV_REQUIRED},
};
static const cpt_csv_schema prev_schema = {prev_cols, P_NCOLS, "slot, doctor",
                                           true};

typedef struct name_ix {
  const char *name;
  int32_t ix;
} name_ix;

static int cmp_name_ix(const void *a, const void *b) {
  return strcmp(((const name_ix *)a)->name, ((const name_ix *)b)->name);
}

static int32_t lookup(const name_ix *t, size_t n, const char *name) {
  name_ix key = {name, 0};
  const name_ix *hit = bsearch(&key, t, n, sizeof *t, cmp_name_ix);
  return hit ? hit->ix : -1;
}

typedef struct prev_ctx {
  name_ix *slots, *doctors;
  size_t n_slots, n_doctors;
  uint8_t *y;
} prev_ctx;

static cpt_status prev_row(cpt_csv *r, void *arg) {
  prev_ctx *c = arg;
  const char *slot, *doctor;
  size_t ls, ld;
  if (cpt_csv_str(r, P_SLOT, &slot, &ls) != CPT_FIELD_OK) return CPT_OK;
  cpt_field fd = cpt_csv_str(r, P_DOCTOR, &doctor, &ld);
  if (fd == CPT_FIELD_EMPTY) return CPT_OK; /* an uncovered marker row */
  if (fd != CPT_FIELD_OK) return CPT_OK;
  int32_t s = lookup(c->slots, c->n_slots, slot);
  int32_t d = lookup(c->doctors, c->n_doctors, doctor);
  if (s < 0) cpt_csv_error(r, P_SLOT, "not a slot of the slots file");
  if (d < 0) cpt_csv_error(r, P_DOCTOR, "not a doctor of the doctors file");
  if (s >= 0 && d >= 0) c->y[(size_t)d * c->n_slots + (size_t)s] = 1;
  return CPT_OK;
}

cpt_status cpt_cli_load_previous(const char *path, const cpt_doctors *D,
                                 const cpt_slots *S, uint8_t **out,
                                 cpt_diags *diags) {
  *out = NULL;
  prev_ctx c = {0};
  c.n_slots = S->n;
  c.n_doctors = D->n;
  c.slots = malloc((S->n ? S->n : 1) * sizeof *c.slots);
  c.doctors = malloc((D->n ? D->n : 1) * sizeof *c.doctors);
  size_t cells = S->n * D->n;
  c.y = calloc(cells ? cells : 1, 1);
  cpt_status st = CPT_ENOMEM;
  if (!c.slots || !c.doctors || !c.y) goto done;
  for (size_t i = 0; i < S->n; i++)
    c.slots[i] = (name_ix){S->v[i].id, (int32_t)i};
  for (size_t i = 0; i < D->n; i++)
    c.doctors[i] = (name_ix){D->v[i].id, (int32_t)i};
  qsort(c.slots, S->n, sizeof *c.slots, cmp_name_ix);
  qsort(c.doctors, D->n, sizeof *c.doctors, cmp_name_ix);
  st = cpt_csv_read_file(path, &prev_schema, NULL, prev_row, &c, diags);
  if (st == CPT_OK) {
    *out = c.y;
    c.y = NULL;
  }
done:
  free(c.slots);
  free(c.doctors);
  free(c.y);
  return st;
}

cpt_patients *cpt_cli_select_departing(const cpt_patients *P,
                                       const char *const *leaving,
                                       size_t n_leaving, bool *all) {
  cpt_patients *v = calloc(1, sizeof *v);
  if (!v) return NULL;
  v->v = malloc((P->n ? P->n : 1) * sizeof *v->v);
  if (!v->v) {
    free(v);
    return NULL;
  }
  for (size_t i = 0; i < P->n; i++) {
    const char *prev = P->v[i].prev_doctor;
    for (size_t k = 0; prev && k < n_leaving; k++)
      if (!strcmp(prev, leaving[k])) {
        v->v[v->n++] = P->v[i];
        break;
      }
  }
  *all = v->n == 0;
  if (*all) {
    memcpy(v->v, P->v, P->n * sizeof *v->v);
    v->n = P->n;
  }
  return v;
}

void cpt_cli_rota_solve_params(const cpt_config *cfg,
                               cpt_rota_solve_params *sp) {
  sp->w_under = cfg->rota_w_under;
  sp->w_over = cfg->rota_w_over;
  sp->w_preferred = cfg->rota_w_preferred;
  sp->w_fair = cfg->rota_w_fair;
  sp->w_change = cfg->rota_w_change;
  sp->time_limit_s = cfg->solver_time_limit_s;
  sp->mip_gap = cfg->solver_mip_gap;
  sp->threads = (int)cfg->solver_threads;
  sp->seed = (uint64_t)cfg->solver_seed;
}
