/*
 * HashHalo capture harness for the real libketama (RJ/ketama libketama/ketama.c).
 * Not a reimplementation: it links the upstream ketama.c unmodified and only
 * drives its public API the same way upstream's ketama_test.c does.
 *
 *   libketama_harness SERVERFILE < keys.txt
 *
 * Output: line 1 = "numpoints N", then one line per input key:
 *   "<ketama_hashi(key)> <point> <server>"     (same format as ketama_test.c)
 * On exit the SysV shared-memory segment and semaphore that ketama_roll()
 * creates (keyed by ftok(SERVERFILE,'R')) are removed again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/sem.h>
#include "ketama.h"

static void cleanup_ipc(const char *file) {
    key_t key = ftok(file, 'R');
    if (key == -1) return;
    int shmid = shmget(key, MC_SHMSIZE, 0);
    if (shmid != -1) shmctl(shmid, IPC_RMID, NULL);
    int semid = semget(key, 1, 0);
    if (semid != -1) semctl(semid, 0, IPC_RMID);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s SERVERFILE < keys\n", argv[0]);
        return 2;
    }
    cleanup_ipc(argv[1]); /* never reuse a stale continuum */
    ketama_continuum c;
    if (!ketama_roll(&c, argv[1])) {
        fprintf(stderr, "ketama_roll failed: %s\n", ketama_error());
        cleanup_ipc(argv[1]);
        return 1;
    }
    printf("numpoints %d\n", c->numpoints);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[--n] = '\0';
        unsigned int kh = ketama_hashi(line);
        mcs *m = ketama_get_server(line, c);
        printf("%u %u %s\n", kh, m->point, m->ip);
    }
    ketama_smoke(c);
    cleanup_ipc(argv[1]);
    return 0;
}
