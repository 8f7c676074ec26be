package org.rtf4j.kernels.backend;

import static org.rtf4j.kernels.backend.KernelArgs.apart;
import static org.rtf4j.kernels.backend.KernelArgs.finite;
import static org.rtf4j.kernels.backend.KernelArgs.nonNegative;
import static org.rtf4j.kernels.backend.KernelArgs.notNull;
import static org.rtf4j.kernels.backend.KernelArgs.positive;
import static org.rtf4j.kernels.backend.KernelArgs.precisionOf;

import java.util.Set;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.AdamWStep;
import org.rtf4j.kernels.dense.AxpyShape;
import org.rtf4j.kernels.dense.BiasShape;
import org.rtf4j.kernels.dense.GemmShape;
import org.rtf4j.kernels.dense.Span;
import org.rtf4j.kernels.dense.DropoutShape;
import org.rtf4j.kernels.dense.NormShape;
import org.rtf4j.kernels.dense.EmbeddingShape;
import org.rtf4j.kernels.dense.LossShape;
import org.rtf4j.kernels.dense.PoolShape;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The argument checks of every kernel, once for all backends: each public kernel method validates
 * shapes, buffer sizes, precisions and ownership (with messages naming the argument, the expected and the
 * actual value) and hands the backend's own buffer type to the matching {@code run…} method.
 *
 * <p>Kernel {@code id} runs through the method named {@link #runMethodName run + id.kernelName()}
 * (capitalised); {@link #kernels()} is the set of kernels whose run method the backend's class defines,
 * read from the class itself ({@link ImplementedKernels}), so it says what the code dispatches, not what
 * someone declared. The checks that need no backend (nulls, ranges, finiteness, the real FFT layouts, the one
 * rule refusing aliased buffers) are in {@link KernelArgs}; which buffers of the training kernels must be apart
 * is in {@link TrainingAliasing}.
 *
 * @param <B> the backend's buffer type
 * @param <I> the backend's index buffer type
 */
public abstract class AbstractBackend<B extends DeviceBuffer, I extends IndexBuffer> implements Backend {
    /** The name of the method kernel {@code id} runs through: {@code fftComplex} → {@code runFftComplex}. */
    public static String runMethodName(KernelId id) {
        String n = id.kernelName();
        return "run" + Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** The kernels whose run method this backend's class defines (derived from the class). */
    @Override
    public final Set<KernelId> kernels() {
        return ImplementedKernels.of(getClass());
    }

    /**
     * The kernels whose run method {@code type} (or a superclass below AbstractBackend) defines: what
     * {@link #kernels()} of its instances returns, for any class, concrete or not.
     */
    public static Set<KernelId> implementedBy(Class<? extends AbstractBackend<?, ?>> type) {
        return ImplementedKernels.of(type);
    }

    /** The backend's buffer behind a handle; throws naming {@code name} if it is not one of ours or is closed. */
    protected abstract B own(DeviceBuffer buffer, String name);

    /** Our index buffer behind a caller's handle, checked open; refuses another backend's. */
    protected abstract I ownIndices(IndexBuffer buffer, String name);

    protected abstract void runFftComplex(int n, int rows, B data, boolean inverse);

    protected abstract void runFftRealForward(int n, int rows, B in, int inStride, int inLength, B out);

    protected abstract void runFftRealInverse(int n, int rows, B in, B out, int outStride, int outLength);

    protected abstract void runRationalSpectrum(RationalShape shape, B a, B margin, B b, B h0, B specA, B specB, B specK,
                                                B minMagnitude);

    protected abstract void runRationalSpectrumBackward(RationalShape shape, B gk, int ell, B specA, B specB, B da, B db,
                                                        B dh0, B work);

    protected abstract void runFftConv(ConvShape shape, B kf, B kb, B u, B y, B kSpec, B uSpec);

    protected abstract void runFftConvBackward(ConvShape shape, B kSpec, B uSpec, B gy, B du, B dkf, B dkb);

    protected abstract void runVandermonde(ModalShape shape, B logZ, B chat, B lag0, B k);

    protected abstract void runVandermondeBackward(ModalShape shape, B logZ, B gk, B sums, B weightedSums, B lag0Grad);

    protected abstract void runCauchy(ModalShape shape, B w, B v, B lag0, B kHat);

    protected abstract void runCauchyBackward(ModalShape shape, B w, B v, B gradSpectrum, B gv, B gw, B gamma, B lag0Grad);

    protected abstract void runGemm(GemmShape shape, B a, B b, B c);

    protected abstract void runGelu(ActivationShape shape, B x, B y);

    protected abstract void runGeluBackward(ActivationShape shape, B x, B dy, B dx);

    protected abstract void runGlu(ActivationShape shape, B x, B y);

    protected abstract void runGluBackward(ActivationShape shape, B x, B dy, B dx);

    // ---- optimiser and linear-algebra glue (issue 15)

    protected abstract void runBiasAdd(BiasShape shape, B bias, B y, boolean accumulate);

    protected abstract void runBiasGrad(BiasShape shape, B dy, B db);

    protected abstract void runAxpy(AxpyShape shape, double alpha, B x, B y);

    protected abstract void runSumSquares(Span span, B x, B partials, int slot);

    protected abstract void runAdamW(Span span, AdamWStep step, B param, B grad, B m, B v, B partials, int partialCount);
    // ---- normalisation and dropout (issue 15)

    protected abstract void runLayerNorm(NormShape shape, B x, B gamma, B beta, B y, B mean, B invStd);

    protected abstract void runLayerNormBackward(NormShape shape, B x, B gamma, B mean, B invStd, B dy, B dx, B dGamma,
                                                 B dBeta);

    /** {@code lengths} is null when every position is valid. */
    protected abstract void runBatchNorm(NormShape shape, boolean training, B x, I lengths, B gamma, B beta, B runningMean,
                                         B runningVar, B y, B mean, B invStd);

    /** {@code lengths} is null when every position is valid. */
    protected abstract void runBatchNormBackward(NormShape shape, boolean training, B x, I lengths, B gamma, B mean,
                                                 B invStd, B dy, B dx, B dGamma, B dBeta);

    protected abstract void runDropout(DropoutShape shape, B x, B y);

    protected abstract void runDropoutBackward(DropoutShape shape, B dy, B dx);

    protected abstract void runMaskPadding(NormShape shape, I lengths, B x);
    // ---- ends of the model: embedding, pooling, losses (issue 15)

    protected abstract void runEmbedding(EmbeddingShape shape, I tokens, B table, B y);

    protected abstract void runEmbeddingBackward(EmbeddingShape shape, I order, I starts, B dy, B dTable);

    protected abstract void runPool(PoolShape shape, I lengths, B x, B y);

    protected abstract void runPoolBackward(PoolShape shape, I lengths, B dy, B dx);

    protected abstract void runCrossEntropy(LossShape shape, B logits, I targets, double scale, B grad, B scalars,
                                            int scalarsOffset);

    protected abstract void runMse(LossShape shape, B outputs, B targets, I lengths, double scale, B grad, B scalars,
                                   int scalarsOffset);

    /**
     * Starts the read checked by {@link #readLater} or {@link #readAddLater} ({@code add}): {@code src} is ours,
     * the ranges are inside both, {@code length ≥ 1}.
     */
    protected abstract PendingRead startRead(B src, int srcOffset, double[] dst, int dstOffset, int length, boolean add);

    @Override
    public final PendingRead readLater(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        return later(src, srcOffset, dst, dstOffset, length, false);
    }

    @Override
    public final PendingRead readAddLater(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        return later(src, srcOffset, dst, dstOffset, length, true);
    }

    private PendingRead later(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length, boolean add) {
        B s = own(src, "src");
        notNull("dst", dst);
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        return length == 0 ? PendingRead.DONE : startRead(s, srcOffset, dst, dstOffset, length, add);
    }

    @Override
    public final void fftComplex(int n, int rows, DeviceBuffer data, boolean inverse) {
        positive("n", n);
        nonNegative("rows", rows);
        B d = need(data, "data", (long) 2 * n * rows, data == null ? null : data.precision());
        runFftComplex(n, rows, d, inverse);
    }

    @Override
    public final void fftRealForward(int n, int rows, DeviceBuffer in, int inStride, int inLength, DeviceBuffer out) {
        positive("n", n);
        nonNegative("rows", rows);
        KernelArgs.realRows(n, rows, "inLength", inLength, "inStride", inStride);
        Precision p = precisionOf(in, "in");
        B i = need(in, "in", rows == 0 ? 0 : (long) (rows - 1) * inStride + inLength, p);
        B o = need(out, "out", (long) 2 * (n / 2 + 1) * rows, p);
        runFftRealForward(n, rows, i, inStride, inLength, o);
    }

    @Override
    public final void fftRealInverse(int n, int rows, DeviceBuffer in, DeviceBuffer out, int outStride, int outLength) {
        positive("n", n);
        nonNegative("rows", rows);
        KernelArgs.realRows(n, rows, "outLength", outLength, "outStride", outStride);
        Precision p = precisionOf(in, "in");
        B i = need(in, "in", (long) 2 * (n / 2 + 1) * rows, p);
        B o = need(out, "out", rows == 0 ? 0 : (long) (rows - 1) * outStride + outLength, p);
        runFftRealInverse(n, rows, i, o, outStride, outLength);
    }

    @Override
    public final void rationalSpectrum(RationalShape shape, DeviceBuffer a, DeviceBuffer margin, DeviceBuffer b,
                                       DeviceBuffer h0, DeviceBuffer specA, DeviceBuffer specB, DeviceBuffer specK,
                                       DeviceBuffer minMagnitude) {
        Precision p = precisionOf(a, "a");
        int bins = shape.bins();
        runRationalSpectrum(shape, need(a, "a", (long) shape.numA() * shape.order(), p),
            need(margin, "margin", shape.numA(), p),
            need(b, "b", (long) shape.channels() * shape.order(), p), need(h0, "h0", shape.channels(), p),
            need(specA, "specA", 2L * bins * shape.numA(), p), need(specB, "specB", 2L * bins * shape.channels(), p),
            need(specK, "specK", 2L * bins * shape.channels(), p), need(minMagnitude, "minMagnitude", 2L * shape.numA(), p));
    }

    @Override
    public final void rationalSpectrumBackward(RationalShape shape, DeviceBuffer gk, int ell, DeviceBuffer specA,
                                               DeviceBuffer specB, DeviceBuffer da, DeviceBuffer db, DeviceBuffer dh0,
                                               DeviceBuffer work) {
        if (ell < 1 || ell > shape.length()) {
            throw new IllegalArgumentException("ℓ must be in [1, L = " + shape.length() + "], got " + ell);
        }
        Precision p = precisionOf(gk, "gk");
        int bins = shape.bins();
        runRationalSpectrumBackward(shape, need(gk, "gk", (long) shape.channels() * ell, p), ell,
            need(specA, "specA", 2L * bins * shape.numA(), p), need(specB, "specB", 2L * bins * shape.channels(), p),
            need(da, "da", (long) shape.numA() * shape.order(), p), need(db, "db", (long) shape.channels() * shape.order(), p),
            need(dh0, "dh0", shape.channels(), p), need(work, "work", shape.backwardWorkLength(), p));
    }

    @Override
    public final void fftConv(ConvShape shape, DeviceBuffer kf, DeviceBuffer kb, DeviceBuffer u, DeviceBuffer y,
                              DeviceBuffer kSpec, DeviceBuffer uSpec) {
        Precision p = precisionOf(u, "u");
        runFftConv(shape, need(kf, "kf", shape.kernelLength(), p),
            shape.bidirectional() ? need(kb, "kb", shape.kernelLength(), p) : null,
            need(u, "u", shape.signalLength(), p), need(y, "y", shape.signalLength(), p),
            need(kSpec, "kSpec", shape.kernelSpectrumLength(), p), need(uSpec, "uSpec", shape.signalSpectrumLength(), p));
    }

    @Override
    public final void fftConvBackward(ConvShape shape, DeviceBuffer kSpec, DeviceBuffer uSpec, DeviceBuffer gy,
                                      DeviceBuffer du, DeviceBuffer dkf, DeviceBuffer dkb) {
        Precision p = precisionOf(gy, "gy");
        runFftConvBackward(shape, need(kSpec, "kSpec", shape.kernelSpectrumLength(), p),
            need(uSpec, "uSpec", shape.signalSpectrumLength(), p), need(gy, "gy", shape.signalLength(), p),
            need(du, "du", shape.signalLength(), p), need(dkf, "dkf", shape.kernelLength(), p),
            shape.bidirectional() ? need(dkb, "dkb", shape.kernelLength(), p) : null);
    }

    @Override
    public final void vandermonde(ModalShape shape, DeviceBuffer logZ, DeviceBuffer chat, DeviceBuffer lag0, DeviceBuffer k) {
        Precision p = precisionOf(k, "k");
        runVandermonde(shape, need(logZ, "logZ", shape.modalLength(), p), need(chat, "chat", shape.modalLength(), p),
            lag0 == null ? null : need(lag0, "lag0", shape.channels(), p), need(k, "k", shape.kernelLength(), p));
    }

    @Override
    public final void vandermondeBackward(ModalShape shape, DeviceBuffer logZ, DeviceBuffer gk, DeviceBuffer sums,
                                          DeviceBuffer weightedSums, DeviceBuffer lag0Grad) {
        Precision p = precisionOf(gk, "gk");
        runVandermondeBackward(shape, need(logZ, "logZ", shape.modalLength(), p), need(gk, "gk", shape.kernelLength(), p),
            need(sums, "sums", shape.modalLength(), p), need(weightedSums, "weightedSums", shape.modalLength(), p),
            need(lag0Grad, "lag0Grad", shape.channels(), p));
    }

    @Override
    public final void cauchy(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer lag0, DeviceBuffer kHat) {
        Precision p = precisionOf(kHat, "kHat");
        runCauchy(shape, need(w, "w", shape.modalLength(), p), need(v, "v", 4L * shape.modalLength(), p),
            lag0 == null ? null : need(lag0, "lag0", shape.channels(), p), need(kHat, "kHat", shape.spectrumLength(), p));
    }

    @Override
    public final void cauchyBackward(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer gradSpectrum,
                                     DeviceBuffer gv, DeviceBuffer gw, DeviceBuffer gamma, DeviceBuffer lag0Grad) {
        Precision p = precisionOf(gradSpectrum, "gradSpectrum");
        runCauchyBackward(shape, need(w, "w", shape.modalLength(), p), need(v, "v", 4L * shape.modalLength(), p),
            need(gradSpectrum, "gradSpectrum", shape.spectrumLength(), p), need(gv, "gv", 4L * shape.modalLength(), p),
            need(gw, "gw", shape.modalLength(), p), need(gamma, "gamma", shape.channels(), p),
            need(lag0Grad, "lag0Grad", shape.channels(), p));
    }

    @Override
    public final void gemm(GemmShape shape, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        notNull(shape);
        Precision p = precisionOf(c, "c");
        if (c == a || c == b) {
            throw new IllegalArgumentException("c must be a buffer other than " + (c == a ? "a" : "b")
                + " (the product does not work in place)");
        }
        runGemm(shape, need(a, "a", shape.aLength(), p), need(b, "b", shape.bLength(), p), need(c, "c", shape.cLength(), p));
    }

    @Override
    public final void gelu(ActivationShape shape, DeviceBuffer x, DeviceBuffer y) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        int n = shape.count();
        runGelu(shape, need(x, "x", n, p), need(y, "y", n, p));
    }

    @Override
    public final void geluBackward(ActivationShape shape, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        int n = shape.count();
        runGeluBackward(shape, need(x, "x", n, p), need(dy, "dy", n, p), need(dx, "dx", n, p));
    }

    @Override
    public final void glu(ActivationShape shape, DeviceBuffer x, DeviceBuffer y) {
        notNull(shape);
        shape.requireEvenChannels();
        Precision p = precisionOf(x, "x");
        if (y == x) {
            throw new IllegalArgumentException("y must be a buffer other than x (GLU does not work in place)");
        }
        runGlu(shape, need(x, "x", shape.count(), p), need(y, "y", shape.gluOutputCount(), p));
    }

    @Override
    public final void gluBackward(ActivationShape shape, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx) {
        notNull(shape);
        shape.requireEvenChannels();
        Precision p = precisionOf(x, "x");
        if (dx == x || dx == dy) {
            throw new IllegalArgumentException("dx must be a buffer other than " + (dx == x ? "x" : "dy")
                + " (the GLU backward does not work in place)");
        }
        runGluBackward(shape, need(x, "x", shape.count(), p), need(dy, "dy", shape.gluOutputCount(), p),
            need(dx, "dx", shape.count(), p));
    }

    // ---- optimiser and linear-algebra glue (issue 15)

    @Override
    public final void biasAdd(BiasShape shape, DeviceBuffer bias, DeviceBuffer y, boolean accumulate) {
        notNull(shape);
        Precision p = precisionOf(y, "y");
        apart("bias", bias, "y", y);
        runBiasAdd(shape, need(bias, "bias", shape.channels(), p), need(y, "y", shape.count(), p), accumulate);
    }

    @Override
    public final void biasGrad(BiasShape shape, DeviceBuffer dy, DeviceBuffer db) {
        notNull(shape);
        Precision p = precisionOf(dy, "dy");
        apart("db", db, "dy", dy);
        runBiasGrad(shape, need(dy, "dy", shape.count(), p), need(db, "db", shape.channels(), p));
    }

    @Override
    public final void axpy(AxpyShape shape, double alpha, DeviceBuffer x, DeviceBuffer y) {
        notNull(shape);
        finite("alpha", alpha);
        Precision p = precisionOf(y, "y");
        if (x == y && shape.xOffset() != shape.yOffset()
            && Math.abs((long) shape.xOffset() - shape.yOffset()) < shape.count()) {
            throw new IllegalArgumentException("x and y are one buffer with overlapping ranges [" + shape.xOffset() + ", "
                + shape.xLength() + ") and [" + shape.yOffset() + ", " + shape.yLength() + ")");
        }
        runAxpy(shape, alpha, need(x, "x", shape.xLength(), p), need(y, "y", shape.yLength(), p));
    }

    @Override
    public final void sumSquares(Span span, DeviceBuffer x, DeviceBuffer partials, int slot) {
        notNull("span", span);
        Precision p = precisionOf(x, "x");
        apart("partials", partials, "x", x);
        nonNegative("slot", slot);
        runSumSquares(span, need(x, "x", span.end(), p), need(partials, "partials", (long) slot + 1, p), slot);
    }

    @Override
    public final void adamW(Span span, AdamWStep step, DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m,
                            DeviceBuffer v, DeviceBuffer partials, int partialCount) {
        notNull("span", span);
        notNull("step", step);
        positive("partialCount", partialCount);
        Precision p = precisionOf(param, "param");
        TrainingAliasing.adamW(param, grad, m, v, partials);
        runAdamW(span, step, need(param, "param", span.end(), p), need(grad, "grad", span.end(), p),
            need(m, "m", span.end(), p), need(v, "v", span.end(), p), need(partials, "partials", partialCount, p),
            partialCount);
    }

    // ---- ends of the model: embedding, pooling, losses (issue 15)

    @Override
    public final void embedding(EmbeddingShape shape, IndexBuffer tokens, DeviceBuffer table, DeviceBuffer y) {
        notNull(shape);
        Precision p = precisionOf(table, "table");
        apart("y", y, "table", table);
        runEmbedding(shape, needIndices(tokens, "tokens", shape.positions()), need(table, "table", shape.tableCount(), p),
            need(y, "y", shape.outputCount(), p));
    }

    @Override
    public final void embeddingBackward(EmbeddingShape shape, IndexBuffer order, IndexBuffer starts, DeviceBuffer dy,
                                        DeviceBuffer dTable) {
        notNull(shape);
        Precision p = precisionOf(dy, "dy");
        apart("dTable", dTable, "dy", dy);
        runEmbeddingBackward(shape, needIndices(order, "order", shape.positions()),
            needIndices(starts, "starts", (long) shape.vocabulary() + 1), need(dy, "dy", shape.outputCount(), p),
            need(dTable, "dTable", shape.tableCount(), p));
    }

    @Override
    public final void pool(PoolShape shape, IndexBuffer lengths, DeviceBuffer x, DeviceBuffer y) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        apart("y", y, "x", x);
        runPool(shape, needIndices(lengths, "lengths", shape.batch()), need(x, "x", shape.inputCount(), p),
            need(y, "y", shape.outputCount(), p));
    }

    @Override
    public final void poolBackward(PoolShape shape, IndexBuffer lengths, DeviceBuffer dy, DeviceBuffer dx) {
        notNull(shape);
        Precision p = precisionOf(dy, "dy");
        apart("dx", dx, "dy", dy);
        runPoolBackward(shape, needIndices(lengths, "lengths", shape.batch()), need(dy, "dy", shape.outputCount(), p),
            need(dx, "dx", shape.inputCount(), p));
    }

    @Override
    public final void crossEntropy(LossShape shape, DeviceBuffer logits, IndexBuffer targets, double scale,
                                   DeviceBuffer grad, DeviceBuffer scalars, int scalarsOffset) {
        notNull(shape);
        Precision p = precisionOf(logits, "logits");
        finite("scale", scale);
        apart("scalars", scalars, "logits", logits, "grad", grad, null, null, null, null);
        B s = need(scalars, "scalars", 0, p);
        range("scalars", s.length(), scalarsOffset, LossShape.SCALARS);
        runCrossEntropy(shape, need(logits, "logits", shape.count(), p), needIndices(targets, "targets", shape.positions()),
            scale, need(grad, "grad", shape.count(), p), s, scalarsOffset);
    }

    @Override
    public final void mse(LossShape shape, DeviceBuffer outputs, DeviceBuffer targets, IndexBuffer lengths, double scale,
                          DeviceBuffer grad, DeviceBuffer scalars, int scalarsOffset) {
        notNull(shape);
        Precision p = precisionOf(outputs, "outputs");
        finite("scale", scale);
        TrainingAliasing.mse(outputs, targets, grad, scalars);
        B s = need(scalars, "scalars", 0, p);
        range("scalars", s.length(), scalarsOffset, LossShape.SCALARS);
        runMse(shape, need(outputs, "outputs", shape.count(), p), need(targets, "targets", shape.count(), p),
            needIndices(lengths, "lengths", shape.batch()), scale, need(grad, "grad", shape.count(), p), s, scalarsOffset);
    }

    // ---- normalisation and dropout (issue 15)

    @Override
    public final void layerNorm(NormShape shape, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
                                DeviceBuffer mean, DeviceBuffer invStd) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        TrainingAliasing.layerNorm(x, y, mean, invStd);
        int n = shape.count();
        int c = shape.channels();
        runLayerNorm(shape, need(x, "x", n, p), need(gamma, "gamma", c, p), need(beta, "beta", c, p), need(y, "y", n, p),
            need(mean, "mean", shape.positions(), p), need(invStd, "invStd", shape.positions(), p));
    }

    @Override
    public final void layerNormBackward(NormShape shape, DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer mean,
                                        DeviceBuffer invStd, DeviceBuffer dy, DeviceBuffer dx, DeviceBuffer dGamma,
                                        DeviceBuffer dBeta) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        TrainingAliasing.normBackward(x, gamma, mean, invStd, dy, dx, dGamma, dBeta);
        int n = shape.count();
        int c = shape.channels();
        runLayerNormBackward(shape, need(x, "x", n, p), need(gamma, "gamma", c, p), need(mean, "mean", shape.positions(), p),
            need(invStd, "invStd", shape.positions(), p), need(dy, "dy", n, p), need(dx, "dx", n, p),
            need(dGamma, "dGamma", c, p), need(dBeta, "dBeta", c, p));
    }

    @Override
    public final void batchNorm(NormShape shape, boolean training, DeviceBuffer x, IndexBuffer lengths, DeviceBuffer gamma,
                                DeviceBuffer beta, DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer y,
                                DeviceBuffer mean, DeviceBuffer invStd) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        TrainingAliasing.batchNorm(x, y, runningMean, runningVar, mean, invStd);
        int n = shape.count();
        int c = shape.channels();
        runBatchNorm(shape, training, need(x, "x", n, p), lengths == null ? null : needIndices(lengths, "lengths", shape.batch()),
            need(gamma, "gamma", c, p), need(beta, "beta", c, p), need(runningMean, "runningMean", c, p),
            need(runningVar, "runningVar", c, p), need(y, "y", n, p), need(mean, "mean", c, p), need(invStd, "invStd", c, p));
    }

    @Override
    public final void batchNormBackward(NormShape shape, boolean training, DeviceBuffer x, IndexBuffer lengths,
                                        DeviceBuffer gamma, DeviceBuffer mean, DeviceBuffer invStd, DeviceBuffer dy,
                                        DeviceBuffer dx, DeviceBuffer dGamma, DeviceBuffer dBeta) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        TrainingAliasing.normBackward(x, gamma, mean, invStd, dy, dx, dGamma, dBeta);
        int n = shape.count();
        int c = shape.channels();
        runBatchNormBackward(shape, training, need(x, "x", n, p),
            lengths == null ? null : needIndices(lengths, "lengths", shape.batch()), need(gamma, "gamma", c, p),
            need(mean, "mean", c, p), need(invStd, "invStd", c, p), need(dy, "dy", n, p), need(dx, "dx", n, p),
            need(dGamma, "dGamma", c, p), need(dBeta, "dBeta", c, p));
    }

    @Override
    public final void dropout(DropoutShape shape, DeviceBuffer x, DeviceBuffer y) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        int n = shape.count();
        runDropout(shape, need(x, "x", n, p), need(y, "y", n, p));
    }

    @Override
    public final void dropoutBackward(DropoutShape shape, DeviceBuffer dy, DeviceBuffer dx) {
        notNull(shape);
        Precision p = precisionOf(dy, "dy");
        int n = shape.count();
        runDropoutBackward(shape, need(dy, "dy", n, p), need(dx, "dx", n, p));
    }

    @Override
    public final void maskPadding(NormShape shape, IndexBuffer lengths, DeviceBuffer x) {
        notNull(shape);
        Precision p = precisionOf(x, "x");
        notNull("lengths", lengths);
        runMaskPadding(shape, needIndices(lengths, "lengths", shape.batch()), need(x, "x", shape.count(), p));
    }

    /** Our buffer of precision p with at least {@code minLength} elements. */
    protected final B need(DeviceBuffer b, String name, long minLength, Precision p) {
        B mine = own(b, name);
        if (mine.precision() != p) {
            throw new IllegalArgumentException(name + " is " + mine.precision() + ", expected " + p
                + " like the other buffers of this call");
        }
        if (mine.length() < minLength) {
            throw new IllegalArgumentException(name + " has " + mine.length() + " elements, expected at least " + minLength);
        }
        return mine;
    }

    /** Our index buffer with at least {@code minLength} integers. */
    protected final I needIndices(IndexBuffer b, String name, long minLength) {
        I mine = ownIndices(b, name);
        if (mine.length() < minLength) {
            throw new IllegalArgumentException(name + " has " + mine.length() + " integers, expected at least " + minLength);
        }
        return mine;
    }

    /** The length of a caller's host array, or IllegalArgumentException naming it when it is null. */
    protected static int hostLength(String name, int[] array) {
        return KernelArgs.hostLength(name, array);
    }

    /** Checks that [offset, offset + count) lies inside [0, length). */
    protected static void range(String name, int length, int offset, int count) {
        KernelArgs.range(name, length, offset, count);
    }
}
