package org.rtf4j.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device choice on synthetic device lists (no OpenCL needed): with nothing asked, a GPU wins over a CPU
 * device whatever the platforms' order; a platform or device named by index or name narrows the choice
 * first; a choice that matches nothing names every device there is, in one line.
 */
class DeviceChoiceTest {
    private static DeviceInfo dev(int platform, String platformName, int index, String name, String type) {
        return new DeviceInfo(platform, platformName, index, name, "vendor", "OpenCL 3.0", type, 8, 8L << 30,
            new DeviceLimits(1024, 1024, 64 << 10, true, 2L << 30, true, DeviceLimits.FP_INF_NAN));
    }

    private static final DeviceInfo POCL = dev(0, "Portable Computing Language", 0, "pthread-cpu", "CPU");
    private static final DeviceInfo NVIDIA = dev(1, "NVIDIA CUDA", 0, "NVIDIA A100-SXM4-40GB", "GPU");
    private static final DeviceInfo NVIDIA2 = dev(1, "NVIDIA CUDA", 1, "NVIDIA A100-SXM4-40GB", "GPU");
    private static final DeviceInfo INTEL_CPU = dev(2, "Intel(R) OpenCL", 0, "Intel(R) Xeon(R) CPU", "CPU");
    private static final DeviceInfo FPGA = dev(3, "Intel(R) FPGA SDK", 0, "fpga emulator", "ACCELERATOR");

    @Test
    void aGpuIsPreferredOverACpuListedBeforeIt() {
        assertEquals(1, OpenClDevices.choose(List.of(POCL, NVIDIA, NVIDIA2), null, null));
        assertEquals(1, OpenClDevices.choose(List.of(POCL, NVIDIA, INTEL_CPU), "", ""));
        assertEquals(0, OpenClDevices.choose(List.of(NVIDIA, POCL), null, null));
    }

    @Test
    void anAcceleratorComesBeforeACpuAndTheFirstOfATypeWins() {
        assertEquals(2, OpenClDevices.choose(List.of(POCL, INTEL_CPU, FPGA), null, null));
        assertEquals(0, OpenClDevices.choose(List.of(POCL, INTEL_CPU), null, null));
        assertEquals(0, OpenClDevices.choose(List.of(POCL), null, null));
    }

    @Test
    void anExplicitChoiceIsHonoured() {
        List<DeviceInfo> all = List.of(POCL, NVIDIA, NVIDIA2, INTEL_CPU);
        assertEquals(0, OpenClDevices.choose(all, "portable", null), "by platform name");
        assertEquals(0, OpenClDevices.choose(all, "0", null), "by platform index");
        assertEquals(2, OpenClDevices.choose(all, "1", "1"), "by platform and device index");
        assertEquals(3, OpenClDevices.choose(all, null, "xeon"), "by device name");
        assertEquals(1, OpenClDevices.choose(all, null, "0"), "device index 0 of any platform: the GPU first");
    }

    @Test
    void noMatchNamesEveryDeviceInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> OpenClDevices.choose(List.of(POCL, NVIDIA), "amd", null));
        assertTrue(e.getMessage().startsWith("no OpenCL device matches --platform amd --device null; available: [0:0] pthread-cpu"),
            e.getMessage());
        assertTrue(e.getMessage().contains("NVIDIA A100"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OpenClDevices.choose(List.of(), null, null))
            .getMessage().endsWith("available: none"));
    }
}
