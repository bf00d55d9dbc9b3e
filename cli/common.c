/*
 * common.c — pieces every cptsopt subcommand uses: the SIGINT/SIGTERM flag,
 * version line, communes table lookup, diagnostics printing, option
 * number parsing and exit codes.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../solver/mip.h"
#include "cli.h"

atomic_int cpt_cli_stop;

static void on_signal(int sig) {
  (void)sig;
  atomic_store(&cpt_cli_stop, 1);
}

void cpt_cli_catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
}

void cpt_cli_print_version(FILE *out) {
  fprintf(out, "cptsopt %s (git %s), %s %s, GLPK %s\n", CPT_VERSION,
          CPT_GIT_ID,
#if defined(__clang__)
          "clang", __clang_version__,
#elif defined(__GNUC__)
          "gcc", __VERSION__,
#else
          "cc", "unknown",
#endif
          cpt_mip_glpk_version());
}

cpt_status cpt_cli_load_communes(const char *path, cpt_communes **out,
                                 cpt_diags *diags) {
  *out = NULL;
  if (path) return cpt_communes_load(path, out, diags);
  const char *env = getenv("CPTSOPT_COMMUNES");
  if (env && *env) return cpt_communes_load(env, out, diags);
  static const char *const defaults[] = {
      CPT_DATADIR "/communes/communes.csv",
      "datasets/communes/communes.csv",
  };
  for (size_t i = 0; i < sizeof defaults / sizeof *defaults; i++)
    if (access(defaults[i], R_OK) == 0)
      return cpt_communes_load(defaults[i], out, diags);
  return CPT_OK;
}

void cpt_cli_flush_diags(cpt_diags *d) {
  cpt_diags_print(d, stderr);
  cpt_diags_free(d);
  size_t keep = d->max_kept;
  cpt_diags_init(d);
  d->max_kept = keep;
}

bool cpt_cli_parse_double(const char *s, double *v) {
  char *end;
  errno = 0;
  double x = strtod(s, &end);
  if (end == s || *end || errno) return false;
  *v = x;
  return true;
}

bool cpt_cli_parse_long(const char *s, long *v) {
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (end == s || *end || errno) return false;
  *v = x;
  return true;
}

int cpt_cli_exit_for(cpt_status st) {
  switch (st) {
  case CPT_OK: return 0;
  case CPT_EINPUT:
  case CPT_EPARAM:
  case CPT_EIO: return 2;
  default: return 4;
  }
}
