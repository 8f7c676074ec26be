/**
 * The layer contract every kind implements, above the kernels and below both layer families:
 * {@link org.rtf4j.layer.SequenceLayer} (forward, backward, named parameters, recurrent form),
 * {@link org.rtf4j.layer.ConvolutionalLayer} (what every convolutional kind shares: input checks,
 * per-shape backend buffers, the FFT convolution and its backward), {@link org.rtf4j.layer.Parameter},
 * {@link org.rtf4j.layer.Recurrence} and {@link org.rtf4j.layer.LayerKind}, with the checks they share.
 *
 * <p><b>Conventions.</b> Signals are (B, H, ℓ), time contiguous, ℓ ≤ the layer's maximum length L. Host
 * arrays of either precision are accepted and rounded to the layer's compute precision, which runs on the
 * {@link org.rtf4j.kernels.backend.Backend} given at construction; parameters and their gradients are float64
 * host arrays, updated in place by optimisers, with gradients <em>accumulated</em> by {@code backward}.
 * Recurrences run in float64 on the host. NaN or ±∞ in an input or parameter is refused with
 * {@link java.lang.IllegalArgumentException} naming the argument and the index.
 *
 * <p><b>Ownership and threads.</b> A layer owns its backend buffers and frees them on close; the backend
 * stays the caller's. A layer (and a recurrence) serves one thread at a time.
 *
 * <p>The kinds live above this package, as peers: {@code org.rtf4j.rtf} (RTF) and
 * {@code org.rtf4j.baselines} (S4D, S4); {@code org.rtf4j.models} creates any of them from one spec.
 */
package org.rtf4j.layer;
