package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.KernelId;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.profile.ProfileRecord;
import org.rtf4j.kernels.testing.Check;
import org.rtf4j.kernels.testing.Host;
import org.rtf4j.kernels.testing.OpenClTesting;

/**
 * The device FFT's paths by local memory limit, told apart by the commands the profiler records for each
 * operation (kernel launches by name, device copies as {@code copy}): a power-of-two transform of n runs
 * one {@code fftLocal} launch when n complex fit the limit, two (four-step) up to the square of that
 * length, else log2(n) {@code fftRadix2Pass} launches. Every result is checked against the JVM's
 * float64 transform of the same (rounded) inputs, within {@link Check#values}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FftLaunchesTest {
    /** A local limit and the largest power of two that runs in one launch under it, float32 and float64. */
    private record Limit(String name, long bytes, int oneLaunchF32, int oneLaunchF64) {
        int oneLaunch(Precision p) {
            return p == Precision.F32 ? oneLaunchF32 : oneLaunchF64;
        }
    }

    /** NVIDIA's 48 KiB per work-group: 4096 complex float32 (32 KiB), 2048 complex float64. */
    private static final Limit KIB48 = new Limit("48 KiB", 48 << 10, 4096, 2048);
    /** AMD's 64 KiB. */
    private static final Limit KIB64 = new Limit("64 KiB", 64 << 10, 8192, 4096);
    /** 64 bytes: one launch up to 8 (float32) / 4 (float64), two up to 64 / 16, global passes beyond. */
    private static final Limit TINY = new Limit("64 B", 64, 8, 4);
    private static final String COPY = "copy";

    private OpenClBackend cl;
    private JvmBackend jvm;

    @BeforeAll
    void up() {
        cl = OpenClTesting.backend();
        cl.profiler().setTracing(true);
        jvm = JvmBackend.withThreads(1);
    }

    @AfterAll
    void down() {
        if (cl != null) {
            cl.close();
        }
        if (jvm != null) {
            jvm.close();
        }
    }

    @AfterEach
    void defaultLimit() {
        if (cl != null) {
            cl.setLocalFftLimit(Long.MAX_VALUE);
        }
    }

    /**
     * Sets the local limit; false (the caller moves on to its next limit) when the device has less local
     * memory than {@code l}, as an emulated profile may: the other limits still run.
     */
    private boolean limit(Limit l) {
        if (cl.device().localMemBytes() < l.bytes()) {
            return false;
        }
        cl.setLocalFftLimit(l.bytes());
        return true;
    }

    /** Kernel launches by name and device copies ("copy") the profiler attributed to {@code op}. */
    private Map<String, Integer> commands(KernelId op) {
        Map<String, Integer> m = new TreeMap<>();
        for (ProfileRecord r : cl.profiler().events()) {
            if (r.op().equals(op.kernelName()) && (r.kind().equals("KERNEL") || r.kind().equals("COPY_ON_DEVICE"))) {
                m.merge(r.kind().equals("COPY_ON_DEVICE") ? COPY : r.name(), 1, Integer::sum);
            }
        }
        return m;
    }

    private static int log2(int n) {
        return Integer.numberOfTrailingZeros(n);
    }

    /** The commands of an in-place complex transform of a power of two n under l. */
    private static Map<String, Integer> complexPath(Limit l, Precision p, int n) {
        int c = l.oneLaunch(p);
        Map<String, Integer> m = new TreeMap<>();
        if (n <= c) {
            m.put("fftLocal", 1);
        } else if ((long) n <= (long) c * c) {
            m.put("fftLocal", 2);
            m.put(COPY, 1);
        } else {
            m.put("fftRadix2Pass", log2(n));
            if (log2(n) % 2 == 1) {
                m.put(COPY, 1);
            }
        }
        return m;
    }

    private static double[] random(SplittableRandom r, Precision p, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble(-1, 1);
        }
        return Host.round(p, x);
    }

    /** The device's complex transform of x (rows of n) and the commands it recorded. */
    private double[] deviceComplex(Precision p, double[] x, int n, int rows, boolean inverse, Map<String, Integer> cmds) {
        try (DeviceBuffer d = Host.put(cl, p, x)) {
            cl.profiler().reset();
            cl.fftComplex(n, rows, d, inverse);
            cmds.putAll(commands(KernelId.FFT_COMPLEX));
            return Host.get(cl, d);
        }
    }

    private double[] jvmComplex(double[] x, int n, int rows, boolean inverse) {
        try (DeviceBuffer d = Host.put(jvm, Precision.F64, x)) {
            jvm.fftComplex(n, rows, d, inverse);
            return Host.get(jvm, d);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void powersOfTwoTakeThePathTheLimitAllowsAndMatchFloat64(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(18);
        for (Limit l : new Limit[] {KIB48, KIB64, TINY}) {
            if (!limit(l)) {
                continue;
            }
            for (int logN = 1; logN <= 17; logN++) {
                int n = 1 << logN;
                int rows = n <= 256 ? 5 : 3;
                for (boolean inverse : new boolean[] {false, true}) {
                    String what = (inverse ? "inverse" : "forward") + " n=" + n + " rows=" + rows + " " + p + " under " + l.name();
                    double[] x = random(r, p, 2 * n * rows);
                    Map<String, Integer> cmds = new TreeMap<>();
                    double[] got = deviceComplex(p, x, n, rows, inverse, cmds);
                    assertEquals(complexPath(l, p, n), cmds, what);
                    Check.close(what, got, jvmComplex(x, n, rows, inverse), Check.values(p, n));
                }
            }
        }
    }

    /** Issue 18, acceptance 3: transforms up to 2^16 take at most 3 commands under 48 KiB of local memory. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void upTo2To16AtMostThreeCommandsUnder48KiB(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        Assumptions.assumeTrue(limit(KIB48), () -> "device " + cl.device().name() + " has less local memory than 48 KiB");
        SplittableRandom r = new SplittableRandom(3);
        List<String> measured = new ArrayList<>();
        for (int logN = 10; logN <= 16; logN++) {
            int n = 1 << logN;
            for (boolean inverse : new boolean[] {false, true}) {
                double[] x = random(r, p, 2 * n);
                Map<String, Integer> cmds = new TreeMap<>();
                double[] got = deviceComplex(p, x, n, 1, inverse, cmds);
                int total = cmds.values().stream().mapToInt(Integer::intValue).sum();
                String what = (inverse ? "inverse" : "forward") + " n=" + n + " " + p + ": " + cmds;
                measured.add(what);
                assertTrue(total <= 3, what + " is more than 3 commands");
                Check.close(what, got, jvmComplex(x, n, 1, inverse), Check.values(p, n));
            }
        }
        System.out.println("fftComplex commands under 48 KiB: " + measured);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void realTransformsUpTo2To17MatchWithoutDeviceCopies(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(5);
        List<Integer> lengths = new ArrayList<>();
        for (int logN = 1; logN <= 17; logN++) {
            lengths.add(1 << logN);
        }
        lengths.addAll(List.of(1, 3, 7, 12, 1000, 4097));
        for (Limit l : new Limit[] {KIB48, TINY}) {
            if (!limit(l)) {
                continue;
            }
            for (int n : lengths) {
                int rows = n <= 4096 ? 3 : 1;
                int bins = n / 2 + 1;
                int stride = n + 1;
                String what = "n=" + n + " rows=" + rows + " " + p + " under " + l.name();
                double[] x = random(r, p, stride * rows);
                double[] spec = random(r, p, 2 * bins * rows);
                double[] gotSpec;
                double[] gotX;
                try (DeviceBuffer in = Host.put(cl, p, x); DeviceBuffer out = cl.allocate(p, 2 * bins * rows);
                     DeviceBuffer sin = Host.put(cl, p, spec); DeviceBuffer sout = cl.allocate(p, stride * rows)) {
                    cl.profiler().reset();
                    cl.fftRealForward(n, rows, in, stride, n, out);
                    cl.fftRealInverse(n, rows, sin, sout, stride, n);
                    assertEquals(null, commands(KernelId.FFT_REAL_FORWARD).get(COPY), "rfft " + what);
                    assertEquals(null, commands(KernelId.FFT_REAL_INVERSE).get(COPY), "irfft " + what);
                    gotSpec = Host.get(cl, out);
                    gotX = Host.get(cl, sout);
                }
                try (DeviceBuffer in = Host.put(jvm, Precision.F64, x); DeviceBuffer out = jvm.allocate(Precision.F64, 2 * bins * rows);
                     DeviceBuffer sin = Host.put(jvm, Precision.F64, spec);
                     DeviceBuffer sout = jvm.allocate(Precision.F64, stride * rows)) {
                    jvm.fftRealForward(n, rows, in, stride, n, out);
                    jvm.fftRealInverse(n, rows, sin, sout, stride, n);
                    Check.close("rfft " + what, gotSpec, Host.get(jvm, out), Check.values(p, n));
                    Check.close("irfft " + what, gotX, Host.get(jvm, sout), Check.values(p, n));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void bluesteinRunsOnThePowerOfTwoPathsWithoutCopies(Precision p) {
        OpenClTesting.assumeFloat64(cl, p);
        SplittableRandom r = new SplittableRandom(7);
        for (Limit l : new Limit[] {KIB48, TINY}) {
            if (!limit(l)) {
                continue;
            }
            for (int n : new int[] {3, 5, 100, 1000, 3000, 5000}) {
                int rows = 3;
                for (boolean inverse : new boolean[] {false, true}) {
                    String what = (inverse ? "inverse" : "forward") + " n=" + n + " " + p + " under " + l.name();
                    double[] x = random(r, p, 2 * n * rows);
                    Map<String, Integer> cmds = new TreeMap<>();
                    double[] got = deviceComplex(p, x, n, rows, inverse, cmds);
                    assertEquals(1, cmds.get("bluesteinPre"), what + ": " + cmds);
                    assertEquals(null, cmds.get(COPY), what + ": " + cmds);
                    Check.close(what, got, jvmComplex(x, n, rows, inverse), Check.values(p, 4 * n));
                }
            }
        }
    }

    @Test
    void localLaunchesFitTheLimitAndTheirGroups() {
        ClFft fft = new ClFft(cl.runtime());
        long maxLocal = Math.min(256, Long.highestOneBit(
            LaunchPlanner.groupCap(cl.device().limits(), cl.runtime().limits(Precision.F32, ClKernel.FFT_LOCAL))));
        for (Limit l : new Limit[] {KIB48, KIB64, TINY}) {
            if (l.bytes() > cl.device().localMemBytes()) {
                continue; // an emulated device with less local memory (its own limit is covered by the other cases)
            }
            fft.setLocalLimit(l.bytes());
            for (Precision p : Precision.values()) {
                if (p == Precision.F64 && !cl.device().fp64()) {
                    continue; // no float64 program to size launches for
                }
                assertEquals(l.oneLaunch(p), fft.capacity(p), l.name() + " " + p);
                for (int logLen = 1; (1 << logLen) <= fft.capacity(p); logLen++) {
                    for (int total : new int[] {1, 3, 5, 16, 17, 1000, 4096}) {
                        for (int minPer : new int[] {1, ClFft.COALESCED_TRANSFORMS}) {
                            ClFft.LocalLaunch s = fft.localLaunch(p, logLen, total, minPer);
                            String what = l.name() + " " + p + " len=" + (1 << logLen) + " total=" + total + " minPer=" + minPer
                                + ": " + s;
                            long per = 1L << s.logPer();
                            assertEquals(1, Long.bitCount(s.local()), what);
                            long units = (per << logLen) / (logLen >= 2 ? 4 : 2);
                            assertTrue(s.local() <= maxLocal && s.local() <= units, what);
                            assertEquals(0, s.global() % s.local(), what);
                            assertEquals((total + per - 1) / per, s.global() / s.local(), what);
                            assertEquals(per << logLen, s.localBytes() / (2L * p.bytes()), what);
                            assertTrue(s.localBytes() <= l.bytes(), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNegativeLimitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cl.setLocalFftLimit(-1));
        assertEquals("local FFT limit bytes must be >= 0, got -1", e.getMessage());
    }
}
