package org.rtf4j.kernels.jvm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.rtf4j.kernels.backend.Backend;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The plain-Java backend: buffers are heap arrays, kernels are the {@code JvmKernelsF64}/{@code F32}
 * drivers spread over an explicit {@link JvmExecutor}. Per-worker scratch is owned by this instance, so
 * after the first call at a shape the kernels allocate nothing but their loop closures.
 */
public final class JvmBackend implements Backend {
    private static final System.Logger LOG = System.getLogger("org.rtf4j.backend");
    private static final Set<KernelId> KERNELS = Collections.unmodifiableSet(EnumSet.allOf(KernelId.class));

    private final JvmExecutor executor;
    private final boolean ownsExecutor;
    private final JvmScratch scratch;
    private boolean closed;

    /**
     * A backend on an executor owned by the caller (not closed by {@link #close()}).
     */
    public JvmBackend(JvmExecutor executor) {
        this(executor, false);
    }

    private JvmBackend(JvmExecutor executor, boolean owns) {
        if (executor == null) {
            throw new IllegalArgumentException("executor must not be null");
        }
        this.executor = executor;
        this.ownsExecutor = owns;
        this.scratch = new JvmScratch(executor.threads());
        LOG.log(System.Logger.Level.INFO, "backend jvm: " + deviceDescription());
    }

    /** A backend with its own executor of {@code threads} workers, closed with the backend. */
    public static JvmBackend withThreads(int threads) {
        return new JvmBackend(new JvmExecutor(threads), true);
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public String deviceDescription() {
        return "JVM " + System.getProperty("java.version") + ", " + executor.threads() + " thread(s)";
    }

    @Override
    public Set<KernelId> kernels() {
        return KERNELS;
    }

    /** The executor the kernels run on. */
    public JvmExecutor executor() {
        return executor;
    }

    @Override
    public DeviceBuffer allocate(Precision precision, int length) {
        open();
        if (precision == null) {
            throw new IllegalArgumentException("precision must not be null");
        }
        return new JvmBuffer(precision, length);
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, double[] src, int srcOffset, int length) {
        JvmBuffer d = own(dst, "dst");
        range("dst", d.length(), dstOffset, length);
        range("src", src.length, srcOffset, length);
        if (d.precision() == Precision.F64) {
            System.arraycopy(src, srcOffset, d.f64(), dstOffset, length);
        } else {
            float[] f = d.f32();
            for (int i = 0; i < length; i++) {
                f[dstOffset + i] = (float) src[srcOffset + i];
            }
        }
    }

    @Override
    public void write(DeviceBuffer dst, int dstOffset, float[] src, int srcOffset, int length) {
        JvmBuffer d = own(dst, "dst");
        range("dst", d.length(), dstOffset, length);
        range("src", src.length, srcOffset, length);
        if (d.precision() == Precision.F32) {
            System.arraycopy(src, srcOffset, d.f32(), dstOffset, length);
        } else {
            double[] f = d.f64();
            for (int i = 0; i < length; i++) {
                f[dstOffset + i] = src[srcOffset + i];
            }
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, double[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        if (s.precision() == Precision.F64) {
            System.arraycopy(s.f64(), srcOffset, dst, dstOffset, length);
        } else {
            float[] f = s.f32();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = f[srcOffset + i];
            }
        }
    }

    @Override
    public void read(DeviceBuffer src, int srcOffset, float[] dst, int dstOffset, int length) {
        JvmBuffer s = own(src, "src");
        range("src", s.length(), srcOffset, length);
        range("dst", dst.length, dstOffset, length);
        if (s.precision() == Precision.F32) {
            System.arraycopy(s.f32(), srcOffset, dst, dstOffset, length);
        } else {
            double[] f = s.f64();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) f[srcOffset + i];
            }
        }
    }

    @Override
    public void zero(DeviceBuffer buffer) {
        JvmBuffer b = own(buffer, "buffer");
        if (b.precision() == Precision.F64) {
            java.util.Arrays.fill(b.f64(), 0.0);
        } else {
            java.util.Arrays.fill(b.f32(), 0.0f);
        }
    }

    @Override
    public void fftComplex(int n, int rows, DeviceBuffer data, boolean inverse) {
        positive("n", n);
        nonNegative("rows", rows);
        JvmBuffer d = need(data, "data", (long) 2 * n * rows, data.precision());
        if (d.precision() == Precision.F64) {
            JvmKernelsF64.fftComplex(executor, scratch, n, rows, d.f64(), inverse);
        } else {
            JvmKernelsF32.fftComplex(executor, scratch, n, rows, d.f32(), inverse);
        }
    }

    @Override
    public void fftRealForward(int n, int rows, DeviceBuffer in, int inStride, int inLength, DeviceBuffer out) {
        positive("n", n);
        nonNegative("rows", rows);
        if (inLength < 0 || inLength > n) {
            throw new IllegalArgumentException("inLength=" + inLength + " must be in [0, n=" + n + "]");
        }
        if (inStride < inLength && rows > 1) {
            throw new IllegalArgumentException("inStride=" + inStride + " must be >= inLength=" + inLength);
        }
        Precision p = in.precision();
        JvmBuffer i = need(in, "in", rows == 0 ? 0 : (long) (rows - 1) * inStride + inLength, p);
        JvmBuffer o = need(out, "out", (long) 2 * (n / 2 + 1) * rows, p);
        if (p == Precision.F64) {
            JvmKernelsF64.fftRealForward(executor, scratch, n, rows, i.f64(), inStride, inLength, o.f64());
        } else {
            JvmKernelsF32.fftRealForward(executor, scratch, n, rows, i.f32(), inStride, inLength, o.f32());
        }
    }

    @Override
    public void fftRealInverse(int n, int rows, DeviceBuffer in, DeviceBuffer out, int outStride, int outLength) {
        positive("n", n);
        nonNegative("rows", rows);
        if (outLength < 0 || outLength > n) {
            throw new IllegalArgumentException("outLength=" + outLength + " must be in [0, n=" + n + "]");
        }
        if (outStride < outLength && rows > 1) {
            throw new IllegalArgumentException("outStride=" + outStride + " must be >= outLength=" + outLength);
        }
        Precision p = in.precision();
        JvmBuffer i = need(in, "in", (long) 2 * (n / 2 + 1) * rows, p);
        JvmBuffer o = need(out, "out", rows == 0 ? 0 : (long) (rows - 1) * outStride + outLength, p);
        if (p == Precision.F64) {
            JvmKernelsF64.fftRealInverse(executor, scratch, n, rows, i.f64(), o.f64(), outStride, outLength);
        } else {
            JvmKernelsF32.fftRealInverse(executor, scratch, n, rows, i.f32(), o.f32(), outStride, outLength);
        }
    }

    @Override
    public void rationalSpectrum(RationalShape shape, DeviceBuffer a, DeviceBuffer b, DeviceBuffer h0,
                                 DeviceBuffer specA, DeviceBuffer specB, DeviceBuffer specK,
                                 DeviceBuffer minMagnitude) {
        Precision p = a.precision();
        int bins = shape.bins();
        JvmBuffer ba = need(a, "a", (long) shape.numA() * shape.order(), p);
        JvmBuffer bb = need(b, "b", (long) shape.channels() * shape.order(), p);
        JvmBuffer bh = need(h0, "h0", shape.channels(), p);
        JvmBuffer sa = need(specA, "specA", 2L * bins * shape.numA(), p);
        JvmBuffer sb = need(specB, "specB", 2L * bins * shape.channels(), p);
        JvmBuffer sk = need(specK, "specK", 2L * bins * shape.channels(), p);
        JvmBuffer mm = need(minMagnitude, "minMagnitude", 2L * shape.numA(), p);
        if (p == Precision.F64) {
            JvmKernelsF64.rationalSpectrum(executor, scratch, shape, ba.f64(), bb.f64(), bh.f64(), sa.f64(),
                sb.f64(), sk.f64(), mm.f64());
        } else {
            JvmKernelsF32.rationalSpectrum(executor, scratch, shape, ba.f32(), bb.f32(), bh.f32(), sa.f32(),
                sb.f32(), sk.f32(), mm.f32());
        }
    }

    @Override
    public void rationalSpectrumBackward(RationalShape shape, DeviceBuffer gk, int ell, DeviceBuffer specA,
                                         DeviceBuffer specB, DeviceBuffer da, DeviceBuffer db, DeviceBuffer dh0,
                                         DeviceBuffer work) {
        if (ell < 1 || ell > shape.length()) {
            throw new IllegalArgumentException("ell=" + ell + " must be in [1, L=" + shape.length() + "]");
        }
        Precision p = gk.precision();
        int bins = shape.bins();
        JvmBuffer g = need(gk, "gk", (long) shape.channels() * ell, p);
        JvmBuffer sa = need(specA, "specA", 2L * bins * shape.numA(), p);
        JvmBuffer sb = need(specB, "specB", 2L * bins * shape.channels(), p);
        JvmBuffer ga = need(da, "da", (long) shape.numA() * shape.order(), p);
        JvmBuffer gb = need(db, "db", (long) shape.channels() * shape.order(), p);
        JvmBuffer gh = need(dh0, "dh0", shape.channels(), p);
        JvmBuffer wk = need(work, "work", shape.backwardWorkLength(), p);
        if (p == Precision.F64) {
            JvmKernelsF64.rationalSpectrumBackward(executor, scratch, shape, g.f64(), ell, sa.f64(), sb.f64(),
                ga.f64(), gb.f64(), gh.f64(), wk.f64());
        } else {
            JvmKernelsF32.rationalSpectrumBackward(executor, scratch, shape, g.f32(), ell, sa.f32(), sb.f32(),
                ga.f32(), gb.f32(), gh.f32(), wk.f32());
        }
    }

    @Override
    public void fftConv(ConvShape shape, DeviceBuffer kf, DeviceBuffer kb, DeviceBuffer u, DeviceBuffer y,
                        DeviceBuffer kSpec) {
        Precision p = u.precision();
        JvmBuffer f = need(kf, "kf", shape.kernelLength(), p);
        JvmBuffer bk = shape.bidirectional() ? need(kb, "kb", shape.kernelLength(), p) : null;
        JvmBuffer bu = need(u, "u", shape.signalLength(), p);
        JvmBuffer by = need(y, "y", shape.signalLength(), p);
        JvmBuffer ks = need(kSpec, "kSpec", shape.kernelSpectrumLength(), p);
        if (p == Precision.F64) {
            JvmKernelsF64.fftConv(executor, scratch, shape, f.f64(), bk == null ? null : bk.f64(), bu.f64(),
                by.f64(), ks.f64());
        } else {
            JvmKernelsF32.fftConv(executor, scratch, shape, f.f32(), bk == null ? null : bk.f32(), bu.f32(),
                by.f32(), ks.f32());
        }
    }

    @Override
    public void fftConvBackward(ConvShape shape, DeviceBuffer kSpec, DeviceBuffer u, DeviceBuffer gy,
                                DeviceBuffer du, DeviceBuffer dkf, DeviceBuffer dkb) {
        Precision p = u.precision();
        JvmBuffer ks = need(kSpec, "kSpec", shape.kernelSpectrumLength(), p);
        JvmBuffer bu = need(u, "u", shape.signalLength(), p);
        JvmBuffer bg = need(gy, "gy", shape.signalLength(), p);
        JvmBuffer bd = need(du, "du", shape.signalLength(), p);
        JvmBuffer df = need(dkf, "dkf", shape.kernelLength(), p);
        JvmBuffer dbk = shape.bidirectional() ? need(dkb, "dkb", shape.kernelLength(), p) : null;
        if (p == Precision.F64) {
            JvmKernelsF64.fftConvBackward(executor, scratch, shape, ks.f64(), bu.f64(), bg.f64(), bd.f64(),
                df.f64(), dbk == null ? null : dbk.f64());
        } else {
            JvmKernelsF32.fftConvBackward(executor, scratch, shape, ks.f32(), bu.f32(), bg.f32(), bd.f32(),
                df.f32(), dbk == null ? null : dbk.f32());
        }
    }

    @Override
    public void vandermonde(ModalShape shape, DeviceBuffer logZ, DeviceBuffer chat, DeviceBuffer lag0, DeviceBuffer k) {
        Precision p = k.precision();
        JvmBuffer z = need(logZ, "logZ", shape.modalLength(), p);
        JvmBuffer c = need(chat, "chat", shape.modalLength(), p);
        JvmBuffer d = lag0 == null ? null : need(lag0, "lag0", shape.channels(), p);
        JvmBuffer out = need(k, "k", shape.kernelLength(), p);
        if (p == Precision.F64) {
            JvmModalKernelsF64.vandermonde(executor, scratch, shape, z.f64(), c.f64(), d == null ? null : d.f64(), out.f64());
        } else {
            JvmModalKernelsF32.vandermonde(executor, scratch, shape, z.f32(), c.f32(), d == null ? null : d.f32(), out.f32());
        }
    }

    @Override
    public void vandermondeBackward(ModalShape shape, DeviceBuffer logZ, DeviceBuffer gk, DeviceBuffer sums,
                                    DeviceBuffer weightedSums, DeviceBuffer lag0Grad) {
        Precision p = gk.precision();
        JvmBuffer z = need(logZ, "logZ", shape.modalLength(), p);
        JvmBuffer g = need(gk, "gk", shape.kernelLength(), p);
        JvmBuffer s0 = need(sums, "sums", shape.modalLength(), p);
        JvmBuffer s1 = need(weightedSums, "weightedSums", shape.modalLength(), p);
        JvmBuffer d = need(lag0Grad, "lag0Grad", shape.channels(), p);
        if (p == Precision.F64) {
            JvmModalKernelsF64.vandermondeBackward(executor, scratch, shape, z.f64(), g.f64(), s0.f64(), s1.f64(), d.f64());
        } else {
            JvmModalKernelsF32.vandermondeBackward(executor, scratch, shape, z.f32(), g.f32(), s0.f32(), s1.f32(), d.f32());
        }
    }

    @Override
    public void cauchy(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer lag0, DeviceBuffer kHat) {
        Precision p = kHat.precision();
        JvmBuffer bw = need(w, "w", shape.modalLength(), p);
        JvmBuffer bv = need(v, "v", 4L * shape.modalLength(), p);
        JvmBuffer d = lag0 == null ? null : need(lag0, "lag0", shape.channels(), p);
        JvmBuffer out = need(kHat, "kHat", shape.spectrumLength(), p);
        if (p == Precision.F64) {
            JvmModalKernelsF64.cauchy(executor, scratch, shape, bw.f64(), bv.f64(), d == null ? null : d.f64(), out.f64());
        } else {
            JvmModalKernelsF32.cauchy(executor, scratch, shape, bw.f32(), bv.f32(), d == null ? null : d.f32(), out.f32());
        }
    }

    @Override
    public void cauchyBackward(ModalShape shape, DeviceBuffer w, DeviceBuffer v, DeviceBuffer gradSpectrum,
                               DeviceBuffer gv, DeviceBuffer gw, DeviceBuffer gamma, DeviceBuffer lag0Grad) {
        Precision p = gradSpectrum.precision();
        JvmBuffer bw = need(w, "w", shape.modalLength(), p);
        JvmBuffer bv = need(v, "v", 4L * shape.modalLength(), p);
        JvmBuffer gs = need(gradSpectrum, "gradSpectrum", shape.spectrumLength(), p);
        JvmBuffer ov = need(gv, "gv", 4L * shape.modalLength(), p);
        JvmBuffer ow = need(gw, "gw", shape.modalLength(), p);
        JvmBuffer og = need(gamma, "gamma", shape.channels(), p);
        JvmBuffer od = need(lag0Grad, "lag0Grad", shape.channels(), p);
        if (p == Precision.F64) {
            JvmModalKernelsF64.cauchyBackward(executor, scratch, shape, bw.f64(), bv.f64(), gs.f64(), ov.f64(),
                ow.f64(), og.f64(), od.f64());
        } else {
            JvmModalKernelsF32.cauchyBackward(executor, scratch, shape, bw.f32(), bv.f32(), gs.f32(), ov.f32(),
                ow.f32(), og.f32(), od.f32());
        }
    }

    /** Bytes of per-worker scratch currently held. */
    public long scratchBytes() {
        return scratch.bytes();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsExecutor) {
                executor.close();
            }
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("backend jvm is closed");
        }
    }

    private JvmBuffer own(DeviceBuffer b, String name) {
        open();
        if (b == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (!(b instanceof JvmBuffer)) {
            throw new IllegalArgumentException(name + " is a " + b.getClass().getSimpleName()
                + ", not a buffer of backend jvm");
        }
        return (JvmBuffer) b;
    }

    private JvmBuffer need(DeviceBuffer b, String name, long minLength, Precision p) {
        JvmBuffer j = own(b, name);
        if (j.precision() != p) {
            throw new IllegalArgumentException(name + " is " + j.precision() + ", expected " + p
                + " like the other buffers of this call");
        }
        if (j.length() < minLength) {
            throw new IllegalArgumentException(name + " has " + j.length() + " elements, expected at least "
                + minLength);
        }
        return j;
    }

    private static void range(String name, int length, int offset, int count) {
        if (offset < 0 || count < 0 || (long) offset + count > length) {
            throw new IllegalArgumentException(name + " range [" + offset + ", " + ((long) offset + count)
                + ") is outside [0, " + length + ")");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + "=" + v + " must be >= 1");
        }
    }

    private static void nonNegative(String name, int v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + "=" + v + " must be >= 0");
        }
    }
}
