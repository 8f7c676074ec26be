/**
 * The RTF layer (rational transfer functions, Parnichkun et al. 2024): {@link org.rtf4j.rtf.RtfConfig},
 * {@link org.rtf4j.rtf.RtfLayer} and its exact step-by-step form {@link org.rtf4j.rtf.RtfRecurrence}.
 *
 * <p>Channel c is {@code h0_c + b_c(z)/a_g(z)}; its kernel comes from one batched real FFT of the padded
 * coefficients ({@code RATIONAL_SPECTRUM} and its backward on the backend), so time and memory do not grow
 * with the order N, and the input convolution is the shared FFT convolution of
 * {@link org.rtf4j.layer.ConvolutionalLayer}. Parameters keep the reference layout of ruke1ire/RTF
 * ({@code ab}, {@code h_0}, {@code scalar}). A denominator whose relative magnitude falls below
 * {@code RtfConfig.minDenominator} at a kernel bin is refused, naming direction, row and bin; the layer
 * gives the kernel each denominator's margin 1 − Σ|a_n| (exact under l1-Montel), with which float32
 * resolves denominators close to the unit circle.
 *
 * <p>The recurrence is float64 host code whatever the layer's precision: its coefficients come from the host
 * routine {@link org.rtf4j.kernels.recurrent.RationalLags} and each step is
 * {@link org.rtf4j.kernels.recurrent.CompanionStep}, O(N) per channel. A layer is not thread-safe. This
 * package depends on {@code org.rtf4j.layer} and the kernels only; {@code org.rtf4j.baselines} is its peer.
 */
package org.rtf4j.rtf;
