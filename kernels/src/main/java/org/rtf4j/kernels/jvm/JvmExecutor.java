package org.rtf4j.kernels.jvm;

/**
 * A fixed pool of worker threads that runs one parallel loop at a time. The caller's thread is worker 0;
 * threads 1 .. T−1 are daemon threads owned by this executor and stopped by {@link #close()}. Calls from
 * several threads are serialized, so scratch indexed by worker number is never shared.
 */
public final class JvmExecutor implements AutoCloseable {

    /** Body of a parallel loop over {@code [from, to)} run by worker {@code worker}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final Thread[] workers;
    private final Object lock = new Object();
    private final Object callMonitor = new Object();
    private long generation;
    private int pending;
    private boolean closed;
    private RangeTask task;
    private int count;
    private int chunks;
    private Throwable failure;

    /** Creates an executor with {@code threads} ≥ 1 workers (including the calling thread). */
    public JvmExecutor(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be in [1, 1024], got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++) {
            final int id = w;
            Thread t = new Thread(() -> workerLoop(id), "rtf4j-jvm-" + w);
            t.setDaemon(true);
            workers[w - 1] = t;
            t.start();
        }
    }

    /** Number of workers, including the calling thread. */
    public int threads() {
        return threads;
    }

    /**
     * Splits {@code [0, count)} into at most {@link #threads()} contiguous ranges and runs them in
     * parallel; returns when all are done and rethrows the first failure. Must not be called from inside
     * a task.
     */
    public void parallelFor(int count, RangeTask body) {
        if (count <= 0) {
            return;
        }
        for (Thread t : workers) {
            if (Thread.currentThread() == t) {
                throw new IllegalStateException("nested parallelFor from worker " + t.getName());
            }
        }
        synchronized (callMonitor) {
            int c = Math.min(threads, count);
            if (c == 1) {
                body.run(0, 0, count);
                return;
            }
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("executor is closed");
                }
                this.task = body;
                this.count = count;
                this.chunks = c;
                this.failure = null;
                this.pending = c - 1;
                generation++;
                lock.notifyAll();
            }
            Throwable mine = null;
            try {
                body.run(0, 0, (int) ((long) count / c));
            } catch (Throwable e) {
                mine = e;
            }
            Throwable other;
            synchronized (lock) {
                boolean interrupted = false;
                while (pending > 0) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                other = failure;
                task = null;
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            Throwable f = mine != null ? mine : other;
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            }
            if (f instanceof Error) {
                throw (Error) f;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        }
    }

    private void workerLoop(int id) {
        long seen = 0;
        while (true) {
            RangeTask t;
            int from;
            int to;
            synchronized (lock) {
                while (generation == seen && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                if (id >= chunks) {
                    continue;
                }
                t = task;
                from = (int) ((long) count * id / chunks);
                to = (int) ((long) count * (id + 1) / chunks);
            }
            Throwable err = null;
            try {
                t.run(id, from, to);
            } catch (Throwable e) {
                err = e;
            }
            synchronized (lock) {
                if (err != null && failure == null) {
                    failure = err;
                }
                pending--;
                if (pending == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** Stops the worker threads. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "JvmExecutor[threads=" + threads + "]";
    }
}
