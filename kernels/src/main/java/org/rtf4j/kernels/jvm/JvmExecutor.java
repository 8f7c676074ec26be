package org.rtf4j.kernels.jvm;

/**
 * A fixed pool of worker threads that runs one parallel loop at a time: the one owner of the worker
 * threads of a computation (the JVM backend's kernels and a model's host loops share it). The caller's
 * thread is worker 0; threads 1 .. T−1 are daemon threads named {@code rtf4j-jvm-<i>}, owned by this
 * executor and stopped by {@link #close()}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Calls from several threads are serialised, so scratch indexed by worker number is never shared.</li>
 *   <li>A call is not nested: {@link #parallelFor} from inside a task of this executor (on the calling
 *       thread or on a worker) is refused with {@link IllegalStateException}, because the inner loop would
 *       reuse the worker numbers, and so the scratch, of the outer one. The task fails, and with it the
 *       outer call.</li>
 *   <li>A failing task does not stop the others: the call waits for every range, then throws the first
 *       failure — the exception object the task threw, so its type and stack (the worker's) are kept; the
 *       other failures are attached to it as suppressed, and when it was thrown on another thread, an
 *       {@link IllegalStateException} with the calling thread's stack is attached too. A checked throwable
 *       (thrown sneakily) arrives as the cause of an {@code IllegalStateException}. The executor stays
 *       usable.</li>
 *   <li>{@link #close()} waits for a call in progress to finish, then stops the workers; calls after it are
 *       refused with {@link IllegalStateException}. From inside a task it cannot wait for its own call: it
 *       refuses new calls, the call in progress still completes, and the workers stop after it.</li>
 * </ul>
 * A steady-state call allocates nothing (the hand-off is a few fields under one lock), which the kernels'
 * zero-allocation guarantee relies on. That is why this is not a JDK pool: a fixed
 * {@code ThreadPoolExecutor} with {@code submit} and the caller running range 0 measured as fast on
 * {@code LayerBench.forwardBackward} (within the noise of 2 cores), but allocates about 136 bytes per loop
 * (task, future, queue node), and {@code SteadyStateAllocationTest} fails with it.
 */
public final class JvmExecutor implements AutoCloseable {

    /** Body of a parallel loop over {@code [from, to)} run by worker {@code worker}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    /** A worker thread, recognisable as this executor's own. */
    private final class Worker extends Thread {
        private final int id;

        Worker(int id) {
            super("rtf4j-jvm-" + id);
            this.id = id;
            setDaemon(true);
        }

        JvmExecutor owner() {
            return JvmExecutor.this;
        }

        @Override
        public void run() {
            workerLoop(id);
        }
    }

    private final int threads;
    private final Worker[] workers;
    /** Guards the hand-off fields below; workers wait on it. */
    private final Object lock = new Object();
    /** Held for the whole of a call: serialises calls, and {@link #close()} waits on it. */
    private final Object callMonitor = new Object();
    private long generation;
    private int pending;
    private boolean closed;
    private RangeTask task;
    private int count;
    private int chunks;
    private Throwable failure;
    /** The thread inside a call (read only by a thread comparing it with itself), else null. */
    private Thread running;

    /** The most workers an executor takes. */
    public static final int MAX_THREADS = 1024;

    /** Creates an executor with {@code threads} workers, 1 ≤ threads ≤ {@link #MAX_THREADS} (the calling thread included). */
    public JvmExecutor(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 1; w < threads; w++) {
            workers[w - 1] = new Worker(w);
            workers[w - 1].start();
        }
    }

    /** Number of workers, including the calling thread. */
    public int threads() {
        return threads;
    }

    /** True on a worker thread of this executor (threads 1 .. T−1). */
    private boolean isOwnWorker(Thread t) {
        return t instanceof Worker && ((Worker) t).owner() == this;
    }

    /**
     * Splits {@code [0, count)} into at most {@link #threads()} contiguous ranges, range w on worker w, and
     * runs them in parallel; returns when all are done. Nothing happens for {@code count ≤ 0}.
     *
     * @throws IllegalStateException when called from inside a task of this executor, or after {@link #close()}
     */
    public void parallelFor(int count, RangeTask body) {
        if (count <= 0) {
            return;
        }
        Thread me = Thread.currentThread();
        if (me == running || isOwnWorker(me)) {
            throw new IllegalStateException("nested parallelFor on " + me.getName()
                + ": a task of a JvmExecutor must not call the same executor");
        }
        synchronized (callMonitor) {
            running = me;
            try {
                run(count, body);
            } finally {
                running = null;
            }
        }
    }

    private void run(int count, RangeTask body) {
        int c = Math.min(threads, count);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("JvmExecutor is closed");
            }
            if (c > 1) {
                this.task = body;
                this.count = count;
                this.chunks = c;
                this.failure = null;
                this.pending = c - 1;
                generation++;
                lock.notifyAll();
            }
        }
        if (c == 1) {
            body.run(0, 0, count);
            return;
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
            failure = null;
            task = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine == null && other == null) {
            return;
        }
        Throwable f;
        if (mine != null) {
            f = mine;
            if (other != null && other != mine) {
                f.addSuppressed(other);
            }
        } else {
            f = other;
            f.addSuppressed(new IllegalStateException("rethrown by JvmExecutor.parallelFor on "
                + Thread.currentThread().getName()));
        }
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        throw new IllegalStateException("a JvmExecutor task failed: " + f, f);
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
                        // only close() stops a worker
                    }
                }
                if (generation == seen) {
                    return; // closed, and no call is waiting for this worker
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
                if (err != null) {
                    if (failure == null) {
                        failure = err;
                    } else if (failure != err) {
                        failure.addSuppressed(err);
                    }
                }
                pending--;
                if (pending == 0) {
                    lock.notifyAll();
                }
            }
        }
    }

    /**
     * Refuses further calls and stops the worker threads, waiting for a call in progress to finish first
     * (from inside a task: without waiting for its own call, which completes). Idempotent.
     */
    @Override
    public void close() {
        Thread me = Thread.currentThread();
        if (me == running || isOwnWorker(me)) {
            markClosed();
        } else {
            synchronized (callMonitor) {
                markClosed();
            }
        }
        boolean interrupted = false;
        for (Worker t : workers) {
            if (t == me) {
                continue;
            }
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            me.interrupt();
        }
    }

    private void markClosed() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "JvmExecutor[threads=" + threads + "]";
    }
}
