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
 * <p><b>Powers of two</b> run {@code fftLocal}: whole transforms in local memory, n complex per
 * transform (bit-reversed load, radix-4 decimation in time in place), several transforms per work-group.
 * With C the largest power of two whose transform fits the {@linkplain #localLimit local limit}
 * (n·2·bytes ≤ limit; float32 under 48 KiB: 4096, float64: 2048) a length n runs
 * <ul>
 *   <li>n ≤ C: one launch;</li>
 *   <li>C &lt; n ≤ C²: four-step, n = n1·n2 with n1 = 2^⌊log2 n / 2⌋: n2 column transforms of length n1 in
 *       place, each output times w_n^(k1·j2), then n1 row transforms of length n2 written transposed into
 *       another buffer; two launches (three for an in-place {@link #complex} transform, which copies the
 *       result back on the device);</li>
 *   <li>n &gt; C² (beyond 2^24 in float32 under 48 KiB; also every n when the limit is below two complex):
 *       log2(n) global radix-2 Stockham passes ({@code fftRadix2Pass}).</li>
 * </ul>
 * All of them share one twiddle table per (precision, n), {@code exp(-2*pi*i*j/n)}, j &lt; n/2; the
 * sub-transforms read it strided (the JVM's plans use higher radices with other tables). Inverse scaling
 * (1/n) is folded into the last launch. Every other length runs Bluestein on power-of-two transforms
 * of length m, with the chirp tables of {@link BluesteinTables}; real transforms of even n pack into
 * half-length complex transforms and split with {@link RealFftPlan#splitTable()}, odd n run full complex
 * transforms. The Bluestein and split tables are the JVM's, computed once in float64 and rounded to the
 * precision on upload.
 */
final class ClFft {
    /** Largest work-group of an {@code fftLocal} launch. */
    static final int MAX_GROUP = 256;
    /**
     * Transforms per work-group the four-step passes aim for: that many adjacent columns (pass 1) or
     * adjacent output bins (pass 2) make each global access a contiguous run.
     */
    static final int COALESCED_TRANSFORMS = 16;

    private final ClQueue rt;
    private final Map<Key, Tables> tables = new HashMap<>();
    private long localLimit = Long.MAX_VALUE;

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

    /**
     * One {@code fftLocal} launch: 2^logPer transforms per work-group, the local and global sizes
     * (global = groups · local) and the local memory per work-group.
     */
    record LocalLaunch(int logPer, long local, long global, long localBytes) {
    }

    ClFft(ClQueue rt) {
        this.rt = rt;
    }

    /**
     * Largest local memory (bytes) per work-group the transforms may use; the device's local memory caps
     * it. {@link Long#MAX_VALUE} (the default) = the device's local memory; 0 = global passes only.
     */
    void setLocalLimit(long bytes) {
        this.localLimit = bytes;
    }

    /**
     * The local memory (bytes) a work-group of precision p may use: the limit set, at most the device's
     * local memory less what the {@code fftLocal} kernel declares itself (CL_KERNEL_LOCAL_MEM_SIZE).
     */
    long localLimit(Precision p) {
        long own = rt.limits(p, ClKernel.FFT_LOCAL).staticLocalBytes();
        return Math.min(localLimit, Math.max(0, rt.info().localMemBytes() - own));
    }

    /** Largest power-of-two length whose transform fits the local limit once; 0 when not even length 2 does. */
    int capacity(Precision p) {
        long c = localLimit(p) / (2L * p.bytes());
        return c < 2 ? 0 : (int) Long.highestOneBit(Math.min(c, 1L << 30));
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
        ClBuffer r = rows(p, data, null, rows, n, inverse ? 1 : -1, inverse ? 1.0 / n : 1.0);
        if (r != data) {
            rt.copy(r, data, 2L * rows * n);
        }
    }

    /**
     * Complex transforms of {@code rows} rows of n (sign −1 forward, +1 inverse), each output times
     * {@code scale} (n = 1: unchanged, callers pass scale 1). Reads {@code src} and may overwrite it; may
     * also overwrite {@code spare} (a buffer of at least 2·rows·n elements, or null for this class's
     * scratch). Returns the buffer holding the result, src or the spare, which the caller reads before the
     * next transform.
     */
    private ClBuffer rows(Precision p, ClBuffer src, ClBuffer spare, int rows, int n, int sign, double scale) {
        if (n == 1 || rows == 0) {
            return src;
        }
        Tables t = tables(p, n);
        if (t.twiddles == null) {
            return bluestein(p, t, src, rows, n, sign, scale);
        }
        int logN = Integer.numberOfTrailingZeros(n);
        long cap = capacity(p);
        if (n <= cap) {
            local(p, src, src, t.twiddles, logN, logN, 0, rows, 0, 1, 0, 1, false, sign, scale, 1);
            return src;
        }
        ClBuffer out = spare != null ? spare : rt.scratch(p, "fft", 2L * rows * n);
        if (n <= cap * cap) {
            int l1 = logN / 2;
            int l2 = logN - l1;
            int n1 = 1 << l1;
            int n2 = 1 << l2;
            local(p, src, src, t.twiddles, logN, l1, l2, rows * n2, 1, n2, 1, n2, true, sign, 1.0, COALESCED_TRANSFORMS);
            local(p, src, out, t.twiddles, logN, l2, l1, rows * n1, n2, 1, 1, n1, false, sign, scale, COALESCED_TRANSFORMS);
            return out;
        }
        ClBuffer a = src;
        ClBuffer b = out;
        for (int blk = 1; blk < n; blk <<= 1) {
            rt.launch(ClKernel.FFT_RADIX2_PASS, p, new long[] {n / 2, rows}, null, a, b, t.twiddles, n, blk, sign,
                2 * blk == n ? scale : 1.0);
            ClBuffer x = a;
            a = b;
            b = x;
        }
        return a;
    }

    /** One {@code fftLocal} launch over {@code total} transforms of 2^logLen (see the kernel's comment). */
    private void local(Precision p, ClBuffer x, ClBuffer y, ClBuffer tw, int logN, int logLen, int logCnt, int total,
                       int inT, int inE, int outT, int outE, boolean twiddleOut, int sign, double scale, int minPer) {
        LocalLaunch l = localLaunch(p, logLen, total, minPer);
        rt.launch(ClKernel.FFT_LOCAL, p, new long[] {l.global()}, new long[] {l.local()}, x, y, tw, logN, logLen, logCnt,
            total, l.logPer(), inT, inE, outT, outE, twiddleOut ? 1 : 0, sign, scale, new ClRuntime.Local(l.localBytes()));
    }

    /**
     * The shape of an {@code fftLocal} launch over {@code total} transforms of length 2^logLen, which must
     * fit the {@linkplain #capacity capacity}. Transforms per work-group: a power of two, at least
     * {@code minPer} and enough for {@value #MAX_GROUP} radix-4 units per stage, as local memory and the
     * transform count allow. Local size: a power of two ≤ min({@value #MAX_GROUP}, the largest work-group of
     * the device and of the kernel ({@link LaunchPlanner#groupCap})) and ≤ the work-group's units of work per stage (its radix-4 butterflies, or radix-2 ones
     * at length 2). Global size: groups · local exactly.
     */
    LocalLaunch localLaunch(Precision p, int logLen, int total, int minPer) {
        int len = 1 << logLen;
        // all powers of two: minPer (1 or COALESCED_TRANSFORMS), 4 MAX_GROUP / len, capacity / len
        long per = Math.max(1, Math.max(minPer, 4L * MAX_GROUP / len));
        per = Math.min(per, capacity(p) / len);
        per = Math.max(1, Math.min(per, Integer.highestOneBit(Math.max(1, total))));
        long units = per * len / (logLen >= 2 ? 4 : 2);
        long cap = LaunchPlanner.groupCap(rt.info().limits(), rt.limits(p, ClKernel.FFT_LOCAL));
        long local = Math.min(Math.min(MAX_GROUP, Long.highestOneBit(Math.max(1, cap))), units);
        long groups = (total + per - 1) / per;
        return new LocalLaunch(Long.numberOfTrailingZeros(per), local, groups * local, per * len * 2L * p.bytes());
    }

    /**
     * Bluestein over power-of-two transforms of m: the result, times {@code scale}, is written back to
     * {@code src}.
     */
    private ClBuffer bluestein(Precision p, Tables t, ClBuffer src, int rows, int n, int sign, double scale) {
        int m = t.padded;
        ClBuffer w = rt.scratch(p, "bluestein", 2L * rows * m);
        rt.launch(ClKernel.BLUESTEIN_PRE, p, new long[] {m, rows}, null, src, w, t.chirp, n, m, sign);
        ClBuffer f = rows(p, w, null, rows, m, -1, 1.0);
        rt.launch(ClKernel.MUL_TABLE, p, new long[] {m, rows}, null, f, t.chirpSpec, m);
        ClBuffer g = rows(p, f, f == w ? null : w, rows, m, 1, 1.0);
        rt.launch(ClKernel.BLUESTEIN_POST, p, new long[] {n, rows}, null, g, src, t.chirp, n, m, sign, scale);
        return src;
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
            ClBuffer f = rows(p, z, null, rows, h, -1, 1.0);
            rt.launch(ClKernel.SPLIT_FORWARD, p, new long[] {h / 2 + 1, rows}, null, f, out, tables(p, n).split, h);
        } else {
            ClBuffer z = rt.scratch(p, "realz", 2L * rows * n);
            rt.launch(ClKernel.PACK_ODD, p, new long[] {n, rows}, null, in, 0, inStride, inLen, z, n);
            ClBuffer f = rows(p, z, null, rows, n, -1, 1.0);
            rt.launch(ClKernel.COPY_BINS, p, new long[] {n / 2 + 1, rows}, null, f, n, out, n / 2 + 1);
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
            ClBuffer f = rows(p, z, null, rows, h, 1, 1.0);
            rt.launch(ClKernel.UNPACK_EVEN, p, new long[] {h, rows}, null, f, h, out, 0, outStride, outLen, 1.0 / h);
        } else {
            ClBuffer z = rt.scratch(p, "realz", 2L * rows * n);
            rt.launch(ClKernel.HERMITIAN_FULL, p, new long[] {n, rows}, null, in, n / 2 + 1, z, n);
            ClBuffer f = rows(p, z, null, rows, n, 1, 1.0);
            rt.launch(ClKernel.UNPACK_ODD, p, new long[] {n, rows}, null, f, n, out, 0, outStride, outLen, 1.0 / n);
        }
    }
}
