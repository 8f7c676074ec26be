package org.rtf4j.kernels.profile;

/**
 * One profiled device command: a kernel launch, a copy or a program build, with OpenCL event times in
 * nanoseconds on the device clock ({@code queued ≤ submit ≤ start ≤ end}; builds have host times).
 *
 * @param kind   KERNEL, COPY_TO_DEVICE, COPY_TO_HOST, COPY_ON_DEVICE or BUILD
 * @param name   kernel name, or the copied buffer, or the program
 * @param op     the backend operation ({@code KernelId} kernel name) this command belongs to, or "" outside one
 * @param bytes  bytes moved for copies, 0 otherwise
 */
public record ProfileRecord(String kind, String name, String op, long queued, long submit, long start, long end,
                            long bytes) {
    /** Execution time in nanoseconds. */
    public long durationNanos() {
        return end - start;
    }
}
