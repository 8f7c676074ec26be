package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FftTest {

    @Test
    void complexTransformMatchesTheDirectSum() {
        Random r = new Random(1);
        for (int n : new int[] {1, 2, 3, 4, 5, 6, 7, 12, 30, 49, 97, 120, 4000}) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = r.nextGaussian();
                im[i] = r.nextGaussian();
            }
            for (int sign : new int[] {-1, 1}) {
                double[] yr = re.clone();
                double[] yi = im.clone();
                new Fft(n).transform(yr, yi, sign);
                for (int k = 0; k < n; k += Math.max(1, n / 50)) {
                    double sr = 0;
                    double si = 0;
                    for (int t = 0; t < n; t++) {
                        double a = sign * 2 * Math.PI * ((long) k * t % n) / n;
                        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                        si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
                    }
                    assertEquals(sr, yr[k], 1e-9 * n, "n=" + n + " k=" + k);
                    assertEquals(si, yi[k], 1e-9 * n, "n=" + n + " k=" + k);
                }
            }
        }
    }

    @Test
    void inverseRealIsNumpyIrfft() {
        Random r = new Random(2);
        for (int n : new int[] {2, 7, 8, 30, 33}) {
            int bins = n / 2 + 1;
            double[] re = new double[bins];
            double[] im = new double[bins];
            for (int k = 0; k < bins; k++) {
                re[k] = r.nextGaussian();
                im[k] = r.nextGaussian();
            }
            double[] x = new Fft(n).inverseReal(re, im);
            double[] expected = new double[n];
            for (int t = 0; t < n; t++) {     // the real form of §1.2
                double s = re[0];
                for (int k = 1; 2 * k < n; k++) {
                    double a = 2 * Math.PI * k * t / n;
                    s += 2 * (re[k] * Math.cos(a) - im[k] * Math.sin(a));
                }
                if (n % 2 == 0) {
                    s += (t % 2 == 0 ? 1 : -1) * re[n / 2];
                }
                expected[t] = s / n;
            }
            assertArrayEquals(expected, x, 1e-12, "n=" + n);
        }
    }
}
