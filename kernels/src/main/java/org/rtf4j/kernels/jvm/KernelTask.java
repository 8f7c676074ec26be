package org.rtf4j.kernels.jvm;

/**
 * The loop body of one JVM kernel, with the arguments of the running call in fields: the driver sets them,
 * runs the kernel's loops through {@link #call(JvmExecutor)}, which {@linkplain #clear() clears}
 * them. One instance per kernel and backend, reused by every call, is what keeps a steady-state call
 * allocation-free (a capturing lambda would allocate its closure per call). A kernel with several
 * dependent loops runs them as numbered phases of the same task.
 *
 * <p>Drivers hold the lock of their kernel set while a task's fields are set, so a task serves one call
 * at a time; workers see the fields through the executor's hand-off.
 */
abstract class KernelTask implements JvmExecutor.RangeTask {
    private int phase;

    /** Runs every phase of the call whose arguments were just set, then {@linkplain #clear() clears} them. */
    final void call(JvmExecutor ex) {
        try {
            for (int p = 0; p < phases(); p++) {
                phase = p;
                ex.parallelFor(rowCount(p), this);
            }
        } finally {
            clear();
        }
    }

    @Override
    public final void run(int worker, int from, int to) {
        rows(phase, worker, from, to);
    }

    /** Number of dependent loops, each finished before the next starts; 1 unless overridden. */
    int phases() {
        return 1;
    }

    /** Rows of phase {@code phase} (independent units spread over the workers). */
    abstract int rowCount(int phase);

    /** Rows {@code [from, to)} of phase {@code phase}, on worker {@code worker} (whose scratch it may use). */
    abstract void rows(int phase, int worker, int from, int to);

    /** Drops the call's arrays and shapes, so the backend keeps no caller data reachable between calls. */
    abstract void clear();
}
