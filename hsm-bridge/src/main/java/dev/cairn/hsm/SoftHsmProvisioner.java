package dev.cairn.hsm;

import dev.cairn.hsm.pkcs11.CkException;
import dev.cairn.hsm.pkcs11.Cryptoki;
import dev.cairn.hsm.pkcs11.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Makes a SoftHSM2 token for demos and tests ({@code cairn keys init-softhsm DIR}): a private token
 * directory, its softhsm2.conf, random user and SO PINs in 0600 files, and the {@code hsm.conf} that
 * the rest of Cairn reads. The token is initialised through PKCS#11 (C_InitToken, C_InitPIN) in this
 * process, so no PIN ever appears on a command line.
 *
 * <pre>
 * DIR/hsm.conf          the key plane configuration (docs/keys.md)
 * DIR/softhsm2.conf     SoftHSM's own configuration (token directory below)
 * DIR/tokens/           SoftHSM's token files
 * DIR/user.pin          the user PIN (0600)
 * DIR/so.pin            the security officer PIN (0600); keep it offline in production
 * DIR/state/            the vault state directory (wrapped keys)
 * </pre>
 */
public final class SoftHsmProvisioner {
    /** Where Debian installs SoftHSM2's PKCS#11 module. */
    public static final List<Path> DEFAULT_LIBRARIES = List.of(Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"), Path.of("/usr/lib64/softhsm/libsofthsm2.so"));
    public static final String DEFAULT_LABEL = "cairn";

    private SoftHsmProvisioner() {
    }

    /** The first SoftHSM2 module found at the usual places, or an HsmUnavailableException saying how to install it. */
    public static Path defaultLibrary() {
        return DEFAULT_LIBRARIES.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new HsmUnavailableException("SoftHSM2 is not installed (looked for " + DEFAULT_LIBRARIES
                        + "). Install it with `apt-get install softhsm2`, or run `./cairn test`, which installs it."));
    }

    /**
     * Creates the token and files under {@code dir} (which must be empty or absent) and returns the path
     * of the new hsm.conf.
     */
    public static Path provision(Path dir, Path library, String label, SecureRandom random) {
        TenantId.check(label); // the same safe alphabet suits a token label
        try {
            if (Files.exists(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new HsmConfigException(dir + " is not empty; init-softhsm makes a new token only in an empty or new directory");
                    }
                }
            }
            Path abs = dir.toAbsolutePath().normalize();
            Files.createDirectories(abs.resolve("tokens"));
            Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(abs.resolve("tokens"), PosixFilePermissions.fromString("rwx------"));
            Path softhsmConf = abs.resolve("softhsm2.conf");
            VaultState.writeAtomically(softhsmConf, ("# SoftHSM2 configuration written by `cairn keys init-softhsm`\n"
                    + "directories.tokendir = " + abs.resolve("tokens") + "\n"
                    + "objectstore.backend = file\n"
                    + "log.level = ERROR\n"
                    + "slots.removable = false\n").getBytes(StandardCharsets.UTF_8));
            char[] userPin = randomPin(random);
            char[] soPin = randomPin(random);
            try {
                writePin(abs.resolve("user.pin"), userPin);
                writePin(abs.resolve("so.pin"), soPin);
                initialise(library, softhsmConf, label, soPin, userPin);
            } finally {
                Arrays.fill(userPin, '\0');
                Arrays.fill(soPin, '\0');
            }
            Path hsmConf = abs.resolve("hsm.conf");
            VaultState.writeAtomically(hsmConf, ("# Cairn key plane configuration (docs/keys.md, section hsm.conf)\n"
                    + "# written by `cairn keys init-softhsm`: a SoftHSM2 token for demos and tests\n"
                    + "library = " + library + "\n"
                    + "token.label = " + label + "\n"
                    + "pin.file = user.pin\n"
                    + "state.dir = state\n"
                    + "env.SOFTHSM2_CONF = " + softhsmConf + "\n").getBytes(StandardCharsets.UTF_8));
            return hsmConf;
        } catch (IOException e) {
            throw new HsmConfigException("cannot create the SoftHSM2 token under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void initialise(Path library, Path softhsmConf, String label, char[] soPin, char[] userPin)
            throws IOException {
        Cryptoki.setenv("SOFTHSM2_CONF", softhsmConf.toString());
        Cryptoki ck = Cryptoki.load(library);
        try {
            if (!ck.initialize()) {
                throw new HsmConfigException("SoftHSM2 was already initialised in this process with another configuration; "
                        + "run init-softhsm in its own process (the CLI does)");
            }
            long free = -1;
            for (long slot : ck.slots(true)) {
                if (!ck.tokenInfo(slot).initialized()) {
                    free = slot;
                    break;
                }
            }
            if (free < 0) {
                throw new HsmUnavailableException("SoftHSM2 offers no free slot in " + softhsmConf);
            }
            ck.initToken(free, soPin, label);
            try (Session s = ck.openSession(free, true)) {
                s.login(Cryptoki.CKU_SO, soPin);
                s.initPin(userPin);
                s.logout();
            }
        } catch (CkException e) {
            throw new HsmUnavailableException("SoftHSM2 could not initialise a token (" + e.getMessage() + ")", e);
        }
    }

    private static char[] randomPin(SecureRandom random) {
        final String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        char[] pin = new char[24];
        for (int i = 0; i < pin.length; i++) {
            pin[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return pin;
    }

    private static void writePin(Path file, char[] pin) {
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(pin));
        byte[] line = new byte[encoded.remaining() + 1];
        encoded.get(line, 0, line.length - 1);
        line[line.length - 1] = '\n';
        try {
            VaultState.writeAtomically(file, line);
        } finally {
            Arrays.fill(line, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
