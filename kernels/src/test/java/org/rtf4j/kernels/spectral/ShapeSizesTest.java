package org.rtf4j.kernels.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.backend.MemoryLimitException;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;

/**
 * The shapes compute their buffers' element counts in long: a shape whose buffers would not fit a Java
 * array is refused in one line naming the sizes, the count and the limit, and the accessors of every shape
 * that is accepted are exact (no int product wraps).
 */
class ShapeSizesTest {
    private static final String LIMIT = ", more than a Java array can hold (2,147,483,639)";

    private static void oneLine(String message) {
        assertEquals(1, message.lines().count(), message);
    }

    @Test
    void aSignalJustPastTheArrayLimitIsRefused() {
        // 2 × 16384 × 65537 = 2^31 + 2^15, which an int product would make −2,147,450,880
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
            () -> new ConvShape(2, 1 << 14, (1 << 16) + 1, false, 1 << 18));
        assertEquals("a (B, H, ℓ) signal of batch 2 × channels 16384 × length 65537 would have 2,147,516,416 elements"
            + LIMIT, e.getMessage());
        oneLine(e.getMessage());
        // half of it, at the even n = 2ℓ: signal 2^29 + 2^13, spectra 2^30 + 2^15 values, exact
        ConvShape half = new ConvShape(1, 1 << 13, (1 << 16) + 1, true, (1 << 17) + 2);
        assertEquals(536_879_104, half.signalLength());
        assertEquals(1_073_774_592, half.signalSpectrumLength());
    }

    @Test
    void spectraAtFftLengthsNear2To30AreRefused() {
        try (JvmBackend jvm = JvmBackend.withThreads(1)) {
            // ℓ = 2^29 (the longest): n = 2^30 on every backend; 2·(n/2 + 1)·H = 2^31 + 4 values at H = 2
            MemoryLimitException e = assertThrows(MemoryLimitException.class,
                () -> ConvShape.of(1, 2, ConvShape.MAX_LENGTH, false, jvm));
            assertEquals("the input spectra of batch 1 × channels 2 × length 536870912 (FFT length 1073741824) would have"
                + " 2,147,483,652 elements" + LIMIT, e.getMessage());
            oneLine(e.getMessage());
            ConvShape one = ConvShape.of(1, 1, ConvShape.MAX_LENGTH, true, jvm);
            assertEquals(1 << 30, one.fftLength());
            assertEquals((1 << 30) + 2, one.signalSpectrumLength());
        }
        // ℓ = 2^28 + 1, H = 3: the JVM's 7-smooth n (just above 2^29) fits, OpenCL's power of two 2^30 does not
        int ell = (1 << 28) + 1;
        int smooth = (int) JvmBackend.smoothFftLength(ell);
        assertEquals(3L * (smooth + 2), new ConvShape(1, 3, ell, false, smooth).signalSpectrumLength());
        int pow2 = (int) OpenClBackend.powerOfTwoFftLength(ell);
        MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> new ConvShape(1, 3, ell, false, pow2));
        assertEquals("the input spectra of batch 1 × channels 3 × length 268435457 (FFT length 1073741824) would have"
            + " 3,221,225,478 elements" + LIMIT, e.getMessage());
    }

    @Test
    void rationalShapesWhoseSpectraOverflowAnArrayAreRefused() {
        // 2·(P/2 + 1)·H = 2·(2^19 + 1)·2^11 = 2^31 + 2^12, which backwardWorkLength() returned as −2,147,479,552
        MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> new RationalShape(1, 1 << 11, 8, 1 << 20));
        assertEquals("the RTF kernel spectra of channels 2048 × length 1048576 (FFT length 1048576) would have"
            + " 2,147,487,744 elements" + LIMIT, e.getMessage());
        oneLine(e.getMessage());
        // an odd length pads to P = L + 1: 2·(2^19 + 1)·2^12 = 2^32 + 2^13, which wrapped to 8192
        e = assertThrows(MemoryLimitException.class, () -> new RationalShape(4, 1 << 12, 8, (1 << 20) - 1));
        assertEquals("the RTF kernel spectra of channels 4096 × length 1048575 (FFT length 1048576) would have"
            + " 4,294,975,488 elements" + LIMIT, e.getMessage());
        RationalShape largest = new RationalShape(1, 1 << 10, 8, 1 << 20);
        assertEquals(2 * ((1 << 19) + 1) * (1 << 10), largest.backwardWorkLength());
    }
}
