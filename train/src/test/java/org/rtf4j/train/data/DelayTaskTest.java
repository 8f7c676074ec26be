package org.rtf4j.train.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DelayTaskTest {

    /** 400 samples of 2.5 ms (1 s), band 100 Hz, delay 50. */
    private static Dataset small(long seed) {
        return Tasks.open(TaskConfig.of("delay", seed).with("length", "400").with("dt", "2.5e-3").with("band", "100")
            .with("delay", "50").with("test-size", "8"));
    }

    @Test
    void specAndDefaults() {
        Dataset d = Tasks.open(TaskConfig.of("delay", 0));
        assertEquals(new TaskSpec("delay", 0, 1, 1, TaskSpec.Target.REGRESSION, 4000), d.spec());
        assertEquals(16384, d.size(Split.TRAIN));
        assertEquals(1024, d.size(Split.TEST));
    }

    @Test
    void targetIsTheInputDelayedAndTheSignalStartsAtZero() {
        Dataset d = small(1);
        for (Split s : Split.values()) {
            Example e = d.get(s, 3);
            assertEquals(400, e.length());
            assertNull(e.tokens());
            assertEquals(400, e.features().length);
            assertEquals(0f, e.features()[0]);
            for (int t = 0; t < 400; t++) {
                assertEquals(t < 50 ? 0f : e.features()[t - 50], e.targetValues()[t], "t=" + t);
            }
        }
    }

    /** The rfft of x (a direct DFT here) has no energy above the band; x has about the nominal RMS. */
    @Test
    void bandLimited() {
        Dataset d = small(2);
        double inBand = 0;
        double outBand = 0;
        double sq = 0;
        for (int i = 0; i < 4; i++) {
            float[] x = d.get(Split.TRAIN, i).features();
            int n = x.length;
            for (int k = 1; k <= n / 2; k++) {       // bin k is k Hz (period 1 s)
                double re = 0;
                double im = 0;
                for (int t = 0; t < n; t++) {
                    double a = -2 * Math.PI * k * t / n;
                    re += x[t] * Math.cos(a);
                    im += x[t] * Math.sin(a);
                }
                double p = re * re + im * im;
                if (k <= 100) {
                    inBand += p;
                } else {
                    outBand += p;
                }
            }
            double mean = 0;
            for (float v : x) {
                mean += v / n;
            }
            for (float v : x) {
                sq += (v - mean) * (v - mean) / (4.0 * n);
            }
        }
        assertTrue(inBand > 0);
        assertTrue(outBand < 1e-10 * inBand, "out-of-band energy " + outBand + " vs in-band " + inBand);
        assertEquals(0.5, Math.sqrt(sq), 0.1, "RMS around the mean (nominal 0.5)");
    }

    @Test
    void defaultConfigurationIsBandLimitedTo1000Hz() {
        DelayTask d = DelayTask.open(TaskConfig.of("delay", 9));
        assertEquals(1000, d.noise().highestBin());   // bin k is k Hz for 4000 samples of 0.25 ms
        float[] x = d.get(Split.TEST, 0).features();
        assertEquals(4000, x.length);
        assertEquals(0f, x[0]);
    }

    @Test
    void deterministic() {
        assertArrayEquals(small(5).get(Split.TRAIN, 77).features(), small(5).get(Split.TRAIN, 77).features());
        assertFalse(Arrays.equals(small(5).get(Split.TRAIN, 77).features(), small(6).get(Split.TRAIN, 77).features()));
        assertFalse(Arrays.equals(small(5).get(Split.TRAIN, 0).features(), small(5).get(Split.TEST, 0).features()));
    }

    @Test
    void rejectsBadOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("delay", 0).with("band", "3000")));
        assertTrue(e.getMessage().contains("band") && e.getMessage().contains("2000") && e.getMessage().contains("3000"),
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Tasks.open(TaskConfig.of("delay", 0).with("length", "100").with("delay", "100")));
        assertTrue(e.getMessage().contains("delay") && e.getMessage().contains("[0, 99]"), e.getMessage());
    }

    /** Pins the generator (Rng, Gaussian, irfft) bit for bit: stored experiments depend on it. */
    @Test
    void goldenValues() {
        float[] x = Tasks.open(TaskConfig.of("delay", 1)).get(Split.TRAIN, 0).features();
        assertEquals(-0.18125278f, x[1]);
        assertEquals(-0.47730365f, x[2]);
        assertEquals(0.07547678f, x[1234]);
        assertEquals(-0.15293062f, x[3999]);
    }
}
