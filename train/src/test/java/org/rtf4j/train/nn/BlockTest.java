package org.rtf4j.train.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.backend.DeviceBuffer;
import org.rtf4j.kernels.backend.IndexBuffer;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.layer.NumericalFailureException;
import org.rtf4j.layer.Parameter;
import org.rtf4j.layer.Recurrence;
import org.rtf4j.layer.SequenceLayer;

/** A block names its layer in a numerical failure and lets bad input through as it is. */
class BlockTest {

    /** An SSM layer that fails as told, in the forward or the backward pass. */
    private static final class Failing implements SequenceLayer {
        private final Supplier<RuntimeException> forward;
        private final Supplier<RuntimeException> backward;

        Failing(Supplier<RuntimeException> forward, Supplier<RuntimeException> backward) {
            this.forward = forward;
            this.backward = backward;
        }

        @Override
        public LayerKind kind() {
            return LayerKind.RTF;
        }

        @Override
        public int channels() {
            return 2;
        }

        @Override
        public int stateSize() {
            return 1;
        }

        @Override
        public int maxLength() {
            return 4;
        }

        @Override
        public boolean bidirectional() {
            return false;
        }

        @Override
        public Precision precision() {
            return Precision.F64;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of();
        }

        @Override
        public void forward(double[] u, int batch, int length, double[] y) {
            if (forward != null) {
                throw forward.get();
            }
            System.arraycopy(u, 0, y, 0, u.length);
        }

        @Override
        public void forward(float[] u, int batch, int length, float[] y) {
            if (forward != null) {
                throw forward.get();
            }
            System.arraycopy(u, 0, y, 0, u.length);
        }

        @Override
        public void backward(double[] gy, double[] du) {
            throw backward.get();
        }

        @Override
        public void backward(float[] gy, float[] du) {
            throw backward.get();
        }

        @Override
        public void forward(org.rtf4j.kernels.backend.DeviceBuffer u, int batch, int length,
                            org.rtf4j.kernels.backend.DeviceBuffer y) {
            if (forward != null) {
                throw forward.get();
            }
        }

        @Override
        public void backward(org.rtf4j.kernels.backend.DeviceBuffer gy, org.rtf4j.kernels.backend.DeviceBuffer du) {
            throw backward.get();
        }

        @Override
        public Recurrence recurrent(int batch) {
            throw new IllegalStateException("a layer that only fails has no recurrent form");
        }

        @Override
        public void close() {
        }
    }

    private static Block block(SequenceLayer ssm, JvmBackend be) {
        ModelConfig cfg = ModelConfig.standard(LayerKind.RTF, 1, 2, 1).withDropout(0, 0).withPrecision(Precision.F64);
        return new Block("blocks.3", 3, cfg, ssm, new SplittableRandom(1), be);
    }

    @Test
    void aNumericalFailureOfTheLayerNamesTheBlockInEitherPass() {
        NumericalFailureException inner = NumericalFailureException.denominator("denominator forward row 0: too small",
            0, 0, 5, 1e-12);
        try (JvmBackend be = JvmBackend.withThreads(1); DeviceBuffer x = be.allocate(Precision.F64, 8);
             DeviceBuffer dy = be.allocate(Precision.F64, 8); IndexBuffer lengths = be.allocateIndices(1)) {
            be.writeIndices(lengths, 0, new int[] {4}, 0, 1);
            try (Block a = block(new Failing(() -> inner, null), be)) {
                NumericalFailureException f = assertThrows(NumericalFailureException.class,
                    () -> a.forward(x, 1, 4, lengths, false, true, 0, 0));
                assertEquals("blocks.3.ssm: denominator forward row 0: too small", f.getMessage());
                assertEquals("blocks.3.ssm", f.layer());
                assertEquals(5, f.bin());
                assertSame(inner, f.getCause());
            }

            NumericalFailureException grad = NumericalFailureException.nonFinite("gradient of ab has a non-finite value NaN",
                "gradient of ab", 2, Double.NaN);
            try (Block b = block(new Failing(null, () -> grad), be)) {
                b.forward(x, 1, 4, lengths, false, true, 0, 0);
                NumericalFailureException g = assertThrows(NumericalFailureException.class, () -> b.backward(dy));
                assertEquals("blocks.3.ssm", g.layer());
                assertEquals("gradient of ab", g.quantity());
            }
        }
    }

    @Test
    void badInputPassesUnchanged() {
        IllegalArgumentException shape = new IllegalArgumentException("u has 7 elements, expected B*H*ell = 8");
        try (JvmBackend be = JvmBackend.withThreads(1); DeviceBuffer x = be.allocate(Precision.F64, 8);
             IndexBuffer lengths = be.allocateIndices(1); Block b = block(new Failing(() -> shape, null), be)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.forward(x, 1, 4, lengths, false, true, 0, 0));
            assertSame(shape, e);
        }
    }
}
