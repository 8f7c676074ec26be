package org.rtf4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;

/**
 * Resource soak, opt-in ({@code -Drtf4j.soak=true}, about a minute): 10,000 forward+backward calls of
 * each layer kind on the device, with layers and buffers created and closed along the way. Resident
 * memory (VmRSS) after the calls may not exceed its value after the warm-up by more than 5% + 16 MiB,
 * and no caller buffer may stay open.
 */
class DeviceSoakTest {

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void tenThousandLayerCallsDoNotGrowResidentMemory() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("rtf4j.soak"), "soak test: run with -Drtf4j.soak=true");
        try (OpenClBackend cl = OpenClTesting.backend()) {
            int batch = 2;
            int h = 4;
            int len = 64;
            double[] u = new double[batch * h * len];
            java.util.Arrays.fill(u, 0.25);
            double[] du = new double[u.length];
            long warm = 0;
            for (int round = 0; round < 2; round++) {
                int calls = round == 0 ? 500 : Integer.getInteger("rtf4j.soak.calls", 10_000);
                for (int i = 0; i < calls; i++) {
                    LayerKind kind = LayerKind.values()[i % 3];
                    if (round == 1 && i % 2500 == 0) {
                        System.gc();
                        System.out.printf("device soak: call %d RSS %d KiB%n", i, rssKiB());
                    }
                    try (ConvolutionalLayer layer = (ConvolutionalLayer) SequenceLayers.create(
                        new LayerSpec(kind, h, 8, len, i % 2 == 0, Precision.F32, i), cl)) {
                        layer.forward(u, batch, len);
                        layer.backward(u, du);
                    }
                }
                System.gc();
                long rss = rssKiB();
                if (round == 0) {
                    warm = rss;
                } else {
                    System.out.printf("device soak: RSS after 500 warm-up calls %d KiB, after %d more %d KiB (%+.1f%%), "
                        + "%d kernel launches%n", warm, calls, rss, 100.0 * (rss - warm) / warm, cl.profiler().kernelLaunches());
                    assertTrue(rss <= warm * 1.05 + 16 * 1024, "RSS grew from " + warm + " KiB to " + rss + " KiB");
                }
            }
            assertEquals(0, cl.liveBuffers(), "caller buffers left open");
        }
    }
}
