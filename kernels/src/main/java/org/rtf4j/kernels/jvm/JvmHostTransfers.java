package org.rtf4j.kernels.jvm;

import org.rtf4j.kernels.backend.Precision;

/**
 * The JVM backend's host transfers of floating-point values, its one job: copies between host arrays
 * ({@code double[]}, {@code float[]}) and {@link JvmBuffer}s, converting the precision where they differ,
 * and the accumulating read. Arguments were checked by {@link JvmBackend} (ownership, ranges). The passes
 * that convert or accumulate into long arrays run on every worker from {@link #PARALLEL_TRANSFER} elements,
 * through one reusable task, so a steady-state transfer allocates nothing; each element is computed the same
 * way on any thread count.
 */
final class JvmHostTransfers {
    /**
     * Host transfers that convert or accumulate (float64 parameters into float32 buffers, gradients added
     * into float64 arrays) run on every worker from this many elements: these passes are as long as the
     * parameters (H·N numbers for RTF), the part of RTF's host work that grows with N.
     */
    static final int PARALLEL_TRANSFER = 1 << 16;

    private final JvmExecutor executor;
    private final HostTransfer transfer = new HostTransfer();

    JvmHostTransfers(JvmExecutor executor) {
        this.executor = executor;
    }

    /** {@code d[dstOffset ..] = src[srcOffset ..]}, rounded to float32 for a float32 buffer. */
    void write(JvmBuffer d, int dstOffset, double[] src, int srcOffset, int length) {
        if (d.precision() == Precision.F64) {
            System.arraycopy(src, srcOffset, d.f64(), dstOffset, length);
        } else if (length >= PARALLEL_TRANSFER) {
            transfer.run(HostTransfer.ROUND, src, srcOffset, d.f32(), dstOffset, null, length);
        } else {
            float[] f = d.f32();
            for (int i = 0; i < length; i++) {
                f[dstOffset + i] = (float) src[srcOffset + i];
            }
        }
    }

    /** {@code d[dstOffset ..] = src[srcOffset ..]}, widened for a float64 buffer. */
    void write(JvmBuffer d, int dstOffset, float[] src, int srcOffset, int length) {
        if (d.precision() == Precision.F32) {
            System.arraycopy(src, srcOffset, d.f32(), dstOffset, length);
        } else {
            double[] f = d.f64();
            for (int i = 0; i < length; i++) {
                f[dstOffset + i] = src[srcOffset + i];
            }
        }
    }

    /** {@code dst[dstOffset ..] = s[srcOffset ..]}, widened from a float32 buffer. */
    void read(JvmBuffer s, int srcOffset, double[] dst, int dstOffset, int length) {
        if (s.precision() == Precision.F64) {
            System.arraycopy(s.f64(), srcOffset, dst, dstOffset, length);
        } else {
            float[] f = s.f32();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = f[srcOffset + i];
            }
        }
    }

    /** {@code dst[dstOffset ..] += s[srcOffset ..]}, in float64. */
    void readAdd(JvmBuffer s, int srcOffset, double[] dst, int dstOffset, int length) {
        if (length >= PARALLEL_TRANSFER) {
            if (s.precision() == Precision.F64) {
                transfer.run(HostTransfer.ADD_F64, dst, dstOffset, null, srcOffset, s.f64(), length);
            } else {
                transfer.run(HostTransfer.ADD_F32, dst, dstOffset, s.f32(), srcOffset, null, length);
            }
        } else if (s.precision() == Precision.F64) {
            double[] f = s.f64();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] += f[srcOffset + i];
            }
        } else {
            float[] f = s.f32();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] += f[srcOffset + i];
            }
        }
    }

    /** {@code dst[dstOffset ..] = s[srcOffset ..]}, rounded to float32 from a float64 buffer. */
    void read(JvmBuffer s, int srcOffset, float[] dst, int dstOffset, int length) {
        if (s.precision() == Precision.F32) {
            System.arraycopy(s.f32(), srcOffset, dst, dstOffset, length);
        } else {
            double[] f = s.f64();
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = (float) f[srcOffset + i];
            }
        }
    }

    /**
     * The element loops of the rounding {@link #write(JvmBuffer, int, double[], int, int) write} and of
     * {@link #readAdd}, split into chunks over the workers.
     */
    private final class HostTransfer extends KernelTask {
        static final int ROUND = 0;
        static final int ADD_F32 = 1;
        static final int ADD_F64 = 2;
        private static final int CHUNK = 1 << 14;
        private int mode;
        private double[] d;
        private int dOff;
        private float[] f;
        private int oOff;
        private double[] d2;
        private int len;

        /** ROUND: f[oOff + i] = (float) d[dOff + i]; ADD_F32: d[dOff + i] += f[oOff + i]; ADD_F64: with d2. */
        synchronized void run(int mode, double[] d, int dOff, float[] f, int oOff, double[] d2, int len) {
            this.mode = mode;
            this.d = d;
            this.dOff = dOff;
            this.f = f;
            this.oOff = oOff;
            this.d2 = d2;
            this.len = len;
            call(executor);
        }

        @Override
        int rowCount(int phase) {
            return (len + CHUNK - 1) / CHUNK;
        }

        @Override
        void rows(int phase, int w, int from, int to) {
            int a = from * CHUNK;
            int b = Math.min(len, to * CHUNK);
            if (mode == ROUND) {
                for (int i = a; i < b; i++) {
                    f[oOff + i] = (float) d[dOff + i];
                }
            } else if (mode == ADD_F32) {
                for (int i = a; i < b; i++) {
                    d[dOff + i] += f[oOff + i];
                }
            } else {
                for (int i = a; i < b; i++) {
                    d[dOff + i] += d2[oOff + i];
                }
            }
        }

        @Override
        void clear() {
            d = null;
            f = null;
            d2 = null;
        }
    }
}
