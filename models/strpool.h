/*
 * strpool.h — a string arena: many small NUL-terminated strings, freed at
 * once.
 *
 * Tables read from CSV files (doctors, patients, communes) keep their
 * strings here instead of one malloc per field.  The pool is a list of
 * chunks filled front to back; a string never moves once copied, so the
 * pointers handed out stay valid until cpt_strpool_free.  Strings larger
 * than a quarter of a chunk get a chunk of their own.  Not thread-safe: one
 * pool per table, one writer.
 */
#ifndef CPT_STRPOOL_H
#define CPT_STRPOOL_H

#include <stddef.h>

typedef struct cpt_strpool cpt_strpool;

/* A new empty pool, or NULL when out of memory.  Free with
 * cpt_strpool_free. */
cpt_strpool *cpt_strpool_new(void);

/* Copy len bytes of s (which need not be NUL-terminated; s may be NULL
 * when len is 0) into the pool and add a NUL.  Returns the copy, owned by
 * the pool, or NULL when out of memory. */
char *cpt_strpool_dup(cpt_strpool *pool, const char *s, size_t len);

/* Bytes held by the pool's chunks (for statistics). */
size_t cpt_strpool_bytes(const cpt_strpool *pool);

/* Free the pool and every string in it.  NULL is a no-op. */
void cpt_strpool_free(cpt_strpool *pool);

#endif
