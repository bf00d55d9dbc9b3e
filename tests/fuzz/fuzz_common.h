/*
 * fuzz_common.h — what every fuzz target of tests/fuzz/ shares.
 *
 * A target is one LLVMFuzzerTestOneInput per reader: it hands the input
 * bytes to the reader (in memory when the reader has a buffer entry point,
 * else through a private temporary file) and then checks the reader's
 * contract, which the sanitizers cannot see:
 *   status OK      ⇒ an object came back and no error was recorded;
 *   status EINPUT  ⇒ no object came back and at least one error was
 *                    recorded, each with a message;
 *   any other status is a bug for an in-memory input (ENOMEM aside);
 *   every diagnostic has line and column ≥ 0, a line no further than the
 *   input's line count, and a message without control characters (input
 *   echoed into a message must be escaped: it ends up on a terminal).
 * A broken contract aborts (this is test code), so libFuzzer keeps the
 * input as a crash reproducer.
 *
 * The same targets link either with libFuzzer (clang, make fuzz) or with
 * regress_main.c (any compiler, make fuzz-regress), which replays files.
 */
#ifndef CPT_FUZZ_COMMON_H
#define CPT_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../models/communes.h"
#include "../../solver/diag.h"
#include "../../solver/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The communes of tests/data/communes_small.csv (embedded, parsed once,
 * never freed): readers that resolve commune codes use it. */
const cpt_communes *cpt_fuzz_communes(void);

/* Abort with what, the status and the diagnostics unless (st, got_object,
 * diags) keep the contract above for the input data[0..size). */
void cpt_fuzz_check(const char *what, cpt_status st, bool got_object,
                    const cpt_diags *diags, const uint8_t *data, size_t size);

/* Write the input to the file NAME of a private directory ($TMPDIR, else
 * /dev/shm, else /tmp; made once with mkdtemp, emptied and removed at exit) and
 * return its path (static storage, overwritten by the next call); aborts when
 * the file cannot be written.  cpt_fuzz_temp_dir() is that directory. */
const char *cpt_fuzz_temp_file(const char *name, const uint8_t *data,
                               size_t size);
const char *cpt_fuzz_temp_dir(void);

#endif
