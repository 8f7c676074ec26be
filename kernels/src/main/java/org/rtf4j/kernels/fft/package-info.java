/**
 * The FFTs every JVM kernel is built on: immutable plans ({@link org.rtf4j.kernels.fft.ComplexFftPlan},
 * {@link org.rtf4j.kernels.fft.RealFftPlan}, {@link org.rtf4j.kernels.fft.FourStepPlan}) and the kernel
 * bodies that execute them, one row (or one pair of real rows) per call ({@code FftF64},
 * {@code FourStepF64} and their float32 twins).
 *
 * <p><b>Conventions.</b> Complex data are interleaved (re, im); forward transforms are unscaled, inverses
 * scaled by 1/n; a real transform of length n has exactly n/2 + 1 bins (numpy's {@code rfft}/{@code irfft}).
 * These are the layouts of the backend seam ({@link org.rtf4j.kernels.backend.Backend}).
 *
 * <p><b>Ownership and threads.</b> A plan holds only tables (both precisions, computed in double), is
 * cached process-wide by length and may be shared by any number of threads. Execution allocates nothing:
 * the caller owns the scratch ({@code scratchLength()} elements, or one {@code FourStepF64.Work} per thread
 * and length). On the JVM backend each worker owns its own ({@code org.rtf4j.kernels.jvm.JvmScratch}).
 *
 * <p><b>Precision.</b> Every class named {@code *F64} here (and in {@code org.rtf4j.kernels.jvm}) is the
 * float64 template of a {@code *F32} twin that {@code kernels/pom.xml} generates at build time by textual
 * rules (F64 to F32, {@code double} to {@code float} unless followed by a keep marker, an {@code f} suffix
 * on decimal literals); edit only the templates, and keep accuracy statements out of them (their numbers
 * would be rewritten too).
 *
 * <p><b>Accuracy</b> as the tests hold it is stated on each plan class and, per kernel, on
 * {@link org.rtf4j.kernels.backend.Backend#fftComplex} and the real transforms beside it.
 *
 * <p>The JVM backend ({@code org.rtf4j.kernels.jvm}) drives these over its workers; the OpenCL backend runs
 * its own transforms in OpenCL C.
 */
package org.rtf4j.kernels.fft;
