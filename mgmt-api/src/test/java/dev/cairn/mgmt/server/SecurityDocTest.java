package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps docs/security.md true to the code. It parses three tables from the markdown and compares them with
 * what the real code does: the roles-and-permissions table (section 3) must equal {@link Role#permissions()} for
 * every role and list every {@link Permission} once; the route table (section 3) must list exactly the rows of
 * {@link ApiRoutes#table} of an {@link Appliance} opened over a real SoftHSM token, in order, with the same
 * method, path, permission, audited action and step-up; the state-directory table (section 9) must name exactly
 * the directories that opening the appliance creates, each with mode 0700. It also checks that the numbered
 * sections that code Javadoc refers to exist.
 */
@Timeout(120)
class SecurityDocTest {
    private static final String TICK = "\u2713";
    private static ApplianceFixture fx;
    private static List<String> doc;

    @BeforeAll
    static void open() throws IOException {
        doc = Files.readAllLines(securityMd(), StandardCharsets.UTF_8);
        fx = ApplianceFixture.create();
    }

    @AfterAll
    static void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /** docs/security.md of this checkout: the build runs in the module directory, one level below the root. */
    private static Path securityMd() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 3 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("security.md");
            if (Files.isRegularFile(candidate) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/security.md not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void sectionsAreNumberedOneToEleven() {
        List<Integer> numbers = new ArrayList<>();
        for (String line : doc) {
            if (line.startsWith("## ")) {
                String head = line.substring(3);
                int dot = head.indexOf('.');
                assertThat(dot).as("heading '%s' starts with its number", line).isPositive();
                numbers.add(Integer.parseInt(head.substring(0, dot)));
            }
        }
        assertThat(numbers).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void permissionTableEqualsRolePermissions() {
        List<List<String>> rows = table("| Permission |");
        List<String> header = rows.getFirst();
        List<Role> columns = header.subList(1, header.size()).stream().map(Role::ofId).toList();
        assertThat(columns).as("one column per role, in the enum's order").containsExactly(Role.values());

        Set<Permission> listed = EnumSet.noneOf(Permission.class);
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).as("row %s has one cell per role", row).hasSize(header.size());
            Permission p = Permission.valueOf(code(row.getFirst()));
            assertThat(listed.add(p)).as("%s is listed once", p).isTrue();
            for (int c = 0; c < columns.size(); c++) {
                String cell = row.get(c + 1);
                assertThat(cell).as("cell %s / %s is a tick or empty", p, columns.get(c)).isIn(TICK, "");
                assertThat(cell.equals(TICK)).as("%s grants %s", columns.get(c), p).isEqualTo(columns.get(c).grants(p));
            }
        }
        assertThat(listed).as("every permission has a row").containsExactlyInAnyOrder(Permission.values());
        for (Role r : Role.values()) {
            Set<Permission> ticked = EnumSet.noneOf(Permission.class);
            int column = columns.indexOf(r) + 1;
            for (List<String> row : rows.subList(1, rows.size())) {
                if (row.get(column).equals(TICK)) {
                    ticked.add(Permission.valueOf(code(row.getFirst())));
                }
            }
            assertThat(ticked).as("the ticks of %s", r).isEqualTo(r.permissions());
        }
    }

    @Test
    void routeTableEqualsTheServersRouteTable() {
        List<List<String>> rows = table("| Method | Path |");
        assertThat(rows.getFirst()).containsExactly("Method", "Path", "Permission", "Audited action", "Step-up");
        List<String> documented = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).as("route row %s has five cells", row).hasSize(5);
            String audit = row.get(3).equals("\u2014") ? "-" : code(row.get(3));
            assertThat(row.get(4)).as("step-up cell of %s", row).isIn("yes", "no");
            documented.add(row.get(0) + " " + code(row.get(1)) + " " + code(row.get(2)) + " " + audit + " " + row.get(4));
        }
        List<String> actual = ApiRoutes.table(fx.app).stream()
                .map(r -> r.method().text() + " " + r.path() + " " + r.permission().name() + " "
                        + (r.audit() == null ? "-" : r.audit()) + " " + (r.stepUp() ? "yes" : "no"))
                .toList();
        assertThat(actual).as("the server has routes").hasSizeGreaterThan(10);
        assertThat(documented).containsExactlyElementsOf(actual);
    }

    @Test
    void stateDirectoryTableNamesWhatTheApplianceCreates() throws IOException {
        List<List<String>> rows = table("| Directory |");
        Set<String> documented = new TreeSet<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            String dir = code(row.getFirst());
            assertThat(dir).as("directory cell %s ends with /", row.getFirst()).endsWith("/");
            documented.add(dir.substring(0, dir.length() - 1));
            assertThat(row.get(1)).as("mode of %s", dir).isEqualTo("`0700`");
        }
        Path state = fx.app.config().stateDir();
        Set<String> created = new TreeSet<>();
        try (Stream<Path> children = Files.list(state)) {
            for (Path p : children.toList()) {
                if (Files.isDirectory(p)) {
                    created.add(p.getFileName().toString());
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                            .as("mode of %s", p.getFileName()).isEqualTo("rwx------");
                }
            }
        }
        assertThat(documented).isEqualTo(created);
    }

    /** The cells of the markdown table whose header line starts with {@code headerStart}; the header row first. */
    private static List<List<String>> table(String headerStart) {
        int start = -1;
        for (int i = 0; i < doc.size(); i++) {
            if (doc.get(i).startsWith(headerStart)) {
                if (start >= 0) {
                    fail("two tables start with '" + headerStart + "'");
                }
                start = i;
            }
        }
        if (start < 0) {
            fail("no table starting with '" + headerStart + "' in docs/security.md");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(cells(doc.get(start)));
        assertThat(doc.get(start + 1)).as("separator line").matches("\\|(\\s*:?-+:?\\s*\\|)+");
        for (int i = start + 2; i < doc.size() && doc.get(i).startsWith("|"); i++) {
            rows.add(cells(doc.get(i)));
        }
        assertThat(rows).as("the table has rows").hasSizeGreaterThan(1);
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.trim();
        assertThat(inner).as("table line %s", line).startsWith("|").endsWith("|");
        inner = inner.substring(1, inner.length() - 1);
        List<String> out = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) {
            out.add(c.trim());
        }
        return out;
    }

    /** The text inside one pair of backticks; anything else in the cell is a doc error. */
    private static String code(String cell) {
        if (!cell.matches("`[^`]+`")) {
            fail("expected one `code` value, got '" + cell + "'");
        }
        return cell.substring(1, cell.length() - 1);
    }
}
