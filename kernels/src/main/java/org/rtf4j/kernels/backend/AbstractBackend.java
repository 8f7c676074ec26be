package org.rtf4j.kernels.backend;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.rtf4j.kernels.dense.ActivationShape;
import org.rtf4j.kernels.dense.GemmShape;
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
 * read from the class itself, so it says what the code dispatches, not what someone declared.
 *
 * @param <B> the backend's buffer type
 */
public abstract class AbstractBackend<B extends DeviceBuffer> implements Backend {
    private static final ClassValue<Set<KernelId>> IMPLEMENTED = new ClassValue<>() {
        @Override
        protected Set<KernelId> computeValue(Class<?> type) {
            EnumSet<KernelId> out = EnumSet.noneOf(KernelId.class);
            for (KernelId id : KernelId.values()) {
                if (defines(type, runMethodName(id))) {
                    out.add(id);
                }
            }
            return Collections.unmodifiableSet(out);
        }
    };

    /** The name of the method kernel {@code id} runs through: {@code fftComplex} → {@code runFftComplex}. */
    public static String runMethodName(KernelId id) {
        String n = id.kernelName();
        return "run" + Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** Whether {@code type} or a superclass below AbstractBackend defines a concrete method {@code name}. */
    private static boolean defines(Class<?> type, String name) {
        for (Class<?> c = type; c != null && c != AbstractBackend.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name) && !Modifier.isAbstract(m.getModifiers())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The kernels whose run method this backend's class defines (derived from the class). */
    @Override
    public final Set<KernelId> kernels() {
        return IMPLEMENTED.get(getClass());
    }

    /**
     * The kernels whose run method {@code type} (or a superclass below AbstractBackend) defines: what
     * {@link #kernels()} of its instances returns, for any class, concrete or not.
     */
    public static Set<KernelId> implementedBy(Class<? extends AbstractBackend<?>> type) {
        return IMPLEMENTED.get(type);
    }

    /** The backend's buffer behind a handle; throws naming {@code name} if it is not one of ours or is closed. */
    protected abstract B own(DeviceBuffer buffer, String name);

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
        if (dst == null) {
            throw new IllegalArgumentException("dst must not be null");
        }
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
        if (inLength < 0 || inLength > n) {
            throw new IllegalArgumentException("inLength must be in [0, n = " + n + "], got " + inLength);
        }
        if (inStride < inLength && rows > 1) {
            throw new IllegalArgumentException("inStride must be ≥ inLength = " + inLength + ", got " + inStride);
        }
        Precision p = precisionOf(in, "in");
        B i = need(in, "in", rows == 0 ? 0 : (long) (rows - 1) * inStride + inLength, p);
        B o = need(out, "out", (long) 2 * (n / 2 + 1) * rows, p);
        runFftRealForward(n, rows, i, inStride, inLength, o);
    }

    @Override
    public final void fftRealInverse(int n, int rows, DeviceBuffer in, DeviceBuffer out, int outStride, int outLength) {
        positive("n", n);
        nonNegative("rows", rows);
        if (outLength < 0 || outLength > n) {
            throw new IllegalArgumentException("outLength must be in [0, n = " + n + "], got " + outLength);
        }
        if (outStride < outLength && rows > 1) {
            throw new IllegalArgumentException("outStride must be ≥ outLength = " + outLength + ", got " + outStride);
        }
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
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
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

    private static void notNull(Object shape) {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
    }

    private Precision precisionOf(DeviceBuffer b, String name) {
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return b.precision();
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

    /** Checks that [offset, offset + count) lies inside [0, length). */
    protected static void range(String name, int length, int offset, int count) {
        if (offset < 0 || count < 0 || (long) offset + count > length) {
            throw new IllegalArgumentException(name + " range [" + offset + ", " + ((long) offset + count)
                + ") is outside [0, " + length + ")");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be ≥ 1, got " + v);
        }
    }

    private static void nonNegative(String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be ≥ 0, got " + v);
        }
    }
}
