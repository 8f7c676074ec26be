/**
 * Shapes of the composite kernels, validated once at construction and passed to the
 * {@link org.rtf4j.kernels.backend.Backend} methods: {@link org.rtf4j.kernels.spectral.RationalShape} (RTF
 * kernel generation: numA denominators, H channels, order N, length L, FFT length P = L + (L mod 2)),
 * {@link org.rtf4j.kernels.spectral.ConvShape} (the batched FFT convolution over (B, H, ℓ) and its FFT length
 * n ≥ 2ℓ − 1) and {@link org.rtf4j.kernels.spectral.ModalShape} (S4D/S4 kernels: H channels, M = N/2 complex
 * modes, length L).
 *
 * <p>Each shape is an immutable record that also gives the buffer lengths its kernels need (signal,
 * kernel, spectrum, work), so layers size their buffers from the shape rather than by hand. The records hold
 * no data and belong to no backend; the layouts they describe are the seam's (row-major, time contiguous,
 * complex interleaved).
 */
package org.rtf4j.kernels.spectral;
