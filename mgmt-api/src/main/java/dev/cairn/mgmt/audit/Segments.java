package dev.cairn.mgmt.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reading segment files (docs/formats/audit-log.md, section 1): names, order, and the split into complete
 * lines and a torn tail. Shared by the writer's recovery, the verifier and search.
 */
final class Segments {
    static final Pattern NAME = Pattern.compile("audit-(\\d{12})\\.jsonl");

    private Segments() {
    }

    /** A segment file's lines: complete ones (without line feed) and the bytes after the last line feed. */
    record Content(Path file, List<byte[]> lines, byte[] tornTail) {
        boolean torn() {
            return tornTail.length > 0;
        }
    }

    /** The name of segment number {@code n} (1, 2, 3...). */
    static String name(long n) {
        return String.format("audit-%012d.jsonl", n);
    }

    /** The number in a segment's name. */
    static long number(Path segment) {
        Matcher m = NAME.matcher(segment.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a segment name");
        }
        return Long.parseLong(m.group(1));
    }

    /** The segment files of {@code dir}, in name order (which is numeric order). */
    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    static Content read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return new Content(file, lines, Arrays.copyOfRange(all, start, all.length));
    }
}
