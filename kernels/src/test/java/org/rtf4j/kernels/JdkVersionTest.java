package org.rtf4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The smoke run on a second JDK really runs on it (property rtf4j.expectJdk set by the jdk25-smoke profile). */
class JdkVersionTest {
    @Test
    void runsOnTheExpectedJdk() {
        String expected = System.getProperty("rtf4j.expectJdk");
        int feature = Runtime.version().feature();
        if (expected == null) {
            assertEquals(true, feature >= 17, "JDK " + feature + " is older than the release target 17");
        } else {
            assertEquals(Integer.parseInt(expected), feature, "tests were meant to run on JDK " + expected);
        }
    }
}
