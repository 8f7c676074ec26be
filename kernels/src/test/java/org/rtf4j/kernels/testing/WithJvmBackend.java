package org.rtf4j.kernels.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rtf4j.kernels.jvm.JvmBackend;

/** Base of tests that share one two-thread JVM backend per test class. */
public abstract class WithJvmBackend {
    /** The backend of the running test class. */
    protected static JvmBackend be;

    @BeforeAll
    static void openBackend() {
        be = JvmBackend.withThreads(2);
    }

    @AfterAll
    static void closeBackend() {
        be.close();
    }
}
