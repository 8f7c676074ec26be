/**
 * The plain-Java backend, {@link org.rtf4j.kernels.jvm.JvmBackend}: buffers are {@code double[]} or
 * {@code float[]} on the heap ({@link org.rtf4j.kernels.jvm.JvmBuffer}), kernels are Java loops spread over a
 * fixed pool of workers ({@link org.rtf4j.kernels.jvm.JvmExecutor}).
 *
 * <p><b>Threads and ownership.</b> The calling thread is worker 0; the others are daemon threads of the
 * executor, which a backend made by {@code withThreads} owns and stops on close (an executor passed to the
 * constructor stays the caller's). The backend owns its per-worker scratch
 * ({@link org.rtf4j.kernels.jvm.JvmScratch}, grown on demand) and one reusable task per kernel
 * ({@code KernelTask}); a call runs one parallel loop at a time, and worker w touches only its own scratch.
 * After the first call at a shape a kernel call allocates nothing ({@code SteadyStateAllocationTest}).
 *
 * <p><b>Parts.</b> {@link org.rtf4j.kernels.jvm.JvmBackend} checks calls and manages buffers; it owns
 * {@code JvmHostTransfers} (host array ↔ buffer copies with precision conversion), {@code JvmSpectralDispatch}
 * and {@code JvmDenseDispatch} (each kernel call to its float64 or float32 kernel object) and
 * {@code JvmKernelTimer} (the kernel profile).
 *
 * <p><b>Precision.</b> {@code JvmKernelsF64} (FFTs, convolution), {@code JvmRationalF64} (rational
 * spectrum), {@code JvmModalKernelsF64} (Vandermonde, Cauchy), {@code JvmGemmF64}, {@code JvmActivationsF64},
 * {@code JvmOptimF64} (optimiser glue), {@code JvmNormsF64} (norms, dropout, padding masks) and
 * {@code JvmEndsF64} (embedding, pooling, losses) are float64 templates of generated float32 twins, by
 * the rules described in {@code org.rtf4j.kernels.fft}; the transforms themselves come from that package.
 * Layouts, argument checks and the tested accuracy of every kernel are the seam's
 * ({@link org.rtf4j.kernels.backend.Backend}, {@link org.rtf4j.kernels.backend.AbstractBackend}).
 *
 * <p>{@link org.rtf4j.kernels.jvm.JvmBackend#forHostComputation()} is a one-thread float64 backend for small
 * host computations ({@link org.rtf4j.kernels.recurrent.RationalLags}); it is not the backend a user chose.
 */
package org.rtf4j.kernels.jvm;
