package org.rtf4j.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output-path policy of {@link OutputFiles}, case by case, on real files, links, devices and FIFOs. */
class OutputFilesTest {
    @TempDir
    Path dir;

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode") & 0777;
    }

    /** The umask this JVM creates files under, as a child shell inherits it. */
    private static int umask() throws Exception {
        Process pr = new ProcessBuilder("sh", "-c", "umask").redirectErrorStream(true).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(pr.waitFor(10, TimeUnit.SECONDS) && pr.exitValue() == 0, "umask: " + out);
        return Integer.parseInt(out, 8);
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertTrue(left.isEmpty(), "temporary files left behind: " + left);
        }
    }

    @Test
    void newFileGetsTheModeOfAnOrdinaryTool() throws Exception {
        Path f = dir.resolve("new.txt");
        OutputFiles.writeString(f, "hello");
        assertEquals("hello", read(f));
        assertEquals(0666 & ~umask(), mode(f), "mode of a new output, octal " + Integer.toOctalString(mode(f)));
        assertNoTemporaryFiles();
    }

    @Test
    void replacedRegularFileKeepsItsPermissions() throws Exception {
        Path f = dir.resolve("old.txt");
        Files.writeString(f, "old contents, longer than the new ones");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        OutputFiles.writeString(f, "new");
        assertEquals("new", read(f));
        assertEquals(0640, mode(f));
        assertNoTemporaryFiles();
    }

    @Test
    void missingParentDirectoriesAreCreated() throws Exception {
        Path f = dir.resolve("a/b/c/out.bin");
        OutputFiles.check("--output", f);
        assertFalse(Files.exists(dir.resolve("a")), "check creates nothing");
        OutputFiles.writeString(f, "x");
        assertEquals("x", read(f));
    }

    @Test
    void symbolicLinkIsFollowedAndKept() throws Exception {
        Path target = dir.resolve("real.txt");
        Files.writeString(target, "before");
        Path link = dir.resolve("link.txt");
        Files.createSymbolicLink(link, Path.of("real.txt"));
        OutputFiles.writeString(link, "after");
        assertTrue(Files.isSymbolicLink(link), "the link must stay a link");
        assertEquals("after", read(target));
    }

    @Test
    void danglingSymbolicLinkCreatesItsTarget() throws Exception {
        Path link = dir.resolve("dangling");
        Files.createSymbolicLink(link, dir.resolve("sub/created.txt"));
        OutputFiles.writeString(link, "made");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("made", read(dir.resolve("sub/created.txt")));
    }

    @Test
    void symbolicLinkLoopIsRefusedWithItsReason() throws Exception {
        Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> OutputFiles.writeString(dir.resolve("a"), "x"));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }

    /**
     * A private node of the character device {@code major:minor} in the test folder (needs root), else the
     * system's {@code fallback}: a faulty policy must never replace the machine's own /dev/null, and as
     * non-root it cannot.
     */
    private Path charDevice(String name, int major, int minor, String fallback) throws Exception {
        Path node = dir.resolve(name);
        Process mk = new ProcessBuilder("mknod", node.toString(), "c", "" + major, "" + minor).redirectErrorStream(true).start();
        if (mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0) {
            return node;
        }
        Path sys = Path.of(fallback);
        assumeTrue(Files.exists(sys) && !Files.isWritable(sys.getParent()), "neither mknod nor a protected " + fallback);
        return sys;
    }

    @Test
    void devNullIsWrittenThroughAndStaysADevice() throws Exception {
        Path devNull = charDevice("null", 1, 3, "/dev/null");
        Object before = Files.getAttribute(devNull, "unix:rdev");
        OutputFiles.check("--output", devNull);
        OutputFiles.writeString(devNull, "discarded");
        assertFalse(Files.isRegularFile(devNull), devNull + " was replaced by a regular file");
        assertEquals(before, Files.getAttribute(devNull, "unix:rdev"));
        assertEquals("a character device", OutputFiles.describe(devNull));
        Path link = dir.resolve("to-null");
        Files.createSymbolicLink(link, devNull);
        OutputFiles.writeString(link, "through a link");
        assertEquals("a character device", OutputFiles.describe(devNull));
        assertNoTemporaryFiles();
    }

    @Test
    void devFullFailsWithTheReasonAndStaysADevice() throws Exception {
        Path devFull = charDevice("full", 1, 7, "/dev/full");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> OutputFiles.writeString(devFull, "x".repeat(100_000)));
        assertEquals("cannot write " + devFull + ": no space left on device", e.getMessage());
        assertEquals("a character device", OutputFiles.describe(devFull));
    }

    @Test
    void fifoIsWrittenThroughAndStaysAFifo() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo is not available");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        OutputFiles.writeString(fifo, "through the pipe");
        assertEquals("through the pipe", reader.get(30, TimeUnit.SECONDS));
        assertEquals("a FIFO", OutputFiles.describe(fifo));
        assertNoTemporaryFiles();
    }

    @Test
    void directoryIsRefusedBeforeAndWhileWriting() throws Exception {
        Path d = Files.createDirectory(dir.resolve("out.npy"));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> OutputFiles.check("--output", d));
        assertTrue(c.getMessage().startsWith("--output " + d + " is a directory"), c.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputFiles.writeString(d, "x"));
        assertTrue(Files.isDirectory(d));
        Path link = dir.resolve("to-dir");
        Files.createSymbolicLink(link, d);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputFiles.check("--output", link)).getMessage()
            .contains("is a directory"));
    }

    @Test
    void socketIsRefused() throws Exception {
        Path sock = dir.resolve("s.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFiles.check("--output", sock));
            assertTrue(e.getMessage().contains("is a socket"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> OutputFiles.writeString(sock, "x"));
        }
    }

    @Test
    void blockDeviceIsRefused() throws Exception {
        Path blk = dir.resolve("blk");
        Process mk = new ProcessBuilder("mknod", blk.toString(), "b", "7", "200").redirectErrorStream(true).start();
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "cannot create a block device node here (needs root)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFiles.check("--output", blk));
        assertTrue(e.getMessage().contains("is a block device"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputFiles.writeString(blk, "x"));
        assertEquals("a block device", OutputFiles.describe(blk));
    }

    @Test
    void parentThatIsAFileIsRefusedBeforeTheWork() throws Exception {
        Path file = dir.resolve("plain");
        Files.writeString(file, "keep");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> OutputFiles.check("--output", file.resolve("sub/out.npy")));
        assertEquals("--output " + file.resolve("sub/out.npy") + ": " + file + " is not a directory", e.getMessage());
        UncheckedIOException w = assertThrows(UncheckedIOException.class, () -> OutputFiles.writeString(file.resolve("out.npy"), "x"));
        assertTrue(w.getMessage().startsWith("cannot create directory " + file + ": "), w.getMessage());
        assertEquals("keep", read(file));
    }

    @Test
    void directoryOutputsAreChecked() throws Exception {
        Path file = dir.resolve("results.txt");
        Files.writeString(file, "user data");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFiles.checkDirectory("--out", file));
        assertEquals("--out " + file + " must be a directory, but it is a regular file", e.getMessage());
        OutputFiles.checkDirectory("--out", dir);
        OutputFiles.checkDirectory("--out", dir.resolve("new/deeper"));
        assertFalse(Files.exists(dir.resolve("new")));
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws Exception {
        Path f = dir.resolve("keep.bin");
        Files.writeString(f, "precious");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> OutputFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("simulated failure");
        }));
        assertTrue(e.getMessage().startsWith("cannot write " + f + ": "), e.getMessage());
        assertEquals("precious", read(f));
        assertNoTemporaryFiles();
    }

    @Test
    void bodyClosingItsStreamDoesNotLoseTheOutput() throws Exception {
        Path f = dir.resolve("closed.bin");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        OutputFiles.write(f, out -> {
            out.write(data);
            out.close();
        });
        assertArrayEquals(data, Files.readAllBytes(f));
    }

    @Test
    void twoOutputsNamingOneFileAreRefused() throws Exception {
        Path a = dir.resolve("same.safetensors");
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("--output", a);
        m.put("--grads-out", dir.resolve("./x/../same.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFiles.checkAll(m));
        assertTrue(e.getMessage().startsWith("--output and --grads-out must name different files"), e.getMessage());

        Files.writeString(a, "x");
        Path link = dir.resolve("alias");
        Files.createSymbolicLink(link, a);
        m.put("--grads-out", link);
        assertThrows(IllegalArgumentException.class, () -> OutputFiles.requireDistinct(m));
        Path hard = Files.createLink(dir.resolve("hard"), a);
        m.put("--grads-out", hard);
        assertThrows(IllegalArgumentException.class, () -> OutputFiles.requireDistinct(m));

        m.put("--grads-out", dir.resolve("other.safetensors"));
        OutputFiles.checkAll(m);
        m.put("--grads-out", null);
        OutputFiles.checkAll(m);
        if (Files.exists(Path.of("/dev/null"))) {
            m.put("--output", Path.of("/dev/null"));
            m.put("--grads-out", Path.of("/dev/null"));
            OutputFiles.checkAll(m);
        }
    }

    @Test
    void safetensorsAndNpyWritersFollowThePolicy() throws Exception {
        Path link = dir.resolve("w.safetensors");
        Path real = dir.resolve("real.safetensors");
        Files.writeString(real, "old");
        Files.createSymbolicLink(link, real);
        Tensor t = Tensor.of("a", DType.F32, new double[] {1, 2, 3}, 3);
        SafeTensors.write(link, Map.of("a", t), Map.of());
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(t.data(), SafeTensors.read(real).tensors().get("a").data());
        Npy.write(dir.resolve("fresh.npy"), t);
        assertEquals(0666 & ~umask(), mode(dir.resolve("fresh.npy")));
        assertTrue(Files.isRegularFile(dir.resolve("fresh.npy"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void ioMessagesSayTheReason() {
        assertEquals("permission denied", IoMessages.reason(new AccessDeniedException("/x")));
        assertEquals("no such file or directory", IoMessages.reason(new NoSuchFileException("/x")));
        assertEquals("no space left on device", IoMessages.reason(new FileSystemException("/x", null, "No space left on device")));
        assertEquals("is a directory", IoMessages.reason(new FileSystemException("/x", null, "Is a directory")));
        assertEquals("/x: permission denied", IoMessages.describe(new AccessDeniedException("/x")));
        assertEquals("cannot write /x: permission denied",
            IoMessages.cannot("write", Path.of("/x"), new AccessDeniedException("/x")).getMessage());
    }
}
