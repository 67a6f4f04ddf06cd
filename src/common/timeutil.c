/*
 * timeutil.c - monotonic and wall clocks, sleeping, duration parsing.
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
