/*
 * nrp_random.h — random tiny nurse-rostering instances in the benchmark's
 * text format, for the NRP test suites, and the small text buffer they are
 * written into.  Seeded: the same state gives the same text.
 */
#ifndef CPT_TEST_NRP_RANDOM_H
#define CPT_TEST_NRP_RANDOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct cpt_test_sbuf {
  char v[8192];
  size_t n;
} cpt_test_sbuf;

/* A uniform integer in [lo, hi] from the tests' splitmix64 (brute.h). */
int cpt_test_rnd(uint64_t *s, int lo, int hi);
/* Append printf-style text; fails the test when the buffer is full. */
void cpt_test_put(cpt_test_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* S staff, H days, T shifts (ids E, L, N), random rules, requests and
 * cover; n_off_days fixed days off per staff keep enumerations small. */
void cpt_test_nrp_text(cpt_test_sbuf *b, uint64_t *rs, int S, int H, int T, int n_off_days);

#endif
