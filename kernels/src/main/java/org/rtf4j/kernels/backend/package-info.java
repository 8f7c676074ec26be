/**
 * The backend seam: layers allocate {@link org.rtf4j.kernels.backend.DeviceBuffer}s and launch kernels
 * identified by {@link org.rtf4j.kernels.backend.KernelId} through {@link org.rtf4j.kernels.backend.Backend}.
 *
 * <p><b>One layout for every backend.</b> Real tensors are row-major, signals (B, H, ℓ) with time
 * contiguous. Complex values are <b>interleaved</b> (re, im) pairs: element j of a complex row is
 * {@code (x[2j], x[2j+1])}. A real spectrum of length n holds exactly {@code n/2 + 1} bins. Forward
 * transforms are unscaled, inverse transforms scaled by 1/n.
 */
package org.rtf4j.kernels.backend;
