/* A minimal fork-join over the machine's cores for memory-bound loops (optimizer updates, large
 * elementwise ops): PyTorch runs these on all cores too. Small ranges stay on the calling thread,
 * since starting a thread costs tens of microseconds. */
#include "common.h"
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <unistd.h>

#define DFA_MAX_THREADS 8

typedef struct {
  dfa_range_fn fn;
  void *ctx;
  size_t lo, hi;
} task_t;

static void *run_task(void *arg) {
  task_t *t = (task_t *)arg;
  t->fn(t->ctx, t->lo, t->hi);
  return NULL;
}

static int n_threads(void) {
  static int cached = 0;
  if (!cached) {
    /* DFA_NUM_THREADS caps it, e.g. to 1 when several long runs share a small machine */
    const char *env = getenv("DFA_NUM_THREADS");
    long n = env && atol(env) > 0 ? atol(env) : sysconf(_SC_NPROCESSORS_ONLN);
    cached = n < 1 ? 1 : (n > DFA_MAX_THREADS ? DFA_MAX_THREADS : (int)n);
  }
  return cached;
}

/* Runs tasks[1..nt) on new threads and tasks[0] here, then joins. */
static void fork_join_spawn(task_t *tasks, int nt) {
  pthread_t th[DFA_MAX_THREADS];
  int started[DFA_MAX_THREADS] = {0};
  for (int i = 1; i < nt; i++) started[i] = pthread_create(&th[i], NULL, run_task, &tasks[i]) == 0;
  run_task(&tasks[0]);
  for (int i = 1; i < nt; i++) {
    if (started[i]) pthread_join(th[i], NULL);
    else run_task(&tasks[i]); /* could not start a thread: do its share here */
  }
}

/* A persistent pool: creating and joining a thread costs ~30 us, paid per call by a step of a
 * few dozen small kernels (a CNN's pooling, bias, activation passes). Workers sleep on a condition
 * variable between calls (never spin: the cores are shared with OpenBLAS's threads); worker i
 * runs task i of the current call. One call uses the pool at a time (pool_busy); a nested or
 * concurrent call, or a pool that cannot grow, falls back to spawning. */
static pthread_mutex_t pool_busy = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t pool_m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_go = PTHREAD_COND_INITIALIZER, pool_done = PTHREAD_COND_INITIALIZER;
static task_t *pool_tasks;
static int pool_n, pool_remaining, pool_workers;
static unsigned long pool_gen;

static void *pool_worker(void *arg) {
  const int id = (int)(intptr_t)arg;
  unsigned long seen = 0;
  pthread_mutex_lock(&pool_m);
  for (;;) {
    while (pool_gen == seen) pthread_cond_wait(&pool_go, &pool_m);
    seen = pool_gen;
    if (id >= pool_n) continue;
    const task_t t = pool_tasks[id];
    pthread_mutex_unlock(&pool_m);
    t.fn(t.ctx, t.lo, t.hi);
    pthread_mutex_lock(&pool_m);
    if (--pool_remaining == 0) pthread_cond_signal(&pool_done);
  }
  return NULL;
}

static void fork_join(task_t *tasks, int nt) {
  if (pthread_mutex_trylock(&pool_busy) != 0) {
    fork_join_spawn(tasks, nt);
    return;
  }
  pthread_mutex_lock(&pool_m);
  while (pool_workers < nt - 1) {
    pthread_t t;
    if (pthread_create(&t, NULL, pool_worker, (void *)(intptr_t)(pool_workers + 1)) != 0) break;
    pthread_detach(t);
    pool_workers++;
  }
  if (pool_workers < nt - 1) {
    pthread_mutex_unlock(&pool_m);
    pthread_mutex_unlock(&pool_busy);
    fork_join_spawn(tasks, nt);
    return;
  }
  pool_tasks = tasks;
  pool_n = nt;
  pool_remaining = nt - 1;
  pool_gen++;
  pthread_cond_broadcast(&pool_go);
  pthread_mutex_unlock(&pool_m);
  run_task(&tasks[0]);
  pthread_mutex_lock(&pool_m);
  while (pool_remaining > 0) pthread_cond_wait(&pool_done, &pool_m);
  pthread_mutex_unlock(&pool_m);
  pthread_mutex_unlock(&pool_busy);
}

void dfa_parallel(size_t n, size_t min_chunk, dfa_range_fn fn, void *ctx) {
  int nt = n_threads();
  if (min_chunk == 0) min_chunk = 1;
  if ((size_t)nt > n / min_chunk) nt = (int)(n / min_chunk);
  if (nt <= 1) {
    fn(ctx, 0, n);
    return;
  }
  task_t tasks[DFA_MAX_THREADS];
  /* chunks aligned to 16 floats (64 bytes) so threads never share a cache line */
  size_t chunk = ((n + (size_t)nt - 1) / (size_t)nt + 15) & ~(size_t)15;
  for (int i = 0; i < nt; i++) {
    size_t lo = (size_t)i * chunk, hi = lo + chunk > n ? n : lo + chunk;
    tasks[i] = (task_t){fn, ctx, lo < n ? lo : n, hi};
  }
  fork_join(tasks, nt);
}

/* Fork-join over n independent tasks (e.g. attention heads), split evenly without the cache-line
 * alignment of dfa_parallel (which suits element ranges, not a handful of tasks). */
void dfa_parallel_tasks(size_t n, dfa_range_fn fn, void *ctx) {
  int nt = n_threads();
  if ((size_t)nt > n) nt = (int)n;
  if (nt <= 1) {
    fn(ctx, 0, n);
    return;
  }
  task_t tasks[DFA_MAX_THREADS];
  for (int i = 0; i < nt; i++) tasks[i] = (task_t){fn, ctx, n * (size_t)i / (size_t)nt, n * (size_t)(i + 1) / (size_t)nt};
  fork_join(tasks, nt);
}

int dfa_num_threads(void) { return n_threads(); }
