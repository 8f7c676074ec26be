package org.rtf4j.kernels.profile;

/**
 * One profiled command or host wait: a kernel launch, a copy, a program build, or a time the host blocked
 * on the device, with times in nanoseconds ({@code queued ≤ submit ≤ start ≤ end}).
 *
 * <p>Device commands carry OpenCL event times on the device clock. Builds carry host times. A host wait
 * ({@value #WAIT}) lasts as long as the host was blocked and ends where the last command it waited for ended
 * on the device clock, so a trace shows it beside the work it waited for.
 *
 * @param kind   KERNEL, COPY_TO_DEVICE, COPY_TO_HOST, COPY_ON_DEVICE, BUILD or {@value #WAIT}
 * @param name   kernel name, or the copied buffer, or the program, or what waited (e.g. {@code read})
 * @param op     the backend operation ({@code KernelId} kernel name) this command belongs to, or "" outside one
 * @param bytes  bytes moved for copies, 0 otherwise
 */
public record ProfileRecord(String kind, String name, String op, long queued, long submit, long start, long end,
                            long bytes) {
    /** The kind of a host wait: the host blocked until the device finished earlier commands. */
    public static final String WAIT = "WAIT";

    /** Execution time in nanoseconds (for a host wait, the time the host was blocked). */
    public long durationNanos() {
        return end - start;
    }
}
