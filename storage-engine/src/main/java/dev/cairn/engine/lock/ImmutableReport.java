package dev.cairn.engine.lock;

import java.util.List;

/**
 * What setting the immutable attribute on a locked snapshot's files achieved. The attribute is a second
 * line behind the lock file, which governs alone: a file system without inode flags, or a process
 * without CAP_LINUX_IMMUTABLE, leaves the lock fully in force, and the report says so.
 *
 * @param files       files that carry the attribute now (snapshot file, lock file, packs)
 * @param unsupported files whose file system cannot carry it
 * @param problems    what failed, one line each, naming the file by kind and id (never a path of the
 *                    backed-up data), for example {@code pack 1a2b3c4d: EPERM}
 */
public record ImmutableReport(int files, int unsupported, List<String> problems) {

    public ImmutableReport {
        problems = List.copyOf(problems);
    }

    /** An empty report: nothing protected, nothing attempted. */
    public static final ImmutableReport NONE = new ImmutableReport(0, 0, List.of());

    /** True if every file carries the attribute. */
    public boolean complete() {
        return unsupported == 0 && problems.isEmpty();
    }

    /** One line for people: {@code immutable attribute on 5 files} plus what did not work. */
    public String describe() {
        StringBuilder sb = new StringBuilder("immutable attribute on ").append(files).append(files == 1 ? " file" : " files");
        if (unsupported > 0) {
            sb.append("; ").append(unsupported).append(" on a file system without it (the lock file still governs)");
        }
        if (!problems.isEmpty()) {
            sb.append("; ").append(problems.size()).append(" failed (the lock file still governs): ")
                    .append(String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            if (problems.size() > 5) {
                sb.append("; ...");
            }
        }
        return sb.toString();
    }
}
