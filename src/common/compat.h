/*
 * compat.h - the few compiler annotations pgkeel uses, in one place.
 *
 * PGK_PRINTF lets GCC and Clang check printf-style format strings against
 * their arguments (a whole class of logging bugs caught at build time).
 * Other compilers get an empty macro.
 */
#ifndef PGK_COMPAT_H
#define PGK_COMPAT_H

#if defined(__GNUC__) || defined(__clang__)
#define PGK_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#define PGK_NORETURN __attribute__((noreturn))
#else
#define PGK_PRINTF(fmt, first)
#define PGK_NORETURN
#endif

#define PGK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
