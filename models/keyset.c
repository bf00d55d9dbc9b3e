/*
 * keyset.c — the string key set of keyset.h.
 *
 * Keys sit in insertion order in an array of (pointer, payload); the index
 * is a power-of-two table of 64-bit slots, each holding the high 32 bits
 * of the key's hash (compared before any string) and the key's array
 * index + 1 (0 = free), probed linearly from the slot the low bits name.
 * The table is kept at most half full, so an unsuccessful probe touches
 * about one slot; at a million keys it is 16 MB, allocated once when the
 * expected size is right (fresh memory is what large files pay for most).
 * The hash is FNV-1a with the murmur3 64-bit finaliser, so that ids that
 * differ only in their last digits spread over the whole table.
 */
#include "keyset.h"

#include <stdlib.h>
#include <string.h>

#include "strpool.h"

typedef struct key {
  const char *s;
  long line;
} key;

struct cpt_keyset {
  key *keys;
  size_t n, kcap;
  uint64_t *slot;
  size_t mask; /* table size − 1; the table has 2·kcap slots */
  cpt_strpool *pool;
};

#define TAG(h) ((h) & 0xFFFFFFFF00000000ull)

uint64_t cpt_keyset_hash(const char *s, size_t len) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

static void place(cpt_keyset *k, uint64_t h, size_t idx) {
  size_t j = (size_t)h & k->mask;
  while (k->slot[j]) j = (j + 1) & k->mask;
  k->slot[j] = TAG(h) | (uint64_t)(idx + 1);
}

/* Room for at least want keys; rebuilds the index when it grows. */
static int reserve(cpt_keyset *k, size_t want) {
  if (want <= k->kcap) return 0;
  size_t kcap = k->kcap ? 2 * k->kcap : 1024;
  while (kcap < want) kcap *= 2;
  if (kcap >= UINT32_MAX) return -1;
  uint64_t *slot = malloc(2 * kcap * sizeof *slot);
  if (slot) memset(slot, 0, 2 * kcap * sizeof *slot); /* fault it in now */
  key *keys = realloc(k->keys, kcap * sizeof *keys);
  if (keys) k->keys = keys;
  if (!slot || !keys) {
    free(slot);
    return -1;
  }
  free(k->slot);
  k->slot = slot;
  k->mask = 2 * kcap - 1;
  k->kcap = kcap;
  for (size_t i = 0; i < k->n; i++)
    place(k, cpt_keyset_hash(k->keys[i].s, strlen(k->keys[i].s)), i);
  return 0;
}

cpt_keyset *cpt_keyset_new(size_t expected) {
  cpt_keyset *k = calloc(1, sizeof *k);
  if (!k || !(k->pool = cpt_strpool_new()) ||
      reserve(k, expected ? expected : 1) != 0) {
    cpt_keyset_free(k);
    return NULL;
  }
  return k;
}

void cpt_keyset_free(cpt_keyset *k) {
  if (!k) return;
  free(k->keys);
  free(k->slot);
  cpt_strpool_free(k->pool);
  free(k);
}

const char *cpt_keyset_stash(cpt_keyset *k, const char *s, size_t len) {
  return cpt_strpool_dup(k->pool, s, len);
}

void cpt_keyset_prefetch(const cpt_keyset *k, uint64_t h) {
  __builtin_prefetch(&k->slot[(size_t)h & k->mask]);
}

long cpt_keyset_insert(cpt_keyset *k, uint64_t h, const char *stashed,
                       long line) {
  for (size_t j = (size_t)h & k->mask; k->slot[j]; j = (j + 1) & k->mask) {
    if (TAG(k->slot[j]) != TAG(h)) continue;
    const key *e = &k->keys[(k->slot[j] & 0xFFFFFFFFu) - 1];
    if (strcmp(e->s, stashed) == 0) return e->line;
  }
  if (reserve(k, k->n + 1) != 0) return -1;
  k->keys[k->n] = (key){stashed, line};
  place(k, h, k->n++);
  return 0;
}
