/**
 * The kernel-level profile both backends keep: {@link org.rtf4j.kernels.profile.Profiler} counts calls and
 * sums time per kind and name (kernel launch, copy, program build) and the bytes copied each way, counts the
 * times the host blocked on a device (host waits, kind {@code WAIT}, kept apart from the commands), and,
 * while tracing, keeps every command and wait as a {@link org.rtf4j.kernels.profile.ProfileRecord} for a
 * Chrome trace-event JSON (Perfetto).
 *
 * <p>On an OpenCL device the times are event times on the device clock (queued, submit, start, end),
 * always recorded; on the JVM backend each kernel call is timed by the wall clock while
 * {@code JvmBackend.setProfiling} is on, and named by {@link org.rtf4j.kernels.backend.KernelId#kernelName()}.
 * Aggregates are O(names), so long runs do not grow memory unless tracing is on. A profiler belongs to one
 * backend ({@link org.rtf4j.kernels.backend.Backend#profiler()}); its methods are synchronized. The
 * commands print it ({@code ./rtf4j profile}, {@code --profile}).
 */
package org.rtf4j.kernels.profile;
