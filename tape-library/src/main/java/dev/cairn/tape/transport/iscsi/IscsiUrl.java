package dev.cairn.tape.transport.iscsi;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An iSCSI target address, {@code iscsi://host[:port]/iqn} (port 3260 when absent), as libiscsi and
 * the Cairn CLI write it. A trailing {@code /LUN} is accepted and returned by {@link #lun()}.
 */
public record IscsiUrl(String host, int port, String targetName, Integer lun) {
    public static final int DEFAULT_PORT = 3260;

    public IscsiUrl {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("an iSCSI URL needs a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("an iSCSI port is 1 to 65535");
        }
        if (targetName == null || !targetName.matches("(iqn|eui|naa)\\.[A-Za-z0-9.:_-]{1,220}")) {
            throw new IllegalArgumentException("an iSCSI target name looks like iqn.2026-11.dev.cairn:vtl");
        }
    }

    public static IscsiUrl parse(String text) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an iSCSI URL: expected iscsi://HOST:PORT/IQN", e);
        }
        if (!"iscsi".equals(u.getScheme()) || u.getHost() == null || u.getPath() == null || u.getPath().length() < 2) {
            throw new IllegalArgumentException("not an iSCSI URL: expected iscsi://HOST:PORT/IQN");
        }
        String[] parts = u.getPath().substring(1).split("/");
        Integer lun = null;
        if (parts.length == 2) {
            try {
                lun = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the part after the target name must be a LUN number");
            }
        } else if (parts.length != 1) {
            throw new IllegalArgumentException("not an iSCSI URL: expected iscsi://HOST:PORT/IQN[/LUN]");
        }
        return new IscsiUrl(u.getHost(), u.getPort() < 0 ? DEFAULT_PORT : u.getPort(), parts[0], lun);
    }

    @Override
    public String toString() {
        return "iscsi://" + host + ":" + port + "/" + targetName + (lun != null ? "/" + lun : "");
    }
}
