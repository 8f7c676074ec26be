/**
 * The baselines RTF is measured against, like for like: S4D ({@link org.rtf4j.baselines.S4dLayer}, a
 * diagonal SSM with a Vandermonde kernel, ZOH or bilinear) and S4 ({@link org.rtf4j.baselines.S4Layer}, rank-1
 * NPLR, bilinear, HiPPO-LegS, kernel by Cauchy sums and the Woodbury correction), configured by
 * {@link org.rtf4j.baselines.SsmConfig}, with the HiPPO-LegS diagonalisation
 * ({@link org.rtf4j.baselines.HippoLegS}, computed once per N and cached) and their recurrences.
 *
 * <p><b>Conventions.</b> N is the real state size; M = N/2 complex modes are stored and the conjugate half
 * is implicit (odd N is refused). Parameters follow state-spaces/s4's {@code s4.py} as real-view pairs
 * (last dimension (re, im)), with Re Λ = −exp(A_real) and Im Λ = −A_imag; S4 stores the truncated C̃. The
 * O(H·N·L) kernels ({@code VANDERMONDE}, {@code CAUCHY} and their backwards) run on the backend in the
 * layer's precision; the O(H·N) parameter maps and the closed-form chain rule are float64 host code, as are
 * the recurrences (S4D diagonal, S4 linear O(N) per step). The skip D is folded into lag 0 of the kernel.
 *
 * <p>Both layers extend {@link org.rtf4j.layer.ConvolutionalLayer} and share the FFT convolution with RTF;
 * a layer is not thread-safe. This package is a peer of {@code org.rtf4j.rtf}; the mapping to the
 * reference's tensor names is in {@code org.rtf4j.models.ReferenceLayouts}.
 */
package org.rtf4j.baselines;
