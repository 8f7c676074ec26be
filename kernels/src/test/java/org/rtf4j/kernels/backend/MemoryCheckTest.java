package org.rtf4j.kernels.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.spectral.ConvShape;

/** The shared memory check: saturating arithmetic, the array limit and the one-line refusal. */
class MemoryCheckTest {

    @Test
    void arithmeticSaturatesInsteadOfOverflowing() {
        assertEquals(6, MemoryCheck.times(1, 2, 3));
        assertEquals(0, MemoryCheck.times(Long.MAX_VALUE, Long.MAX_VALUE, 0));
        assertEquals(Long.MAX_VALUE, MemoryCheck.times(100_000_000L, 1_000_000_000L, 1_000_000_000L));
        assertEquals(Long.MAX_VALUE, MemoryCheck.times(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, MemoryCheck.plus(Long.MAX_VALUE - 1, 2));
        assertEquals(Long.MAX_VALUE, MemoryCheck.plus(MemoryCheck.times(1L << 40, 1L << 40), 1));
        assertEquals(10, MemoryCheck.plus(1, 2, 3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryCheck.times(4, -1));
        assertEquals("sizes must be ≥ 0, got -1", e.getMessage());
    }

    @Test
    void arraysLongerThanJavaAllowsAreRefusedByName() {
        assertEquals((int) MemoryCheck.MAX_ARRAY, MemoryCheck.arrayLength("x", MemoryCheck.MAX_ARRAY));
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
            () -> MemoryCheck.arrayLength("the signal of batch 3 × length 1000000000", 3_000_000_000L));
        assertEquals("the signal of batch 3 × length 1000000000 would have 3,000,000,000 elements, more than a Java"
            + " array can hold (2,147,483,639)", e.getMessage());
        e = assertThrows(MemoryLimitException.class, () -> MemoryCheck.arrayLength("y", Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("y would have over 9.2e18 elements"), e.getMessage());
    }

    @Test
    void refusalIsOneLineWithSizesBytesHeapAndTheWayToRaiseIt() {
        long gib = 1L << 30;
        String m = MemoryCheck.refusal("train: batch 100000 × length 64", 48 * gib + gib / 2, 5 * gib, 6 * gib, 24 * gib);
        assertEquals("train: batch 100000 × length 64 needs about 48.5 GiB of heap, 5.0 GiB available (maximum heap"
            + " 6.0 GiB); raise the limit with RTF4J_JAVA_OPTS=-Xmx<size> (more than this machine's 24.0 GiB of memory:"
            + " use smaller sizes)", m);
        m = MemoryCheck.refusal("demo", 9 * gib, 5 * gib, 6 * gib, 24 * gib);
        assertTrue(m.endsWith("5.0 GiB available (maximum heap 6.0 GiB); raise the limit with RTF4J_JAVA_OPTS=-Xmx<size>"), m);
        assertEquals("over 8 EiB", MemoryCheck.bytes(Long.MAX_VALUE));
        assertEquals("512 bytes", MemoryCheck.bytes(512));
        assertEquals("1.5 KiB", MemoryCheck.bytes(1536));
    }

    @Test
    void requireComparesWithTheHeapLeft() {
        MemoryCheck.require("a small thing", 1024);
        MemoryLimitException e = assertThrows(MemoryLimitException.class,
            () -> MemoryCheck.require("profile: batch 1000000 × channels 1000", Long.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("profile: batch 1000000 × channels 1000 needs about over 8 EiB of heap, "),
            e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void convolutionShapesWhoseSpectraOverflowAnArrayAreRefused() {
        try (JvmBackend jvm = JvmBackend.withThreads(1)) {
            // B·H·ℓ = 1.5e9 fits an array, but the (B, H, n/2+1) complex input spectra, 3e9 values, do not (the
            // spectrum length used to overflow int)
            MemoryLimitException e = assertThrows(MemoryLimitException.class, () -> ConvShape.of(3, 1, 500_000_000, false, jvm));
            assertTrue(e.getMessage().startsWith("the input spectra of batch 3 × channels 1 × length 500000000"), e.getMessage());
            e = assertThrows(MemoryLimitException.class, () -> ConvShape.of(5, 1, 500_000_000, false, jvm));
            assertTrue(e.getMessage().startsWith("a (B, H, ℓ) signal of batch 5 × channels 1 × length 500000000 would have"
                + " 2,500,000,000 elements"), e.getMessage());
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ConvShape.of(1, 1, (1 << 29) + 1, false, jvm));
            assertEquals("input length ℓ must be in [1, 536870912], got 536870913", tooLong.getMessage());
            assertEquals(jvm.convolutionFftLength(1047), ConvShape.of(2, 3, 1047, true, jvm).fftLength());
        }
    }
}
