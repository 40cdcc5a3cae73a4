/* A reader of fuzzer input bytes shared by the harnesses: every read is bounded, and a read past
 * the end yields zeros, so that any input is a valid program for the harness. Copies the harnesses
 * hand to the code under test are exact-size heap blocks, so that AddressSanitizer catches a read
 * one byte past them. */
#ifndef TLSAUTH_FUZZ_INPUT_H
#define TLSAUTH_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_input {
    const uint8_t *p;
    size_t n;
} fuzz_input;

static inline bool fi_empty(const fuzz_input *in) { return in->n == 0; }

static inline uint8_t fi_u8(fuzz_input *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

static inline uint16_t fi_u16(fuzz_input *in)
{
    uint16_t v = fi_u8(in);
    return (uint16_t)(v | fi_u8(in) << 8);
}

static inline uint32_t fi_u32(fuzz_input *in)
{
    uint32_t v = fi_u16(in);
    return v | (uint32_t)fi_u16(in) << 16;
}

static inline uint64_t fi_u64(fuzz_input *in)
{
    uint64_t v = fi_u32(in);
    return v | (uint64_t)fi_u32(in) << 32;
}

/* Up to n bytes (fewer at the end of the input); *got says how many. */
static inline const uint8_t *fi_bytes(fuzz_input *in, size_t n, size_t *got)
{
    const uint8_t *p = in->p;
    if (n > in->n)
        n = in->n;
    in->p += n;
    in->n -= n;
    *got = n;
    return p;
}

/* An exact-size heap copy (never NULL: a 1-byte block for an empty one, so that the caller can
 * still pass a non-NULL pointer with length 0). */
static inline uint8_t *fi_dup(const uint8_t *p, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    if (n)
        memcpy(copy, p, n);
    else
        copy[0] = 0; /* never read, but defined */
    return copy;
}

/* n bytes of input, whatever they are (NUL, control, invalid UTF-8), in an exact-size
 * NUL-terminated heap string: what a dissector field may hand over. */
static inline char *fi_string(fuzz_input *in, size_t n)
{
    size_t got;
    const uint8_t *p = fi_bytes(in, n, &got);
    char *s = malloc(got + 1);
    if (!s)
        abort();
    memcpy(s, p, got);
    s[got] = '\0';
    return s;
}

/* Harness-detected violations of a documented promise: a crash libFuzzer records. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A string promised to be NUL-terminated within size bytes, valid UTF-8, without control
 * characters (verify.h). */
static inline void fuzz_check_text(const char *s, size_t size)
{
    size_t len = strnlen(s, size);
    FUZZ_CHECK(len < size);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = u[i];
        size_t k = c < 0x80 ? 1 : (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3
                                : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
        FUZZ_CHECK(k != 0 && i + k <= len);
        FUZZ_CHECK(!(k == 1 && (c < 0x20 || c == 0x7F)));
        for (size_t j = 1; j < k; j++)
            FUZZ_CHECK((u[i + j] & 0xC0) == 0x80);
        FUZZ_CHECK(!(k == 2 && c == 0xC2 && u[i + 1] < 0xA0)); /* C1 controls */
        FUZZ_CHECK(!(c == 0xE0 && u[i + 1] < 0xA0) && !(c == 0xED && u[i + 1] >= 0xA0)); /* overlong, surrogate */
        FUZZ_CHECK(!(c == 0xF0 && u[i + 1] < 0x90) && !(c == 0xF4 && u[i + 1] >= 0x90)); /* overlong, > U+10FFFF */
        i += k;
    }
}

#endif
