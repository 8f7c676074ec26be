/**
 * The backend seam: layers allocate {@link org.rtf4j.kernels.backend.DeviceBuffer}s and launch kernels
 * identified by {@link org.rtf4j.kernels.backend.KernelId} through {@link org.rtf4j.kernels.backend.Backend}.
 *
 * <p><b>One layout for every backend.</b> Real tensors are row-major, signals (B, H, ℓ) with time
 * contiguous. Complex values are <b>interleaved</b> (re, im) pairs: element j of a complex row is
 * {@code (x[2j], x[2j+1])}. A real spectrum of length n holds exactly {@code n/2 + 1} bins. Forward
 * transforms are unscaled, inverse transforms scaled by 1/n.
 *
 * <p><b>Parts.</b> {@link org.rtf4j.kernels.backend.Backend} holds buffers, transfers and lifecycle and
 * extends the kernel interfaces, one per job: {@link org.rtf4j.kernels.backend.FftKernels},
 * {@link org.rtf4j.kernels.backend.SpectralKernels}, {@link org.rtf4j.kernels.backend.DenseKernels},
 * {@link org.rtf4j.kernels.backend.OptimiserKernels}, {@link org.rtf4j.kernels.backend.NormKernels} and
 * {@link org.rtf4j.kernels.backend.ModelEndKernels}. {@link org.rtf4j.kernels.backend.AbstractBackend} checks
 * and dispatches, with its package-private helpers {@code KernelArgs} (checks that need no backend),
 * {@code TrainingAliasing} (which buffers of the training kernels must be apart) and
 * {@code ImplementedKernels} (which kernels a backend class implements).
 *
 * <p><b>Precision and accuracy.</b> A buffer has one {@link org.rtf4j.kernels.backend.Precision}: float32 is
 * the fast path, float64 validates; a kernel's buffers share one precision. Each kernel method of
 * {@code Backend} states the error its tests hold it to, in the measure defined there.
 *
 * <p><b>Ownership.</b> A buffer belongs to the backend that allocated it and is freed by closing it; the
 * caller owns the buffers it allocates, the backend its own scratch and tables
 * ({@link org.rtf4j.kernels.backend.Backend#liveBytes()} counts both).
 * {@link org.rtf4j.kernels.backend.AbstractBackend} checks every kernel's arguments once for all backends,
 * with one-line messages; {@link org.rtf4j.kernels.backend.MemoryCheck} refuses work that cannot fit before
 * anything is allocated ({@link org.rtf4j.kernels.backend.MemoryLimitException}).
 *
 * <p><b>Waiting.</b> A device backend queues its work and blocks the host only in a blocking read (and the
 * few other waits {@link org.rtf4j.kernels.backend.Backend} lists); what a layer needs mid-call it reads with
 * {@link org.rtf4j.kernels.backend.Backend#readLater} and awaits ({@link org.rtf4j.kernels.backend.PendingRead})
 * after the call's final read, so a layer call blocks once.
 *
 * <p>Shapes of the composite kernels are in {@code org.rtf4j.kernels.spectral}; the implementations are
 * {@code org.rtf4j.kernels.jvm} and {@code org.rtf4j.kernels.opencl}; every layer above reaches the hardware
 * only through this package.
 */
package org.rtf4j.kernels.backend;
