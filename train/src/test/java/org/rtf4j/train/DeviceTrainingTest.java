package org.rtf4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.Precision;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;
import org.rtf4j.kernels.testing.OpenClTesting;
import org.rtf4j.layer.LayerKind;
import org.rtf4j.train.nn.ModelConfig;

/**
 * Training on an OpenCL device follows the JVM backend's loss curve (float32 SSM layers; 1e-4 relative per
 * step over 5 steps of a bidirectional model) and its SSM work ran on the device.
 */
class DeviceTrainingTest {

    @Test
    void deviceTrainingFollowsTheJvmCurve() {
        for (LayerKind kind : LayerKind.values()) {
            ModelConfig m = ModelConfig.standard(kind, 2, 8, 4).withBidirectional(true).withPrecision(Precision.F32);
            TrainConfig c = new TrainConfig("sign", Map.of(), m, 8, 1, 5, 0.01, 0.0, 0.01, 0.0, 1, 1.0, 0.0, 0, 16, 0, 5);
            List<Double> jvm = curve(c, JvmBackend.withThreads(2));
            OpenClBackend cl = OpenClTesting.backend();
            long before = cl.profiler().kernelLaunches();
            List<Double> dev = curve(c, cl);
            try (cl) {
                OpenClTesting.assertRanOnDevice(cl, before);
            }
            for (int i = 0; i < jvm.size(); i++) {
                assertEquals(jvm.get(i), dev.get(i), 1e-4 * Math.abs(jvm.get(i)), kind + " step " + (i + 1));
            }
        }
    }

    private static List<Double> curve(TrainConfig c, org.rtf4j.kernels.backend.Backend be) {
        List<Double> losses = new ArrayList<>();
        // the host code's threads: the JVM backend's own, or (OpenCL) an executor of the same size
        org.rtf4j.kernels.jvm.JvmExecutor host = be instanceof JvmBackend ? ((JvmBackend) be).executor()
            : new org.rtf4j.kernels.jvm.JvmExecutor(2);
        try (Trainer t = new Trainer(c, new SignTask(false), be, host, null, new Trainer.Listener() {
            @Override
            public void step(long step, double loss, double accuracy, double lr) {
                losses.add(loss);
            }
        })) {
            t.run(Long.MAX_VALUE);
        } finally {
            if (be instanceof JvmBackend) {
                be.close();
            } else {
                host.close();
            }
        }
        return losses;
    }
}
