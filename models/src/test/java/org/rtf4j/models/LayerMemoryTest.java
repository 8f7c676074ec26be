package org.rtf4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rtf4j.baselines.HippoLegS;
import org.rtf4j.baselines.SsmConfig;
import org.rtf4j.kernels.backend.MemoryLimitException;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.ConvolutionalLayer;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.Parameter;
import org.rtf4j.rtf.RtfConfig;

/**
 * The layers' memory estimates agree with what they allocate: the backend buffers after a forward and backward
 * pass are exactly {@link SequenceLayers#bufferBytes}, the backend's scratch stays within its workspace bound,
 * the host estimate covers the parameters; and sizes whose arrays cannot exist are refused before allocating.
 */
class LayerMemoryTest {

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        for (LayerKind k : LayerKind.values()) {
            for (boolean bi : new boolean[] {false, true}) {
                for (Precision p : Precision.values()) {
                    out.add(Arguments.of(k, 3, 4, 8, 100, bi, p));
                }
            }
            // n = 2048, a power of two: the four-step transforms and their scratch
            out.add(Arguments.of(k, 2, 3, 16, 1024, false, Precision.F32));
            out.add(Arguments.of(k, 1, 1, 2, 5000, true, Precision.F64));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} B={1} H={2} N={3} L={4} bi={5} {6}")
    @MethodSource("shapes")
    void estimatesMatchWhatTheLayerAllocates(LayerKind kind, int batch, int channels, int state, int length, boolean bi,
                                             Precision p) {
        LayerSpec spec = new LayerSpec(kind, channels, state, length, bi, p, 1);
        try (JvmBackend be = JvmBackend.withThreads(2);
             ConvolutionalLayer layer = (ConvolutionalLayer) SequenceLayers.create(spec, be)) {
            SplittableRandom r = new SplittableRandom(1);
            double[] u = r.doubles((long) batch * channels * length, -1, 1).toArray();
            double[] y = new double[u.length];
            layer.forward(u, batch, length, y);
            layer.backward(u, new double[u.length]);
            long n = be.convolutionFftLength(length);
            assertEquals(SequenceLayers.bufferBytes(spec, batch, length, n), be.liveBytes() - be.scratchBytes(),
                "backend buffers of " + layer);
            long workspace = JvmBackend.workspaceBytes(2, (long) batch * channels, n, p);
            assertTrue(be.scratchBytes() <= workspace, be.scratchBytes() + " bytes of scratch > " + workspace);
            long params = 0;
            for (Parameter q : layer.parameters()) {
                params += 16L * q.size();
            }
            long host = SequenceLayers.hostBytes(spec);
            // besides the parameters and their gradients: the host maps and the gradients read back per direction
            // (a bidirectional S4 layer reads 10 values per channel and mode per direction)
            assertTrue(host >= params && host <= 4 * params + HippoLegS.bytesNeeded(state), host + " host bytes for "
                + params + " parameter bytes");
        }
    }

    @Test
    void arraysThatCannotExistAreRefusedBeforeAnyAllocation() {
        try (JvmBackend be = JvmBackend.withThreads(1)) {
            // the kernel spectra 2·(L/2 + 1)·H overflow an int: refused with the configuration
            MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> RtfConfig.builder(4, 8, 1 << 29).build());
            assertEquals("the RTF kernel spectra of channels 4 × length 536870912 (FFT length 536870912) would have"
                + " 2,147,483,656 elements, more than a Java array can hold (2,147,483,639)", e.getMessage());
            // the modal kernels' work arrays of 16·H·max(M, L) values
            SsmConfig s4d = SsmConfig.s4d(1 << 16, 1 << 15, 64).withBidirectional(true);
            e = assertThrows(MemoryLimitException.class, () -> SequenceLayers.create(s4d, be));
            assertEquals("the modal kernel arrays of channels 65536 × max(modes 16384, length 64) × 16 values would have"
                + " 17,179,869,184 elements, more than a Java array can hold (2,147,483,639)", e.getMessage());
            assertEquals(0, be.liveBytes(), "nothing allocated");
        }
    }
}
