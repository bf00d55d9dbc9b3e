/*
 * territory.c — resolve a territory specification into communes
 * (territory.h).
 *
 * The specification is split at commas; each item is, in this order of
 * recognition: "france" (any case), an INSEE commune code (5 characters,
 * "2A004"), a département code ("88", "2A", "974"), or the name of a
 * bundled territory file <dir>/<name>.json.  Every item marks communes in
 * a per-commune byte map: MARK_IMPLICIT for communes reached through a
 * whole département or all of France, MARK_EXPLICIT for communes named by
 * their code (on the command line or in a file's "communes" list).  The
 * arrondissements municipaux of Paris, Lyon and Marseille (75101–75120,
 * 69381–69389, 13201–13216) are already counted in their city (75056,
 * 69123, 13055): an arrondissement reached only implicitly is dropped when
 * its city is in the territory; one named explicitly is kept (Lyon 7e
 * alone is a valid territory), with a warning when its city is in too.
 * Every unknown code or name is reported, not only the first.
 */
#include "territory.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DIAG_FILE "territory"

enum { MARK_IMPLICIT = 1, MARK_EXPLICIT = 2 };

/* The cities divided into arrondissements municipaux. */
static const struct {
  const char *city;
  int first, last; /* numeric INSEE codes of the arrondissements */
} arrondissements[] = {
    {"75056", 75101, 75120},
    {"69123", 69381, 69389},
    {"13055", 13201, 13216},
};

int32_t cpt_territory_arrondissement_city(const cpt_communes *communes,
                                          int32_t commune) {
  const cpt_commune *c = cpt_communes_get(communes, commune);
  if (!c || !isdigit((unsigned char)c->insee[0]) ||
      !isdigit((unsigned char)c->insee[1]))
    return -1;
  int code = atoi(c->insee);
  for (size_t i = 0; i < sizeof arrondissements / sizeof *arrondissements; i++)
    if (code >= arrondissements[i].first && code <= arrondissements[i].last)
      return cpt_communes_find(communes, arrondissements[i].city);
  return -1;
}

typedef struct resolver {
  const cpt_communes *communes;
  size_t n;
  uint8_t *mark;
  const char *dir; /* explicit territories directory, or NULL */
  char *name;      /* display name of a lone bundled territory */
  int bundled;     /* bundled files used */
  cpt_diags *diags;
  int errors;
} resolver;

static bool is_insee(const char *s) {
  if (strlen(s) != 5)
    return false;
  bool dep = isdigit((unsigned char)s[0]) &&
             (isdigit((unsigned char)s[1]) ||
              (s[0] == '2' && (s[1] == 'A' || s[1] == 'B')));
  return dep && strspn(s + 2, "0123456789") == 3;
}

static bool is_dep(const char *s) {
  size_t n = strlen(s);
  if (n == 2)
    return (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) ||
           !strcmp(s, "2A") || !strcmp(s, "2B");
  return n == 3 && s[0] == '9' && s[1] == '7' && isdigit((unsigned char)s[2]);
}

static bool is_name(const char *s) {
  if (!*s || *s == '.' || *s == '-')
    return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
      return false;
  return true;
}

/* Mark every commune of département dep; false when it has none. */
static bool mark_dep(resolver *r, const char *dep) {
  bool any = false;
  for (size_t i = 0; i < r->n; i++)
    if (!strcmp(cpt_communes_get(r->communes, (int32_t)i)->dep, dep)) {
      r->mark[i] |= MARK_IMPLICIT;
      any = true;
    }
  return any;
}

/* The item is echoed with its control characters shown as '?', so that a
 * territory file cannot send escape sequences to the terminal. */
static void item_error(resolver *r, const char *file, long line,
                       const char *what, const char *item) {
  char shown[256];
  size_t o = 0;
  for (const char *p = item; *p && o + 1 < sizeof shown; p++)
    shown[o++] = (unsigned char)*p < 0x20 || *p == 0x7F ? '?' : *p;
  shown[o] = '\0';
  cpt_diag_error(r->diags, file, line, 0, "unknown %s \"%s\"", what, shown);
  r->errors++;
}

/* 1-based line of the first occurrence of "text" (quoted) in buf, or 0. */
static long line_of(const char *buf, const char *text) {
  char q[64];
  snprintf(q, sizeof q, "\"%s\"", text);
  const char *at = strstr(buf, q);
  if (!at)
    return 0;
  long line = 1;
  for (const char *p = buf; p < at; p++)
    line += *p == '\n';
  return line;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (cap - n < 4096) {
      size_t ncap = cap ? 2 * cap : 16384;
      char *b = realloc(buf, ncap + 1);
      if (!b) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = b;
      cap = ncap;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* The code in a JSON array element: a string, or a whole number written
 * with `width` digits (codes sometimes lose their leading zero). */
static bool json_code(const cJSON *e, int width, char *out, size_t size) {
  if (cJSON_IsString(e) && e->valuestring) {
    snprintf(out, size, "%s", e->valuestring);
    return true;
  }
  if (cJSON_IsNumber(e) && e->valuedouble >= 0 && e->valuedouble < 1e6 &&
      e->valuedouble == (double)(long)e->valuedouble) {
    snprintf(out, size, "%0*ld", width, (long)e->valuedouble);
    return true;
  }
  return false;
}

/* Mark the communes of one bundled file; errors name the file. */
static void mark_file(resolver *r, const char *path, const char *item) {
  size_t len = 0;
  char *buf = slurp(path, &len);
  if (!buf) {
    cpt_diag_error(r->diags, path, 0, 0, "cannot read territory \"%s\"", item);
    r->errors++;
    return;
  }
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
  if (!root || !cJSON_IsObject(root)) {
    long line = 1;
    for (const char *p = buf; end && p < end && *p; p++)
      line += *p == '\n';
    cpt_diag_error(r->diags, path, root ? 1 : line, 0,
                   root ? "expected a JSON object"
                        : "malformed JSON near this line");
    r->errors++;
    cJSON_Delete(root);
    free(buf);
    return;
  }
  static const struct {
    const char *key, *what;
    int width;
  } lists[] = {{"departements", "département code", 2},
               {"communes", "INSEE commune code", 5}};
  bool any = false;
  for (size_t k = 0; k < 2; k++) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, lists[k].key);
    if (!a)
      continue;
    if (!cJSON_IsArray(a)) {
      cpt_diag_error(r->diags, path, line_of(buf, lists[k].key), 0,
                     "\"%s\": expected an array of codes", lists[k].key);
      r->errors++;
      continue;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, a) {
      char code[32];
      if (!json_code(e, lists[k].width, code, sizeof code)) {
        cpt_diag_error(r->diags, path, line_of(buf, lists[k].key), 0,
                       "\"%s\": expected codes as strings", lists[k].key);
        r->errors++;
        continue;
      }
      if (k == 0) {
        if (!is_dep(code) || !mark_dep(r, code))
          item_error(r, path, line_of(buf, code), lists[k].what, code);
        else
          any = true;
      } else {
        int32_t i = is_insee(code) ? cpt_communes_find(r->communes, code) : -1;
        if (i < 0)
          item_error(r, path, line_of(buf, code), lists[k].what, code);
        else {
          r->mark[i] |= MARK_EXPLICIT;
          any = true;
        }
      }
    }
  }
  if (!any && !r->errors) {
    cpt_diag_error(r->diags, path, 0, 0,
                   "no \"departements\" or \"communes\" listed");
    r->errors++;
  }
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
  free(r->name);
  r->name = strdup(cJSON_IsString(name) && name->valuestring ? name->valuestring
                                                             : item);
  r->bundled++;
  cJSON_Delete(root);
  free(buf);
}

/* Find <dir>/<item>.json: the explicit directory only, else the installed
 * one, then the source tree's. */
static void mark_bundled(resolver *r, const char *item) {
  const char *dirs[3];
  int nd = 0;
  if (r->dir)
    dirs[nd++] = r->dir;
  else {
    dirs[nd++] = CPT_DATADIR "/territories";
    dirs[nd++] = "datasets/territories";
  }
  char path[4096];
  for (int i = 0; i < nd; i++) {
    snprintf(path, sizeof path, "%s/%s.json", dirs[i], item);
    if (access(path, R_OK) == 0) {
      mark_file(r, path, item);
      return;
    }
  }
  cpt_diag_error(r->diags, DIAG_FILE, 0, 0,
                 "unknown territory \"%s\": not \"france\", a département "
                 "code, an INSEE commune code, or a file %s/%s.json",
                 item, dirs[0], item);
  r->errors++;
}

static void mark_item(resolver *r, const char *item) {
  char low[16];
  size_t n = strlen(item);
  if (n < sizeof low) {
    for (size_t i = 0; i <= n; i++)
      low[i] = (char)tolower((unsigned char)item[i]);
    if (!strcmp(low, "france")) {
      memset(r->mark, MARK_IMPLICIT, r->n);
      return;
    }
  }
  char up[8];
  if (n < sizeof up) {
    for (size_t i = 0; i <= n; i++)
      up[i] = (char)toupper((unsigned char)item[i]);
    if (is_insee(up)) {
      int32_t i = cpt_communes_find(r->communes, up);
      if (i < 0)
        item_error(r, DIAG_FILE, 0, "INSEE commune code", item);
      else
        r->mark[i] |= MARK_EXPLICIT;
      return;
    }
    if (is_dep(up)) {
      if (!mark_dep(r, up))
        item_error(r, DIAG_FILE, 0, "département code", item);
      return;
    }
  }
  if (strspn(item, "0123456789") == n) {
    cpt_diag_error(r->diags, DIAG_FILE, 0, 0,
                   "unknown code \"%s\": expected a département code "
                   "(\"01\", \"2A\", \"974\") or an INSEE commune code "
                   "(5 characters)",
                   item);
    r->errors++;
    return;
  }
  if (!is_name(item)) {
    cpt_diag_error(r->diags, DIAG_FILE, 0, 0,
                   "unknown territory \"%s\": a bundled territory name has "
                   "only letters, digits, '-', '_' and '.'",
                   item);
    r->errors++;
    return;
  }
  mark_bundled(r, item);
}

/* Drop implicit arrondissements of a city in the territory; warn when an
 * explicit one sits next to its city. */
static void drop_arrondissements(resolver *r) {
  for (size_t i = 0; i < r->n; i++) {
    if (!r->mark[i])
      continue;
    int32_t city = cpt_territory_arrondissement_city(r->communes, (int32_t)i);
    if (city < 0 || !r->mark[city])
      continue;
    if (r->mark[i] & MARK_EXPLICIT) {
      const cpt_commune *a = cpt_communes_get(r->communes, (int32_t)i);
      const cpt_commune *c = cpt_communes_get(r->communes, city);
      cpt_diag_warn(r->diags, DIAG_FILE, 0, 0,
                    "%s (%s) is an arrondissement of %s (%s), which is in "
                    "the territory too: its inhabitants are counted twice",
                    a->insee, a->name, c->insee, c->name);
    } else
      r->mark[i] = 0;
  }
}

cpt_status cpt_territory_resolve(const char *spec, const cpt_communes *communes,
                                 const char *territories_dir,
                                 cpt_territory **out, cpt_diags *diags) {
  *out = NULL;
  if (!spec || !communes) {
    cpt_diag_error(diags, DIAG_FILE, 0, 0,
                   spec ? "no communes table" : "no territory given");
    return CPT_EPARAM;
  }
  resolver r = {communes, cpt_communes_count(communes),
                NULL,     territories_dir,
                NULL,     0,
                diags,    0};
  cpt_territory *t = NULL;
  char *copy = strdup(spec);
  r.mark = calloc(r.n ? r.n : 1, 1);
  if (!copy || !r.mark)
    goto nomem;

  int items = 0;
  for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
       tok = strtok_r(NULL, ",", &save)) {
    while (isspace((unsigned char)*tok))
      tok++;
    char *e = tok + strlen(tok);
    while (e > tok && isspace((unsigned char)e[-1]))
      *--e = '\0';
    if (!*tok)
      continue;
    mark_item(&r, tok);
    items++;
  }
  if (!items) {
    cpt_diag_error(diags, DIAG_FILE, 0, 0, "empty territory \"%s\"", spec);
    r.errors++;
  }
  if (r.errors)
    goto input;
  drop_arrondissements(&r);

  t = calloc(1, sizeof *t);
  if (!t)
    goto nomem;
  size_t n = 0;
  for (size_t i = 0; i < r.n; i++)
    n += r.mark[i] != 0;
  if (!n) {
    cpt_diag_error(diags, DIAG_FILE, 0, 0, "territory \"%s\" has no communes",
                   spec);
    goto input;
  }
  t->communes = malloc(n * sizeof *t->communes);
  t->name =
      (items == 1 && r.bundled == 1 && r.name) ? strdup(r.name) : strdup(spec);
  if (!t->communes || !t->name)
    goto nomem;
  for (size_t i = 0; i < r.n; i++)
    if (r.mark[i]) {
      t->communes[t->n++] = (int32_t)i;
      t->population += cpt_communes_get(communes, (int32_t)i)->population;
    }
  free(copy);
  free(r.mark);
  free(r.name);
  *out = t;
  return CPT_OK;

nomem:
  cpt_diag_error(diags, DIAG_FILE, 0, 0, "out of memory");
  free(copy);
  free(r.mark);
  free(r.name);
  cpt_territory_free(t);
  return CPT_ENOMEM;
input:
  free(copy);
  free(r.mark);
  free(r.name);
  cpt_territory_free(t);
  return CPT_EINPUT;
}

void cpt_territory_free(cpt_territory *t) {
  if (!t)
    return;
  free(t->name);
  free(t->communes);
  free(t);
}

bool cpt_territory_contains(const cpt_territory *t, int32_t commune) {
  if (!t)
    return false;
  size_t lo = 0, hi = t->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->communes[mid] == commune)
      return true;
    if (t->communes[mid] < commune)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}
