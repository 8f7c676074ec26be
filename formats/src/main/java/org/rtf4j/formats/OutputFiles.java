package org.rtf4j.formats;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way every output of RTF4J reaches a file, and the policy it follows.
 *
 * <ul>
 *   <li><b>A new path or a regular file</b> is written completely or not at all: a temporary file in the
 *       same directory, written, fsynced and renamed over the target, then the directory fsynced. A new file
 *       gets the mode an ordinary tool gives it ({@code 0666 & ~umask}); a replaced file keeps its
 *       permission bits.</li>
 *   <li><b>A symbolic link</b> is followed to its target (a dangling link creates its target, as a shell
 *       redirection does); the link itself is never replaced.</li>
 *   <li><b>A character device or a FIFO</b> ({@code /dev/null}, {@code /dev/stdout}, a named pipe) is written
 *       through directly; it is never replaced by a regular file. Such a stream cannot be atomic.</li>
 *   <li><b>A directory, a block device or a socket</b> is refused with one line, before any work.</li>
 *   <li><b>A missing parent directory</b> is created, with its missing parents ({@code mkdir -p}).</li>
 * </ul>
 *
 * <p>Commands call {@link #check} (and {@link #requireDistinct} when they write several files) before
 * they start their work, so that a mistake in an output path costs nothing; failures while writing
 * name the path and the reason ({@link IoMessages}).
 */
public final class OutputFiles {
    private static final int MAX_LINKS = 40;

    private OutputFiles() {
    }

    /** Writes an output's bytes. */
    @FunctionalInterface
    public interface Body {
        /** Writes the whole output to {@code out} (buffered; closed by the caller). */
        void writeTo(OutputStream out) throws IOException;
    }

    /** What a target path is, once symbolic links are followed. */
    enum Kind {
        /** Nothing there: a new regular file (its parent may be missing). */
        NEW,
        /** A regular file, replaced atomically. */
        REGULAR,
        /** A character device or a FIFO, written through. */
        STREAM
    }

    /** A target after following links: the path to write and what it is. */
    record Target(Path path, Kind kind) {
    }

    /**
     * Checks, before any work, that {@code target} can take an output under the policy above; throws a
     * one-line exception naming {@code option} otherwise. Creates nothing.
     */
    public static void check(String option, Path target) {
        Target t = resolve(option, target);
        if (t.kind() == Kind.STREAM) {
            if (!Files.isWritable(t.path())) {
                throw new UncheckedIOException(option + " " + target + ": cannot write: permission denied",
                    new java.nio.file.AccessDeniedException(t.path().toString()));
            }
            return;
        }
        checkDirectoryOrCreatable(option, target, t.path().getParent());
    }

    /**
     * Checks, before any work, that {@code dir} is a directory outputs can be written into, or can be
     * created (with its missing parents); throws a one-line exception naming {@code option} otherwise.
     */
    public static void checkDirectory(String option, Path dir) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new IllegalArgumentException(option + " " + dir + " must be a directory, but it is " + describe(abs));
            }
            if (!Files.isWritable(abs)) {
                throw new UncheckedIOException(option + " " + dir + ": cannot write into it: permission denied",
                    new java.nio.file.AccessDeniedException(abs.toString()));
            }
            return;
        }
        checkDirectoryOrCreatable(option, dir, abs.getParent());
    }

    /**
     * Refuses two outputs that name the same file (after following links), e.g. {@code --output} and
     * {@code --grads-out}: the second would replace the first. Outputs to the same character device or FIFO
     * ({@code /dev/null}) are allowed. Null paths are skipped.
     */
    public static void requireDistinct(Map<String, Path> outputs) {
        Map<String, Target> seen = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            Target t = resolve(e.getKey(), e.getValue());
            for (Map.Entry<String, Target> s : seen.entrySet()) {
                if (t.kind() != Kind.STREAM && same(s.getValue().path(), t.path())) {
                    throw new IllegalArgumentException(s.getKey() + " and " + e.getKey() + " must name different files, but both name "
                        + t.path() + " (the second would replace the first)");
                }
            }
            seen.put(e.getKey(), t);
        }
    }

    /** Writes {@code parts} (each from its position to its limit) to {@code target} under the policy above. */
    public static void write(Path target, List<ByteBuffer> parts) {
        write(target, out -> {
            for (ByteBuffer b : parts) {
                ByteBuffer d = b.duplicate();
                if (d.hasArray()) {
                    out.write(d.array(), d.arrayOffset() + d.position(), d.remaining());
                } else {
                    byte[] chunk = new byte[Math.min(d.remaining(), 1 << 16)];
                    while (d.hasRemaining()) {
                        int n = Math.min(chunk.length, d.remaining());
                        d.get(chunk, 0, n);
                        out.write(chunk, 0, n);
                    }
                }
            }
        });
    }

    /** Writes {@code text} as UTF-8 to {@code target} under the policy above. */
    public static void writeString(Path target, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(b));
    }

    /** Writes what {@code body} produces to {@code target} under the policy above. */
    public static void write(Path target, Body body) {
        Target t = resolve("output", target);
        if (t.kind() == Kind.STREAM) {
            writeThrough(target, t.path(), body);
        } else {
            writeAtomically(target, t, body);
        }
    }

    /** Creates a directory and its missing parents, with a one-line reason when that fails. */
    public static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw IoMessages.cannot("create directory", dir, e);
        }
    }

    // ------------------------------------------------------------------------------------------------

    static Target resolve(String option, Path target) {
        Path p = target.toAbsolutePath();
        try {
            for (int hops = 0; ; hops++) {
                if (Files.isSymbolicLink(p)) {
                    if (hops == MAX_LINKS) {
                        throw new FileSystemLoopException(target.toString());
                    }
                    Path link = Files.readSymbolicLink(p);
                    p = p.resolveSibling(link).normalize();
                    continue;
                }
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    return new Target(p, Kind.NEW);
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return new Target(p, Kind.REGULAR);
                }
                String what = describe(p);
                if (what.equals("a character device") || what.equals("a FIFO")) {
                    return new Target(p, Kind.STREAM);
                }
                throw new IllegalArgumentException(option + " " + target + " is " + what
                    + (p.equals(target.toAbsolutePath()) ? "" : " (" + p + ")")
                    + "; an output must be a regular file, a new path, a character device or a FIFO");
            }
        } catch (IOException e) {
            throw IoMessages.cannot("write " + option, target, e);
        }
    }

    /** "a directory", "a block device", ... for messages and the policy. */
    static String describe(Path p) {
        if (Files.isDirectory(p)) {
            return "a directory";
        }
        if (Files.isRegularFile(p)) {
            return "a regular file";
        }
        if (!p.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            return "a special file"; // no Unix file types to tell apart (not a Unix file system)
        }
        int type;
        try {
            type = ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 0170000;
        } catch (IOException e) {
            return "a special file";
        }
        switch (type) {
            case 0020000: return "a character device";
            case 0060000: return "a block device";
            case 0010000: return "a FIFO";
            case 0140000: return "a socket";
            default: return "a special file";
        }
    }

    private static void checkDirectoryOrCreatable(String option, Path shown, Path dir) {
        Path d = dir;
        while (d != null && !Files.exists(d)) {
            if (Files.isSymbolicLink(d)) {
                throw new IllegalArgumentException(option + " " + shown + ": " + d + " is a dangling symbolic link");
            }
            d = d.getParent();
        }
        if (d == null) {
            throw new IllegalArgumentException(option + " " + shown + ": no existing parent directory");
        }
        if (!Files.isDirectory(d)) {
            throw new IllegalArgumentException(option + " " + shown + ": " + d + " is not a directory");
        }
        if (!Files.isWritable(d)) {
            throw new UncheckedIOException(option + " " + shown + ": cannot write into " + d + ": permission denied",
                new java.nio.file.AccessDeniedException(d.toString()));
        }
    }

    private static boolean same(Path a, Path b) {
        if (canonical(a).equals(canonical(b))) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The real path of an existing file, or of a new file's existing parent joined with its name. */
    private static Path canonical(Path p) {
        try {
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            Path parent = p.getParent();
            if (parent != null && Files.exists(parent)) {
                return parent.toRealPath().resolve(p.getFileName());
            }
        } catch (IOException e) {
            // fall through: compare as written
        }
        return p.normalize();
    }

    private static void writeThrough(Path shown, Path path, Body body) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.WRITE), 1 << 16)) {
            body.writeTo(new Unclosable(out));
        } catch (IOException e) {
            throw IoMessages.cannot("write", shown, e);
        }
    }

    private static void writeAtomically(Path shown, Target t, Body body) {
        Path dir = t.path().getParent();
        createDirectories(dir);
        Path tmp = null;
        try {
            tmp = createSibling(dir, t.path().getFileName().toString());
            if (t.kind() == Kind.REGULAR) {
                keepPermissions(t.path(), tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                try (OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                    body.writeTo(new Unclosable(out));
                    out.flush();
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, t.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, t.path(), StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw IoMessages.cannot("write", shown, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is what the caller needs to see
                }
            }
        }
    }

    /**
     * A new empty file beside the target. Opened without explicit permissions, the operating system gives
     * it {@code 0666 & ~umask}, as for any file a tool creates ({@code Files.createTempFile} would give
     * 0600).
     */
    private static Path createSibling(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    private static void keepPermissions(Path from, Path to) throws IOException {
        if (!from.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return; // not a POSIX file system: the new file has the platform's default permissions
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, perms);
        } catch (NoSuchFileException e) {
            // replaced concurrently: the new file keeps its default mode
        }
    }

    /** Flushes a directory entry; platforms that cannot open a directory (Windows) have nothing to flush. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // a directory cannot be opened for reading there: the rename is already as durable as it gets
        }
    }

    /** Every path of {@code outputs} (option name to path; null paths skipped) checked, then required distinct. */
    public static void checkAll(Map<String, Path> outputs) {
        for (Map.Entry<String, Path> e : outputs.entrySet()) {
            if (e.getValue() != null) {
                check(e.getKey(), e.getValue());
            }
        }
        requireDistinct(outputs);
    }

    /** The stream a body writes to: closing it only flushes (the file is closed, and fsynced, by us). */
    private static final class Unclosable extends java.io.FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
