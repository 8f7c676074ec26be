package org.rtf4j.kernels.fft;

/**
 * FFT kernel bodies in float64 (the template of the generated float32 twin {@code FftF32}).
 *
 * <p>Each method transforms one row. Complex data are interleaved {@code (re, im)} pairs. The forward
 * transform is unscaled, {@code X_k = sum_t x_t exp(-2 pi i k t / n)}; inverses are scaled by 1/n. The
 * {@code scratch} array must hold {@code plan.scratchLength()} elements from {@code so}; it must not
 * overlap the data. Nothing is allocated.
 */
public final class FftF64 {
    private static final double S3 = 0.86602540378443864676; // sin(2 pi / 3)
    private static final double C51 = 0.30901699437494742410; // cos(2 pi / 5)
    private static final double C52 = -0.80901699437494742410; // cos(4 pi / 5)
    private static final double S51 = 0.95105651629515357212; // sin(2 pi / 5)
    private static final double S52 = 0.58778525229247312917; // sin(4 pi / 5)
    private static final double C71 = 0.62348980185873353053; // cos(2 pi / 7)
    private static final double C72 = -0.22252093395631440429; // cos(4 pi / 7)
    private static final double C73 = -0.90096886790241912624; // cos(6 pi / 7)
    private static final double S71 = 0.78183148246802980871; // sin(2 pi / 7)
    private static final double S72 = 0.97492791218182360702; // sin(4 pi / 7)
    private static final double S73 = 0.43388373911755812048; // sin(6 pi / 7)
    private static final double R2 = 0.70710678118654752440; // sqrt(1/2)
    private static final double C16 = 0.92387953251128675613; // cos(pi / 8)
    private static final double S16 = 0.38268343236508977173; // sin(pi / 8)

    private FftF64() {
    }

    /** In-place forward complex transform of {@code data[off .. off + 2n)}. */
    public static void forward(ComplexFftPlan plan, double[] data, int off, double[] scratch, int so) {
        transform(plan, data, off, data, off, scratch, so, false);
    }

    /** In-place inverse complex transform, scaled by 1/n. */
    public static void inverse(ComplexFftPlan plan, double[] data, int off, double[] scratch, int so) {
        transform(plan, data, off, data, off, scratch, so, true);
    }

    /**
     * Complex transform of {@code in[inOff .. inOff + 2n)} into {@code out[outOff ..]}; the two ranges are
     * either the same (in place) or disjoint, and {@code in} is only read when they are disjoint.
     */
    private static void transform(ComplexFftPlan plan, double[] in, int inOff, double[] out, int outOff,
                                  double[] scratch, int so, boolean inverse) {
        if (plan.algorithm != ComplexFftPlan.Algorithm.BLUESTEIN) {
            stockham(plan, in, inOff, out, outOff, scratch, so, inverse);
            return;
        }
        int n = plan.n;
        if (in != out || inOff != outOff) {
            System.arraycopy(in, inOff, out, outOff, 2 * n);
        }
        if (!inverse) {
            bluestein(plan, out, outOff, scratch, so);
            return;
        }
        for (int i = outOff + 1; i < outOff + 2 * n; i += 2) {
            out[i] = -out[i];
        }
        bluestein(plan, out, outOff, scratch, so);
        double s = 1.0 / n;
        for (int i = outOff; i < outOff + 2 * n; i += 2) {
            out[i] *= s;
            out[i + 1] *= -s;
        }
    }

    /**
     * Forward real transform: {@code x[xo .. xo + xLen)} zero-padded to n, into {@code n/2 + 1}
     * interleaved bins at {@code spec[specOff ..]}. {@code xLen} may be anything from 0 to n.
     */
    public static void realForward(RealFftPlan plan, double[] x, int xo, int xLen,
                                   double[] spec, int specOff, double[] scratch, int so) {
        int n = plan.n;
        if (n % 2 != 0) {
            int w = so;
            for (int t = 0; t < n; t++) {
                scratch[w + 2 * t] = t < xLen ? x[xo + t] : 0.0;
                scratch[w + 2 * t + 1] = 0.0;
            }
            forward(plan.inner, scratch, w, scratch, w + 2 * n);
            System.arraycopy(scratch, w, spec, specOff, 2 * (n / 2 + 1));
            return;
        }
        int h = n / 2;
        if (xLen >= n) {
            // z_t = x_2t + i x_2t+1 is x itself read as interleaved complex: transform straight into spec
            transform(plan.inner, x, xo, spec, specOff, scratch, so, false);
        } else if (2 * xLen <= n && halfInput(plan.inner)) {
            // z vanishes from t = h/2 on: the first stage reads only the lower half, from x itself when
            // xLen = n/2, else from a zero-padded copy in the free half of the scratch
            double[] src = x;
            int srcOff = xo;
            if (2 * xLen < n) {
                src = scratch;
                srcOff = so + 2 * h;
                System.arraycopy(x, xo, scratch, srcOff, xLen);
                for (int i = srcOff + xLen; i < srcOff + h; i++) {
                    scratch[i] = 0.0;
                }
            }
            stockhamHalfInput(plan.inner, src, srcOff, scratch, so, spec, specOff, spec, specOff);
        } else {
            // pack the zero-padded z into the output row, transform there
            int full = xLen / 2;
            System.arraycopy(x, xo, spec, specOff, 2 * full);
            for (int i = specOff + 2 * full; i < specOff + 2 * h; i++) {
                spec[i] = 0.0;
            }
            if (xLen % 2 != 0) {
                spec[specOff + 2 * full] = x[xo + 2 * full];
            }
            transform(plan.inner, spec, specOff, spec, specOff, scratch, so, false);
        }
        double[] tw = plan.splitF64;
        double z0r = spec[specOff];
        double z0i = spec[specOff + 1];
        spec[specOff] = z0r + z0i;
        spec[specOff + 1] = 0.0;
        spec[specOff + 2 * h] = z0r - z0i;
        spec[specOff + 2 * h + 1] = 0.0;
        for (int k = 1; k <= h / 2; k++) {
            int j = h - k;
            int ik = specOff + 2 * k;
            int ij = specOff + 2 * j;
            double zkr = spec[ik];
            double zki = spec[ik + 1];
            double zjr = spec[ij];
            double zji = spec[ij + 1];
            // Fe = (Z_k + conj Z_j)/2, Fo = (Z_k - conj Z_j)/(2i)
            double fer = 0.5 * (zkr + zjr);
            double fei = 0.5 * (zki - zji);
            double for0 = 0.5 * (zki + zji);
            double foi = -0.5 * (zkr - zjr);
            double wr = tw[2 * k];
            double wi = tw[2 * k + 1];
            double pr = wr * for0 - wi * foi;
            double pi = wr * foi + wi * for0;
            spec[ik] = fer + pr;
            spec[ik + 1] = fei + pi;
            if (j != k) {
                spec[ij] = fer - pr;
                spec[ij + 1] = -(fei - pi);
            }
        }
    }

    /**
     * Inverse real transform: {@code n/2 + 1} interleaved bins at {@code spec[specOff ..]} (not modified)
     * to n reals scaled by 1/n, of which the first {@code xLen} (0 to n) are written to {@code x[xo ..]}.
     */
    public static void realInverse(RealFftPlan plan, double[] spec, int specOff,
                                   double[] x, int xo, int xLen, double[] scratch, int so) {
        int n = plan.n;
        if (n % 2 != 0) {
            int w = so;
            int half = n / 2;
            scratch[w] = spec[specOff];
            scratch[w + 1] = 0.0;
            for (int k = 1; k <= half; k++) {
                double re = spec[specOff + 2 * k];
                double im = spec[specOff + 2 * k + 1];
                scratch[w + 2 * k] = re;
                scratch[w + 2 * k + 1] = im;
                scratch[w + 2 * (n - k)] = re;
                scratch[w + 2 * (n - k) + 1] = -im;
            }
            inverse(plan.inner, scratch, w, scratch, w + 2 * n);
            for (int t = 0; t < xLen; t++) {
                x[xo + t] = scratch[w + 2 * t];
            }
            return;
        }
        int h = n / 2;
        int w = so;
        double[] tw = plan.splitF64;
        // build Z_k = Fe_k + i Fo_k; its inverse transform (scaled 1/h) is z_t = x_2t + i x_2t+1
        double x0 = spec[specOff];
        double xh = spec[specOff + 2 * h];
        scratch[w] = 0.5 * (x0 + xh);
        scratch[w + 1] = 0.5 * (x0 - xh);
        for (int k = 1; k <= h / 2; k++) {
            int j = h - k;
            double xkr = spec[specOff + 2 * k];
            double xki = spec[specOff + 2 * k + 1];
            double xjr = spec[specOff + 2 * j];
            double xji = spec[specOff + 2 * j + 1];
            double fer = 0.5 * (xkr + xjr);
            double fei = 0.5 * (xki - xji);
            double dr = 0.5 * (xkr - xjr);
            double di = 0.5 * (xki + xji);
            double wr = tw[2 * k];
            double wi = -tw[2 * k + 1];
            double for0 = dr * wr - di * wi;
            double foi = dr * wi + di * wr;
            scratch[w + 2 * k] = fer - foi;
            scratch[w + 2 * k + 1] = fei + for0;
            if (j != k) {
                // Z_j = conj(Fe) + i conj(Fo)
                scratch[w + 2 * j] = fer + foi;
                scratch[w + 2 * j + 1] = for0 - fei;
            }
        }
        if (xLen >= n) {
            // z read as interleaved complex is x itself: transform straight into x
            transform(plan.inner, scratch, w, x, xo, scratch, w + 2 * h, true);
        } else {
            transform(plan.inner, scratch, w, scratch, w, scratch, w + 2 * h, true);
            System.arraycopy(scratch, w, x, xo, xLen);
        }
    }

    /**
     * Stockham stages from {@code in} to {@code out} (same range or disjoint), ping-ponging with the
     * scratch so that the last stage lands in {@code out}. The inverse transform is the
     * forward one of the index-reversed input, x'_t = x_{-t mod n} / n, which the first radix-8 stage reads
     * directly (other plans reverse in a separate pass).
     */
    private static void stockham(ComplexFftPlan plan, double[] in, int inOff, double[] out, int outOff,
                                 double[] scratch, int so, boolean inverse) {
        int n = plan.n;
        int stages = plan.radices.length;
        double[] tw = plan.twF64;
        boolean fused = inverse && stages > 0 && plan.radices[0] == 8;
        double[] src = in;
        int srcOff = inOff;
        if (inverse && !fused) {
            reverseScaled(in, inOff, out, outOff, n, 1.0 / n);
            src = out;
            srcOff = outOff;
        }
        boolean inPlace = src == out && srcOff == outOff;
        // The last stage (one block, p = n/R) reads and writes the same R elements per butterfly, so it can
        // run in place. The stages before alternate between out and the scratch so that the last of them
        // writes out; in place with an odd count, the last stage runs in place and no copy is needed.
        int moves = inPlace && stages % 2 == 1 ? stages - 1 : stages;
        boolean toOut = moves % 2 == 1;
        for (int s = 0; s < stages; s++) {
            double[] dst = s < moves ? (toOut ? out : scratch) : src;
            int dstOff = s < moves ? (toOut ? outOff : so) : srcOff;
            int r = plan.radices[s];
            int p = plan.blockLengths[s];
            int to = plan.stageOffsets[s];
            switch (r) {
                case 16:
                    radix16(n, p, src, srcOff, dst, dstOff, tw, to);
                    break;
                case 8:
                    if (p == 1) {
                        radix8First(n, src, srcOff, dst, dstOff, fused, 1.0 / n);
                    } else {
                        radix8(n, p, src, srcOff, dst, dstOff, tw, to);
                    }
                    break;
                case 4:
                    radix4(n, p, src, srcOff, dst, dstOff, tw, to);
                    break;
                case 2:
                    radix2(n, p, src, srcOff, dst, dstOff, tw, to);
                    break;
                case 3:
                    radix3(n, p, src, srcOff, dst, dstOff, tw, to);
                    break;
                case 5:
                    radix5(n, p, src, srcOff, dst, dstOff, tw, to);
                    break;
                default:
                    radix7(n, p, src, srcOff, dst, dstOff, tw, to);
                    break;
            }
            src = dst;
            srcOff = dstOff;
            toOut = !toOut;
        }
        if (src != out || srcOff != outOff) {
            System.arraycopy(src, srcOff, out, outOff, 2 * n);
        }
    }

    /** True when {@code plan} can run with a zero upper input half: power of two, radix-8 first, 2+ stages. */
    private static boolean halfInput(ComplexFftPlan plan) {
        return plan.algorithm == ComplexFftPlan.Algorithm.STOCKHAM_POW2 && plan.radices.length >= 2
            && plan.radices[0] == 8;
    }

    /**
     * Forward power-of-two Stockham transform (a plan passing {@link #halfInput}) of an input whose upper
     * half is zero: only {@code src}'s lower n/2 complex are read. The stages before the last alternate
     * between ranges {@code a} and {@code b}, starting with {@code a}; the last reads whichever holds the
     * data and writes {@code out}, which may be that same range (the last stage runs in place) or the other.
     */
    private static void stockhamHalfInput(ComplexFftPlan plan, double[] src, int srcOff, double[] a, int aOff,
                                          double[] b, int bOff, double[] out, int outOff) {
        int n = plan.n;
        int stages = plan.radices.length;
        double[] tw = plan.twF64;
        radix8FirstHalf(n, src, srcOff, a, aOff);
        boolean inA = true;
        for (int s = 1; s < stages; s++) {
            boolean last = s == stages - 1;
            double[] cur = inA ? a : b;
            int curOff = inA ? aOff : bOff;
            double[] dst = last ? out : (inA ? b : a);
            int dstOff = last ? outOff : (inA ? bOff : aOff);
            int r = plan.radices[s];
            int p = plan.blockLengths[s];
            int to = plan.stageOffsets[s];
            switch (r) {
                case 16:
                    radix16(n, p, cur, curOff, dst, dstOff, tw, to);
                    break;
                case 8:
                    radix8(n, p, cur, curOff, dst, dstOff, tw, to);
                    break;
                case 4:
                    radix4(n, p, cur, curOff, dst, dstOff, tw, to);
                    break;
                default:
                    radix2(n, p, cur, curOff, dst, dstOff, tw, to);
                    break;
            }
            inA = !inA;
        }
    }

    /** {@code out_k = s * in_{-k mod n}} (complex); in place when the ranges coincide. */
    private static void reverseScaled(double[] in, int inOff, double[] out, int outOff, int n, double s) {
        if (in == out && inOff == outOff) {
            out[outOff] *= s;
            out[outOff + 1] *= s;
            for (int k = 1; k < n - k; k++) {
                int a = outOff + 2 * k;
                int b = outOff + 2 * (n - k);
                double ar = out[a];
                double ai = out[a + 1];
                out[a] = s * out[b];
                out[a + 1] = s * out[b + 1];
                out[b] = s * ar;
                out[b + 1] = s * ai;
            }
            if (n % 2 == 0 && n > 1) {
                out[outOff + n] *= s;
                out[outOff + n + 1] *= s;
            }
            return;
        }
        out[outOff] = s * in[inOff];
        out[outOff + 1] = s * in[inOff + 1];
        for (int k = 1; k < n; k++) {
            out[outOff + 2 * k] = s * in[inOff + 2 * (n - k)];
            out[outOff + 2 * k + 1] = s * in[inOff + 2 * (n - k) + 1];
        }
    }

    // Stage with radix R, input block length p, T = n/R:
    //   i = b*p + k;  a_r = x[i + r*T] * w^(r k), w = exp(-2 pi i/(p R));  y[b*p*R + k + q*p] = DFT_R(a)_q

    private static void radix2(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 2;
        for (int b = 0; b < t / p; b++) {
            for (int k = 0; k < p; k++) {
                int i = b * p + k;
                int i0 = xo + 2 * i;
                int i1 = xo + 2 * (i + t);
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double a1r = x[i1];
                double a1i = x[i1 + 1];
                if (p > 1) {
                    int w = 2 * (to + k);
                    double wr = tw[w];
                    double wi = tw[w + 1];
                    double tr = a1r * wr - a1i * wi;
                    a1i = a1r * wi + a1i * wr;
                    a1r = tr;
                }
                int o = yo + 2 * (b * p * 2 + k);
                y[o] = a0r + a1r;
                y[o + 1] = a0i + a1i;
                y[o + 2 * p] = a0r - a1r;
                y[o + 2 * p + 1] = a0i - a1i;
            }
        }
    }

    private static void radix4(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 4;
        int blocks = t / p;
        if (p == 1) {
            // first stage: no twiddles, one long contiguous loop
            for (int i = 0; i < t; i++) {
                int i0 = xo + 2 * i;
                int o = yo + 8 * i;
                butterfly4(x[i0], x[i0 + 1], x[i0 + 2 * t], x[i0 + 2 * t + 1], x[i0 + 4 * t], x[i0 + 4 * t + 1],
                    x[i0 + 6 * t], x[i0 + 6 * t + 1], y, o, 2);
            }
            return;
        }
        if (p < blocks) {
            // few k, many blocks: twiddles per k hoisted out of a long inner loop
            for (int k = 0; k < p; k++) {
                int w = 2 * (to + 3 * k);
                double w1r = tw[w];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                double w3r = tw[w + 4];
                double w3i = tw[w + 5];
                for (int bl = 0; bl < blocks; bl++) {
                    int i0 = xo + 2 * (bl * p + k);
                    double a1r = x[i0 + 2 * t];
                    double a1i = x[i0 + 2 * t + 1];
                    double a2r = x[i0 + 4 * t];
                    double a2i = x[i0 + 4 * t + 1];
                    double a3r = x[i0 + 6 * t];
                    double a3i = x[i0 + 6 * t + 1];
                    butterfly4(x[i0], x[i0 + 1], a1r * w1r - a1i * w1i, a1r * w1i + a1i * w1r,
                        a2r * w2r - a2i * w2i, a2r * w2i + a2i * w2r, a3r * w3r - a3i * w3i, a3r * w3i + a3i * w3r,
                        y, yo + 2 * (bl * p * 4 + k), 2 * p);
                }
            }
            return;
        }
        for (int bl = 0; bl < blocks; bl++) {
            for (int k = 0; k < p; k++) {
                int i0 = xo + 2 * (bl * p + k);
                int w = 2 * (to + 3 * k);
                double a1r = x[i0 + 2 * t];
                double a1i = x[i0 + 2 * t + 1];
                double a2r = x[i0 + 4 * t];
                double a2i = x[i0 + 4 * t + 1];
                double a3r = x[i0 + 6 * t];
                double a3i = x[i0 + 6 * t + 1];
                double w1r = tw[w];
                double w1i = tw[w + 1];
                double w2r = tw[w + 2];
                double w2i = tw[w + 3];
                double w3r = tw[w + 4];
                double w3i = tw[w + 5];
                butterfly4(x[i0], x[i0 + 1], a1r * w1r - a1i * w1i, a1r * w1i + a1i * w1r,
                    a2r * w2r - a2i * w2i, a2r * w2i + a2i * w2r, a3r * w3r - a3i * w3i, a3r * w3i + a3i * w3r,
                    y, yo + 2 * (bl * p * 4 + k), 2 * p);
            }
        }
    }

    /**
     * First radix-8 stage (p = 1, no twiddles). With {@code reversed} it reads {@code s * x_{-t mod n}}
     * instead of {@code x_t}: input element i + r*T comes from (8 - r)*T - i, i.e. from
     * (7 - r)*T + (T - i), except element 0.
     */
    private static void radix8First(int n, double[] x, int xo, double[] y, int yo, boolean reversed, double s) {
        int t = n / 8;
        int ps = 2;
        if (!reversed) {
            for (int i = 0; i < t; i++) {
                int i0 = xo + 2 * i;
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double a1r = x[i0 + 2 * t];
                double a1i = x[i0 + 2 * t + 1];
                double a2r = x[i0 + 4 * t];
                double a2i = x[i0 + 4 * t + 1];
                double a3r = x[i0 + 6 * t];
                double a3i = x[i0 + 6 * t + 1];
                double a4r = x[i0 + 8 * t];
                double a4i = x[i0 + 8 * t + 1];
                double a5r = x[i0 + 10 * t];
                double a5i = x[i0 + 10 * t + 1];
                double a6r = x[i0 + 12 * t];
                double a6i = x[i0 + 12 * t + 1];
                double a7r = x[i0 + 14 * t];
                double a7i = x[i0 + 14 * t + 1];
                int o = yo + 16 * i;
                // even half: DFT4 of (a0, a2, a4, a6); odd half: DFT4 of (a1, a3, a5, a7)
                double e0r = a0r + a4r;
                double e0i = a0i + a4i;
                double e1r = a0r - a4r;
                double e1i = a0i - a4i;
                double e2r = a2r + a6r;
                double e2i = a2i + a6i;
                double e3r = a2i - a6i;
                double e3i = a6r - a2r;
                double ev0r = e0r + e2r;
                double ev0i = e0i + e2i;
                double ev1r = e1r + e3r;
                double ev1i = e1i + e3i;
                double ev2r = e0r - e2r;
                double ev2i = e0i - e2i;
                double ev3r = e1r - e3r;
                double ev3i = e1i - e3i;
                double o0r = a1r + a5r;
                double o0i = a1i + a5i;
                double o1r = a1r - a5r;
                double o1i = a1i - a5i;
                double o2r = a3r + a7r;
                double o2i = a3i + a7i;
                double o3r = a3i - a7i;
                double o3i = a7r - a3r;
                double od0r = o0r + o2r;
                double od0i = o0i + o2i;
                double od1r = o1r + o3r;
                double od1i = o1i + o3i;
                double od2r = o0r - o2r;
                double od2i = o0i - o2i;
                double od3r = o1r - o3r;
                double od3i = o1i - o3i;
                // times W8^q: q=1 (r2, -r2), q=2 (0, -1), q=3 (-r2, -r2)
                double m1r = R2 * (od1r + od1i);
                double m1i = R2 * (od1i - od1r);
                double m3r = R2 * (od3i - od3r);
                double m3i = -R2 * (od3r + od3i);
                y[o] = ev0r + od0r;
                y[o + 1] = ev0i + od0i;
                y[o + 4 * ps] = ev0r - od0r;
                y[o + 4 * ps + 1] = ev0i - od0i;
                y[o + ps] = ev1r + m1r;
                y[o + ps + 1] = ev1i + m1i;
                y[o + 5 * ps] = ev1r - m1r;
                y[o + 5 * ps + 1] = ev1i - m1i;
                y[o + 2 * ps] = ev2r + od2i;
                y[o + 2 * ps + 1] = ev2i - od2r;
                y[o + 6 * ps] = ev2r - od2i;
                y[o + 6 * ps + 1] = ev2i + od2r;
                y[o + 3 * ps] = ev3r + m3r;
                y[o + 3 * ps + 1] = ev3i + m3i;
                y[o + 7 * ps] = ev3r - m3r;
                y[o + 7 * ps + 1] = ev3i - m3i;
            }
            return;
        }
        for (int i = 0; i < t; i++) {
            int j0 = i == 0 ? xo : xo + 2 * (n - i);
            int i0 = xo + 2 * (t - i);
            double a0r = s * x[j0];
            double a0i = s * x[j0 + 1];
            double a1r = s * x[i0 + 12 * t];
            double a1i = s * x[i0 + 12 * t + 1];
            double a2r = s * x[i0 + 10 * t];
            double a2i = s * x[i0 + 10 * t + 1];
            double a3r = s * x[i0 + 8 * t];
            double a3i = s * x[i0 + 8 * t + 1];
            double a4r = s * x[i0 + 6 * t];
            double a4i = s * x[i0 + 6 * t + 1];
            double a5r = s * x[i0 + 4 * t];
            double a5i = s * x[i0 + 4 * t + 1];
            double a6r = s * x[i0 + 2 * t];
            double a6i = s * x[i0 + 2 * t + 1];
            double a7r = s * x[i0];
            double a7i = s * x[i0 + 1];
            int o = yo + 16 * i;
            // even half: DFT4 of (a0, a2, a4, a6); odd half: DFT4 of (a1, a3, a5, a7)
            double e0r = a0r + a4r;
            double e0i = a0i + a4i;
            double e1r = a0r - a4r;
            double e1i = a0i - a4i;
            double e2r = a2r + a6r;
            double e2i = a2i + a6i;
            double e3r = a2i - a6i;
            double e3i = a6r - a2r;
            double ev0r = e0r + e2r;
            double ev0i = e0i + e2i;
            double ev1r = e1r + e3r;
            double ev1i = e1i + e3i;
            double ev2r = e0r - e2r;
            double ev2i = e0i - e2i;
            double ev3r = e1r - e3r;
            double ev3i = e1i - e3i;
            double o0r = a1r + a5r;
            double o0i = a1i + a5i;
            double o1r = a1r - a5r;
            double o1i = a1i - a5i;
            double o2r = a3r + a7r;
            double o2i = a3i + a7i;
            double o3r = a3i - a7i;
            double o3i = a7r - a3r;
            double od0r = o0r + o2r;
            double od0i = o0i + o2i;
            double od1r = o1r + o3r;
            double od1i = o1i + o3i;
            double od2r = o0r - o2r;
            double od2i = o0i - o2i;
            double od3r = o1r - o3r;
            double od3i = o1i - o3i;
            // times W8^q: q=1 (r2, -r2), q=2 (0, -1), q=3 (-r2, -r2)
            double m1r = R2 * (od1r + od1i);
            double m1i = R2 * (od1i - od1r);
            double m3r = R2 * (od3i - od3r);
            double m3i = -R2 * (od3r + od3i);
            y[o] = ev0r + od0r;
            y[o + 1] = ev0i + od0i;
            y[o + 4 * ps] = ev0r - od0r;
            y[o + 4 * ps + 1] = ev0i - od0i;
            y[o + ps] = ev1r + m1r;
            y[o + ps + 1] = ev1i + m1i;
            y[o + 5 * ps] = ev1r - m1r;
            y[o + 5 * ps + 1] = ev1i - m1i;
            y[o + 2 * ps] = ev2r + od2i;
            y[o + 2 * ps + 1] = ev2i - od2r;
            y[o + 6 * ps] = ev2r - od2i;
            y[o + 6 * ps + 1] = ev2i + od2r;
            y[o + 3 * ps] = ev3r + m3r;
            y[o + 3 * ps + 1] = ev3i + m3i;
            y[o + 7 * ps] = ev3r - m3r;
            y[o + 7 * ps + 1] = ev3i - m3i;
        }
    }

    /**
     * First radix-8 stage (p = 1) of an input whose upper half is zero: reads only {@code x_t, t < n/2}
     * (inputs a_4 .. a_7 of every butterfly vanish).
     */
    private static void radix8FirstHalf(int n, double[] x, int xo, double[] y, int yo) {
        int t = n / 8;
        int ps = 2;
        for (int i = 0; i < t; i++) {
            int i0 = xo + 2 * i;
            double a0r = x[i0];
            double a0i = x[i0 + 1];
            double a1r = x[i0 + 2 * t];
            double a1i = x[i0 + 2 * t + 1];
            double a2r = x[i0 + 4 * t];
            double a2i = x[i0 + 4 * t + 1];
            double a3r = x[i0 + 6 * t];
            double a3i = x[i0 + 6 * t + 1];
            int o = yo + 16 * i;
            // even half: DFT4 of (a0, a2, 0, 0); odd half: DFT4 of (a1, a3, 0, 0)
            double ev0r = a0r + a2r;
            double ev0i = a0i + a2i;
            double ev1r = a0r + a2i;
            double ev1i = a0i - a2r;
            double ev2r = a0r - a2r;
            double ev2i = a0i - a2i;
            double ev3r = a0r - a2i;
            double ev3i = a0i + a2r;
            double od0r = a1r + a3r;
            double od0i = a1i + a3i;
            double od1r = a1r + a3i;
            double od1i = a1i - a3r;
            double od2r = a1r - a3r;
            double od2i = a1i - a3i;
            double od3r = a1r - a3i;
            double od3i = a1i + a3r;
            // times W8^q: q=1 (r2, -r2), q=2 (0, -1), q=3 (-r2, -r2)
            double m1r = R2 * (od1r + od1i);
            double m1i = R2 * (od1i - od1r);
            double m3r = R2 * (od3i - od3r);
            double m3i = -R2 * (od3r + od3i);
            y[o] = ev0r + od0r;
            y[o + 1] = ev0i + od0i;
            y[o + 4 * ps] = ev0r - od0r;
            y[o + 4 * ps + 1] = ev0i - od0i;
            y[o + ps] = ev1r + m1r;
            y[o + ps + 1] = ev1i + m1i;
            y[o + 5 * ps] = ev1r - m1r;
            y[o + 5 * ps + 1] = ev1i - m1i;
            y[o + 2 * ps] = ev2r + od2i;
            y[o + 2 * ps + 1] = ev2i - od2r;
            y[o + 6 * ps] = ev2r - od2i;
            y[o + 6 * ps + 1] = ev2i + od2r;
            y[o + 3 * ps] = ev3r + m3r;
            y[o + 3 * ps + 1] = ev3i + m3i;
            y[o + 7 * ps] = ev3r - m3r;
            y[o + 7 * ps + 1] = ev3i - m3i;
        }
    }

    /** Radix-8 stage with p &gt; 1: blocks outside, k inside, so data and twiddles are read in order. */
    private static void radix8(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 8;
        int blocks = t / p;
        int ps = 2 * p;
        for (int bl = 0; bl < blocks; bl++) {
            int xb = xo + 2 * bl * p;
            int yb = yo + 16 * bl * p;
            for (int k = 0; k < p; k++) {
                int i0 = xb + 2 * k;
                int w = 2 * to + 14 * k;
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double b1r = x[i0 + 2 * t];
                double b1i = x[i0 + 2 * t + 1];
                double a1r = b1r * tw[w] - b1i * tw[w + 1];
                double a1i = b1r * tw[w + 1] + b1i * tw[w];
                double b2r = x[i0 + 4 * t];
                double b2i = x[i0 + 4 * t + 1];
                double a2r = b2r * tw[w + 2] - b2i * tw[w + 3];
                double a2i = b2r * tw[w + 3] + b2i * tw[w + 2];
                double b3r = x[i0 + 6 * t];
                double b3i = x[i0 + 6 * t + 1];
                double a3r = b3r * tw[w + 4] - b3i * tw[w + 5];
                double a3i = b3r * tw[w + 5] + b3i * tw[w + 4];
                double b4r = x[i0 + 8 * t];
                double b4i = x[i0 + 8 * t + 1];
                double a4r = b4r * tw[w + 6] - b4i * tw[w + 7];
                double a4i = b4r * tw[w + 7] + b4i * tw[w + 6];
                double b5r = x[i0 + 10 * t];
                double b5i = x[i0 + 10 * t + 1];
                double a5r = b5r * tw[w + 8] - b5i * tw[w + 9];
                double a5i = b5r * tw[w + 9] + b5i * tw[w + 8];
                double b6r = x[i0 + 12 * t];
                double b6i = x[i0 + 12 * t + 1];
                double a6r = b6r * tw[w + 10] - b6i * tw[w + 11];
                double a6i = b6r * tw[w + 11] + b6i * tw[w + 10];
                double b7r = x[i0 + 14 * t];
                double b7i = x[i0 + 14 * t + 1];
                double a7r = b7r * tw[w + 12] - b7i * tw[w + 13];
                double a7i = b7r * tw[w + 13] + b7i * tw[w + 12];
                int o = yb + 2 * k;
                    // even half: DFT4 of (a0, a2, a4, a6); odd half: DFT4 of (a1, a3, a5, a7)
                    double e0r = a0r + a4r;
                    double e0i = a0i + a4i;
                    double e1r = a0r - a4r;
                    double e1i = a0i - a4i;
                    double e2r = a2r + a6r;
                    double e2i = a2i + a6i;
                    double e3r = a2i - a6i;
                    double e3i = a6r - a2r;
                    double ev0r = e0r + e2r;
                    double ev0i = e0i + e2i;
                    double ev1r = e1r + e3r;
                    double ev1i = e1i + e3i;
                    double ev2r = e0r - e2r;
                    double ev2i = e0i - e2i;
                    double ev3r = e1r - e3r;
                    double ev3i = e1i - e3i;
                    double o0r = a1r + a5r;
                    double o0i = a1i + a5i;
                    double o1r = a1r - a5r;
                    double o1i = a1i - a5i;
                    double o2r = a3r + a7r;
                    double o2i = a3i + a7i;
                    double o3r = a3i - a7i;
                    double o3i = a7r - a3r;
                    double od0r = o0r + o2r;
                    double od0i = o0i + o2i;
                    double od1r = o1r + o3r;
                    double od1i = o1i + o3i;
                    double od2r = o0r - o2r;
                    double od2i = o0i - o2i;
                    double od3r = o1r - o3r;
                    double od3i = o1i - o3i;
                    // times W8^q: q=1 (r2, -r2), q=2 (0, -1), q=3 (-r2, -r2)
                    double m1r = R2 * (od1r + od1i);
                    double m1i = R2 * (od1i - od1r);
                    double m3r = R2 * (od3i - od3r);
                    double m3i = -R2 * (od3r + od3i);
                    y[o] = ev0r + od0r;
                    y[o + 1] = ev0i + od0i;
                    y[o + 4 * ps] = ev0r - od0r;
                    y[o + 4 * ps + 1] = ev0i - od0i;
                    y[o + ps] = ev1r + m1r;
                    y[o + ps + 1] = ev1i + m1i;
                    y[o + 5 * ps] = ev1r - m1r;
                    y[o + 5 * ps + 1] = ev1i - m1i;
                    y[o + 2 * ps] = ev2r + od2i;
                    y[o + 2 * ps + 1] = ev2i - od2r;
                    y[o + 6 * ps] = ev2r - od2i;
                    y[o + 6 * ps + 1] = ev2i + od2r;
                    y[o + 3 * ps] = ev3r + m3r;
                    y[o + 3 * ps + 1] = ev3i + m3i;
                    y[o + 7 * ps] = ev3r - m3r;
                    y[o + 7 * ps + 1] = ev3i - m3i;
            }
        }
    }

    /**
     * Radix-16 stage (two radix-4 layers: r = 4 r1 + r2, q = q1 + 4 q2), blocks outside, k inside; the
     * first stage (p = 1) reads twiddles equal to 1 from the table.
     */
    private static void radix16(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 16;
        int blocks = t / p;
        int ps = 2 * p;
        for (int bl = 0; bl < blocks; bl++) {
            int xb = xo + 2 * bl * p;
            int yb = yo + 32 * bl * p;
            for (int k = 0; k < p; k++) {
                int i0 = xb + 2 * k;
                int w = 2 * to + 30 * k;
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double b1r = x[i0 + 2 * t];
                double b1i = x[i0 + 2 * t + 1];
                double a1r = b1r * tw[w + 0] - b1i * tw[w + 1];
                double a1i = b1r * tw[w + 1] + b1i * tw[w + 0];
                double b2r = x[i0 + 4 * t];
                double b2i = x[i0 + 4 * t + 1];
                double a2r = b2r * tw[w + 2] - b2i * tw[w + 3];
                double a2i = b2r * tw[w + 3] + b2i * tw[w + 2];
                double b3r = x[i0 + 6 * t];
                double b3i = x[i0 + 6 * t + 1];
                double a3r = b3r * tw[w + 4] - b3i * tw[w + 5];
                double a3i = b3r * tw[w + 5] + b3i * tw[w + 4];
                double b4r = x[i0 + 8 * t];
                double b4i = x[i0 + 8 * t + 1];
                double a4r = b4r * tw[w + 6] - b4i * tw[w + 7];
                double a4i = b4r * tw[w + 7] + b4i * tw[w + 6];
                double b5r = x[i0 + 10 * t];
                double b5i = x[i0 + 10 * t + 1];
                double a5r = b5r * tw[w + 8] - b5i * tw[w + 9];
                double a5i = b5r * tw[w + 9] + b5i * tw[w + 8];
                double b6r = x[i0 + 12 * t];
                double b6i = x[i0 + 12 * t + 1];
                double a6r = b6r * tw[w + 10] - b6i * tw[w + 11];
                double a6i = b6r * tw[w + 11] + b6i * tw[w + 10];
                double b7r = x[i0 + 14 * t];
                double b7i = x[i0 + 14 * t + 1];
                double a7r = b7r * tw[w + 12] - b7i * tw[w + 13];
                double a7i = b7r * tw[w + 13] + b7i * tw[w + 12];
                double b8r = x[i0 + 16 * t];
                double b8i = x[i0 + 16 * t + 1];
                double a8r = b8r * tw[w + 14] - b8i * tw[w + 15];
                double a8i = b8r * tw[w + 15] + b8i * tw[w + 14];
                double b9r = x[i0 + 18 * t];
                double b9i = x[i0 + 18 * t + 1];
                double a9r = b9r * tw[w + 16] - b9i * tw[w + 17];
                double a9i = b9r * tw[w + 17] + b9i * tw[w + 16];
                double b10r = x[i0 + 20 * t];
                double b10i = x[i0 + 20 * t + 1];
                double a10r = b10r * tw[w + 18] - b10i * tw[w + 19];
                double a10i = b10r * tw[w + 19] + b10i * tw[w + 18];
                double b11r = x[i0 + 22 * t];
                double b11i = x[i0 + 22 * t + 1];
                double a11r = b11r * tw[w + 20] - b11i * tw[w + 21];
                double a11i = b11r * tw[w + 21] + b11i * tw[w + 20];
                double b12r = x[i0 + 24 * t];
                double b12i = x[i0 + 24 * t + 1];
                double a12r = b12r * tw[w + 22] - b12i * tw[w + 23];
                double a12i = b12r * tw[w + 23] + b12i * tw[w + 22];
                double b13r = x[i0 + 26 * t];
                double b13i = x[i0 + 26 * t + 1];
                double a13r = b13r * tw[w + 24] - b13i * tw[w + 25];
                double a13i = b13r * tw[w + 25] + b13i * tw[w + 24];
                double b14r = x[i0 + 28 * t];
                double b14i = x[i0 + 28 * t + 1];
                double a14r = b14r * tw[w + 26] - b14i * tw[w + 27];
                double a14i = b14r * tw[w + 27] + b14i * tw[w + 26];
                double b15r = x[i0 + 30 * t];
                double b15i = x[i0 + 30 * t + 1];
                double a15r = b15r * tw[w + 28] - b15i * tw[w + 29];
                double a15i = b15r * tw[w + 29] + b15i * tw[w + 28];
                // column 0: DFT4 of a0, a4, a8, a12
                double s00r = a0r + a8r;
                double s00i = a0i + a8i;
                double s01r = a0r - a8r;
                double s01i = a0i - a8i;
                double s02r = a4r + a12r;
                double s02i = a4i + a12i;
                double s03r = a4i - a12i;
                double s03i = a12r - a4r;
                double c00r = s00r + s02r;
                double c00i = s00i + s02i;
                double c01r = s01r + s03r;
                double c01i = s01i + s03i;
                double c02r = s00r - s02r;
                double c02i = s00i - s02i;
                double c03r = s01r - s03r;
                double c03i = s01i - s03i;
                // column 1: DFT4 of a1, a5, a9, a13
                double s10r = a1r + a9r;
                double s10i = a1i + a9i;
                double s11r = a1r - a9r;
                double s11i = a1i - a9i;
                double s12r = a5r + a13r;
                double s12i = a5i + a13i;
                double s13r = a5i - a13i;
                double s13i = a13r - a5r;
                double c10r = s10r + s12r;
                double c10i = s10i + s12i;
                double u11r = s11r + s13r;
                double u11i = s11i + s13i;
                double c11r = C16 * u11r + S16 * u11i;
                double c11i = -S16 * u11r + C16 * u11i;
                double u12r = s10r - s12r;
                double u12i = s10i - s12i;
                double c12r = R2 * (u12r + u12i);
                double c12i = R2 * (u12i - u12r);
                double u13r = s11r - s13r;
                double u13i = s11i - s13i;
                double c13r = S16 * u13r + C16 * u13i;
                double c13i = -C16 * u13r + S16 * u13i;
                // column 2: DFT4 of a2, a6, a10, a14
                double s20r = a2r + a10r;
                double s20i = a2i + a10i;
                double s21r = a2r - a10r;
                double s21i = a2i - a10i;
                double s22r = a6r + a14r;
                double s22i = a6i + a14i;
                double s23r = a6i - a14i;
                double s23i = a14r - a6r;
                double c20r = s20r + s22r;
                double c20i = s20i + s22i;
                double u21r = s21r + s23r;
                double u21i = s21i + s23i;
                double c21r = R2 * (u21r + u21i);
                double c21i = R2 * (u21i - u21r);
                double u22r = s20r - s22r;
                double u22i = s20i - s22i;
                double c22r = u22i;
                double c22i = -u22r;
                double u23r = s21r - s23r;
                double u23i = s21i - s23i;
                double c23r = R2 * (u23i - u23r);
                double c23i = -R2 * (u23r + u23i);
                // column 3: DFT4 of a3, a7, a11, a15
                double s30r = a3r + a11r;
                double s30i = a3i + a11i;
                double s31r = a3r - a11r;
                double s31i = a3i - a11i;
                double s32r = a7r + a15r;
                double s32i = a7i + a15i;
                double s33r = a7i - a15i;
                double s33i = a15r - a7r;
                double c30r = s30r + s32r;
                double c30i = s30i + s32i;
                double u31r = s31r + s33r;
                double u31i = s31i + s33i;
                double c31r = S16 * u31r + C16 * u31i;
                double c31i = -C16 * u31r + S16 * u31i;
                double u32r = s30r - s32r;
                double u32i = s30i - s32i;
                double c32r = R2 * (u32i - u32r);
                double c32i = -R2 * (u32r + u32i);
                double u33r = s31r - s33r;
                double u33i = s31i - s33i;
                double c33r = -C16 * u33r - S16 * u33i;
                double c33i = S16 * u33r - C16 * u33i;
                int o = yb + 2 * k;
                double v00r = c00r + c20r;
                double v00i = c00i + c20i;
                double v01r = c00r - c20r;
                double v01i = c00i - c20i;
                double v02r = c10r + c30r;
                double v02i = c10i + c30i;
                double v03r = c10i - c30i;
                double v03i = c30r - c10r;
                y[o] = v00r + v02r;
                y[o + 1] = v00i + v02i;
                y[o + 4 * ps] = v01r + v03r;
                y[o + 4 * ps + 1] = v01i + v03i;
                y[o + 8 * ps] = v00r - v02r;
                y[o + 8 * ps + 1] = v00i - v02i;
                y[o + 12 * ps] = v01r - v03r;
                y[o + 12 * ps + 1] = v01i - v03i;
                double v10r = c01r + c21r;
                double v10i = c01i + c21i;
                double v11r = c01r - c21r;
                double v11i = c01i - c21i;
                double v12r = c11r + c31r;
                double v12i = c11i + c31i;
                double v13r = c11i - c31i;
                double v13i = c31r - c11r;
                y[o + ps] = v10r + v12r;
                y[o + ps + 1] = v10i + v12i;
                y[o + 5 * ps] = v11r + v13r;
                y[o + 5 * ps + 1] = v11i + v13i;
                y[o + 9 * ps] = v10r - v12r;
                y[o + 9 * ps + 1] = v10i - v12i;
                y[o + 13 * ps] = v11r - v13r;
                y[o + 13 * ps + 1] = v11i - v13i;
                double v20r = c02r + c22r;
                double v20i = c02i + c22i;
                double v21r = c02r - c22r;
                double v21i = c02i - c22i;
                double v22r = c12r + c32r;
                double v22i = c12i + c32i;
                double v23r = c12i - c32i;
                double v23i = c32r - c12r;
                y[o + 2 * ps] = v20r + v22r;
                y[o + 2 * ps + 1] = v20i + v22i;
                y[o + 6 * ps] = v21r + v23r;
                y[o + 6 * ps + 1] = v21i + v23i;
                y[o + 10 * ps] = v20r - v22r;
                y[o + 10 * ps + 1] = v20i - v22i;
                y[o + 14 * ps] = v21r - v23r;
                y[o + 14 * ps + 1] = v21i - v23i;
                double v30r = c03r + c23r;
                double v30i = c03i + c23i;
                double v31r = c03r - c23r;
                double v31i = c03i - c23i;
                double v32r = c13r + c33r;
                double v32i = c13i + c33i;
                double v33r = c13i - c33i;
                double v33i = c33r - c13r;
                y[o + 3 * ps] = v30r + v32r;
                y[o + 3 * ps + 1] = v30i + v32i;
                y[o + 7 * ps] = v31r + v33r;
                y[o + 7 * ps + 1] = v31i + v33i;
                y[o + 11 * ps] = v30r - v32r;
                y[o + 11 * ps + 1] = v30i - v32i;
                y[o + 15 * ps] = v31r - v33r;
                y[o + 15 * ps + 1] = v31i - v33i;
            }
        }
    }

    /** Radix-4 DFT of (a0, a1, a2, a3), outputs at y[o], y[o + ps], y[o + 2ps], y[o + 3ps] (interleaved). */
    private static void butterfly4(double a0r, double a0i, double a1r, double a1i, double a2r, double a2i,
                                   double a3r, double a3i, double[] y, int o, int ps) {
        double t0r = a0r + a2r;
        double t0i = a0i + a2i;
        double t1r = a0r - a2r;
        double t1i = a0i - a2i;
        double t2r = a1r + a3r;
        double t2i = a1i + a3i;
        // t3 = (a1 - a3) * (-i)
        double t3r = a1i - a3i;
        double t3i = -(a1r - a3r);
        y[o] = t0r + t2r;
        y[o + 1] = t0i + t2i;
        y[o + ps] = t1r + t3r;
        y[o + ps + 1] = t1i + t3i;
        y[o + 2 * ps] = t0r - t2r;
        y[o + 2 * ps + 1] = t0i - t2i;
        y[o + 3 * ps] = t1r - t3r;
        y[o + 3 * ps + 1] = t1i - t3i;
    }

    private static void radix3(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 3;
        for (int b = 0; b < t / p; b++) {
            for (int k = 0; k < p; k++) {
                int i = b * p + k;
                int i0 = xo + 2 * i;
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double a1r = x[i0 + 2 * t];
                double a1i = x[i0 + 2 * t + 1];
                double a2r = x[i0 + 4 * t];
                double a2i = x[i0 + 4 * t + 1];
                if (p > 1) {
                    int w = 2 * (to + 2 * k);
                    double wr = tw[w];
                    double wi = tw[w + 1];
                    double tr = a1r * wr - a1i * wi;
                    a1i = a1r * wi + a1i * wr;
                    a1r = tr;
                    wr = tw[w + 2];
                    wi = tw[w + 3];
                    tr = a2r * wr - a2i * wi;
                    a2i = a2r * wi + a2i * wr;
                    a2r = tr;
                }
                double s1r = a1r + a2r;
                double s1i = a1i + a2i;
                double mr = a0r - 0.5 * s1r;
                double mi = a0i - 0.5 * s1i;
                // (a1 - a2) * (-i sin 60)
                double dr = S3 * (a1i - a2i);
                double di = -S3 * (a1r - a2r);
                int o = yo + 2 * (b * p * 3 + k);
                int ps = 2 * p;
                y[o] = a0r + s1r;
                y[o + 1] = a0i + s1i;
                y[o + ps] = mr + dr;
                y[o + ps + 1] = mi + di;
                y[o + 2 * ps] = mr - dr;
                y[o + 2 * ps + 1] = mi - di;
            }
        }
    }

    private static void radix5(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 5;
        for (int b = 0; b < t / p; b++) {
            for (int k = 0; k < p; k++) {
                int i = b * p + k;
                int i0 = xo + 2 * i;
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double a1r = x[i0 + 2 * t];
                double a1i = x[i0 + 2 * t + 1];
                double a2r = x[i0 + 4 * t];
                double a2i = x[i0 + 4 * t + 1];
                double a3r = x[i0 + 6 * t];
                double a3i = x[i0 + 6 * t + 1];
                double a4r = x[i0 + 8 * t];
                double a4i = x[i0 + 8 * t + 1];
                if (p > 1) {
                    int w = 2 * (to + 4 * k);
                    double wr = tw[w];
                    double wi = tw[w + 1];
                    double tr = a1r * wr - a1i * wi;
                    a1i = a1r * wi + a1i * wr;
                    a1r = tr;
                    wr = tw[w + 2];
                    wi = tw[w + 3];
                    tr = a2r * wr - a2i * wi;
                    a2i = a2r * wi + a2i * wr;
                    a2r = tr;
                    wr = tw[w + 4];
                    wi = tw[w + 5];
                    tr = a3r * wr - a3i * wi;
                    a3i = a3r * wi + a3i * wr;
                    a3r = tr;
                    wr = tw[w + 6];
                    wi = tw[w + 7];
                    tr = a4r * wr - a4i * wi;
                    a4i = a4r * wi + a4i * wr;
                    a4r = tr;
                }
                double b1r = a1r + a4r;
                double b1i = a1i + a4i;
                double b2r = a2r + a3r;
                double b2i = a2i + a3i;
                double d1r = a1r - a4r;
                double d1i = a1i - a4i;
                double d2r = a2r - a3r;
                double d2i = a2i - a3i;
                double m1r = a0r + C51 * b1r + C52 * b2r;
                double m1i = a0i + C51 * b1i + C52 * b2i;
                double m2r = a0r + C52 * b1r + C51 * b2r;
                double m2i = a0i + C52 * b1i + C51 * b2i;
                // -i * (S51 d1 + S52 d2) and -i * (S52 d1 - S51 d2)
                double e1r = S51 * d1i + S52 * d2i;
                double e1i = -(S51 * d1r + S52 * d2r);
                double e2r = S52 * d1i - S51 * d2i;
                double e2i = -(S52 * d1r - S51 * d2r);
                int o = yo + 2 * (b * p * 5 + k);
                int ps = 2 * p;
                y[o] = a0r + b1r + b2r;
                y[o + 1] = a0i + b1i + b2i;
                y[o + ps] = m1r + e1r;
                y[o + ps + 1] = m1i + e1i;
                y[o + 4 * ps] = m1r - e1r;
                y[o + 4 * ps + 1] = m1i - e1i;
                y[o + 2 * ps] = m2r + e2r;
                y[o + 2 * ps + 1] = m2i + e2i;
                y[o + 3 * ps] = m2r - e2r;
                y[o + 3 * ps + 1] = m2i - e2i;
            }
        }
    }

    private static void radix7(int n, int p, double[] x, int xo, double[] y, int yo, double[] tw, int to) {
        int t = n / 7;
        for (int b = 0; b < t / p; b++) {
            for (int k = 0; k < p; k++) {
                int i = b * p + k;
                int i0 = xo + 2 * i;
                double a0r = x[i0];
                double a0i = x[i0 + 1];
                double a1r = x[i0 + 2 * t];
                double a1i = x[i0 + 2 * t + 1];
                double a2r = x[i0 + 4 * t];
                double a2i = x[i0 + 4 * t + 1];
                double a3r = x[i0 + 6 * t];
                double a3i = x[i0 + 6 * t + 1];
                double a4r = x[i0 + 8 * t];
                double a4i = x[i0 + 8 * t + 1];
                double a5r = x[i0 + 10 * t];
                double a5i = x[i0 + 10 * t + 1];
                double a6r = x[i0 + 12 * t];
                double a6i = x[i0 + 12 * t + 1];
                if (p > 1) {
                    int w = 2 * (to + 6 * k);
                    double wr;
                    double wi;
                    double tr;
                    wr = tw[w];
                    wi = tw[w + 1];
                    tr = a1r * wr - a1i * wi;
                    a1i = a1r * wi + a1i * wr;
                    a1r = tr;
                    wr = tw[w + 2];
                    wi = tw[w + 3];
                    tr = a2r * wr - a2i * wi;
                    a2i = a2r * wi + a2i * wr;
                    a2r = tr;
                    wr = tw[w + 4];
                    wi = tw[w + 5];
                    tr = a3r * wr - a3i * wi;
                    a3i = a3r * wi + a3i * wr;
                    a3r = tr;
                    wr = tw[w + 6];
                    wi = tw[w + 7];
                    tr = a4r * wr - a4i * wi;
                    a4i = a4r * wi + a4i * wr;
                    a4r = tr;
                    wr = tw[w + 8];
                    wi = tw[w + 9];
                    tr = a5r * wr - a5i * wi;
                    a5i = a5r * wi + a5i * wr;
                    a5r = tr;
                    wr = tw[w + 10];
                    wi = tw[w + 11];
                    tr = a6r * wr - a6i * wi;
                    a6i = a6r * wi + a6i * wr;
                    a6r = tr;
                }
                double b1r = a1r + a6r;
                double b1i = a1i + a6i;
                double b2r = a2r + a5r;
                double b2i = a2i + a5i;
                double b3r = a3r + a4r;
                double b3i = a3i + a4i;
                double d1r = a1r - a6r;
                double d1i = a1i - a6i;
                double d2r = a2r - a5r;
                double d2i = a2i - a5i;
                double d3r = a3r - a4r;
                double d3i = a3i - a4i;
                // y_q = a0 + sum_j cos(2 pi j q/7) b_j - i sum_j sin(2 pi j q/7) d_j, y_{7-q} with +i
                double m1r = a0r + C71 * b1r + C72 * b2r + C73 * b3r;
                double m1i = a0i + C71 * b1i + C72 * b2i + C73 * b3i;
                double m2r = a0r + C72 * b1r + C73 * b2r + C71 * b3r;
                double m2i = a0i + C72 * b1i + C73 * b2i + C71 * b3i;
                double m3r = a0r + C73 * b1r + C71 * b2r + C72 * b3r;
                double m3i = a0i + C73 * b1i + C71 * b2i + C72 * b3i;
                double s1r = S71 * d1r + S72 * d2r + S73 * d3r;
                double s1i = S71 * d1i + S72 * d2i + S73 * d3i;
                double s2r = S72 * d1r - S73 * d2r - S71 * d3r;
                double s2i = S72 * d1i - S73 * d2i - S71 * d3i;
                double s3r = S73 * d1r - S71 * d2r + S72 * d3r;
                double s3i = S73 * d1i - S71 * d2i + S72 * d3i;
                int o = yo + 2 * (b * p * 7 + k);
                int ps = 2 * p;
                y[o] = a0r + b1r + b2r + b3r;
                y[o + 1] = a0i + b1i + b2i + b3i;
                // -i * s = (s_i, -s_r)
                y[o + ps] = m1r + s1i;
                y[o + ps + 1] = m1i - s1r;
                y[o + 6 * ps] = m1r - s1i;
                y[o + 6 * ps + 1] = m1i + s1r;
                y[o + 2 * ps] = m2r + s2i;
                y[o + 2 * ps + 1] = m2i - s2r;
                y[o + 5 * ps] = m2r - s2i;
                y[o + 5 * ps + 1] = m2i + s2r;
                y[o + 3 * ps] = m3r + s3i;
                y[o + 3 * ps + 1] = m3i - s3r;
                y[o + 4 * ps] = m3r - s3i;
                y[o + 4 * ps + 1] = m3i + s3r;
            }
        }
    }

    private static void bluestein(ComplexFftPlan plan, double[] data, int off, double[] scratch, int so) {
        int n = plan.n;
        int m = plan.m;
        double[] c = plan.chirpF64;
        double[] bf = plan.chirpSpecF64;
        int w = so;
        for (int t = 0; t < n; t++) {
            double xr = data[off + 2 * t];
            double xi = data[off + 2 * t + 1];
            double cr = c[2 * t];
            double ci = c[2 * t + 1];
            scratch[w + 2 * t] = xr * cr - xi * ci;
            scratch[w + 2 * t + 1] = xr * ci + xi * cr;
        }
        for (int i = w + 2 * n; i < w + 2 * m; i++) {
            scratch[i] = 0.0;
        }
        forward(plan.sub, scratch, w, scratch, w + 2 * m);
        // multiply by the chirp spectrum (already scaled by 1/m) and conjugate, so that one more forward
        // transform followed by a conjugation is the inverse transform
        for (int j = 0; j < m; j++) {
            double ar = scratch[w + 2 * j];
            double ai = scratch[w + 2 * j + 1];
            double br = bf[2 * j];
            double bi = bf[2 * j + 1];
            scratch[w + 2 * j] = ar * br - ai * bi;
            scratch[w + 2 * j + 1] = -(ar * bi + ai * br);
        }
        forward(plan.sub, scratch, w, scratch, w + 2 * m);
        for (int k = 0; k < n; k++) {
            double vr = scratch[w + 2 * k];
            double vi = -scratch[w + 2 * k + 1];
            double cr = c[2 * k];
            double ci = c[2 * k + 1];
            data[off + 2 * k] = vr * cr - vi * ci;
            data[off + 2 * k + 1] = vr * ci + vi * cr;
        }
    }
}
