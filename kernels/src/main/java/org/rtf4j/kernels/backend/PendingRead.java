package org.rtf4j.kernels.backend;

/**
 * A read from a backend buffer into a host array that may still be under way
 * ({@link Backend#readLater}, {@link Backend#readAddLater}): the values are in the array once {@link #await()}
 * has returned.
 *
 * <p><b>Contract.</b> The read takes the buffer's values at its place in the backend's order of calls: later
 * calls may overwrite or close the buffer at once. Until {@code await()} returned, the host array's range
 * belongs to the read: do not read or write it (a device backend fills it inside {@code await()}, the JVM
 * backend at once). {@code await()} blocks only if the device has not yet finished the read; a later
 * blocking call of the same backend (a {@code read}) finishes it, since a backend's commands complete in
 * the order they were made. It is idempotent, and its effect happens once. A read whose device command
 * failed throws {@link IllegalStateException} from {@code await()} (and the error has surfaced at the wait
 * that found it). After the backend was closed, {@code await()} still delivers the values ({@code close}
 * waits for every pending command). {@code await()} runs under the backend's lock, so any thread may call it;
 * a read not awaited is dropped with its staging memory.
 */
public interface PendingRead {
    /** A read that is complete: {@link #await()} does nothing. */
    PendingRead DONE = new PendingRead() {
        @Override
        public void await() {
        }

        @Override
        public boolean complete() {
            return true;
        }
    };

    /** Returns once the values are in the host array, waiting on the device only if it has not finished the read. */
    void await();

    /** Whether {@link #await()} would return without waiting on the device. */
    boolean complete();
}
