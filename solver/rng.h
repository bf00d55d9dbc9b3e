/*
 * rng.h — the project's 64-bit generator step: splitmix64 (Steele, Lea &
 * Flood 2014).  Callers keep the state in their own context (one per
 * worker or per work unit), so results never depend on scheduling; it is
 * also the seeding step of the generators that need longer periods.
 */
#ifndef CPT_RNG_H
#define CPT_RNG_H

#include <stdint.h>

static inline uint64_t cpt_splitmix64(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

#endif
