/* Replays inputs through a libFuzzer harness without libFuzzer (any C compiler): every file given,
 * and every file of every folder given (sorted by name, dot files and README* skipped), goes to
 * LLVMFuzzerTestOneInput() once. This is how the seed corpus and the regressions of
 * tests/fuzz/ run in every CI run (ctest fuzz.replay.<harness>); a harness that finds a problem
 * aborts, which fails the test.
 *
 * Usage: fuzz_replay_<harness> [--min N] PATH...   (fails when fewer than N inputs were replayed;
 *        a folder that does not exist counts as empty) */
#define _DEFAULT_SOURCE /* scandir, alphasort */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static unsigned replayed;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *data = malloc(cap);
    for (size_t r; data && (r = fread(data + len, 1, cap - len, f)) > 0;) {
        len += r;
        if (len == cap) {
            uint8_t *bigger = realloc(data, cap *= 2);
            if (!bigger)
                free(data);
            data = bigger;
        }
    }
    fclose(f);
    if (!data) {
        fprintf(stderr, "replay: %s: out of memory\n", path);
        return 1;
    }
    /* An exact-size copy: a read past the input is caught by the sanitizers. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return 1;
    }
    memcpy(exact, data, len);
    free(data);
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    replayed++;
    return 0;
}

static int skip(const struct dirent *e)
{
    return e->d_name[0] != '.' && strncmp(e->d_name, "README", 6) != 0;
}

static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == ENOENT) {
            fprintf(stderr, "replay: %s does not exist: nothing to replay there\n", path);
            return 0;
        }
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    struct dirent **entries;
    int n = scandir(path, &entries, skip, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        size_t size = strlen(path) + strlen(entries[i]->d_name) + 2;
        char *child = malloc(size);
        if (child) {
            snprintf(child, size, "%s/%s", path, entries[i]->d_name);
            struct stat cst;
            if (stat(child, &cst) == 0 && S_ISREG(cst.st_mode))
                failed |= replay_file(child);
            free(child);
        }
        free(entries[i]);
    }
    free(entries);
    return failed;
}

int main(int argc, char **argv)
{
    unsigned min = 0;
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--min") == 0) {
        min = (unsigned)strtoul(argv[2], NULL, 10);
        first = 3;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    int failed = 0;
    for (int i = first; i < argc; i++)
        failed |= replay_path(argv[i]);
    printf("replayed %u input%s\n", replayed, replayed == 1 ? "" : "s");
    if (replayed < min) {
        fprintf(stderr, "replay: only %u inputs, at least %u expected (is the corpus there?)\n", replayed, min);
        return 1;
    }
    return failed;
}
