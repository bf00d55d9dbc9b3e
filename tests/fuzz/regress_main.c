/*
 * regress_main.c — a plain driver for the fuzz targets, without libFuzzer:
 * every argument is a file, or a directory whose regular files are all
 * read (sorted by name), and each file goes once through the target's
 * LLVMFuzzerTestOneInput in a child process, so that a crash, a sanitizer
 * report or a leak (LeakSanitizer runs at the child's exit) names its
 * file.  Built with the ordinary compiler (and under make asan with the
 * sanitizers), it replays the seed corpora and the malformed-input folders
 * in make test; it stops at the first file that fails.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz_common.h"

static long n_files;

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      uint8_t *b = realloc(buf, cap *= 2);
      if (!b)
        free(buf);
      buf = b;
    }
  }
  int err = ferror(f) || !buf;
  fclose(f);
  if (err) {
    fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    return 1;
  }
  /* An exact-size copy, so that ASan sees a read past the end. */
  uint8_t *in = malloc(len ? len : 1);
  if (!in) {
    free(buf);
    return 1;
  }
  memcpy(in, buf, len);
  free(buf);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    LLVMFuzzerTestOneInput(in, len);
    free(in);
    exit(0);
  }
  free(in);
  int ws = 0;
  if (pid < 0 || waitpid(pid, &ws, 0) != pid) {
    perror("fork");
    return 1;
  }
  n_files++;
  if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
    return 0;
  fprintf(stderr, "FAILED on %s (%s %d)\n", path,
          WIFSIGNALED(ws) ? "signal" : "exit status",
          WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
  return 1;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int bad = 0;
  struct dirent *e;
  while (!bad && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      char **v = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *v);
      if (!v) {
        bad = 1;
        break;
      }
      names = v;
    }
    size_t l = strlen(dir) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(l))) {
      bad = 1;
      break;
    }
    snprintf(names[n++], l, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    struct stat sb;
    if (!bad && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode))
      bad = run_file(names[i]);
    free(names[i]);
  }
  free(names);
  return bad;
}

int main(int argc, char **argv) {
  int bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    struct stat sb;
    if (stat(argv[i], &sb) != 0) {
      perror(argv[i]);
      bad = 1;
    } else if (S_ISDIR(sb.st_mode)) {
      bad = run_dir(argv[i]);
    } else {
      bad = run_file(argv[i]);
    }
  }
  printf("%s: %ld file(s) replayed%s\n", argv[0], n_files,
         bad ? ", stopped on an error" : "");
  return bad;
}
