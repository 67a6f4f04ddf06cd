/*
 * timeutil.c - monotonic and wall clocks, sleeping, duration parsing,
 * points in time for scheduled operations.
 */
#include "common/timeutil.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t time_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t time_monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t time_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool time_sleep_ms(int64_t ms)
{
	struct timespec ts = {.tv_sec = ms / 1000,
			      .tv_nsec = (long)(ms % 1000) * 1000000L};
	return nanosleep(&ts, NULL) == 0;
}

static const struct {
	const char *suffix;
	int64_t factor;
} units[] = {{"ms", 1}, {"s", 1000}, {"min", 60000}, {"h", 3600000}, {"", 1}};

bool duration_parse_ms(const char *text, int64_t *out)
{
	char *end;
	long long value;

	/* digits first: strtoll would skip blanks and take a sign after
	 * them (" -5s") */
	if (!text || !isdigit((unsigned char)*text))
		return false;
	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno || end == text)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (value > INT64_MAX / units[i].factor)
				return false;
			*out = (int64_t)value * units[i].factor;
			return true;
		}
	}
	return false;
}

char *duration_format(int64_t ms, char *buf, size_t len)
{
	if (ms < 1000)
		snprintf(buf, len, "%lldms", (long long)ms);
	else if (ms % 60000 == 0)
		snprintf(buf, len, "%lldmin", (long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(buf, len, "%llds", (long long)(ms / 1000));
	else
		snprintf(buf, len, "%.1fs", (double)ms / 1000.0);
	return buf;
}

char *time_format_wall(int64_t wall_ms, char *buf, size_t len)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

/* "+5m": minutes, as people write them; the rest as durations, with a
 * unit (a bare number is refused). */
static bool parse_relative(const char *text, int64_t now_ms, int64_t *out)
{
	char buf[32];
	int64_t ms;
	size_t n = strlen(text);

	if (n == 0 || n + 3 >= sizeof(buf) ||
	    isdigit((unsigned char)text[n - 1]))
		return false;
	snprintf(buf, sizeof(buf), "%s%s", text,
		 text[n - 1] == 'm' ? "in" : "");
	if (!duration_parse_ms(buf, &ms) || ms > INT64_MAX - now_ms)
		return false;
	*out = now_ms + ms;
	return true;
}

/* "Z", "+01:00", "-0530": the zone's offset east of UTC in seconds. */
static bool parse_zone(const char *z, long *offset)
{
	int h, m;
	char tail;

	if (strcmp(z, "Z") == 0 || strcmp(z, "z") == 0) {
		*offset = 0;
		return true;
	}
	if ((z[0] != '+' && z[0] != '-') ||
	    (sscanf(z + 1, "%2d:%2d%c", &h, &m, &tail) != 2 &&
	     sscanf(z + 1, "%2d%2d%c", &h, &m, &tail) != 2) ||
	    h > 23 || m > 59 || !isdigit((unsigned char)z[1]))
		return false;
	*offset = (z[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return true;
}

bool time_parse_at(const char *text, int64_t now_ms, int64_t *out)
{
	struct tm tm = {0};
	int used = 0, ms = 0;
	long offset;
	char sep;

	if (!text)
		return false;
	if (text[0] == '+')
		return parse_relative(text + 1, now_ms, out);
	if (sscanf(text, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
		   &tm.tm_mday, &sep, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
		   &used) != 7 ||
	    used != 19 || (sep != 'T' && sep != 't' && sep != ' '))
		return false;
	const char *rest = text + used;
	if (*rest == '.') {
		int digits = 0;
		for (rest++; isdigit((unsigned char)*rest); rest++, digits++)
			if (digits < 3)
				ms = ms * 10 + (*rest - '0');
		for (; digits > 0 && digits < 3; digits++)
			ms *= 10;
		if (digits == 0)
			return false;
	}
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60 || !parse_zone(rest, &offset))
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*out = ((int64_t)t - offset) * 1000 + ms;
	return true;
}
