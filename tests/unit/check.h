/* The unit tests' checks: each counts as passed or failed, and a failure says where and why.
 * The test's main() ends with printf("%d passed, %d failed\n", passed, failed). */
#ifndef TLSAUTH_TEST_CHECK_H
#define TLSAUTH_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int passed, failed;
static const char *current_test;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, current_test, #cond); \
        }                                                                                          \
    } while (0)
#define CHECK_STR(actual, expected)                                                                \
    do {                                                                                           \
        const char *a_ = (actual), *e_ = (expected);                                               \
        if (strcmp(a_, e_) == 0) {                                                                 \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            fprintf(stderr, "%s:%d: %s: got \"%s\", expected \"%s\"\n", __FILE__, __LINE__,       \
                    current_test, a_, e_);                                                         \
        }                                                                                          \
    } while (0)
#define CHECK_HAS(haystack, needle)                                                                \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (strstr(h_, n_)) {                                                                      \
            passed++;                                                                              \
        } else {                                                                                   \
            failed++;                                                                              \
            fprintf(stderr, "%s:%d: %s: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,    \
                    current_test, h_, n_);                                                         \
        }                                                                                          \
    } while (0)

#endif
