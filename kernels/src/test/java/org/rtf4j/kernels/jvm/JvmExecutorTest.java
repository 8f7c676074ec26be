package org.rtf4j.kernels.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executor's contract: ranges and worker numbers, failures reaching the caller, refused nested calls,
 * close while busy. A deadlock would hang, so every test has a generous timeout that only a hang reaches
 * (nothing here is timed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class JvmExecutorTest {

    @Test
    void everyIndexRunsOnceAndWorkerWRunsRangeW() {
        try (JvmExecutor ex = new JvmExecutor(3)) {
            for (int n : new int[] {1, 2, 3, 4, 7, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                int[] lo = new int[3];
                int[] hi = new int[3];
                java.util.Arrays.fill(lo, -1);
                ex.parallelFor(n, (w, from, to) -> {
                    lo[w] = from;
                    hi[w] = to;
                    for (int i = from; i < to; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "n=" + n + " index " + i);
                }
                int chunks = Math.min(3, n);
                for (int w = 0; w < chunks; w++) {
                    assertEquals((int) ((long) n * w / chunks), lo[w], "n=" + n + " start of range " + w);
                    assertEquals((int) ((long) n * (w + 1) / chunks), hi[w], "n=" + n + " end of range " + w);
                }
                for (int w = chunks; w < 3; w++) {
                    assertEquals(-1, lo[w], "n=" + n + ": worker " + w + " has no range");
                }
            }
            ex.parallelFor(0, (w, from, to) -> {
                throw new AssertionError("no range for count 0");
            });
        }
    }

    @Test
    void theThreadsAreTheCallerAndTheExecutorsOwnWorkers() {
        try (JvmExecutor ex = new JvmExecutor(4)) {
            String[] names = new String[4];
            ex.parallelFor(4, (w, from, to) -> names[w] = Thread.currentThread().getName());
            assertArrayEquals(new String[] {Thread.currentThread().getName(), "rtf4j-jvm-1", "rtf4j-jvm-2", "rtf4j-jvm-3"},
                names);
        }
    }

    @Test
    void manySmallCallsUseEveryWorker() {
        try (JvmExecutor ex = new JvmExecutor(2)) {
            AtomicIntegerArray perWorker = new AtomicIntegerArray(2);
            AtomicInteger total = new AtomicInteger();
            int calls = 20_000;
            for (int c = 0; c < calls; c++) {
                ex.parallelFor(2 + c % 3, (w, from, to) -> {
                    perWorker.incrementAndGet(w);
                    total.addAndGet(to - from);
                });
            }
            long expected = 0;
            for (int c = 0; c < calls; c++) {
                expected += 2 + c % 3;
            }
            assertEquals(expected, total.get());
            assertEquals(calls, perWorker.get(0));
            assertEquals(calls, perWorker.get(1));
        }
    }

    @Test
    void aWorkersExceptionReachesTheCallerAfterTheOtherRangesFinished() {
        try (JvmExecutor ex = new JvmExecutor(3)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom in worker 2");
            AtomicIntegerArray done = new AtomicIntegerArray(3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.parallelFor(3, (w, from, to) -> {
                if (w == 2) {
                    throw boom;
                }
                done.set(w, 1);
            }));
            assertSame(boom, e, "the worker's own exception, type and stack kept");
            assertEquals(1, done.get(0));
            assertEquals(1, done.get(1));
            assertEquals(1, e.getSuppressed().length);
            assertTrue(e.getSuppressed()[0].getMessage().contains("rethrown by JvmExecutor.parallelFor on "
                + Thread.currentThread().getName()), e.getSuppressed()[0].getMessage());
            // still usable
            AtomicInteger sum = new AtomicInteger();
            ex.parallelFor(30, (w, from, to) -> sum.addAndGet(to - from));
            assertEquals(30, sum.get());
        }
    }

    @Test
    void theCallersOwnFailureComesFirstWithTheWorkersAttached() {
        try (JvmExecutor ex = new JvmExecutor(2)) {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> ex.parallelFor(2, (w, from, to) -> {
                if (w == 0) {
                    throw new ArithmeticException("caller");
                }
                throw new IllegalStateException("worker");
            }));
            assertEquals("caller", e.getMessage());
            assertEquals(1, e.getSuppressed().length);
            assertEquals("worker", e.getSuppressed()[0].getMessage());
        }
    }

    @Test
    void aSneakyCheckedExceptionArrivesAsTheCause() {
        try (JvmExecutor ex = new JvmExecutor(2)) {
            Exception checked = new java.io.IOException("checked");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.parallelFor(2, (w, from, to) -> {
                if (w == 1) {
                    JvmExecutorTest.<RuntimeException>sneaky(checked);
                }
            }));
            assertSame(checked, e.getCause());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aNestedCallIsRefusedOnTheCallerAndOnTheWorkers() {
        for (int threads : new int[] {1, 2, 3}) {
            try (JvmExecutor ex = new JvmExecutor(threads)) {
                List<Throwable> inner = Collections.synchronizedList(new ArrayList<>());
                ex.parallelFor(threads, (w, from, to) -> {
                    try {
                        ex.parallelFor(4, (w2, f2, t2) -> {
                            throw new AssertionError("nested body ran");
                        });
                    } catch (IllegalStateException e) {
                        inner.add(e);
                    }
                });
                assertEquals(threads, inner.size(), "threads=" + threads + ": every worker refused");
                for (Throwable e : inner) {
                    assertTrue(e.getMessage().startsWith("nested parallelFor on "), e.getMessage());
                }
                // the refusal left the executor consistent
                AtomicInteger sum = new AtomicInteger();
                ex.parallelFor(10, (w, from, to) -> sum.addAndGet(to - from));
                assertEquals(10, sum.get());
            }
        }
    }

    @Test
    void anotherExecutorMayBeCalledFromATask() {
        try (JvmExecutor outer = new JvmExecutor(2); JvmExecutor inner = new JvmExecutor(2)) {
            AtomicInteger sum = new AtomicInteger();
            outer.parallelFor(2, (w, from, to) -> inner.parallelFor(5, (w2, f2, t2) -> sum.addAndGet(t2 - f2)));
            assertEquals(10, sum.get());
        }
    }

    @Test
    void callsFromSeveralThreadsAreSerialised() throws InterruptedException {
        try (JvmExecutor ex = new JvmExecutor(2)) {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger total = new AtomicInteger();
            List<Thread> callers = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                Thread t = new Thread(() -> {
                    for (int c = 0; c < 2000; c++) {
                        ex.parallelFor(2, (w, from, to) -> {
                            if (w == 0) {
                                if (inside.incrementAndGet() != 1) {
                                    overlaps.incrementAndGet();
                                }
                                inside.decrementAndGet();
                            }
                            total.addAndGet(to - from);
                        });
                    }
                });
                callers.add(t);
                t.start();
            }
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(0, overlaps.get());
            assertEquals(4 * 2000 * 2, total.get());
        }
    }

    @Test
    void closeFromAnotherThreadWaitsForTheCallInProgressThenRefusesCalls() throws InterruptedException {
        JvmExecutor ex = new JvmExecutor(3);
        CountDownLatch started = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        AtomicIntegerArray finished = new AtomicIntegerArray(3);
        AtomicReference<Throwable> callFailure = new AtomicReference<>();
        AtomicInteger callReturned = new AtomicInteger();
        Thread caller = new Thread(() -> {
            try {
                ex.parallelFor(3, (w, from, to) -> {
                    started.countDown();
                    await(release);
                    finished.set(w, 1);
                });
                callReturned.set(1);
            } catch (Throwable e) {
                callFailure.set(e);
            }
        });
        caller.start();
        started.await();
        AtomicInteger callDoneWhenCloseReturned = new AtomicInteger(-1);
        Thread closer = new Thread(() -> {
            ex.close();
            // the call's work, not the caller thread's next statement, which may run after close returns
            callDoneWhenCloseReturned.set(finished.get(0) + finished.get(1) + finished.get(2) == 3 ? 1 : 0);
        });
        closer.start();
        release.countDown();
        closer.join();
        caller.join();
        assertNull(callFailure.get(), "the call in progress completes");
        assertEquals(1, callReturned.get(), "the call in progress returns");
        for (int w = 0; w < 3; w++) {
            assertEquals(1, finished.get(w), "range " + w);
        }
        assertEquals(1, callDoneWhenCloseReturned.get(), "close returned after the call in progress");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ex.parallelFor(3, (w, f, t) -> { }));
        assertEquals("JvmExecutor is closed", e.getMessage());
        // also the one-range path, and closing again
        assertThrows(IllegalStateException.class, () -> ex.parallelFor(1, (w, f, t) -> { }));
        ex.close();
    }

    @Test
    void closeFromInsideATaskLetsTheCallCompleteAndStopsTheWorkers() {
        // repeated: the race of a close just after a call handed out its ranges, before the workers took them
        for (int round = 0; round < 300; round++) {
            JvmExecutor ex = new JvmExecutor(3);
            AtomicIntegerArray ran = new AtomicIntegerArray(3);
            ex.parallelFor(3, (w, from, to) -> {
                if (w == 0) {
                    ex.close();
                }
                ran.set(w, 1);
            });
            for (int w = 0; w < 3; w++) {
                assertEquals(1, ran.get(w), "round " + round + ": range " + w);
            }
            assertThrows(IllegalStateException.class, () -> ex.parallelFor(3, (w, f, t) -> { }));
            ex.close();
        }
    }

    @Test
    void closeStopsTheWorkerThreads() {
        JvmExecutor ex = new JvmExecutor(3);
        Set<Thread> workers = new HashSet<>();
        ex.parallelFor(3, (w, from, to) -> {
            if (w > 0) {
                synchronized (workers) {
                    workers.add(Thread.currentThread());
                }
            }
        });
        assertEquals(2, workers.size());
        ex.close();
        for (Thread t : workers) {
            assertFalse(t.isAlive(), t.getName() + " stopped");
        }
    }

    @Test
    void threadCountIsChecked() {
        assertEquals("threads must be in [1, 1024], got 0",
            assertThrows(IllegalArgumentException.class, () -> new JvmExecutor(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new JvmExecutor(1025));
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
