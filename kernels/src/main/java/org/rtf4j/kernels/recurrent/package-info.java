/**
 * Host routines for the recurrent (step-by-step) form of the RTF layer, in float64 on the calling thread,
 * whatever backend and precision the layer's convolution runs on.
 *
 * <p>{@link org.rtf4j.kernels.recurrent.RationalLags} computes the first lags of RTF kernels with the JVM
 * implementation of the rational spectrum and the inverse real FFT on a private one-thread float64
 * backend, so the recurrence's coefficients equal the conv-mode kernel up to float64 rounding.
 * {@link org.rtf4j.kernels.recurrent.CompanionStep} is the O(N) companion-form step of one channel over a
 * doubled ring buffer that the caller owns. The layers ({@code org.rtf4j.rtf}) build their
 * {@code Recurrence} from these, so no layer names a backend of its own.
 */
package org.rtf4j.kernels.recurrent;
