/*
 * clock.h — a monotonic clock in seconds, for time limits and reports.
 */
#ifndef CPT_CLOCK_H
#define CPT_CLOCK_H

double cpt_now_s(void);

#endif
