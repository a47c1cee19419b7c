package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.mgmt.files.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The appliance settings an administrator changes through the API and that apply at the next start
 * (docs/formats/settings.md). Today one: the management interface, the address both listeners bind to
 * (requirement TLS-3). Until it is set, the listeners bind to 127.0.0.1.
 */
public final class Settings {
    static final String FILE = "settings.json";
    static final String FORMAT = "cairn-settings v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    private Settings(Path dir) {
        this.dir = dir;
    }

    /** The settings under {@code stateDir/settings/} (the directory is created 0700 when first written). */
    public static Settings of(Path stateDir) {
        return new Settings(stateDir.resolve("settings"));
    }

    /**
     * The management address, if one was set.
     *
     * @throws IllegalStateException if the file is damaged (it names the file and what to do)
     */
    public synchronized Optional<String> managementAddress() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(FILE), e);
        }
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !FORMAT.equals(root.path("format").asText())
                    || !root.path("managementAddress").isTextual()) {
                throw new IllegalStateException("bad");
            }
            return Optional.of(root.get("managementAddress").asText());
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException(dir.resolve(FILE) + " is damaged; fix it after docs/formats/settings.md or "
                    + "remove it (the listeners then bind to 127.0.0.1)");
        }
    }

    /**
     * Sets the management address after checking it is an address of one of this machine's interfaces (not the
     * wildcard, not a multicast address), so the next start can bind it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public synchronized void setManagementAddress(String address) {
        InetAddress a = checkLocal(address);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("managementAddress", a.getHostAddress());
        try {
            Appliance.privateDir(dir);
            PrivateFiles.replace(dir.resolve(FILE), dir.resolve(FILE + ".tmp"),
                    (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE) + "; check free space and permissions", e);
        }
    }

    static InetAddress checkLocal(String address) {
        if (address == null || !address.matches("[0-9a-fA-F:.]{2,45}")) {
            throw new IllegalArgumentException("give the management interface as an IP address literal");
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal");
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
            throw new IllegalArgumentException("the management interface must be one address, not the wildcard or a group");
        }
        try {
            if (NetworkInterface.getByInetAddress(a) == null) {
                throw new IllegalArgumentException("no interface of this appliance has that address");
            }
        } catch (SocketException e) {
            throw new IllegalArgumentException("the interfaces of this appliance cannot be read");
        }
        return a;
    }
}
