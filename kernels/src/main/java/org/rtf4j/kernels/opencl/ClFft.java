package org.rtf4j.kernels.opencl;

import java.util.HashMap;
import java.util.Map;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.fft.BluesteinTables;
import org.rtf4j.kernels.fft.ComplexFftPlan;
import org.rtf4j.kernels.fft.RealFftPlan;

/**
 * FFTs on the device: batched complex transforms and the real transforms built on them, over device
 * tables per (precision, length) uploaded once.
 *
 * <p>Power-of-two lengths run a radix-2 Stockham transform, in local memory (one work-group per row)
 * when twice the row fits in {@link #setLocalLimit the local limit}, else by one global pass per stage;
 * its twiddle table {@code exp(-2*pi*i*j/n)}, j &lt; n/2, is the device's own (the JVM's plans use
 * higher radices with other tables). Every other length runs Bluestein on power-of-two transforms, with
 * the chirp tables of {@link BluesteinTables}; real transforms of even n pack into half-length complex
 * transforms and split with {@link RealFftPlan#splitTable()}, odd n run full complex transforms. The
 * Bluestein and split tables are the JVM's, computed once in float64 and rounded to the precision on upload.
 */
final class ClFft {
    private final ClRuntime rt;
    private final Map<Key, Tables> tables = new HashMap<>();
    private long localLimit;

    private record Key(Precision precision, int n) {
    }

    /** Device tables of one length and precision; null where the length does not need them. */
    private static final class Tables {
        ClBuffer twiddles;    // power of two: exp(-2 pi i j/n), j < n/2
        ClBuffer chirp;       // Bluestein: exp(-i pi t^2/n), t < n
        ClBuffer chirpSpec;   // Bluestein: fft_m(conj chirp, wrapped) / m
        int padded;           // Bluestein: m
        ClBuffer split;       // real transforms of even length n: exp(-2 pi i k/n), k <= n/4
    }

    ClFft(ClRuntime rt) {
        this.rt = rt;
        this.localLimit = rt.info.localMemBytes() / 2;
    }

    /** Largest local memory (bytes) a power-of-two row may use before the global passes take over. */
    void setLocalLimit(long bytes) {
        this.localLimit = bytes;
    }

    /** How a complex transform of length n runs here. */
    static ComplexFftPlan.Algorithm algorithm(int n) {
        return Integer.bitCount(n) == 1 ? ComplexFftPlan.Algorithm.STOCKHAM_POW2 : ComplexFftPlan.Algorithm.BLUESTEIN;
    }

    private Tables tables(Precision p, int n) {
        Key key = new Key(p, n);
        Tables t = tables.get(key);
        if (t != null) {
            return t;
        }
        t = new Tables();
        if (algorithm(n) == ComplexFftPlan.Algorithm.STOCKHAM_POW2) {
            double[] tw = new double[Math.max(2, n)];
            for (int j = 0; j < n / 2; j++) {
                double a = -2 * Math.PI * j / n;
                tw[2 * j] = Math.cos(a);
                tw[2 * j + 1] = Math.sin(a);
            }
            t.twiddles = rt.table(p, tw);
        } else {
            BluesteinTables b = BluesteinTables.of(n);
            t.padded = b.paddedLength();
            t.chirp = rt.table(p, b.chirp());
            t.chirpSpec = rt.table(p, b.chirpSpectrum());
        }
        if (n % 2 == 0) {
            t.split = rt.table(p, RealFftPlan.of(n).splitTable());
        }
        tables.put(key, t);
        return t;
    }

    /** In-place complex transforms of {@code rows} rows of n; inverse ones scaled by 1/n. */
    void complex(Precision p, ClBuffer data, int rows, int n, boolean inverse) {
        rows(p, data, rows, n, inverse ? 1 : -1);
        if (inverse) {
            rt.launch(ClKernel.SCALE_COMPLEX, p, new long[] {n, rows}, null, data, n, 1.0 / n);
        }
    }

    /** In-place complex transforms of {@code rows} rows of n; sign −1 forward, +1 inverse unscaled. */
    private void rows(Precision p, ClBuffer data, int rows, int n, int sign) {
        if (n == 1 || rows == 0) {
            return;
        }
        Tables t = tables(p, n);
        if (t.twiddles != null) {
            long localBytes = 2L * n * 2 * p.bytes();
            if (localBytes <= localLimit) {
                long gs = Math.min(n / 2, Math.min(rt.info.maxWorkGroup(), 256));
                rt.launch(ClKernel.FFT_LOCAL_POW2, p, new long[] {gs, rows}, new long[] {gs, 1}, data, t.twiddles, n, sign,
                    new ClRuntime.Local(localBytes));
            } else {
                ClBuffer pong = rt.scratch(p, "pingpong", 2L * rows * n);
                ClBuffer src = data;
                ClBuffer dst = pong;
                for (int blk = 1; blk < n; blk <<= 1) {
                    rt.launch(ClKernel.FFT_RADIX2_PASS, p, new long[] {n / 2, rows}, null, src, dst, t.twiddles, n, blk, sign);
                    ClBuffer x = src;
                    src = dst;
                    dst = x;
                }
                if (src != data) {
                    rt.copy(src, data, 2L * rows * n);
                }
            }
            return;
        }
        if (sign > 0) {
            rt.launch(ClKernel.CONJUGATE, p, new long[] {n, rows}, null, data, n);
        }
        int m = t.padded;
        ClBuffer w = rt.scratch(p, "bluestein", 2L * rows * m);
        rt.launch(ClKernel.BLUESTEIN_PRE, p, new long[] {m, rows}, null, data, w, t.chirp, n, m);
        rows(p, w, rows, m, -1);
        rt.launch(ClKernel.MUL_TABLE, p, new long[] {m, rows}, null, w, t.chirpSpec, m);
        rows(p, w, rows, m, 1);
        rt.launch(ClKernel.BLUESTEIN_POST, p, new long[] {n, rows}, null, w, data, t.chirp, n, m);
        if (sign > 0) {
            rt.launch(ClKernel.CONJUGATE, p, new long[] {n, rows}, null, data, n);
        }
    }

    /**
     * Real forward transforms of length n: row r reads {@code inLen} reals at {@code in[r*inStride]} (zero
     * padded to n) and writes n/2+1 bins at {@code out[2*(n/2+1)*r]}.
     */
    void realForward(Precision p, int n, int rows, ClBuffer in, int inStride, int inLen, ClBuffer out) {
        if (n % 2 == 0) {
            int h = n / 2;
            ClBuffer z = rt.scratch(p, "realz", 2L * rows * h);
            rt.launch(ClKernel.PACK_EVEN, p, new long[] {h, rows}, null, in, 0, inStride, inLen, z, h);
            rows(p, z, rows, h, -1);
            rt.launch(ClKernel.SPLIT_FORWARD, p, new long[] {h / 2 + 1, rows}, null, z, out, tables(p, n).split, h);
        } else {
            ClBuffer z = rt.scratch(p, "realz", 2L * rows * n);
            rt.launch(ClKernel.PACK_ODD, p, new long[] {n, rows}, null, in, 0, inStride, inLen, z, n);
            rows(p, z, rows, n, -1);
            rt.launch(ClKernel.COPY_BINS, p, new long[] {n / 2 + 1, rows}, null, z, n, out, n / 2 + 1);
        }
    }

    /**
     * Real inverse transforms of length n, scaled by 1/n: row r reads n/2+1 bins at {@code in[2*(n/2+1)*r]}
     * and writes the first {@code outLen} reals at {@code out[r*outStride]}.
     */
    void realInverse(Precision p, int n, int rows, ClBuffer in, ClBuffer out, int outStride, int outLen) {
        if (n % 2 == 0) {
            int h = n / 2;
            ClBuffer z = rt.scratch(p, "realz", 2L * rows * h);
            rt.launch(ClKernel.MERGE_INVERSE, p, new long[] {h / 2 + 1, rows}, null, in, z, tables(p, n).split, h);
            rows(p, z, rows, h, 1);
            rt.launch(ClKernel.UNPACK_EVEN, p, new long[] {h, rows}, null, z, h, out, 0, outStride, outLen, 1.0 / h);
        } else {
            ClBuffer z = rt.scratch(p, "realz", 2L * rows * n);
            rt.launch(ClKernel.HERMITIAN_FULL, p, new long[] {n, rows}, null, in, n / 2 + 1, z, n);
            rows(p, z, rows, n, 1);
            rt.launch(ClKernel.UNPACK_ODD, p, new long[] {n, rows}, null, z, n, out, 0, outStride, outLen, 1.0 / n);
        }
    }
}
