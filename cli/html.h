/*
 * html.h — a small writer for the self-contained HTML reports of --html
 * (assign, depart, rota): escaping of every string that comes from the
 * input files, the page frame with its inline CSS (screen and print), and
 * inline SVG charts.  The pages hold no script and fetch nothing: fonts are
 * the system's, pictures are inline SVG, so a report opens offline and
 * prints as shown.
 *
 * Charts are drawn in a fixed viewBox and scale with the page width; their
 * numbers are also in data-* attributes, which the tests read back.
 */
#ifndef CPT_HTML_H
#define CPT_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Write s escaped for HTML text and for a double- or single-quoted
 * attribute value: & < > " ' become entities, control characters other
 * than tab and newline become U+FFFD.  NULL writes nothing. */
void cpt_html_esc(FILE *f, const char *s);

/* The page from <!DOCTYPE html> to the opening of <main>, with the
 * escaped title in <title> and <h1>. */
void cpt_html_begin(FILE *f, const char *title);
/* The closing of <main>, a footer with the version, the page end. */
void cpt_html_end(FILE *f);

/* A number without float noise: integers as integers, others with at most
 * `decimals` decimals (trailing zeros dropped). */
void cpt_html_num(FILE *f, double v, int decimals);

/* One series of a bar chart: its name in the legend, a CSS colour, one
 * value per bin. */
typedef struct cpt_html_series {
  const char *name;
  const char *colour;
  const double *v;
} cpt_html_series;

/* A vertical bar chart as <svg id="ID" data-bins="N">: one group of bars
 * per bin (one bar per series, <rect data-series="K" data-bin="B"
 * data-value="V">), bin labels under the axis (every few when there are
 * many), a y axis from 0 to the largest value, and the axis titles.
 * labels[b] names bin b; ylabel and xlabel are plain text. */
void cpt_html_bars(FILE *f, const char *id, size_t nbins,
                   const char *const *labels, size_t nseries,
                   const cpt_html_series *series, const char *xlabel,
                   const char *ylabel);

/* A legend line: a colour swatch and an escaped name per entry. */
void cpt_html_legend(FILE *f, size_t n, const char *const *names,
                     const char *const *colours);

#endif
