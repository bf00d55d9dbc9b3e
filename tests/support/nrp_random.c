/*
 * nrp_random.c — see nrp_random.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "brute.h"
#include "nrp_random.h"

int cpt_test_rnd(uint64_t *s, int lo, int hi) {
  return lo + (int)(cpt_test_splitmix64(s) % (uint64_t)(hi - lo + 1));
}

void cpt_test_put(cpt_test_sbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = vsnprintf(b->v + b->n, sizeof b->v - b->n, fmt, ap);
  va_end(ap);
  assert_true(k >= 0 && (size_t)k < sizeof b->v - b->n);
  b->n += (size_t)k;
}

void cpt_test_nrp_text(cpt_test_sbuf *b, uint64_t *rs, int S, int H, int T,
                        int n_off_days) {
  static const char *const id[] = {"E", "L", "N"};
  b->n = 0;
  cpt_test_put(b, "SECTION_HORIZON\n%d\nSECTION_SHIFTS\n", H);
  for (int t = 0; t < T; t++) {
    cpt_test_put(b, "%s,%d,", id[t], 240 * cpt_test_rnd(rs, 1, 3));
    int first = 1;
    for (int u = 0; u < T; u++)
      if (u != t && cpt_test_rnd(rs, 0, 2) == 0) {
        cpt_test_put(b, "%s%s", first ? "" : "|", id[u]);
        first = 0;
      }
    cpt_test_put(b, "\n");
  }
  cpt_test_put(b, "SECTION_STAFF\n");
  for (int s = 0; s < S; s++) {
    cpt_test_put(b, "S%d,", s);
    for (int t = 0; t < T; t++)
      cpt_test_put(b, "%s%s=%d", t ? "|" : "", id[t], cpt_test_rnd(rs, 0, H));
    cpt_test_put(b, ",%d,%d,%d,%d,%d,%d\n", 240 * cpt_test_rnd(rs, 2, 3 * H),
        cpt_test_rnd(rs, 0, 2) ? 0 : 240 * cpt_test_rnd(rs, 1, H), cpt_test_rnd(rs, 1, H),
        cpt_test_rnd(rs, 1, 3), cpt_test_rnd(rs, 1, 3), cpt_test_rnd(rs, 0, 1));
  }
  cpt_test_put(b, "SECTION_DAYS_OFF\n");
  for (int s = 0; s < S && n_off_days > 0; s++) {
    cpt_test_put(b, "S%d", s);
    int d0 = cpt_test_rnd(rs, 0, H - n_off_days);
    for (int k = 0; k < n_off_days; k++) cpt_test_put(b, ",%d", d0 + k);
    cpt_test_put(b, "\n");
  }
  cpt_test_put(b, "SECTION_SHIFT_ON_REQUESTS\n");
  for (int k = cpt_test_rnd(rs, 0, 3); k > 0; k--)
    cpt_test_put(b, "S%d,%d,%s,%d\n", cpt_test_rnd(rs, 0, S - 1), cpt_test_rnd(rs, 0, H - 1),
        id[cpt_test_rnd(rs, 0, T - 1)], cpt_test_rnd(rs, 1, 4));
  cpt_test_put(b, "SECTION_SHIFT_OFF_REQUESTS\n");
  for (int k = cpt_test_rnd(rs, 0, 3); k > 0; k--)
    cpt_test_put(b, "S%d,%d,%s,%d\n", cpt_test_rnd(rs, 0, S - 1), cpt_test_rnd(rs, 0, H - 1),
        id[cpt_test_rnd(rs, 0, T - 1)], cpt_test_rnd(rs, 1, 4));
  cpt_test_put(b, "SECTION_COVER\n");
  for (int d = 0; d < H; d++)
    for (int t = 0; t < T; t++)
      if (cpt_test_rnd(rs, 0, 3))
        cpt_test_put(b, "%d,%s,%d,%d,%d\n", d, id[t], cpt_test_rnd(rs, 0, 2), cpt_test_rnd(rs, 0, 20),
            cpt_test_rnd(rs, 0, 3));
}
