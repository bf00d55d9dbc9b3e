/*
 * strpool.c — the string arena of strpool.h.
 *
 * A singly linked list of chunks; the head is the chunk being filled.  A
 * copy is placed at the head's fill mark when it fits; otherwise a new
 * chunk of CHUNK bytes becomes the head (the rest of the old one is left
 * unused, at most a quarter of a chunk since larger strings never go into
 * shared chunks).  A string larger than CHUNK / 4 gets an exact-size chunk
 * linked behind the head, so the head keeps filling.  Nothing is ever
 * moved, so handed-out pointers are stable.
 */
#include "strpool.h"

#include <stdlib.h>
#include <string.h>

enum { CHUNK = 64 * 1024, BIG = CHUNK / 4 };

typedef struct chunk {
  struct chunk *next;
  size_t size, used;
  char data[];
} chunk;

struct cpt_strpool {
  chunk *head;
  size_t bytes;
};

cpt_strpool *cpt_strpool_new(void) {
  return calloc(1, sizeof(cpt_strpool));
}

static chunk *chunk_new(size_t size) {
  chunk *c = malloc(sizeof(chunk) + size);
  if (!c) return NULL;
  c->next = NULL;
  c->size = size;
  c->used = 0;
  return c;
}

char *cpt_strpool_dup(cpt_strpool *pool, const char *s, size_t len) {
  if (len > (size_t)-1 - sizeof(chunk) - 1) return NULL;
  size_t need = len + 1;
  char *dst;
  if (need > BIG) {
    chunk *c = chunk_new(need);
    if (!c) return NULL;
    c->used = need;
    pool->bytes += need;
    if (pool->head) {
      c->next = pool->head->next;
      pool->head->next = c;
    } else {
      pool->head = c;
    }
    dst = c->data;
  } else {
    chunk *h = pool->head;
    if (!h || h->size - h->used < need) {
      h = chunk_new(CHUNK);
      if (!h) return NULL;
      h->next = pool->head;
      pool->head = h;
      pool->bytes += CHUNK;
    }
    dst = h->data + h->used;
    h->used += need;
  }
  if (len) memcpy(dst, s, len);
  dst[len] = '\0';
  return dst;
}

size_t cpt_strpool_bytes(const cpt_strpool *pool) {
  return pool ? pool->bytes : 0;
}

void cpt_strpool_free(cpt_strpool *pool) {
  if (!pool) return;
  chunk *c = pool->head;
  while (c) {
    chunk *next = c->next;
    free(c);
    c = next;
  }
  free(pool);
}
