package dev.cairn.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The key plane's configuration, read from {@code hsm.conf} (documented in docs/keys.md, section
 * "hsm.conf"). Relative paths are resolved against the directory holding the file.
 *
 * @param source        the file this was read from
 * @param library       the PKCS#11 module (null when {@code nssDb} is set)
 * @param nssDb         an NSS key database directory, to use NSS softoken instead of {@code library}
 * @param nssLibraryDir where libsoftokn3.so lives (NSS only)
 * @param tokenLabel    the token to use, by label (or null when {@code slot} is set)
 * @param slot          the token to use, by slot id (or null)
 * @param pinFile       a file holding the user PIN (mode 0600 or stricter), or null
 * @param pinEnv        the environment variable holding the PIN when there is no pin file
 * @param stateDir      where wrapped keys and vault metadata live
 * @param env           variables set in the process environment before the module is initialised
 */
public record HsmConfig(Path source, Path library, Path nssDb, Path nssLibraryDir, String tokenLabel, Long slot,
                        Path pinFile, String pinEnv, Path stateDir, Map<String, String> env) {

    public static final String DEFAULT_PIN_ENV = "CAIRN_HSM_PIN";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]{0,63}");
    private static final List<String> KEYS = List.of("library", "token.label", "slot", "pin.file", "pin.env",
            "state.dir", "nss.db", "nss.library.dir");

    public HsmConfig {
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** True when the token is NSS softoken opened through SunPKCS11's NSS mode. */
    public boolean isNss() {
        return nssDb != null;
    }

    /** The PKCS#11 module file that holds the token (libsoftokn3.so for NSS). */
    public Path moduleFile() {
        return isNss() ? nssLibraryDir.resolve("libsoftokn3.so") : library;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws HsmConfigException naming the file, the line and what is wrong
     */
    public static HsmConfig load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new HsmConfigException("HSM configuration " + file + " does not exist. Pass --hsm FILE or set CAIRN_HSM; "
                    + "`cairn keys init-softhsm DIR` writes one for a demo token.", e);
        } catch (IOException e) {
            throw new HsmConfigException("cannot read HSM configuration " + file + ": " + e.getMessage()
                    + ". Pass --hsm FILE or set CAIRN_HSM; `cairn keys init-softhsm DIR` writes one for a demo token.", e);
        }
        Path base = file.toAbsolutePath().getParent();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new HsmConfigException(file + " line " + (i + 1) + ": expected 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("env.")) {
                String name = key.substring(4);
                if (!ENV_NAME.matcher(name).matches()) {
                    throw new HsmConfigException(file + " line " + (i + 1) + ": '" + name
                            + "' is not a valid environment variable name");
                }
                env.put(name, value);
                continue;
            }
            if (!KEYS.contains(key)) {
                throw new HsmConfigException(file + " line " + (i + 1) + ": unknown key '" + key + "' (known: "
                        + String.join(", ", KEYS) + ", env.NAME)");
            }
            if (values.put(key, value) != null) {
                throw new HsmConfigException(file + " line " + (i + 1) + ": '" + key + "' is set twice");
            }
        }
        Path library = path(base, values.get("library"));
        Path nssDb = path(base, values.get("nss.db"));
        if ((library == null) == (nssDb == null)) {
            throw new HsmConfigException(file + ": set exactly one of 'library' (a PKCS#11 module) and 'nss.db'");
        }
        Path nssLibDir = path(base, values.getOrDefault("nss.library.dir", "/usr/lib/x86_64-linux-gnu"));
        String label = values.get("token.label");
        Long slot = null;
        if (values.containsKey("slot")) {
            try {
                slot = Long.parseLong(values.get("slot"));
            } catch (NumberFormatException e) {
                throw new HsmConfigException(file + ": 'slot' must be a number");
            }
        }
        if (label != null && slot != null) {
            throw new HsmConfigException(file + ": set 'token.label' or 'slot', not both");
        }
        if (label == null && slot == null) {
            if (nssDb == null) {
                throw new HsmConfigException(file + ": name the token with 'token.label' (or 'slot')");
            }
            label = "NSS Certificate DB";
        }
        Path stateDir = path(base, values.get("state.dir"));
        if (stateDir == null) {
            throw new HsmConfigException(file + ": 'state.dir' is required (where wrapped keys are kept)");
        }
        String pinEnv = values.getOrDefault("pin.env", DEFAULT_PIN_ENV);
        if (!ENV_NAME.matcher(pinEnv).matches()) {
            throw new HsmConfigException(file + ": 'pin.env' is not a valid environment variable name");
        }
        return new HsmConfig(file.toAbsolutePath(), library, nssDb, nssLibDir, label, slot,
                path(base, values.get("pin.file")), pinEnv, stateDir, env);
    }

    /**
     * Reads the user PIN: from {@link #pinFile()} when set (which must not be readable by group or
     * others), else from the environment variable {@link #pinEnv()}. The caller zeroes the array.
     *
     * @throws HsmLoginException when neither gives a PIN
     */
    public char[] readPin() {
        if (pinFile != null) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(pinFile);
                if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                    throw new HsmLoginException("PIN file " + pinFile + " is readable by group or others; "
                            + "run `chmod 600 " + pinFile + "` and try again");
                }
                byte[] raw = Files.readAllBytes(pinFile);
                try {
                    String s = new String(raw, StandardCharsets.UTF_8).strip();
                    if (s.isEmpty()) {
                        throw new HsmLoginException("PIN file " + pinFile + " is empty");
                    }
                    return s.toCharArray();
                } finally {
                    java.util.Arrays.fill(raw, (byte) 0);
                }
            } catch (IOException e) {
                throw new HsmLoginException("cannot read PIN file " + pinFile + ": " + e.getMessage(), e);
            }
        }
        String v = System.getenv(pinEnv);
        if (v == null || v.isBlank()) {
            throw new HsmLoginException("no HSM PIN: hsm.conf has no 'pin.file' and the environment variable "
                    + pinEnv + " is not set");
        }
        return v.strip().toCharArray();
    }

    /** How the token is named in messages: library, label or slot. Never the PIN. */
    public String describeToken() {
        String which = tokenLabel != null ? "token '" + tokenLabel + "'" : "token in slot " + slot;
        return which + " (" + moduleFile() + ")";
    }

    private static Path path(Path base, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return base.resolve(value).normalize();
    }
}
