/*
 * gen_gap.c — generator of generalized-assignment instances of the
 * literature's classes C, D and E, in the single-problem OR-Library
 * layout that `cptsopt gap` reads (m n, costs agent by agent, weights
 * agent by agent, capacities).
 *
 *   gen_gap TYPE M N SEED > FILE        TYPE = c, d or e
 *
 * The classes, agent i = 1..m, job j = 1..n, minimization:
 *   C  w_ij ~ U{5..25},  c_ij ~ U{10..50}             (Chu & Beasley 1997)
 *   D  w_ij ~ U{1..100}, c_ij = 111 − w_ij + U{−10..10}   (Chu & Beasley)
 *   E  w_ij = 1 − ⌊10·ln u⌋, c_ij = ⌊1000/w_ij − 10·v⌋,
 *      u ~ U(0,1], v ~ U[0,1)               (Laguna, Kelly, González-Velarde
 *                                            & Glover 1995)
 *   and, for all three, b_i = ⌊0.8·Σ_j w_ij / m⌋.
 * Sources: P.C. Chu and J.E. Beasley, "A genetic algorithm for the
 * generalised assignment problem", Computers & Operations Research 24
 * (1997) 17–23, whose instances are OR-Library's gapa–gapd (the format and
 * the type-c naming are confirmed by OR-Library's gapinfo page); M.
 * Yagiura, T. Ibaraki and F. Glover, "An ejection chain approach for the
 * generalized assignment problem", INFORMS J. Computing 16 (2004) 133–151,
 * which describe types C, D and E in these terms and publish C, D, E
 * instances with n up to 1600 (their site notes that D and E are
 * minimization problems).  The C and D formulas match an independent
 * public generator (fontanf/generalizedassignmentsolver); the E formula
 * is the one stated in the project's issue after Laguna et al. and could
 * not be checked against a second public source here.  The published
 * files were drawn with other random generators, so these are instances
 * of the same classes, not the same instances.
 *
 * Randomness: one splitmix64 stream (solver/rng.h) seeded from SEED, the
 * type and the sizes; for each agent i, job j in order, the weight is
 * drawn then the cost.  An integer in {a..b} is a + x mod (b − a + 1) of
 * a 64-bit draw x (bias below 2^−57); a real in [0,1) is the top 53 bits.
 * The output depends on the arguments only.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../solver/rng.h"

static int64_t uniform_int(uint64_t *s, int64_t a, int64_t b) {
  return a + (int64_t)(cpt_splitmix64(s) % (uint64_t)(b - a + 1));
}

/* [0, 1) */
static double uniform01(uint64_t *s) {
  return (double)(cpt_splitmix64(s) >> 11) * 0x1.0p-53;
}

static int parse_pos(const char *arg, long max, long *v) {
  char *end;
  errno = 0;
  long x = strtol(arg, &end, 10);
  if (end == arg || *end || errno || x < 1 || x > max) return 0;
  *v = x;
  return 1;
}

int main(int argc, char **argv) {
  long m, n, seed;
  if (argc != 5 || strlen(argv[1]) != 1 || !strchr("cde", argv[1][0]) ||
      !parse_pos(argv[2], 100000, &m) || !parse_pos(argv[3], 1000000, &n) ||
      !parse_pos(argv[4], 0x7fffffffL, &seed) || m * n > 100000000L) {
    fprintf(stderr,
            "usage: gen_gap TYPE M N SEED > FILE\n"
            "  TYPE c, d or e (Chu & Beasley; Laguna et al.), M agents,\n"
            "  N jobs (M·N ≤ 10^8), SEED ≥ 1\n");
    return 2;
  }
  char type = argv[1][0];
  size_t mn = (size_t)m * (size_t)n;
  int64_t *w = malloc(mn * sizeof *w), *c = malloc(mn * sizeof *c);
  if (!w || !c) {
    fprintf(stderr, "gen_gap: out of memory\n");
    free(w);
    free(c);
    return 4;
  }
  uint64_t s = (uint64_t)seed * 0x9E3779B97F4A7C15ull ^
               ((uint64_t)type << 56) ^ ((uint64_t)m << 32) ^ (uint64_t)n;
  for (long i = 0; i < m; i++)
    for (long j = 0; j < n; j++) {
      size_t k = (size_t)i * (size_t)n + (size_t)j;
      switch (type) {
      case 'c':
        w[k] = uniform_int(&s, 5, 25);
        c[k] = uniform_int(&s, 10, 50);
        break;
      case 'd':
        w[k] = uniform_int(&s, 1, 100);
        c[k] = 111 - w[k] + uniform_int(&s, -10, 10);
        break;
      default: {
        double u = 1.0 - uniform01(&s); /* (0, 1] */
        w[k] = 1 - (int64_t)floor(10.0 * log(u));
        c[k] = (int64_t)floor(1000.0 / (double)w[k] - 10.0 * uniform01(&s));
      }
      }
    }
  printf("%ld %ld\n", m, n);
  for (int part = 0; part < 2; part++)
    for (long i = 0; i < m; i++) {
      const int64_t *v = part ? w : c;
      for (long j = 0; j < n; j++)
        printf("%s%lld", j ? " " : "", (long long)v[(size_t)i * n + j]);
      putchar('\n');
    }
  for (long i = 0; i < m; i++) {
    int64_t sum = 0;
    for (long j = 0; j < n; j++) sum += w[(size_t)i * n + j];
    printf("%s%lld", i ? " " : "", (long long)(8 * sum / (10 * m)));
  }
  putchar('\n');
  free(w);
  free(c);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "gen_gap: write error\n");
    return 4;
  }
  return 0;
}
