#include "trace/merge.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

struct chunk {
	size_t n;
	int64_t t[MERGE_CHUNK];
};

struct merge;

struct source {
	struct merge *m;
	const char *path;
	struct trace_options o;
	int64_t cutoff;
	struct bopt_summary *sum; // its own summary
	pthread_t thread;
	struct chunk *fill; // being filled by the input's thread
	// Under m->lock:
	struct chunk *queue[MERGE_QUEUE];
	size_t q_head, q_len;
	bool done, failed;
	char err[BOPT_ERR_MAX];
	// The merge's side:
	struct chunk *cur;
	size_t pos;
};

struct merge {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	bool stop;   // the merge gave up: inputs' threads drop their times
	bool failed; // an input failed
};

// Hands the filled chunk to the merge, waiting for room. From the input's thread.
static void publish(struct source *s)
{
	struct merge *m = s->m;
	struct chunk *c = s->fill;
	s->fill = NULL;
	if (c == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	while (s->q_len == MERGE_QUEUE && !m->stop)
		pthread_cond_wait(&m->changed, &m->lock);
	if (m->stop) {
		free(c);
	} else {
		s->queue[(s->q_head + s->q_len++) % MERGE_QUEUE] = c;
		pthread_cond_broadcast(&m->changed);
	}
	pthread_mutex_unlock(&m->lock);
}

// The input's summary releases its times in order here.
static void forward(void *arg, int64_t t)
{
	struct source *s = arg;
	if (s->fill == NULL) {
		s->fill = xmalloc(sizeof(*s->fill));
		s->fill->n = 0;
	}
	s->fill->t[s->fill->n++] = t;
	if (s->fill->n == MERGE_CHUNK)
		publish(s);
}

static void *source_run(void *arg)
{
	struct source *s = arg;
	bool ok = trace_summarise_input(s->path, &s->o, s->cutoff, s->sum, s->err);
	if (ok)
		summary_flush(s->sum);
	publish(s);
	pthread_mutex_lock(&s->m->lock);
	s->done = true;
	s->failed = !ok;
	if (!ok)
		s->m->failed = true;
	pthread_cond_broadcast(&s->m->changed);
	pthread_mutex_unlock(&s->m->lock);
	return NULL;
}

// The next time of an input, in order; false at its end or when the merge
// is to stop.
static bool source_next(struct source *s, int64_t *t)
{
	struct merge *m = s->m;
	while (s->cur == NULL || s->pos == s->cur->n) {
		free(s->cur);
		s->cur = NULL;
		s->pos = 0;
		pthread_mutex_lock(&m->lock);
		while (s->q_len == 0 && !s->done && !m->failed)
			pthread_cond_wait(&m->changed, &m->lock);
		if (s->q_len > 0 && !m->failed) {
			s->cur = s->queue[s->q_head];
			s->q_head = (s->q_head + 1) % MERGE_QUEUE;
			s->q_len--;
			pthread_cond_broadcast(&m->changed);
		}
		pthread_mutex_unlock(&m->lock);
		if (s->cur == NULL)
			return false;
	}
	*t = s->cur->t[s->pos++];
	return true;
}

struct head {
	int64_t t;
	size_t source;
};

static void sift_down(struct head *h, size_t n, size_t i)
{
	struct head x = h[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1].t < h[c].t)
			c++;
		if (x.t <= h[c].t)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

// The k-way merge: every input's times, in time order, into out.
static void merge_run(struct source *src, size_t k, struct bopt_summary *out)
{
	struct head *h = xcalloc(k, sizeof(*h));
	size_t n = 0;
	for (size_t i = 0; i < k; i++)
		if (source_next(&src[i], &h[n].t))
			h[n++].source = i;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(h, n, i);
	while (n > 0) {
		summary_emit(out, h[0].t);
		if (!source_next(&src[h[0].source], &h[0].t))
			h[0] = h[--n];
		sift_down(h, n, 0);
	}
	free(h);
}

// The order in which the inputs' counts are added (names of unknown
// variants are listed in it): by first event time, whatever the order on
// the command line.
static int by_time(const void *a, const void *b)
{
	const struct source *x = *(struct source *const *)a, *y = *(struct source *const *)b;
	if (x->sum->t_min != y->sum->t_min)
		return x->sum->t_min < y->sum->t_min ? -1 : 1;
	if (x->sum->events != y->sum->events)
		return x->sum->events < y->sum->events ? -1 : 1;
	return strcmp(x->path, y->path);
}

bool merge_summarise(char *const *paths, size_t npaths, const struct trace_options *o,
	int64_t cutoff, struct bopt_summary *out, struct bopt_summary *files, char *err)
{
	if (npaths > MERGE_MAX_INPUTS)
		return bopt_errf(err, "%zu files to merge by time, at most %d (--concat reads "
			"them in order)", npaths, MERGE_MAX_INPUTS);
	size_t stdin_uses = 0;
	for (size_t i = 0; i < npaths; i++)
		stdin_uses += strcmp(paths[i], "-") == 0;
	if (stdin_uses > 1)
		return bopt_errf(err, "standard input given more than once");

	struct merge m = {0};
	pthread_mutex_init(&m.lock, NULL);
	pthread_cond_init(&m.changed, NULL);
	struct source *src = xcalloc(npaths, sizeof(*src));
	struct bopt_summary *own = files ? NULL : xcalloc(npaths, sizeof(*own));
	// The inputs share the cores and the repair's memory cap.
	long cores = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	long jobs = cores / (long)npaths;
	size_t cap = REORDER_CAP / npaths;
	size_t started = 0;
	for (size_t i = 0; i < npaths; i++) {
		struct source *s = &src[i];
		*s = (struct source){.m = &m, .path = paths[i], .o = *o, .cutoff = cutoff};
		s->o.jobs = jobs < 1 ? 1 : (int)jobs;
		s->o.progress = NULL;
		s->sum = files ? &files[i] : &own[i];
		if (!files)
			summary_init(s->sum);
		summary_set_horizon(s->sum, o->max_disorder_ns, cap);
		s->sum->forward = forward;
		s->sum->forward_arg = s;
	}
	for (; started < npaths; started++)
		if (pthread_create(&src[started].thread, NULL, source_run, &src[started]) != 0)
			break;
	bool ok = started == npaths;
	if (ok) {
		merge_run(src, npaths, out);
	} else {
		bopt_errf(err, "cannot start a thread to read %s", paths[started]);
	}
	pthread_mutex_lock(&m.lock);
	m.stop = true;
	pthread_cond_broadcast(&m.changed);
	pthread_mutex_unlock(&m.lock);
	for (size_t i = 0; i < started; i++)
		pthread_join(src[i].thread, NULL);

	for (size_t i = 0; i < npaths && ok; i++) {
		if (src[i].failed) {
			snprintf(err, BOPT_ERR_MAX, "%s", src[i].err);
			ok = false;
		}
	}
	struct source **order = xcalloc(npaths, sizeof(*order));
	for (size_t i = 0; i < npaths; i++)
		order[i] = &src[i];
	qsort(order, npaths, sizeof(*order), by_time);
	for (size_t i = 0; i < npaths && ok; i++)
		summary_merge_counts(out, order[i]->sum);
	free(order);

	for (size_t i = 0; i < npaths; i++) {
		free(src[i].cur);
		free(src[i].fill);
		for (size_t j = 0; j < src[i].q_len; j++)
			free(src[i].queue[(src[i].q_head + j) % MERGE_QUEUE]);
		src[i].sum->forward = NULL;
		if (own)
			summary_destroy(&own[i]);
	}
	free(own);
	free(src);
	pthread_cond_destroy(&m.changed);
	pthread_mutex_destroy(&m.lock);
	return ok;
}
