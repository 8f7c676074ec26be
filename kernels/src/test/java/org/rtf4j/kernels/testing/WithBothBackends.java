package org.rtf4j.kernels.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rtf4j.kernels.jvm.JvmBackend;
import org.rtf4j.kernels.opencl.OpenClBackend;

/**
 * Base of the twin tests: one OpenCL backend ({@link OpenClTesting#backend()}, the device and profile the run
 * selects) and one two-thread JVM backend per test class, closed after it.
 */
public abstract class WithBothBackends {
    /** The device backend of the running test class. */
    protected static OpenClBackend cl;
    /** The JVM backend of the running test class. */
    protected static JvmBackend jvm;

    @BeforeAll
    static void openBackends() {
        cl = OpenClTesting.backend();
        jvm = JvmBackend.withThreads(2);
    }

    @AfterAll
    static void closeBackends() {
        if (cl != null) {
            cl.close();
        }
        if (jvm != null) {
            jvm.close();
        }
    }
}
