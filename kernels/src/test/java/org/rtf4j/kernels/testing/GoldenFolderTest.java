package org.rtf4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The golden vectors travel with the repository, and a folder that is not there fails loudly. */
class GoldenFolderTest {

    @Test
    void theRepositoryHoldsEveryVectorWithItsReadmeAndGenerators() throws IOException {
        // Read from the module directory whatever -Drtf4j.golden says: a clone alone must have them.
        Path dir = Golden.DEFAULT_FOLDER;
        assertTrue(Files.isDirectory(dir), dir.toAbsolutePath().normalize() + " is not a directory");
        assertTrue(Files.isRegularFile(dir.resolve("README.md")), "README.md beside the vectors");
        for (String gen : new String[] {"gen_all.py", "verify_all.py", "gen_fft.py", "gen_rtf.py", "gen_s4.py"}) {
            assertTrue(Files.isRegularFile(dir.resolve("gen").resolve(gen)), "gen/" + gen + " beside the vectors");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(45, s.filter(f -> f.getFileName().toString().endsWith(".json")).count(),
                "the 45 files listed in the golden README");
        }
    }

    @Test
    void aMissingFolderFailsNamingThePathAndTheProperty(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-golden");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Golden.folder(missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("rtf4j.golden = " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("kernels/src/test/resources/golden"), e.getMessage());
    }

    @Test
    void aFileInsteadOfAFolderFails(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("golden"), "");
        assertThrows(IllegalStateException.class, () -> Golden.folder(file.toString()));
    }
}
