/*
 * keyset.h — a set of string keys that remembers where each was first
 * seen, for "ids must be unique" checks on files of millions of rows.
 *
 * Keys are copied into the set's own string pool ("stashed") and indexed
 * by an open-addressing hash table.  Callers that check many keys in a row
 * stash and hash a batch of keys, prefetch their slots, then insert them
 * in order: the table's cache and TLB misses then overlap instead of
 * costing one full memory latency per row.
 */
#ifndef CPT_KEYSET_H
#define CPT_KEYSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct cpt_keyset cpt_keyset;

/* A set sized for about `expected` keys (it grows beyond), or NULL when
 * out of memory.  Free with cpt_keyset_free (NULL-safe). */
cpt_keyset *cpt_keyset_new(size_t expected);
void cpt_keyset_free(cpt_keyset *k);

/* The hash the set uses for len bytes of s. */
uint64_t cpt_keyset_hash(const char *s, size_t len);

/* Copy len bytes of s into the set's pool (NUL added); NULL when out of
 * memory.  The copy lives as long as the set. */
const char *cpt_keyset_stash(cpt_keyset *k, const char *s, size_t len);

/* Hint that a key with hash h will be inserted soon. */
void cpt_keyset_prefetch(const cpt_keyset *k, uint64_t h);

/* Insert a stashed key (NUL-terminated, no NUL inside) with hash h and
 * payload line > 0.  Returns the payload of an equal key already in the
 * set (nothing is inserted), 0 when inserted, −1 when out of memory. */
long cpt_keyset_insert(cpt_keyset *k, uint64_t h, const char *stashed,
                       long line);

#endif
