/*
 * rpps.h — general practitioners of a territory from the public RPPS
 * extract ("Annuaire santé", PS_LibreAcces_Personne_activite_*.txt).
 *
 * The extract is '|'-separated UTF-8 text with a header line; each line
 * ends with a '|' (tolerated when missing), CRLF and a leading BOM are
 * accepted, and there is no quoting.  It holds one line per practitioner,
 * activity site and role, so one practitioner at one site may appear on
 * several lines.  Columns are found by their header name (order free,
 * other columns ignored; names compare ASCII-case-insensitively and
 * ignoring non-ASCII bytes, so a Latin-1 header matches too).  Required:
 *   Identifiant PP, Code profession, Code savoir-faire, Code mode exercice,
 *   Code commune (coord. structure)
 * Used when present: Identifiant technique de la structure, Numéro SIRET
 * site, Code genre activité, and the address columns Numéro Voie, Indice
 * répétition voie, Code type de voie, Libellé Voie, Code postal (all
 * "(coord. structure)").  Names of practitioners are never read.
 *
 * A line is kept when
 *   Code profession = 10 (médecin),
 *   Code savoir-faire ∈ {SM26 "Qualifié en médecine générale",
 *                        SM53 "Spécialiste en médecine générale",
 *                        SM54 "Médecine générale"}  (NOS TRE_R38),
 *   Code mode exercice = L (libéral), or S (salarié) with include_salaried,
 *   Code genre activité is GENR01 or empty (GENR02/03 are replacements,
 *     GENR04 non-care activity),
 *   the commune code is in the communes table and in the territory (an
 *     arrondissement of Paris, Lyon or Marseille counts as its city when
 *     only the city is in the territory).
 * Kept lines are merged per (Identifiant PP, site); the site is
 *   "S" + Identifiant technique de la structure, else
 *   "SIRET" + Numéro SIRET site, else
 *   "A" + commune + "-" + 12 hex digits of a hash of the normalised
 *     address (so two practitioners at one address share the site).
 * Sites are sorted by (Identifiant PP, site); a practitioner's first site
 * has the id "RPPS<Identifiant PP>", the next "RPPS<…>-2", "-3", ...
 *
 * The file is read line by line through a fixed buffer: memory grows with
 * the kept sites, never with the size of the extract.
 */
#ifndef CPT_RPPS_H
#define CPT_RPPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../solver/diag.h"
#include "../solver/status.h"
#include "communes.h"

#define CPT_RPPS_MAX_LINE 65536 /* bytes in one line, end of line included */
#define CPT_RPPS_MAX_FIELDS 512 /* columns in the header */

typedef struct cpt_rpps_params {
  const cpt_communes *communes; /* borrowed, required */
  /* The territory: indices into communes, ascending (cpt_territory's
   * communes/n).  NULL: every commune of the table. */
  const int32_t *territory;
  size_t n_territory;
  bool include_salaried; /* also keep Code mode exercice S */
  size_t max_errors;     /* stop reading after this many errors (50) */
} cpt_rpps_params;

void cpt_rpps_params_init(cpt_rpps_params *p);

/* What happened to the lines of the extract.  Lines of médecins with a
 * general-medicine savoir-faire ("GP lines") are counted once, under the
 * first rule that drops them, in the order of the fields below. */
typedef struct cpt_rpps_stats {
  long lines;           /* data lines (header and blank lines excluded) */
  long doctors;         /* lines with Code profession 10 */
  long gp;              /* of which general medicine ("GP lines") */
  long salaried;        /* GP lines dropped: mode S without include_salaried */
  long other_mode;      /* GP lines dropped: mode neither L nor S */
  long replacement;     /* GP lines dropped: genre activité not GENR01 */
  long no_commune;      /* GP lines dropped: empty commune code */
  long unknown_commune; /* GP lines dropped: code not in the communes table */
  long outside;         /* GP lines dropped: commune outside the territory */
  long duplicates;      /* GP lines merged into a site already kept */
  size_t practitioners; /* distinct Identifiant PP among the sites */
} cpt_rpps_stats;

typedef struct cpt_rpps_site {
  const char *id;   /* "RPPS<Identifiant PP>[-k]" */
  const char *pp;   /* Identifiant PP */
  const char *site; /* site id (see above) */
  char insee[8];    /* commune code as written in the extract */
  int32_t commune;  /* its index in the communes table */
  long line;        /* first line of the extract naming this pair */
} cpt_rpps_site;

typedef struct cpt_rpps_result {
  cpt_rpps_site *v; /* sorted by (pp, site) */
  size_t n;
  cpt_rpps_stats stats;
  struct cpt_strpool *pool; /* owns every string above */
} cpt_rpps_result;

/* Read the extract from f (name is used in messages).  Returns CPT_OK with
 * *out set (free with cpt_rpps_result_free); else *out is NULL, the errors
 * are in diags and the status is CPT_EINPUT (bad extract), CPT_EIO (read
 * error), CPT_ENOMEM or CPT_EPARAM (no communes table).  Warnings (commune
 * codes absent from the table) go to diags in both cases. */
cpt_status cpt_rpps_read(FILE *f, const char *name, const cpt_rpps_params *p,
                         cpt_rpps_result **out, cpt_diags *diags);
/* Same from a path ("-": standard input). */
cpt_status cpt_rpps_load(const char *path, const cpt_rpps_params *p,
                         cpt_rpps_result **out, cpt_diags *diags);
void cpt_rpps_result_free(cpt_rpps_result *r); /* NULL-safe */

#endif
