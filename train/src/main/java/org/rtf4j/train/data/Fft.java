package org.rtf4j.train.data;

/**
 * A mixed-radix complex DFT of any length, O(n·Σ prime factors), with twiddles from {@link StrictMath} and a
 * fixed order of operations, so its results are bit-identical on every JVM (which generated data needs).
 * Prime lengths fall back to the direct O(n²) sum.
 */
final class Fft {

    private final int n;
    private final double[] cos;
    private final double[] sin;

    Fft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length must be ≥ 1, got " + n);
        }
        this.n = n;
        cos = new double[n];
        sin = new double[n];
        for (int j = 0; j < n; j++) {
            double a = 2.0 * StrictMath.PI * j / n;
            cos[j] = StrictMath.cos(a);
            sin[j] = StrictMath.sin(a);
        }
    }

    int length() {
        return n;
    }

    /**
     * In place: {@code x_k ← Σ_t x_t·e^{sign·2πi·kt/n}} without scaling ({@code sign = −1}: forward,
     * {@code +1}: inverse).
     */
    void transform(double[] re, double[] im, int sign) {
        if (re.length != n || im.length != n) {
            throw new IllegalArgumentException("FFT of length " + n + " got arrays of " + re.length + " and " + im.length);
        }
        if (sign != 1 && sign != -1) {
            throw new IllegalArgumentException("FFT sign must be ±1, got " + sign);
        }
        double[] xr = re.clone();
        double[] xi = im.clone();
        recurse(xr, xi, 0, 1, n, re, im, 0, sign);
    }

    private void recurse(double[] xr, double[] xi, int off, int stride, int len, double[] yr, double[] yi, int yoff,
                         int sign) {
        if (len == 1) {
            yr[yoff] = xr[off];
            yi[yoff] = xi[off];
            return;
        }
        int p = smallestFactor(len);
        int m = len / p;
        for (int r = 0; r < p; r++) {
            recurse(xr, xi, off + r * stride, stride * p, m, yr, yi, yoff + r * m, sign);
        }
        int tw = n / len;
        double[] tr = new double[p];
        double[] ti = new double[p];
        for (int k = 0; k < m; k++) {
            for (int r = 0; r < p; r++) {
                tr[r] = yr[yoff + r * m + k];
                ti[r] = yi[yoff + r * m + k];
            }
            for (int q = 0; q < p; q++) {
                int kk = k + q * m;
                double sr = 0;
                double si = 0;
                int j = 0;                       // r·kk mod len, advanced by kk per term
                for (int r = 0; r < p; r++) {
                    int idx = j * tw;
                    double c = cos[idx];
                    double s = sign * sin[idx];
                    sr += tr[r] * c - ti[r] * s;
                    si += tr[r] * s + ti[r] * c;
                    j += kk;
                    if (j >= len) {
                        j -= len;
                    }
                }
                yr[yoff + kk] = sr;
                yi[yoff + kk] = si;
            }
        }
    }

    private static int smallestFactor(int len) {
        if (len % 2 == 0) {
            return 2;
        }
        for (int f = 3; (long) f * f <= len; f += 2) {
            if (len % f == 0) {
                return f;
            }
        }
        return len;
    }

    /**
     * numpy's {@code irfft}: the real signal of length n whose spectrum has bins {@code 0 … ⌊n/2⌋} given by
     * ({@code re}, {@code im}); {@code Im X_0} and, for even n, {@code Im X_{n/2}} are ignored.
     */
    double[] inverseReal(double[] re, double[] im) {
        int bins = n / 2 + 1;
        if (re.length != bins || im.length != bins) {
            throw new IllegalArgumentException("irfft of length " + n + " expected " + bins + " bins, got "
                + re.length + " and " + im.length);
        }
        double[] fr = new double[n];
        double[] fi = new double[n];
        for (int k = 0; k < bins; k++) {
            fr[k] = re[k];
            fi[k] = im[k];
        }
        fi[0] = 0;
        if (n % 2 == 0) {
            fi[n / 2] = 0;
        }
        for (int k = 1; k < bins; k++) {
            if (n - k >= bins) {
                fr[n - k] = re[k];
                fi[n - k] = -im[k];
            }
        }
        transform(fr, fi, 1);
        for (int t = 0; t < n; t++) {
            fr[t] /= n;
        }
        return fr;
    }
}
