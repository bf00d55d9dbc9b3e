/*
 * cptsopt.h — the whole public API of libcptsopt in one include.
 *
 * Installed by `make install` as PREFIX/include/cptsopt/cptsopt.h, next to
 * the headers it names (PREFIX/include/cptsopt/models/, .../solver/), so
 * that a program needs only
 *
 *     #include <cptsopt/cptsopt.h>
 *     cc -IPREFIX/include prog.c PREFIX/lib/libcptsopt.a \
 *        -lglpk -lcsv -lcjson -lm -fopenmp
 *
 * In the source tree the paths below are relative to include/; the
 * installed copy drops the leading "../".
 *
 * The layers (STYLE.md): models/ reads the domain's files and states the
 * problems — médecin-traitant assignment (assign.h), the SNP rota
 * (rota.h), nurse rostering (nrp.h), synthetic scenarios
 * (scenario_gen.h, territory.h), the RPPS extract (rpps.h); solver/ holds
 * the algorithms they share — the sparse MIP over GLPK (mip.h),
 * min-cost flow (flow.h), large-neighbourhood search (lns.h) — and the
 * status codes and diagnostics every call returns (status.h, diag.h).
 */
#ifndef CPTSOPT_H
#define CPTSOPT_H

#include "../solver/clock.h"
#include "../solver/diag.h"
#include "../solver/flow.h"
#include "../solver/lns.h"
#include "../solver/mip.h"
#include "../solver/rng.h"
#include "../solver/status.h"

#include "../models/assign.h"
#include "../models/communes.h"
#include "../models/config.h"
#include "../models/geo.h"
#include "../models/instance.h"
#include "../models/nrp.h"
#include "../models/readers.h"
#include "../models/rota.h"
#include "../models/rpps.h"
#include "../models/scenario_gen.h"
#include "../models/territory.h"

#endif
