/**
 * The OpenCL backend. {@link org.rtf4j.kernels.opencl.OpenClBackend} is the only entry point for kernels
 * (with {@link org.rtf4j.kernels.opencl.OpenClDevices} and {@link org.rtf4j.kernels.opencl.DeviceInfo} for
 * listing and describing devices); the rest of the package is package-private, one job per class:
 * <ul>
 *   <li>{@code OpenClBackend}: the {@code Backend} seam — argument checks (inherited from
 *       {@code AbstractBackend}), transfer ranges, and one {@code ClRuntime.within} operation per
 *       {@code KernelId};</li>
 *   <li>{@code ClRuntime}: context, in-order profiling queue and every command on it: the launcher
 *       (launch sizes from {@code LaunchPlanner}), device copies and fills, the events of all commands
 *       (commands are queued, not waited for; a blocking read is the host wait of normal operation, counted
 *       in the profiler), host waits and the errors they surface;</li>
 *   <li>{@code ClTransfers}: host transfers through direct host staging buffers, in pieces: queued writes,
 *       blocking reads and deferred reads ({@code ClTransfers.ClRead});</li>
 *   <li>{@code ClLaunchArgs}: a launch's arguments checked against its kernel's parameters, then set on the
 *       kernel object;</li>
 *   <li>{@code ClPrograms}: the program per precision (the {@code ClSource} files, one per job, built with
 *       {@code -DUSE_DOUBLE} for float64 and {@code -DVBLOCK}), kernel objects and each kernel's limits;</li>
 *   <li>{@code ClMemory}: device buffers, their accounting, scratch per role, the report at close;</li>
 *   <li>{@code ClKernel}: every {@code __kernel} of the program with its parameters' names and kinds;
 *       the launcher checks each launch's arguments against them, a test checks them against the source;</li>
 *   <li>{@code ClBuffer}: a device buffer (a caller's, or the backend's own scratch and tables);</li>
 *   <li>{@code ClFft}: device FFTs (powers of two in local memory, in one launch or the two passes of a
 *       four-step transform, global radix-2 passes only past the square of the local capacity; Bluestein
 *       otherwise; real transforms by packing), over device tables uploaded once per (precision, length)
 *       — the Bluestein chirp and the real-split tables are the JVM plans' own ({@code BluesteinTables},
 *       {@code RealFftPlan.splitTable});</li>
 *   <li>{@code ClComposites}: the rational spectrum, FFT convolution and modal kernels, forward and
 *       backward, as sequences of {@code ClKernel} launches and {@code ClFft} transforms; the optimiser glue
 *       ({@code optim.cl}) and the model's ends (embedding, pooling, losses of {@code ends.cl}, whose loss
 *       sums take two more launches: chunk partials, then one total);</li>
 *   <li>{@code ClNorms}: LayerNorm, BatchNorm, the padding mask and dropout ({@code norm.cl}). Index
 *       buffers (tokens, lengths, targets) reach kernels as {@code __global const int*} parameters of kind
 *       {@code INDICES}: the 4-byte storage of an index buffer.</li>
 * </ul>
 */
package org.rtf4j.kernels.opencl;
