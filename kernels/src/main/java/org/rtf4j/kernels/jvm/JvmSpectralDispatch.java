package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.spectral.ConvShape;
import org.rtf4j.kernels.spectral.ModalShape;
import org.rtf4j.kernels.spectral.RationalShape;

/**
 * The JVM backend's dispatch of the spectral kernels, its one job: for each checked call of
 * {@link JvmBackend} (FFTs, rational spectrum, FFT convolution, Vandermonde and Cauchy, forward and
 * backward) it picks the float64 or float32 kernel object by the buffers' precision, hands it the heap
 * arrays and times the call ({@link JvmKernelTimer}). The kernels themselves are {@code JvmKernelsF64},
 * {@code JvmRationalF64} and {@code JvmModalKernelsF64} and their float32 twins, owned here.
 */
final class JvmSpectralDispatch {
    private final JvmKernelTimer timer;
    private final JvmKernelsF64 kernelsF64;
    private final JvmKernelsF32 kernelsF32;
    private final JvmRationalF64 rationalF64;
    private final JvmRationalF32 rationalF32;
    private final JvmModalKernelsF64 modalF64;
    private final JvmModalKernelsF32 modalF32;

    JvmSpectralDispatch(JvmExecutor executor, JvmScratch scratch, JvmKernelTimer timer) {
        this.timer = timer;
        this.kernelsF64 = new JvmKernelsF64(executor, scratch);
        this.kernelsF32 = new JvmKernelsF32(executor, scratch);
        this.rationalF64 = new JvmRationalF64(executor, scratch);
        this.rationalF32 = new JvmRationalF32(executor, scratch);
        this.modalF64 = new JvmModalKernelsF64(executor, scratch);
        this.modalF32 = new JvmModalKernelsF32(executor, scratch);
    }

    void fftComplex(int n, int rows, JvmBuffer d, boolean inverse) {
        long t0 = timer.tic();
        if (d.precision() == Precision.F64) {
            kernelsF64.fftComplex(n, rows, d.f64(), inverse);
        } else {
            kernelsF32.fftComplex(n, rows, d.f32(), inverse);
        }
        timer.toc(KernelId.FFT_COMPLEX, t0);
    }

    void fftRealForward(int n, int rows, JvmBuffer i, int inStride, int inLength, JvmBuffer o) {
        long t0 = timer.tic();
        if (i.precision() == Precision.F64) {
            kernelsF64.fftRealForward(n, rows, i.f64(), inStride, inLength, o.f64());
        } else {
            kernelsF32.fftRealForward(n, rows, i.f32(), inStride, inLength, o.f32());
        }
        timer.toc(KernelId.FFT_REAL_FORWARD, t0);
    }

    void fftRealInverse(int n, int rows, JvmBuffer i, JvmBuffer o, int outStride, int outLength) {
        long t0 = timer.tic();
        if (i.precision() == Precision.F64) {
            kernelsF64.fftRealInverse(n, rows, i.f64(), o.f64(), outStride, outLength);
        } else {
            kernelsF32.fftRealInverse(n, rows, i.f32(), o.f32(), outStride, outLength);
        }
        timer.toc(KernelId.FFT_REAL_INVERSE, t0);
    }

    void rationalSpectrum(RationalShape shape, JvmBuffer a, JvmBuffer margin, JvmBuffer b, JvmBuffer h0,
                          JvmBuffer specA, JvmBuffer specB, JvmBuffer specK, JvmBuffer minMag) {
        long t0 = timer.tic();
        if (a.precision() == Precision.F64) {
            rationalF64.rationalSpectrum(shape, a.f64(), margin.f64(), b.f64(), h0.f64(), specA.f64(), specB.f64(),
                specK.f64(), minMag.f64());
        } else {
            rationalF32.rationalSpectrum(shape, a.f32(), margin.f32(), b.f32(), h0.f32(), specA.f32(), specB.f32(),
                specK.f32(), minMag.f32());
        }
        timer.toc(KernelId.RATIONAL_SPECTRUM, t0);
    }

    void rationalSpectrumBackward(RationalShape shape, JvmBuffer gk, int ell, JvmBuffer specA,
                                  JvmBuffer specB, JvmBuffer da, JvmBuffer db, JvmBuffer dh0, JvmBuffer work) {
        long t0 = timer.tic();
        if (gk.precision() == Precision.F64) {
            rationalF64.rationalSpectrumBackward(shape, gk.f64(), ell, specA.f64(), specB.f64(),
                da.f64(), db.f64(), dh0.f64(), work.f64());
        } else {
            rationalF32.rationalSpectrumBackward(shape, gk.f32(), ell, specA.f32(), specB.f32(),
                da.f32(), db.f32(), dh0.f32(), work.f32());
        }
        timer.toc(KernelId.RATIONAL_SPECTRUM_BACKWARD, t0);
    }

    void fftConv(ConvShape shape, JvmBuffer kf, JvmBuffer kb, JvmBuffer u, JvmBuffer y, JvmBuffer kSpec,
                 JvmBuffer uSpec) {
        long t0 = timer.tic();
        if (u.precision() == Precision.F64) {
            kernelsF64.fftConv(shape, kf.f64(), kb == null ? null : kb.f64(), u.f64(), y.f64(),
                kSpec.f64(), uSpec.f64());
        } else {
            kernelsF32.fftConv(shape, kf.f32(), kb == null ? null : kb.f32(), u.f32(), y.f32(),
                kSpec.f32(), uSpec.f32());
        }
        timer.toc(KernelId.FFT_CONV, t0);
    }

    void fftConvBackward(ConvShape shape, JvmBuffer kSpec, JvmBuffer uSpec, JvmBuffer gy, JvmBuffer du,
                         JvmBuffer dkf, JvmBuffer dkb) {
        long t0 = timer.tic();
        if (gy.precision() == Precision.F64) {
            kernelsF64.fftConvBackward(shape, kSpec.f64(), uSpec.f64(), gy.f64(), du.f64(), dkf.f64(),
                dkb == null ? null : dkb.f64());
        } else {
            kernelsF32.fftConvBackward(shape, kSpec.f32(), uSpec.f32(), gy.f32(), du.f32(), dkf.f32(),
                dkb == null ? null : dkb.f32());
        }
        timer.toc(KernelId.FFT_CONV_BACKWARD, t0);
    }

    void vandermonde(ModalShape shape, JvmBuffer logZ, JvmBuffer chat, JvmBuffer lag0, JvmBuffer k) {
        long t0 = timer.tic();
        if (k.precision() == Precision.F64) {
            modalF64.vandermonde(shape, logZ.f64(), chat.f64(), lag0 == null ? null : lag0.f64(),
                k.f64());
        } else {
            modalF32.vandermonde(shape, logZ.f32(), chat.f32(), lag0 == null ? null : lag0.f32(),
                k.f32());
        }
        timer.toc(KernelId.VANDERMONDE, t0);
    }

    void vandermondeBackward(ModalShape shape, JvmBuffer logZ, JvmBuffer gk, JvmBuffer sums,
                             JvmBuffer weighted, JvmBuffer lag0Grad) {
        long t0 = timer.tic();
        if (gk.precision() == Precision.F64) {
            modalF64.vandermondeBackward(shape, logZ.f64(), gk.f64(), sums.f64(), weighted.f64(),
                lag0Grad.f64());
        } else {
            modalF32.vandermondeBackward(shape, logZ.f32(), gk.f32(), sums.f32(), weighted.f32(),
                lag0Grad.f32());
        }
        timer.toc(KernelId.VANDERMONDE_BACKWARD, t0);
    }

    void cauchy(ModalShape shape, JvmBuffer w, JvmBuffer v, JvmBuffer lag0, JvmBuffer kHat) {
        long t0 = timer.tic();
        if (kHat.precision() == Precision.F64) {
            modalF64.cauchy(shape, w.f64(), v.f64(), lag0 == null ? null : lag0.f64(), kHat.f64());
        } else {
            modalF32.cauchy(shape, w.f32(), v.f32(), lag0 == null ? null : lag0.f32(), kHat.f32());
        }
        timer.toc(KernelId.CAUCHY, t0);
    }

    void cauchyBackward(ModalShape shape, JvmBuffer w, JvmBuffer v, JvmBuffer gs, JvmBuffer gv, JvmBuffer gw,
                        JvmBuffer gamma, JvmBuffer lag0Grad) {
        long t0 = timer.tic();
        if (gs.precision() == Precision.F64) {
            modalF64.cauchyBackward(shape, w.f64(), v.f64(), gs.f64(), gv.f64(), gw.f64(),
                gamma.f64(), lag0Grad.f64());
        } else {
            modalF32.cauchyBackward(shape, w.f32(), v.f32(), gs.f32(), gv.f32(), gw.f32(),
                gamma.f32(), lag0Grad.f32());
        }
        timer.toc(KernelId.CAUCHY_BACKWARD, t0);
    }
}
