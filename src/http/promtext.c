/*
 * promtext.c - the Prometheus text format: label values escape
 * backslash, double quote and newline; numbers print in full precision.
 */
#include "http/promtext.h"

#include <math.h>

void prom_family(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void put_escaped(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

void prom_sample(FILE *f, const char *name, const char *const *labels,
		 double value)
{
	fputs(name, f);
	if (labels && labels[0]) {
		fputc('{', f);
		for (int i = 0; labels[i] && labels[i + 1]; i += 2) {
			fprintf(f, "%s%s=\"", i ? "," : "", labels[i]);
			put_escaped(f, labels[i + 1]);
			fputc('"', f);
		}
		fputc('}', f);
	}
	if (isnan(value))
		fputs(" NaN\n", f);
	else if (value == floor(value) && fabs(value) < 1e15)
		fprintf(f, " %.0f\n", value);
	else
		fprintf(f, " %.9g\n", value);
}
