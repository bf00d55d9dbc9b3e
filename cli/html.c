/*
 * html.c — escaping, page frame and SVG bar charts of the --html reports
 * (see html.h).
 *
 * Bar chart geometry: a viewBox of W × H units with margins for the axes;
 * bin b of n occupies [x0 + b·w, x0 + (b+1)·w) with w = (W − x0 − 10)/n,
 * its k-th of m series a bar of width 0.8·w/m; a value v is drawn with
 * height v/vmax·(plot height), vmax the largest value (1 when all are 0).
 */
#include "html.h"

#include <math.h>
#include <string.h>

void cpt_html_esc(FILE *f, const char *s) {
  if (!s) return;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default:
      if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f)
        fputs("&#xFFFD;", f);
      else
        fputc(*p, f);
    }
  }
}

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'DejaVu Sans',sans-serif;color:#222;background:#fff;margin:0 auto;"
    "max-width:1180px;padding:1em 1.5em}"
    "h1{font-size:1.5em;margin:.3em 0}"
    "h2{font-size:1.2em;border-bottom:1px solid #ccc;margin:1.4em 0 .5em}"
    "p.note{color:#555;font-size:.9em;margin:.3em 0}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #bbb;padding:2px 7px;text-align:right}"
    "th{background:#eee}"
    "td:first-child,th:first-child{text-align:left}"
    "dl.kv{display:grid;grid-template-columns:max-content auto;"
    "gap:.1em 1em;margin:.5em 0}"
    "dl.kv dt{color:#555}dl.kv dd{margin:0}"
    "svg{display:block;max-width:100%;height:auto;margin:.4em 0}"
    "svg text{font-family:inherit}"
    ".legend{margin:.3em 0;font-size:.9em}"
    ".legend span{display:inline-block;margin-right:1.2em}"
    ".sw{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
    "vertical-align:-.1em;border:1px solid #555}"
    "#grid td,#grid th{text-align:left;vertical-align:top;font-size:.9em}"
    "#grid td.slot{background:#eef6ee}"
    "#grid td.uncovered{background:#fbe0e0}"
    "#grid td.empty{background:#f6f6f6}"
    "#grid .miss{color:#a00;font-weight:bold}"
    "#grid .sid{color:#777;font-size:.8em;display:block}"
    "footer{margin-top:2em;color:#777;font-size:.85em}"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "h2{break-after:avoid}svg,figure,dl,tr{break-inside:avoid}"
    "thead{display:table-header-group}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

void cpt_html_begin(FILE *f, const char *title) {
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
        "<title>",
        f);
  cpt_html_esc(f, title);
  fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", css);
  cpt_html_esc(f, title);
  fputs("</h1>\n", f);
}

void cpt_html_end(FILE *f) {
  fputs("</main>\n<footer>cptsopt " CPT_VERSION
        " — a self-contained report: no script, nothing fetched.</footer>\n"
        "</body>\n</html>\n",
        f);
}

void cpt_html_num(FILE *f, double v, int decimals) {
  if (!isfinite(v)) {
    fputs("–", f);
    return;
  }
  if (v == floor(v) && fabs(v) < 1e15) {
    fprintf(f, "%.0f", v);
    return;
  }
  char buf[64];
  snprintf(buf, sizeof buf, "%.*f", decimals, v);
  char *dot = strchr(buf, '.');
  if (dot) {
    char *e = buf + strlen(buf) - 1;
    while (e > dot && *e == '0') *e-- = '\0';
    if (e == dot) *e = '\0';
  }
  if (!strcmp(buf, "-0")) strcpy(buf, "0");
  fputs(buf, f);
}

void cpt_html_legend(FILE *f, size_t n, const char *const *names,
                     const char *const *colours) {
  fputs("<div class=\"legend\">", f);
  for (size_t i = 0; i < n; i++) {
    fprintf(f, "<span><i class=\"sw\" style=\"background:%s\"></i>",
            colours[i]);
    cpt_html_esc(f, names[i]);
    fputs("</span>", f);
  }
  fputs("</div>\n", f);
}

enum { BW = 900, BH = 260, BX0 = 56, BY0 = 14, BY1 = 214 };

void cpt_html_bars(FILE *f, const char *id, size_t nbins,
                   const char *const *labels, size_t nseries,
                   const cpt_html_series *series, const char *xlabel,
                   const char *ylabel) {
  double vmax = 0;
  for (size_t k = 0; k < nseries; k++)
    for (size_t b = 0; b < nbins; b++)
      if (series[k].v[b] > vmax) vmax = series[k].v[b];
  if (vmax <= 0) vmax = 1;
  fprintf(f, "<svg id=\"%s\" data-bins=\"%zu\" viewBox=\"0 0 %d %d\" "
             "width=\"%d\" height=\"%d\" role=\"img\" "
             "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">\n",
          id, nbins, BW, BH, BW, BH);
  double ph = BY1 - BY0;
  /* y axis: 0, vmax/2, vmax */
  for (int t = 0; t <= 2; t++) {
    double y = BY1 - ph * t / 2.0;
    fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
               "stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" "
               "text-anchor=\"end\">",
            BX0, y, BW - 10, y, BX0 - 4, y + 4);
    cpt_html_num(f, vmax * t / 2.0, 1);
    fputs("</text>\n", f);
  }
  fprintf(f, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" "
             "text-anchor=\"middle\">",
          (BY0 + BY1) / 2, (BY0 + BY1) / 2);
  cpt_html_esc(f, ylabel);
  fputs("</text>\n", f);
  if (nbins) {
    double w = (double)(BW - BX0 - 10) / (double)nbins;
    double bw = 0.8 * w / (double)(nseries ? nseries : 1);
    size_t every = nbins <= 20 ? 1 : (nbins + 19) / 20;
    for (size_t b = 0; b < nbins; b++) {
      double x = BX0 + w * (double)b + 0.1 * w;
      for (size_t k = 0; k < nseries; k++) {
        double v = series[k].v[b], h = v / vmax * ph;
        fprintf(f, "<rect data-series=\"%zu\" data-bin=\"%zu\" "
                   "data-value=\"",
                k, b);
        cpt_html_num(f, v, 3);
        fprintf(f, "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                   "fill=\"%s\"><title>",
                x + bw * (double)k, BY1 - h, bw, h, series[k].colour);
        cpt_html_esc(f, labels[b]);
        fputs(": ", f);
        cpt_html_num(f, v, 3);
        if (nseries > 1) {
          fputs(" (", f);
          cpt_html_esc(f, series[k].name);
          fputc(')', f);
        }
        fputs("</title></rect>\n", f);
      }
      if (b % every == 0) {
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
                BX0 + w * ((double)b + 0.5), BY1 + 16);
        cpt_html_esc(f, labels[b]);
        fputs("</text>\n", f);
      }
    }
  }
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
             "stroke=\"#444\"/>\n",
          BX0, BY1, BW - 10, BY1);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
          (BX0 + BW) / 2, BH - 8);
  cpt_html_esc(f, xlabel);
  fputs("</text>\n</svg>\n", f);
  if (nseries > 1) {
    const char *names[8], *colours[8];
    size_t n = nseries < 8 ? nseries : 8;
    for (size_t k = 0; k < n; k++) {
      names[k] = series[k].name;
      colours[k] = series[k].colour;
    }
    cpt_html_legend(f, n, names, colours);
  }
}
