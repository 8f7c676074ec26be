package org.rtf4j.kernels.backend;

/**
 * Identity of every kernel a backend provides. Each backend implements each kernel with the same
 * meaning and buffer layout; {@link #kernelName()} is the name of the kernel function on every backend
 * (the JVM driver and, later, the OpenCL C kernel), so the pair is obvious and testable one to one.
 */
public enum KernelId {
    /** Batched in-place complex FFT, forward (unscaled) or inverse (scaled 1/n). */
    FFT_COMPLEX("fftComplex"),
    /** Batched real forward FFT with zero padding: n reals to n/2+1 bins. */
    FFT_REAL_FORWARD("fftRealForward"),
    /** Batched real inverse FFT (scaled 1/n) with truncation of the output. */
    FFT_REAL_INVERSE("fftRealInverse"),
    /** RTF spectra A, B and K = B/A + h0 from one batched real FFT, and min |A| per denominator. */
    RATIONAL_SPECTRUM("rationalSpectrum"),
    /** Gradient of the RTF kernel with respect to a, b and h0. */
    RATIONAL_SPECTRUM_BACKWARD("rationalSpectrumBackward"),
    /** Batched causal or two-sided FFT convolution y = k * u; keeps the input spectra for the backward. */
    FFT_CONV("fftConv"),
    /** Gradients of the FFT convolution with respect to u and k, from the spectra the forward kept. */
    FFT_CONV_BACKWARD("fftConvBackward"),
    /** S4D kernel: K_l = 2·Re Σ_m Ĉ_m exp(l·log z_m) (+ a lag-0 term). */
    VANDERMONDE("vandermonde"),
    /** Transposed Vandermonde sums Σ_l w_l z_m^l and Σ_l l·w_l z_m^l for the S4D backward. */
    VANDERMONDE_BACKWARD("vandermondeBackward"),
    /** S4 generating function: Cauchy sums at z_k = 2(1−ω_k)/(1+ω_k), rank-1 Woodbury, Nyquist limit. */
    CAUCHY("cauchy"),
    /** Transposed Cauchy sums of the S4 backward. */
    CAUCHY_BACKWARD("cauchyBackward"),
    /** Batched general matrix product C = α·op(A)·op(B) + β·C, op = identity or transpose (channel mixing). */
    GEMM("gemm"),
    /** GELU, tanh form, elementwise: y = x·σ(2u) = 0.5·x·(1 + tanh u), u = √(2/π)·(x + 0.044715·x³). */
    GELU("gelu"),
    /** Gradient of GELU: dx = dy·gelu'(x), elementwise. */
    GELU_BACKWARD("geluBackward"),
    /** GLU over the channel axis: (B, 2H, ℓ) → (B, H, ℓ), y = a·σ(g) with a the first H channels. */
    GLU("glu"),
    /** Gradient of GLU with respect to its input (both halves). */
    GLU_BACKWARD("gluBackward"),
    // ---- optimiser and linear-algebra glue (issue 15)
    /** Bias over the channels of (B, C, ℓ): y[b,c,t] = bias[c] (+ y[b,c,t] when accumulating). */
    BIAS_ADD("biasAdd"),
    /** Bias gradient: db[c] += Σ_b Σ_t dy[b,c,t], in a fixed blocked order. */
    BIAS_GRAD("biasGrad"),
    /** y[i] += α·x[i] over a range of two flat buffers (residual add, gradient accumulation). */
    AXPY("axpy"),
    /** Σ x[i]² of a range, in a fixed blocked order, into one slot of a small partials buffer. */
    SUM_SQUARES("sumSquares"),
    /** AdamW update of one parameter tensor, with global-norm clipping from the squared-norm partials. */
    ADAMW("adamW"),
    // ---- normalisation and dropout (issue 15)
    /** LayerNorm over the channels at each (b, t): y = γ·(x − mean)/σ + β; saves mean and 1/σ per position. */
    LAYER_NORM("layerNorm"),
    /** Gradient of LayerNorm: dx, and dγ, dβ added to the caller's accumulators. */
    LAYER_NORM_BACKWARD("layerNormBackward"),
    /** BatchNorm per channel over the valid positions (training: batch statistics and running update; eval: running). */
    BATCH_NORM("batchNorm"),
    /** Gradient of BatchNorm through the batch statistics of the valid positions; dγ, dβ added. */
    BATCH_NORM_BACKWARD("batchNormBackward"),
    /** Inverted dropout with a Philox4x32-10 mask drawn from (seed, step, layer) and the element's index. */
    DROPOUT("dropout"),
    /** Gradient of dropout: the same regenerated mask applied to dy. */
    DROPOUT_BACKWARD("dropoutBackward"),
    /** Zeroes the padding positions t ≥ lengths[b] of a (B, C, ℓ) signal in place. */
    MASK_PADDING("maskPadding"),
    // ---- ends of the model: embedding, pooling, losses (issue 15)
    /** Embedding gather: token ids (B, ℓ) and a table (V, H) to vectors (B, H, ℓ). */
    EMBEDDING("embedding"),
    /** Embedding gradient: dy (B, H, ℓ) summed into the table's rows by token, accumulating, in a fixed order. */
    EMBEDDING_BACKWARD("embeddingBackward"),
    /** Masked mean or last pooling over the valid positions: (B, H, ℓ) to (B, H). */
    POOL("pool"),
    /** Gradient of the pooling: (B, H) to (B, H, ℓ), zeros where nothing was pooled. */
    POOL_BACKWARD("poolBackward"),
    /** Softmax cross-entropy with ignored targets: the logits' gradient and the loss scalars. */
    CROSS_ENTROPY("crossEntropy"),
    /** Mean squared error over the valid positions: the outputs' gradient and the loss scalars. */
    MSE("mse");

    private final String kernelName;

    KernelId(String kernelName) {
        this.kernelName = kernelName;
    }

    /** Kernel function name shared by every backend. */
    public String kernelName() {
        return kernelName;
    }
}
