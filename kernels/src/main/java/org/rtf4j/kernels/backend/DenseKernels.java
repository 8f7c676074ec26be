package org.rtf4j.kernels.backend;

import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.GemmShape;

/**
 * The dense kernels of a {@link Backend}: the batched matrix product (GEMM) and the GELU and GLU
 * activations with their backwards.
 *
 * <p>Part of the {@link Backend} contract: the layouts, the aliasing rule and the accuracy measure that
 * every method below refers to are defined there.
 */
public interface DenseKernels {

    /**
     * {@link KernelId#GEMM}: the batched matrix product {@code C_b = α·op(A_b)·op(B_b) + β·C_b} described by
     * {@code shape} (row-major, leading dimensions, offsets, batch strides; with {@code strideC = 0} the
     * batches' products are summed into one C). Each element is one running sum over the batches and the
     * contracted index in order, then α·s + β·c; with β = 0 the old C is not read. {@code c} must be neither
     * {@code a} nor {@code b}; {@code a} and {@code b} may be one buffer.
     *
     * <p><b>Accuracy.</b> The JVM backend computes exactly that sum in the buffer's precision, whatever the
     * thread count: bit-identical to a plain loop over (b, p) in that precision ({@code GemmTest}); float32
     * is within (k·batch + 2)·ε of float64, per element relative to |α|·Σ|a|·|b| + |β|·|c|. OpenCL's elements
     * are within twice that (ε of the precision) of the JVM's ({@code OpenClGemmTest}); a device may fuse
     * the multiply-adds.
     */
    void gemm(GemmShape shape, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c);

    /**
     * {@link KernelId#GELU}: {@code y[i] = gelu(x[i])} for the {@link ActivationShape#count()} elements, GELU in
     * its tanh form (PyTorch's {@code approximate='tanh'}) evaluated with one exponential that cannot overflow:
     * {@code 0.5·x·(1 + tanh u) = x·σ(2u)}, {@code u = √(2/π)·(x + 0.044715·x³)}, σ(2u) from
     * {@code w = exp(−2|u|)} as {@code 1/(1 + w)} (u ≥ 0) or {@code w/(1 + w)}. Large |x| give exactly x or −0;
     * a NaN in x gives NaN. {@code y} may be {@code x}.
     *
     * <p><b>Accuracy.</b> Against the textbook form {@code 0.5·x·(1 + Math.tanh(u))} in float64, per element:
     * the JVM's float64 within 4·2⁻⁵²·|x|, float32 (on float32 inputs) within 8·2⁻²⁴·|x|, for |x| up to 40 and
     * NaN propagated ({@code ActivationTest}); OpenCL within twice the JVM's bound of the JVM
     * ({@code OpenClActivationTest}). The bound is relative to |x|, not to |y|: where x ≪ 0 the textbook
     * form itself loses the small result to the cancellation in 1 + tanh u, which this form does not have.
     */
    void gelu(ActivationShape shape, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#GELU_BACKWARD}: {@code dx[i] = dy[i]·gelu'(x[i])} for the {@link ActivationShape#count()}
     * elements, with {@code gelu'(x) = s + 2x·s·(1−s)·√(2/π)·(1 + 3·0.044715·x²)}, {@code s = σ(2u)}
     * ({@code = ½(1 + tanh u) + ½x(1 − tanh²u)·u'(x)}), {@code s·(1 − s)} computed as {@code w/(1 + w)²}
     * (no cancellation); large |x| give exactly 1 or 0 (NaN once x² overflows, as in the textbook form). Any of the buffers may be the same.
     *
     * <p><b>Accuracy.</b> Against the textbook derivative with {@code Math.tanh} in float64, per element,
     * relative to {@code |dy|·m(x)}, {@code m(x) = 1 + |x|·(1 + 3·0.044715·x²)} (the size of the derivative's
     * terms): the JVM's float64 within 4·2⁻⁵², float32 within 8·2⁻²⁴, for |x| up to 40, NaN propagated
     * ({@code ActivationTest}); OpenCL within twice that of the JVM ({@code OpenClActivationTest}).
     */
    void geluBackward(ActivationShape shape, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx);

    /**
     * {@link KernelId#GLU}: over the channel axis, {@code x} (B, C, ℓ) with C even to {@code y} (B, C/2, ℓ):
     * {@code y[b,h,t] = x[b,h,t]·σ(x[b,h+C/2,t])}, with {@code σ(v) = 1/(1 + e)} for v ≥ 0 and
     * {@code e/(1 + e)} otherwise, {@code e = exp(−|v|)} (no overflow). {@code y} must not be {@code x}.
     *
     * <p><b>Accuracy.</b> The JVM's float64 is bit-identical to those formulas evaluated in float64 (the host
     * model's GLU before it ran on this kernel); float32 within 8·2⁻²⁴·|a| of them (a = x[b,h,t]); OpenCL
     * within 8·2⁻⁵²·|a| (float64) and 16·2⁻²⁴·|a| (float32) of the JVM ({@code ActivationTest},
     * {@code OpenClActivationTest}).
     */
    void glu(ActivationShape shape, DeviceBuffer x, DeviceBuffer y);

    /**
     * {@link KernelId#GLU_BACKWARD}: for the forward input {@code x} (B, C, ℓ) and the output gradient
     * {@code dy} (B, C/2, ℓ), writes {@code dx} (B, C, ℓ): {@code dx_a = dy·σ(g)}, {@code dx_g =
     * dy·a·σ(g)·(1 − σ(g))}. {@code dx} must be neither {@code x} nor {@code dy}.
     *
     * <p><b>Accuracy.</b> The JVM's float64 is bit-identical to those formulas in float64; float32 within
     * 8·2⁻²⁴·|dy| (dx_a) and 8·2⁻²⁴·|dy·a| (dx_g) of them; OpenCL within 8·2⁻⁵² (float64) and 16·2⁻²⁴
     * (float32) of the same scales of the JVM ({@code ActivationTest}, {@code OpenClActivationTest}).
     */
    void gluBackward(ActivationShape shape, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx);
}
