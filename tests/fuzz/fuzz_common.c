/*
 * fuzz_common.c — the embedded communes table, the reader-contract check
 * and the temporary input file shared by the fuzz targets (see
 * fuzz_common.h).
 */
#include "fuzz_common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A copy of tests/data/communes_small.csv, so that a target needs no file
 * and no working directory. */
static const char communes_csv[] =
    "insee,name,dep,population,lat,lon\n"
    "88160,\xC3\x89pinal,88,31000,48.1725,6.4497\n"
    "88413,Saint-Di\xC3\xA9-des-Vosges,88,19500,48.2853,6.9492\n"
    "75056,Paris,75,2100000,48.8566,2.3522\n"
    "2A004,Ajaccio,2A,73000,41.9192,8.7386\n"
    "01001,L'Abergement-Cl\xC3\xA9menciat,01,800,46.1534,4.9260\n"
    "75101,Paris 1er Arrondissement,75,16000,48.8626,2.3363\n";

static cpt_communes *communes;

const cpt_communes *cpt_fuzz_communes(void) {
  if (communes)
    return communes;
  cpt_diags d;
  cpt_diags_init(&d);
  if (cpt_communes_parse("communes_small.csv", communes_csv,
                         sizeof communes_csv - 1, &communes, &d) != CPT_OK) {
    cpt_diags_print(&d, stderr);
    fprintf(stderr, "fuzz: the embedded communes table does not parse\n");
    abort();
  }
  cpt_diags_free(&d);
  return communes;
}

static _Noreturn void broken(const char *what, cpt_status st,
                             const cpt_diags *diags, const char *why) {
  cpt_diags_print(diags, stderr);
  fprintf(stderr, "fuzz: %s: status %s, %zu error(s): %s\n", what,
          cpt_status_name(st), diags->n_errors, why);
  abort();
}

void cpt_fuzz_check(const char *what, cpt_status st, bool got_object,
                    const cpt_diags *diags, const uint8_t *data, size_t size) {
  switch (st) {
  case CPT_OK:
    if (!got_object)
      broken(what, st, diags, "OK without an object");
    if (diags->n_errors)
      broken(what, st, diags, "OK with errors");
    break;
  case CPT_EINPUT:
    if (got_object)
      broken(what, st, diags, "an object left on error");
    if (!diags->n_errors)
      broken(what, st, diags, "EINPUT without error");
    break;
  case CPT_ENOMEM:
    if (got_object)
      broken(what, st, diags, "an object left on error");
    break;
  default:
    broken(what, st, diags, "unexpected status for an in-memory input");
  }
  /* Lines end with LF, CRLF or CR: an error can name at most the line
   * after the last line ending (an unterminated construct at the end). */
  long lines = 1;
  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n' || data[i] == '\r';
  char buf[1400];
  for (size_t i = 0; i < diags->n; i++) {
    const cpt_diag *e = &diags->v[i];
    if (e->line < 0 || e->col < 0 || e->line > lines)
      broken(what, st, diags, "a diagnostic's line or column is out of range");
    for (const unsigned char *p = (const unsigned char *)e->msg; *p; p++)
      if (*p < 0x20 || *p == 0x7F)
        broken(what, st, diags, "a control character in a message");
    cpt_diag_format(e, buf, sizeof buf);
  }
}

static char temp_dir[64];

static void remove_temp_dir(void) {
  DIR *d = opendir(temp_dir);
  struct dirent *e;
  char path[400];
  while (d && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s", temp_dir, e->d_name);
    unlink(path);
  }
  if (d)
    closedir(d);
  rmdir(temp_dir);
}

const char *cpt_fuzz_temp_dir(void) {
  if (!temp_dir[0]) {
    /* A file rewritten per input: memory (/dev/shm) is much faster than
     * a disk that discards blocks on every truncation. */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || strlen(tmp) >= 40)
      tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(temp_dir, sizeof temp_dir, "%s/cpt-fuzz-XXXXXX", tmp);
    if (!mkdtemp(temp_dir)) {
      perror("fuzz: mkdtemp");
      abort();
    }
    atexit(remove_temp_dir);
  }
  return temp_dir;
}

const char *cpt_fuzz_temp_file(const char *name, const uint8_t *data,
                               size_t size) {
  static char path[160];
  snprintf(path, sizeof path, "%s/%s", cpt_fuzz_temp_dir(), name);
  FILE *f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
    perror("fuzz: cannot write the input file");
    abort();
  }
  return path;
}
