/*
 * options.h — the one table of configuration options (SPEC §4).
 *
 * Every option is one X(...) line:
 *   X(field, "json.path", C type, kind, default, min, max, "help")
 * kind is REAL or INT.  This table generates the cpt_config struct, its
 * defaults, the range checks, the JSON keys accepted in a config file (all
 * others are errors), the effective config echoed into reports, `--set`
 * and the help text: none of those can drift apart.
 */
#ifndef CPT_OPTIONS_H
#define CPT_OPTIONS_H

#include <stdint.h>

#define CPT_OPTIONS(X)                                                        \
  X(assign_max_km, "assign.max_km", double, REAL, 20, 0.001, 20000,           \
    "default maximum patient-doctor distance (km, after detour)")             \
  X(assign_detour, "assign.detour", double, REAL, 1.3, 1, 10,                 \
    "road/great-circle ratio applied to haversine distances")                 \
  X(assign_intra_commune_km, "assign.intra_commune_km", double, REAL, 2.0, 0, \
    100, "distance between two places of one commune (no coordinates)")       \
  X(assign_cost_per_km, "assign.cost_per_km", double, REAL, 1.0, 0, 1e6,      \
    "objective cost of one km of patient-doctor distance")                    \
  X(assign_priority_base, "assign.priority.base", double, REAL, 100, 0, 1e6,  \
    "value of placing any patient")                                           \
  X(assign_priority_ald, "assign.priority.ald", double, REAL, 60, 0, 1e6,     \
    "extra value for a patient in ALD")                                       \
  X(assign_priority_age70, "assign.priority.age70", double, REAL, 30, 0, 1e6, \
    "extra value for a patient aged 70 or more")                              \
  X(assign_priority_child, "assign.priority.child", double, REAL, 20, 0, 1e6, \
    "extra value for a patient under 16")                                     \
  X(assign_priority_precarity, "assign.priority.precarity", double, REAL, 20, \
    0, 1e6, "extra value for a patient in precarity")                         \
  X(assign_same_site_bonus, "assign.same_site_bonus", double, REAL, 10, 0,    \
    1e6, "bonus when the doctor works at the previous doctor's site")         \
  X(assign_fairness_threshold, "assign.fairness.threshold", double, REAL,     \
    0.9, 0, 10, "share of capacity above which new patients are penalised")   \
  X(assign_fairness_penalty, "assign.fairness.penalty", double, REAL, 5, 0,   \
    1e6, "penalty per new patient above the fairness threshold")              \
  X(rota_w_under, "rota.w_under", double, REAL, 1000, 0, 1e9,                 \
    "penalty per missing doctor in a slot")                                   \
  X(rota_w_over, "rota.w_over", double, REAL, 1, 0, 1e9,                      \
    "penalty per doctor above a slot's need")                                 \
  X(rota_w_preferred, "rota.w_preferred", double, REAL, -1, -1e6, 1e6,        \
    "cost of a preferred assignment (negative = reward)")                     \
  X(rota_w_fair, "rota.w_fair", double, REAL, 10, 0, 1e9,                     \
    "penalty per slot of deviation from a doctor's target")                   \
  X(rota_w_change, "rota.w_change", double, REAL, 100, 0, 1e9,                \
    "penalty per assignment that differs from the previous rota")            \
  X(rota_min_rest_h, "rota.min_rest_h", double, REAL, 11, 0, 72,              \
    "hours of rest after a night slot")                                       \
  X(rota_max_per_day, "rota.max_per_day", int64_t, INT, 2, 1, 48,             \
    "default maximum slots per doctor per day")                               \
  X(solver_time_limit_s, "solver.time_limit_s", double, REAL, 60, 0, 1e7,     \
    "time limit of a solve in seconds (0 = none)")                            \
  X(solver_threads, "solver.threads", int64_t, INT, 0, 0, 1024,               \
    "worker threads (0 = all cores)")                                         \
  X(solver_seed, "solver.seed", int64_t, INT, 1, 0, 9007199254740991,         \
    "random seed")                                                            \
  X(solver_mip_gap, "solver.mip_gap", double, REAL, 0.0, 0, 1,                \
    "relative gap at which a MIP solve stops")

#endif
